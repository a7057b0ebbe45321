// The presenter's view: the pinned question large on top, then the approved queue by votes. Read-only.
(function () {
  "use strict";

  var root = document.getElementById("present");
  if (!root || !window.Qa || !window.signalR) return;
  var Qa = window.Qa;
  var pinned = document.getElementById("present-pinned");
  var queue = document.getElementById("present-queue");
  var empty = document.getElementById("present-empty");
  var store = new Qa.Store();

  function card(q, cls) {
    var li = Qa.el(cls === "pinned" ? "div" : "li", undefined, "present-question " + cls);
    li.setAttribute("data-id", q.id);
    li.appendChild(Qa.el("p", q.text, "q-text"));
    var meta = Qa.el("p", undefined, "q-meta");
    meta.appendChild(Qa.el("span", q.anonymous || !q.author ? "Anonymous" : q.author, "q-author"));
    meta.appendChild(Qa.el("span", "▲ " + q.votes, "q-votes"));
    li.appendChild(meta);
    return li;
  }

  var render = Qa.scheduler(function () {
    var live = store.list(function (q) { return !q.mergedInto && (q.status === "Approved" || q.status === "Answered"); });
    var top = live.filter(function (q) { return q.pinned; })[0];
    pinned.replaceChildren.apply(pinned, top ? [Qa.el("h2", "Now answering", "present-label"), card(top, "pinned")] : []);
    pinned.hidden = !top;
    var waiting = live.filter(function (q) { return q.status === "Approved" && !q.pinned; }).sort(Qa.byVotes);
    queue.replaceChildren.apply(queue, waiting.map(function (q) { return card(q, "queued"); }));
    empty.hidden = waiting.length > 0;
  });

  Qa.follow(root, store, render);
})();
