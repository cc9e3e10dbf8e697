/* Sangsaeng: the small behaviours that templates ask for with data attributes, so that no page needs
   an inline script, handler or style (Content-Security-Policy: script-src 'self', style-src 'self').
   - data-autosubmit        on a <select>: send its form when the choice changes
   - data-print             on a button: print the page
   - data-select-on-focus   on an input: select its text when clicked or focused (copy a token)
   - data-bar-width="42"    on a bar: its width in percent (set through the CSSOM, which CSP allows)
   Content swapped in by htmx gets the same treatment (htmx:load). */
(function () {
  "use strict";

  function applyWidths(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-bar-width]") : [];
    if (root.matches && root.matches("[data-bar-width]")) bars = [root].concat(Array.prototype.slice.call(bars));
    Array.prototype.forEach.call(bars, function (bar) {
      var value = parseFloat(bar.getAttribute("data-bar-width"));
      if (!isNaN(value)) bar.style.width = Math.max(0, Math.min(100, value)) + "%";
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      if (target.form.requestSubmit) target.form.requestSubmit(); else target.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    if (target.closest("[data-print]")) window.print();
    var select = target.closest("[data-select-on-focus]");
    if (select) select.select();
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  document.addEventListener("htmx:load", function (event) { applyWidths(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  } else {
    applyWidths(document);
  }
})();
