// Starts ReDoc from a file (no inline script), with the page's CSP nonce for its styles.
(function () {
  "use strict";
  var root = document.getElementById("redoc");
  Redoc.init(root.dataset.openapiUrl, { nonce: root.nonce }, root);
})();
