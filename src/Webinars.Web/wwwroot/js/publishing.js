// Staff publishing page: live preview of the recap while it is typed. The preview is the server's rendering, sanitised
// exactly as the published page will be (the same code path), so what staff see is what readers get.
(function () {
  'use strict';
  var editor = document.getElementById('markdown');
  var preview = document.getElementById('recap-preview');
  if (!editor || !preview) return;
  var timer = null;
  var sent = 0;

  function render() {
    var mine = ++sent;
    fetch('/api/recap/preview', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
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
