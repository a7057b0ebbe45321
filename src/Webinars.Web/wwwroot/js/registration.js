// Attendee pages: pre-fills the registration form's zone from the browser (the form works without it) and asks
// before a form marked data-confirm (cancelling a registration) is sent.
(function () {
  "use strict";
  var input = document.querySelector('input[data-browser-zone="fill"]');
  try { if (input) input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || input.value; } catch (e) { /* keep the server's guess */ }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
})();
