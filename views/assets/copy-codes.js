// Progressive enhancement for the recovery-codes page: a button that copies every code, one a
// line. Without JavaScript (or a clipboard), the button stays hidden and the download remains.
(function () {
  var button = document.querySelector('[data-copy-codes]');
  if (!button || !navigator.clipboard) return;
  var list = document.getElementById(button.getAttribute('data-copy-codes'));
  var status = document.querySelector('[data-copy-status]');
  button.hidden = false;
  button.addEventListener('click', function () {
    var codes = Array.prototype.map.call(list.querySelectorAll('code'), function (code) {
      return code.textContent;
    });
    navigator.clipboard.writeText(codes.join('\n') + '\n').then(
      function () {
        status.textContent = 'Copied ' + codes.length + ' codes.';
      },
      function () {
        status.textContent = 'Your browser did not allow copying: download the codes instead.';
      },
    );
  });
})();
