// The moderator console: every question with who asked, filters by status with counts, the actions on each,
// and keyboard shortcuts (listed on the page). Actions go through the hub; the answers come back as events.
(function () {
  "use strict";

  var root = document.getElementById("moderate");
  if (!root || !window.Qa || !window.signalR) return;
  var Qa = window.Qa;
  var list = document.getElementById("mod-questions");
  var empty = document.getElementById("mod-empty");
  var feedback = document.getElementById("mod-feedback");
  var filters = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var store = new Qa.Store();
  var filter = "Pending";
  var selectedId = null;
  var drafts = new Map(); // answer text being typed, by question id: survives re-rendering

  function category(q) { return q.mergedInto ? "Merged" : q.status; }

  function matches(q) { return filter === "All" || category(q) === filter; }

  function say(message, kind) {
    feedback.textContent = message;
    feedback.className = "qa-feedback" + (kind ? " " + kind : "");
  }

  function act(method, args, done) {
    say(method + "…", "progress");
    return hub.invoke.apply(hub, [method].concat(args)).then(function (q) {
      store.put(q);
      say(method + ": done.", "ok");
      if (done) done();
      render();
    }).catch(function (error) { say(method + ": " + Qa.errorText(error), "error"); });
  }

  function button(label, cls, onClick, shortcut) {
    var b = Qa.el("button", label, "button small " + cls);
    b.type = "button";
    if (shortcut) b.setAttribute("aria-keyshortcuts", shortcut);
    b.addEventListener("click", onClick);
    return b;
  }

  function answer(q) {
    var text = (drafts.get(q.id) || "").trim();
    return act("MarkAnswered", [q.id, text.length ? text : null], function () { drafts.delete(q.id); });
  }

  function actions(q) {
    var box = Qa.el("div", undefined, "q-actions");
    if (q.mergedInto) {
      box.appendChild(button("Unmerge", "unmerge", function () { act("Unmerge", [q.id]); }, "U"));
      return box;
    }
    if (q.status === "Pending") box.appendChild(button("Approve", "approve", function () { act("Approve", [q.id]); }, "A"));
    if (q.status === "Pending" || q.status === "Approved" || q.status === "Answered") {
      box.appendChild(button("Dismiss", "dismiss", function () { act("Dismiss", [q.id]); }, "D"));
    }
    if (q.status === "Dismissed" || q.status === "Answered") box.appendChild(button("Restore", "restore", function () { act("Restore", [q.id]); }, "R"));
    if (q.status === "Approved" || q.status === "Answered") {
      box.appendChild(q.pinned
        ? button("Unpin", "unpin", function () { act("Unpin", [q.id]); }, "P")
        : button("Pin", "pin", function () { act("Pin", [q.id]); }, "P"));
    }
    if (q.status === "Pending" || q.status === "Approved") {
      var answerBox = Qa.el("input", undefined, "answer-text");
      answerBox.type = "text";
      answerBox.maxLength = 2000;
      answerBox.placeholder = "Written answer (optional)";
      answerBox.setAttribute("aria-label", "Written answer (optional)");
      answerBox.setAttribute("data-role", "answer");
      answerBox.value = drafts.get(q.id) || "";
      answerBox.addEventListener("input", function () { drafts.set(q.id, answerBox.value); });
      answerBox.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); answer(q); }
      });
      box.appendChild(answerBox);
      box.appendChild(button("Mark answered", "answer", function () { answer(q); }, "M"));
    }
    var targets = store.list(function (o) { return o.id !== q.id && !o.mergedInto && o.status !== "Dismissed"; });
    if (targets.length && q.status !== "Dismissed") {
      var select = Qa.el("select", undefined, "merge-into");
      select.setAttribute("aria-label", "Merge into");
      select.setAttribute("data-role", "merge");
      select.appendChild(Qa.el("option", "Merge into…"));
      select.firstChild.value = "";
      targets.sort(Qa.byVotes).forEach(function (o) {
        var option = Qa.el("option", o.text.length > 60 ? o.text.substring(0, 60) + "…" : o.text);
        option.value = o.id;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        if (select.value) act("Merge", [q.id, select.value]);
      });
      box.appendChild(select);
    }
    return box;
  }

  function item(q) {
    var li = Qa.el("li", undefined, "question status-" + q.status.toLowerCase() + (q.pinned ? " pinned" : "") + (q.id === selectedId ? " selected" : ""));
    li.setAttribute("data-id", q.id);
    li.setAttribute("aria-selected", q.id === selectedId ? "true" : "false");
    li.tabIndex = -1;
    li.addEventListener("click", function (e) {
      if (e.target === li || e.target.closest(".q-body")) select(q.id);
    });
    var body = Qa.el("div", undefined, "q-body");
    body.appendChild(Qa.el("p", q.text, "q-text"));
    var meta = Qa.el("p", undefined, "q-meta");
    meta.appendChild(Qa.el("span", q.author || "(no name)", "q-author"));
    if (q.anonymous) meta.appendChild(Qa.el("span", "anonymous to attendees", "badge"));
    meta.appendChild(Qa.el("span", Qa.when(q.askedAt), "q-time"));
    meta.appendChild(Qa.el("span", q.votes + (q.votes === 1 ? " vote" : " votes"), "q-votes"));
    meta.appendChild(Qa.el("span", q.status, "badge status"));
    if (q.pinned) meta.appendChild(Qa.el("span", "Pinned", "badge pinned"));
    if (q.mergedInto) {
      var into = store.byId.get(q.mergedInto);
      meta.appendChild(Qa.el("span", "Merged into: " + (into ? into.text : q.mergedInto), "badge merged"));
    }
    body.appendChild(meta);
    if (q.answer) body.appendChild(Qa.el("p", q.answer, "q-answer"));
    li.appendChild(body);
    li.appendChild(actions(q));
    return li;
  }

  function shown() {
    return store.list(matches).sort(filter === "Pending" ? function (a, b) { return Qa.byNewest(b, a); } : Qa.byVotes);
  }

  function renderCounts() {
    var counts = { Pending: 0, Approved: 0, Answered: 0, Dismissed: 0, Merged: 0, All: 0 };
    store.list().forEach(function (q) { counts[category(q)] += 1; counts.All += 1; });
    filters.forEach(function (b) {
      var key = b.getAttribute("data-filter");
      b.setAttribute("aria-pressed", key === filter ? "true" : "false");
      var count = b.querySelector(".count");
      if (count) count.textContent = String(counts[key]);
    });
  }

  var render = Qa.scheduler(function () {
    // Keep focus and caret where the moderator was typing: the list is rebuilt from the store.
    var active = document.activeElement;
    var activeItem = active && active.closest ? active.closest("#mod-questions li") : null;
    var focus = activeItem ? { id: activeItem.getAttribute("data-id"), role: active.getAttribute("data-role"), caret: active.selectionStart } : null;
    var questions = shown();
    if (selectedId && !questions.some(function (q) { return q.id === selectedId; })) selectedId = questions.length ? questions[0].id : null;
    if (!selectedId && questions.length) selectedId = questions[0].id;
    list.replaceChildren.apply(list, questions.map(item));
    empty.hidden = questions.length > 0;
    renderCounts();
    if (focus) {
      var again = list.querySelector("li[data-id='" + focus.id + "']");
      var target = again && (focus.role ? again.querySelector("[data-role='" + focus.role + "']") : again);
      if (target) {
        target.focus();
        if (typeof focus.caret === "number" && target.setSelectionRange) target.setSelectionRange(focus.caret, focus.caret);
      }
    }
  });

  function select(id) {
    selectedId = id;
    render();
    window.setTimeout(function () {
      var li = list.querySelector("li[data-id='" + id + "']");
      if (li) { li.focus(); li.scrollIntoView({ block: "nearest" }); }
    }, 40);
  }

  function move(step) {
    var questions = shown();
    if (!questions.length) return;
    var at = questions.findIndex(function (q) { return q.id === selectedId; });
    select(questions[Math.max(0, Math.min(questions.length - 1, at + step))].id);
  }

  function setFilter(key) {
    filter = key;
    selectedId = null;
    render();
  }

  filters.forEach(function (b) { b.addEventListener("click", function () { setFilter(b.getAttribute("data-filter")); }); });

  var filterKeys = { "1": "Pending", "2": "Approved", "3": "Answered", "4": "Dismissed", "5": "Merged", "6": "All" };
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = e.target && e.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
      if (e.key === "Escape") { e.target.blur(); select(selectedId); }
      return;
    }
    var q = selectedId ? store.byId.get(selectedId) : null;
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    var handled = true;
    if (key === "j" || key === "ArrowDown") move(1);
    else if (key === "k" || key === "ArrowUp") move(-1);
    else if (filterKeys[key]) setFilter(filterKeys[key]);
    else if (!q) handled = false;
    else if (key === "a") act("Approve", [q.id]);
    else if (key === "d") act("Dismiss", [q.id]);
    else if (key === "r") act("Restore", [q.id]);
    else if (key === "m") answer(q);
    else if (key === "p") act(q.pinned ? "Unpin" : "Pin", [q.id]);
    else if (key === "u") act("Unmerge", [q.id]);
    else if (key === "e" || key === "g") {
      var field = list.querySelector("li[data-id='" + q.id + "'] [data-role='" + (key === "e" ? "answer" : "merge") + "']");
      if (field) field.focus(); else handled = false;
    } else handled = false;
    if (handled) e.preventDefault();
  });

  var hub = Qa.follow(root, store, render);
})();
