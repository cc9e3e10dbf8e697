/* Swagger UI of /api/v1/docs inside the site layout (no inline script): settings from the JSON block,
   the session's CSRF token from the container's data attributes. */
(function () {
  const container = document.getElementById("swagger-ui");
  const config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (container.dataset.apiCsrf && container.dataset.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = container.dataset.csrfToken;
      return request;
    };
  }
  SwaggerUIBundle(config);
})();
