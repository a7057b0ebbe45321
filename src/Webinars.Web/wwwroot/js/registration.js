// Attendee pages: pre-fills the registration form's zone from the browser (the form works without it), asks before a
// form marked data-confirm (cancelling a registration) is sent, and moves focus to the first error: after the server
// answered a post with errors, or when the browser finds a required field empty before sending (the server checks the
// rest, and everything again).
(function () {
  "use strict";
  var input = document.querySelector('input[data-browser-zone="fill"]');
  try { if (input) input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || input.value; } catch (e) { /* keep the server's guess */ }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  var form = document.getElementById("register-form");
  var problem = document.getElementById("register-problem");
  if (!form || !problem) return;

  function firstInvalid() {
    return form.querySelector('[aria-invalid="true"], fieldset.invalid input');
  }

  // The server answered with errors: start where the first one is, not at the top of the page.
  if (!problem.hidden) {
    var first = firstInvalid();
    (first || problem).focus();
  }

  function empty(field) {
    if (field.tagName === "FIELDSET") return !field.querySelector("input:checked");
    if (field.type === "checkbox") return !field.checked;
    return field.value.trim() === "";
  }

  function clearClientErrors() {
    form.querySelectorAll(".error[data-client]").forEach(function (e) { e.remove(); });
    form.querySelectorAll("[data-client-invalid]").forEach(function (f) {
      f.removeAttribute("data-client-invalid");
      f.removeAttribute("aria-invalid");
      f.removeAttribute("aria-describedby");
      f.classList.remove("invalid");
    });
  }

  function markMissing(field) {
    var error = document.createElement("span");
    error.className = "error";
    error.id = field.id + "-error";
    error.setAttribute("data-client", "");
    error.textContent = field.getAttribute("data-label") + " is required.";
    var after = field.tagName === "FIELDSET" ? field : field.closest("label") || field;
    var existing = document.getElementById(error.id);
    if (existing) existing.remove();
    after.insertAdjacentElement("afterend", error);
    field.setAttribute("data-client-invalid", "");
    field.setAttribute("aria-describedby", error.id);
    if (field.tagName === "FIELDSET") field.classList.add("invalid"); else field.setAttribute("aria-invalid", "true");
  }

  form.addEventListener("submit", function (e) {
    clearClientErrors();
    var missing = Array.prototype.filter.call(form.querySelectorAll("[required], fieldset[data-required]"), empty);
    if (missing.length === 0) return;
    e.preventDefault();
    missing.forEach(markMissing);
    problem.hidden = false;
    var first = missing[0];
    (first.tagName === "FIELDSET" ? first.querySelector("input") : first).focus();
  });
})();
