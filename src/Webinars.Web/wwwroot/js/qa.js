// Live Q&A, shared by the attendee, moderator and presenter pages: the hub connection, its state, and the
// questions held by id. User text only ever goes into the page through textContent (el below).
(function () {
  "use strict";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // A HubException's own message, without the client's "An unexpected error occurred invoking 'Ask'..." wrapper.
  function errorText(error) {
    var message = (error && error.message) || String(error);
    var at = message.indexOf("HubException: ");
    return at >= 0 ? message.substring(at + "HubException: ".length) : message;
  }

  function isRefusal(error) {
    return !!error && String(error.message || "").indexOf("HubException: ") >= 0;
  }

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes); // also where crypto.randomUUID is missing (plain http on a LAN name)
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).substring(1); }).join("");
  }

  function when(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // MessagePack unless the page asks for JSON (?protocol=json) or the MessagePack script did not load.
  function protocol() {
    var wantsJson = /[?&]protocol=json\b/.test(window.location.search);
    var msgpack = window.signalR.protocols && window.signalR.protocols.msgpack;
    return !wantsJson && msgpack ? new msgpack.MessagePackHubProtocol() : new window.signalR.JsonHubProtocol();
  }

  // Retries forever, backing off to 10 s: a webinar outlasts any outage worth giving up on.
  var retry = {
    nextRetryDelayInMilliseconds: function (context) {
      return Math.min(10000, 500 * Math.pow(2, Math.min(context.previousRetryCount, 5)));
    }
  };

  /**
   * Connects to /hubs/qa and joins the webinar. options: slug, presenterKey (the presenter link's, if any), stateElement (shows the connection state),
   * onSnapshot(questions) after every (re)join — the only source of truth after a gap —, onAdded, onChanged,
   * onVotes, onRemoved. Returns { invoke(method, ...args) → Promise, protocolName }.
   */
  function connect(options) {
    var hubProtocol = protocol();
    var connection = new window.signalR.HubConnectionBuilder()
      .withUrl(options.presenterKey ? "/hubs/qa?key=" + encodeURIComponent(options.presenterKey) : "/hubs/qa")
      .withHubProtocol(hubProtocol)
      .withAutomaticReconnect(retry)
      .withStatefulReconnect()
      .configureLogging(window.signalR.LogLevel.Warning)
      .build();

    function show(state, text) {
      var target = options.stateElement;
      target.setAttribute("data-state", state);
      target.textContent = text;
    }

    connection.on("QuestionAdded", function (q) { options.onAdded(q); });
    connection.on("QuestionChanged", function (q) { options.onChanged(q); });
    connection.on("VotesChanged", function (votes) { options.onVotes(votes); });
    connection.on("QuestionRemoved", function (id) { options.onRemoved(id); });

    function join() {
      return connection.invoke("Join", options.slug).then(function (snapshot) {
        options.onSnapshot(snapshot || []);
        show("connected", "Connected");
      });
    }

    function start() {
      show("connecting", "Connecting…");
      connection.start().then(join).catch(function (error) {
        show("offline", "Offline: " + errorText(error) + " Retrying…");
        window.setTimeout(start, 5000);
      });
    }

    connection.onreconnecting(function () { show("reconnecting", "Reconnecting…"); });
    // A new connection may have missed events: take the server's state whole, never patch from deltas.
    connection.onreconnected(function () {
      join().catch(function (error) { show("offline", "Offline: " + errorText(error)); });
    });
    connection.onclose(function () {
      show("offline", "Offline. Retrying…");
      window.setTimeout(start, 5000);
    });
    window.addEventListener("online", function () {
      if (connection.state === window.signalR.HubConnectionState.Disconnected) start();
    });

    start();
    return {
      invoke: function () { return connection.invoke.apply(connection, arguments); },
      protocolName: hubProtocol.name,
      isConnected: function () { return connection.state === window.signalR.HubConnectionState.Connected; }
    };
  }

  /**
   * What every Q&A page does to go live: connects for the webinar named by root's data-slug (with its
   * data-presenter-key, if any), keeps store as the server describes it and calls render() after each change, shows
   * the connection state in #qa-state and the protocol in root's data-protocol. afterSnapshot, if given, runs after each
   * (re)join has been rendered. Returns the connection (see connect).
   */
  function follow(root, store, render, afterSnapshot) {
    var hub = connect({
      slug: root.getAttribute("data-slug"),
      presenterKey: root.getAttribute("data-presenter-key"),
      stateElement: document.getElementById("qa-state"),
      onSnapshot: function (questions) {
        store.replace(questions);
        render();
        if (afterSnapshot) afterSnapshot();
      },
      onAdded: function (q) { store.put(q); render(); },
      onChanged: function (q) { store.put(q); render(); },
      onVotes: function (votes) { store.votes(votes); render(); },
      onRemoved: function (id) { store.remove(id); render(); }
    });
    root.setAttribute("data-protocol", hub.protocolName);
    return hub;
  }

  /** Questions by id, kept as the server last described them. */
  function Store() {
    this.byId = new Map();
  }
  Store.prototype.replace = function (questions) {
    this.byId = new Map();
    questions.forEach(function (q) { this.byId.set(q.id, q); }, this);
  };
  Store.prototype.put = function (q) { this.byId.set(q.id, q); };
  Store.prototype.remove = function (id) { this.byId.delete(id); };
  Store.prototype.votes = function (counts) {
    (counts || []).forEach(function (c) {
      var q = this.byId.get(c.id);
      if (q) this.byId.set(c.id, Object.assign({}, q, { votes: c.votes }));
    }, this);
  };
  Store.prototype.list = function (filter) {
    return Array.from(this.byId.values()).filter(filter || function () { return true; });
  };

  function byVotes(a, b) { return (b.votes - a.votes) || (a.askedAt < b.askedAt ? -1 : a.askedAt > b.askedAt ? 1 : 0); }
  function byNewest(a, b) { return a.askedAt < b.askedAt ? 1 : a.askedAt > b.askedAt ? -1 : 0; }

  // Re-rendering on every event of a vote storm would be wasted work: at most about 30 times a second.
  // (A timer, not requestAnimationFrame, which stops in a hidden tab: a presenter's screen may be one.)
  function scheduler(render) {
    var queued = false;
    return function () {
      if (queued) return;
      queued = true;
      window.setTimeout(function () { queued = false; render(); }, 30);
    };
  }

  window.Qa = {
    el: el, errorText: errorText, isRefusal: isRefusal, newId: newId, when: when, connect: connect, follow: follow, Store: Store,
    byVotes: byVotes, byNewest: byNewest, scheduler: scheduler
  };
})();
