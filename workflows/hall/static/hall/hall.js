/* The ticket page's print button (no inline handlers: CSP). */
"use strict";
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
