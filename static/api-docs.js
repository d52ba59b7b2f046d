"use strict";
// Draws the OpenAPI description with Swagger UI (drf-spectacular-sidecar's copy, served by us)
// into #swagger-ui. A static file, not an inline script, so that a Content-Security-Policy
// without 'unsafe-inline' lets it run.
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") {
    return;
  }

  // Swagger UI draws each operation's path as a deep link inside the button that opens the
  // operation. A link inside a button is a control screen readers and keyboards cannot reach
  // (axe: nested-interactive), so the path is drawn as text. Deep linking itself stays: the
  // address follows the open operation and a shared address opens it.
  const pathWithoutLink = function (system) {
    return {
      wrapComponents: {
        OperationSummaryPath: function (Original) {
          return function (props) {
            const operationProps = props.operationProps.set("isDeepLinkingEnabled", false);
            return system.React.createElement(
              Original,
              Object.assign({}, props, { operationProps: operationProps }),
            );
          };
        },
      },
    };
  };

  // Controls Swagger UI draws without a name, named after what they hold, and code blocks that
  // scroll made reachable by keyboard (axe: select-name, label, scrollable-region-focusable).
  // Swagger UI redraws as operations open and close, so this runs after every change.
  const nameControls = function () {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", el.closest("tr").dataset.paramName);
    });
    root.querySelectorAll("tr[data-param-name] input:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", el.closest("tr").dataset.paramName);
    });
    root.querySelectorAll("select.examples-select-element:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Examples");
    });
    root.querySelectorAll(".content-type-wrapper select:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Media type");
    });
    root.querySelectorAll("textarea:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", el.classList.contains("curl") ? "curl command" : "Request body");
    });
    root.querySelectorAll("pre:not([tabindex])").forEach(function (el) {
      el.setAttribute("tabindex", "0");
    });
  };
  new MutationObserver(nameControls).observe(root, { childList: true, subtree: true });

  SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [pathWithoutLink],
    layout: "BaseLayout",
    deepLinking: true,
    // The schema's own address is printed above; Swagger UI's validator badge would call
    // an outside service.
    validatorUrl: null,
  });
})();
