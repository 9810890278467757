// Behaviour every page shares, as a static file: the Content-Security-Policy
// allows no inline handlers (docs/operations.md, "Browser headers").
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // The language menu submits its form on change (it has no button).
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
});
