// Staff publishing page: live preview of the recap while it is typed. The preview is the server's rendering, sanitised
// exactly as the published page will be (the same code path), so what staff see is what readers get.
(function () {
  'use strict';
  var editor = document.getElementById('markdown');
  var preview = document.getElementById('recap-preview');
  if (!editor || !preview) return;
  // The API wants the page's antiforgery token with the staff cookie (CookieApiAntiforgery); the recap form carries it.
  var tokenInput = editor.form && editor.form.querySelector('input[name="__RequestVerificationToken"]');
  var antiforgery = tokenInput ? tokenInput.value : '';
  var timer = null;
  var sent = 0;

  function render() {
    var mine = ++sent;
    fetch('/api/recap/preview', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', RequestVerificationToken: antiforgery },
      body: JSON.stringify({ markdown: editor.value })
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (!body || mine !== sent) return;
      var parsed = new DOMParser().parseFromString(body.html, 'text/html');
      preview.replaceChildren.apply(preview, Array.prototype.slice.call(parsed.body.childNodes));
    }).catch(function () { /* the saved preview stays; saving still works */ });
  }

  editor.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
})();
