/* Money inputs show thousands separators while typing (1234567 → 1,234,567), as Korean users expect.
   Applies to <input data-money> and to every input whose name ends in "_krw" (amounts are integer
   KRW everywhere). A number input becomes a text input with a numeric keyboard so it can hold the
   commas; the separators are removed again when the form is sent, so the server gets plain digits
   (it also accepts "1,234,567"). Served as a static file: no inline script (Content-Security-Policy). */
(function () {
  "use strict";

  var SELECTOR = "input[data-money], input[name$='_krw']";

  function digits(value) {
    return String(value).replace(/[^0-9-]/g, "").replace(/(?!^)-/g, "");
  }

  function grouped(raw) {
    if (raw === "" || raw === "-") return raw;
    var sign = raw.charAt(0) === "-" ? "-" : "";
    var body = raw.replace("-", "").replace(/^0+(?=\d)/, "");
    return sign + body.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function prepare(input) {
    if (input.dataset.moneyReady) return;
    input.dataset.moneyReady = "1";
    if (input.type === "number") {
      input.type = "text";
    }
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("autocomplete", "off");
    if (input.value) input.value = grouped(digits(input.value));
  }

  function prepareAll(root) {
    if (!root.querySelectorAll) return;
    Array.prototype.forEach.call(root.querySelectorAll(SELECTOR), prepare);
    if (root.matches && root.matches(SELECTOR)) prepare(root);
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(SELECTOR) || !input.dataset.moneyReady) return;
    // Keep the caret after the same number of digits it followed before the commas moved.
    var caret = input.selectionStart === null ? input.value.length : input.selectionStart;
    var digitsBefore = digits(input.value.slice(0, caret)).length;
    var formatted = grouped(digits(input.value));
    if (formatted === input.value) return;
    input.value = formatted;
    var position = 0;
    var seen = 0;
    while (position < formatted.length && seen < digitsBefore) {
      if (/[0-9-]/.test(formatted.charAt(position))) seen += 1;
      position += 1;
    }
    if (input.setSelectionRange) input.setSelectionRange(position, position);
  });

  function strip(form) {
    Array.prototype.forEach.call(form.querySelectorAll(SELECTOR), function (input) {
      if (input.dataset.moneyReady) input.value = digits(input.value);
    });
  }

  // Capture phase: runs before htmx or the browser collect the form's values.
  document.addEventListener("submit", function (event) {
    if (event.target && event.target.querySelectorAll) strip(event.target);
  }, true);

  document.addEventListener("htmx:load", function (event) { prepareAll(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { prepareAll(document); });
  } else {
    prepareAll(document);
  }
})();
