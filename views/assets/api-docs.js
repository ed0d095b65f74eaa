// Starts Swagger UI on /api/docs. A file rather than an inline script, so that the page runs
// under the app's Content-Security-Policy (script-src 'self') unchanged.
window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute('data-spec-url'),
    domNode: root,
    deepLinking: true,
    // No badge from validator.swagger.io: the page loads nothing from other origins.
    validatorUrl: null,
  });
});
