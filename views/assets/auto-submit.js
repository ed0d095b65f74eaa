// Sends the SAML HTTP-POST form on load. An external file because the CSP forbids inline script;
// without JavaScript the visible button does the same.
(function () {
  'use strict';
  function submit() {
    var form = document.getElementById('saml-post');
    if (form) form.submit();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', submit);
  } else {
    submit();
  }
})();
