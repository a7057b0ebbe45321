// Attendee pages: loads the registration card of this device into the (kept, shared) announcement page — the form with
// its own antiforgery token, or "You're registered ✓" once this device opened its link; pre-fills the form's zone from
// the browser (the form works without it), asks before a form marked data-confirm (cancelling a registration) is sent,
// and moves focus to the first error: after the server answered a post with errors, or when the browser finds a
// required field empty before sending (the server checks the rest, and everything again).
(function () {
  "use strict";

  function empty(field) {
    if (field.tagName === "FIELDSET") return !field.querySelector("input:checked");
    if (field.type === "checkbox") return !field.checked;
    return field.value.trim() === "";
  }

  function guard(form, problem) {
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

    // The server answered with errors: start where the first one is, not at the top of the page.
    if (!problem.hidden) {
      var first = form.querySelector('[aria-invalid="true"], fieldset.invalid input');
      (first || problem).focus();
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
  }

  function prepare(root) {
    var input = root.querySelector('input[data-browser-zone="fill"]');
    try { if (input) input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || input.value; } catch (e) { /* keep the server's guess */ }

    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
      });
    });

    var form = root.querySelector("#register-form");
    var problem = root.querySelector("#register-problem");
    if (form && problem) guard(form, problem);
  }

  prepare(document);

  // Only the announcement's placeholder names a card; the register page's own form (say, with errors) stays.
  var placeholder = document.querySelector('section.register[data-card]:not([data-card=""])');
  if (!placeholder) return;
  fetch(placeholder.getAttribute("data-card"), { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then(function (r) { return r.ok ? r.text() : null; })
    .then(function (html) {
      if (!html) return;
      // The server's own markup (every user text in it is HTML-encoded); parsed inert, so nothing in it runs.
      var card = new DOMParser().parseFromString(html, "text/html").querySelector("section.register");
      if (!card) return;
      var imported = document.importNode(card, true);
      placeholder.replaceWith(imported);
      prepare(imported);
    })
    .catch(function () { /* the placeholder's link leads to the register page */ });
})();
