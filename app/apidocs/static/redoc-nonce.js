// Loaded before the ReDoc bundle: every <style> element the bundle creates carries the page's
// CSP nonce. Its style loaders run at load time, before ReDoc's own `nonce` option applies,
// and would otherwise be refused (then styled-components fails outright). Scripts stay 'self'.
(function () {
  "use strict";
  // Read through the `nonce` property: browsers hide the attribute from scripts once parsed.
  var nonce = document.getElementById("redoc").nonce;
  var createElement = document.createElement;
  document.createElement = function (tagName, options) {
    var element = createElement.call(document, tagName, options);
    if (String(tagName).toLowerCase() === "style") {
      element.setAttribute("nonce", nonce);
    }
    return element;
  };
})();
