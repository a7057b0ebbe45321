// "Share link": the system share sheet where there is one (phones), else copies the address to the clipboard,
// else selects it in a text box so the reader can copy it by hand. The button stays hidden without script.
(function () {
  "use strict";
  document.querySelectorAll("button[data-share-url]").forEach(function (button) {
    var url = button.getAttribute("data-share-url");
    var title = button.getAttribute("data-share-title") || document.title;
    var status = button.parentElement.querySelector(".share-status");
    function say(text) { if (status) status.textContent = text; }

    function fallback() {
      var input = document.createElement("input");
      input.type = "text";
      input.readOnly = true;
      input.value = url;
      input.className = "share-url";
      input.setAttribute("aria-label", "Link to this webinar");
      button.parentElement.appendChild(input);
      input.select();
      say("Copy the selected link.");
    }

    function copy() {
      if (!navigator.clipboard || !navigator.clipboard.writeText) { fallback(); return; }
      navigator.clipboard.writeText(url).then(function () { say("Link copied."); }, fallback);
    }

    button.hidden = false;
    if (!navigator.share) button.textContent = "Copy link";
    button.addEventListener("click", function () {
      if (navigator.share) {
        navigator.share({ title: title, url: url }).catch(function (e) { if (e && e.name !== "AbortError") copy(); });
      } else {
        copy();
      }
    });
  });
})();
