// Attendee pages: loads the registration card of this device into the (kept, shared) announcement page — the form with
// its own antiforgery token, or "You're registered ✓" once this device opened its link; pre-fills the form's zone from
// the browser (the form works without it) and asks before a form marked data-confirm (cancelling a registration) is sent.
(function () {
  "use strict";

  function prepare(root) {
    var input = root.querySelector('input[data-browser-zone="fill"]');
    try { if (input) input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || input.value; } catch (e) { /* keep the server's guess */ }

    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
      });
    });
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
