// The 报销单 page's print button: pages carry no inline script (CSP), so it is bound here.
"use strict";
document.getElementById("print-button")?.addEventListener("click", () => window.print());
