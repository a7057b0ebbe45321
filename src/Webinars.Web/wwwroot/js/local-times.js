// "Your time": remembers the browser's zone in the tz cookie (so the next page is rendered with it on the server)
// and fills in the reader's time where the server could not, from GET /api/webinars/{slug}?tz=<zone>.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = null; }
  if (!zone) return;

  var explicit = new URLSearchParams(window.location.search).has("tz");
  if (!explicit) {
    document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
  }

  document.querySelectorAll(".times[data-slug]").forEach(function (times) {
    var target = times.querySelector(".your-time");
    if (!target) return;
    var serverZone = target.getAttribute("data-server-zone");
    // The server already wrote it: for this zone, or for the zone asked for with ?tz=.
    if (serverZone && (serverZone === zone || explicit)) return;

    var url = "/api/webinars/" + encodeURIComponent(times.getAttribute("data-slug")) + "?tz=" + encodeURIComponent(zone);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (w) {
        if (!w || !w.viewerTime) return;
        target.textContent = w.viewerTime.text + " (" + w.viewerTime.zone.replace(/_/g, " ") + ")";
        target.setAttribute("data-server-zone", w.viewerTime.zone);
        var hint = times.querySelector(".viewer .hint");
        if (hint) hint.remove();
      })
      .catch(function () { /* the page still shows the host and display zones */ });
  });
})();
