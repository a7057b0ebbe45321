// The attendee's live page: ask (3–500 characters, optionally anonymous), upvote, and the approved questions
// sorted by votes or newest; the attendee's own pending questions show as "awaiting moderation".
(function () {
  "use strict";

  var root = document.getElementById("qa");
  if (!root || !window.Qa || !window.signalR) return;
  var Qa = window.Qa;
  var slug = root.getAttribute("data-slug");
  var form = document.getElementById("ask-form");
  var text = document.getElementById("ask-text");
  var anonymous = document.getElementById("ask-anonymous");
  var submit = document.getElementById("ask-submit");
  var counter = document.getElementById("ask-counter");
  var feedback = document.getElementById("ask-feedback");
  var list = document.getElementById("questions");
  var empty = document.getElementById("questions-empty");
  var sortButtons = { votes: document.getElementById("sort-votes"), newest: document.getElementById("sort-newest") };
  var Min = 3, Max = 500;

  var store = new Qa.Store();
  var sort = "votes";
  var votedKey = "qa.voted." + slug;
  var voted = new Set(readVoted());
  var pendingAsk = null; // sent but not acknowledged: resent with the same id after a reconnect

  function readVoted() {
    try { return JSON.parse(window.localStorage.getItem(votedKey) || "[]"); } catch (e) { return []; }
  }

  function saveVoted() {
    try { window.localStorage.setItem(votedKey, JSON.stringify(Array.from(voted))); } catch (e) { /* private mode */ }
  }

  function visible(q) {
    if (q.mergedInto) return false;
    return q.status === "Approved" || q.status === "Answered" || (q.mine && q.status === "Pending");
  }

  function say(message, kind) {
    feedback.textContent = message;
    feedback.className = "qa-feedback" + (kind ? " " + kind : "");
  }

  function updateCounter() {
    var length = text.value.trim().length;
    counter.textContent = length + " / " + Max;
    var ok = length >= Min && length <= Max;
    counter.className = "counter" + (length > Max ? " over" : "");
    submit.disabled = !ok || pendingAsk !== null;
  }

  function voteButton(q) {
    var mine = voted.has(q.id);
    var button = Qa.el("button", "▲ " + q.votes, "vote" + (mine ? " voted" : ""));
    button.type = "button";
    button.setAttribute("aria-pressed", mine ? "true" : "false");
    button.setAttribute("aria-label", (mine ? "Remove your vote" : "Upvote") + " (" + q.votes + " votes)");
    button.addEventListener("click", function () { toggleVote(q.id); });
    return button;
  }

  function item(q) {
    var li = Qa.el("li", undefined, "question status-" + q.status.toLowerCase() + (q.pinned ? " pinned" : ""));
    li.setAttribute("data-id", q.id);
    li.appendChild(voteButton(q));
    var body = Qa.el("div", undefined, "q-body");
    body.appendChild(Qa.el("p", q.text, "q-text"));
    var meta = Qa.el("p", undefined, "q-meta");
    meta.appendChild(Qa.el("span", q.anonymous || !q.author ? "Anonymous" : q.author, "q-author"));
    meta.appendChild(Qa.el("span", Qa.when(q.askedAt), "q-time"));
    if (q.pinned) meta.appendChild(Qa.el("span", "Being answered", "badge pinned"));
    if (q.status === "Answered") meta.appendChild(Qa.el("span", "Answered", "badge answered"));
    if (q.mine && q.status === "Pending") meta.appendChild(Qa.el("span", "awaiting moderation", "badge awaiting"));
    if (q.mine) meta.appendChild(Qa.el("span", "yours", "badge mine"));
    body.appendChild(meta);
    if (q.answer) body.appendChild(Qa.el("p", q.answer, "q-answer"));
    li.appendChild(body);
    return li;
  }

  var render = Qa.scheduler(function () {
    var questions = store.list(visible).sort(sort === "votes" ? Qa.byVotes : Qa.byNewest);
    list.replaceChildren.apply(list, questions.map(item));
    empty.hidden = questions.length > 0;
  });

  function toggleVote(id) {
    var removing = voted.has(id);
    hub.invoke(removing ? "RemoveVote" : "Upvote", id).then(function (q) {
      if (removing) voted.delete(id); else voted.add(id);
      saveVoted();
      store.put(q);
      render();
    }).catch(function (error) { say(Qa.errorText(error), "error"); });
  }

  function send() {
    var ask = pendingAsk;
    submit.disabled = true;
    say("Sending…", "progress");
    hub.invoke("Ask", ask.id, ask.text, ask.anonymous).then(function (q) {
      pendingAsk = null;
      store.put(q);
      text.value = "";
      say(q.status === "Pending" ? "Sent. Your question is awaiting moderation." : "Sent.", "ok");
      updateCounter();
      render();
    }).catch(function (error) {
      if (Qa.isRefusal(error)) {
        pendingAsk = null; // refused: nothing was saved
        say(Qa.errorText(error), "error");
      } else {
        say("Not sent yet: the connection dropped. It is sent again when the connection is back.", "error");
      }
      updateCounter();
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var value = text.value.trim();
    if (value.length < Min || value.length > Max || pendingAsk) return;
    pendingAsk = { id: Qa.newId(), text: value, anonymous: anonymous.checked };
    send();
  });
  text.addEventListener("input", updateCounter);

  Object.keys(sortButtons).forEach(function (key) {
    sortButtons[key].addEventListener("click", function () {
      sort = key;
      Object.keys(sortButtons).forEach(function (k) { sortButtons[k].setAttribute("aria-pressed", k === key ? "true" : "false"); });
      render();
    });
  });

  var hub = Qa.follow(root, store, render, function () {
    if (pendingAsk) send();
  });
  updateCounter();
})();
