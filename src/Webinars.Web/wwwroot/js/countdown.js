// Keeps a confirmed attendee's countdown current from the browser's clock: "Starts in 2 days 3 hours", then
// "Live now — join" (a link to the live page) from the start to the end, then "This webinar has ended."
// The wording matches Time/Countdown.cs, which writes the first state on the server.
(function () {
  "use strict";
  var MINUTE = 60000, HOUR = 60 * MINUTE, DAY = 24 * HOUR;

  function unit(n, name) { return n + " " + name + (n === 1 ? "" : "s"); }

  function left(ms) {
    if (ms < MINUTE) return "less than a minute";
    var days = Math.floor(ms / DAY), hours = Math.floor((ms % DAY) / HOUR), minutes = Math.floor((ms % HOUR) / MINUTE);
    if (days > 0) return unit(days, "day") + (hours > 0 ? " " + unit(hours, "hour") : "");
    if (hours > 0) return unit(hours, "hour") + (minutes > 0 ? " " + unit(minutes, "minute") : "");
    return unit(minutes, "minute");
  }

  function show(el, state, text) {
    if (el.getAttribute("data-state") === state + text) return; // unchanged: leave the live region quiet
    el.setAttribute("data-state", state + text);
    el.replaceChildren();
    if (state === "live") {
      var a = document.createElement("a");
      a.className = "button live";
      a.href = el.getAttribute("data-join");
      a.textContent = "Live now \u2014 join";
      el.appendChild(a);
    } else {
      var span = document.createElement("span");
      span.className = "until";
      span.textContent = text;
      el.appendChild(span);
    }
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var start = Date.parse(el.getAttribute("data-start")), end = Date.parse(el.getAttribute("data-end"));
      if (isNaN(start) || isNaN(end)) return;
      if (now >= end) show(el, "ended", "This webinar has ended.");
      else if (now >= start) show(el, "live", "");
      else show(el, "until", "Starts in " + left(start - now));
    });
  }

  if (!document.querySelector("[data-countdown]")) return;
  tick();
  setInterval(tick, 15000);
})();
