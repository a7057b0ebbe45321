// Staff pages: confirm before cancelling, focus on the error summary after a failed save, and the live preview of a
// webinar's times while its form is edited, with a clock change (DST gap or overlap) explained once, next to the start,
// in the browser's own time format, with its fixes as buttons.
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  var form = document.getElementById("webinar-form");
  var preview = document.getElementById("preview");
  if (!form || !preview) return;
  var change = document.getElementById("f-localStart-change");
  var start = document.getElementById("f-localStart");
  var offset = document.getElementById("f-offset");
  var offsetFromChoice = false;

  function value(name) {
    var el = form.elements.namedItem(name);
    return el && el.value !== "" ? el.value : null;
  }

  function body() {
    var minutes = value("Input.DurationMinutes");
    return {
      hostZone: value("Input.HostZone"),
      localStart: value("Input.LocalStart"),
      offset: value("Input.Offset"),
      durationMinutes: minutes === null || isNaN(Number(minutes)) ? null : Number(minutes),
      displayZones: (value("DisplayZonesText") || "").split(/[\s,;]+/).filter(Boolean)
    };
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function show(nodes) {
    preview.replaceChildren.apply(preview, nodes);
  }

  function render(result) {
    var list = el("dl", undefined, "zones");
    result.displayTimes.forEach(function (t) {
      var row = el("div", undefined, "zone-row");
      var dt = el("dt", t.zone.replace(/_/g, " ") + " ");
      dt.appendChild(el("abbr", t.abbreviation, "abbr"));
      row.appendChild(dt);
      row.appendChild(el("dd", t.text));
      list.appendChild(row);
    });
    show([el("p", result.headline, "headline"), list]);
    showChange(null);
    clearStartErrors();
  }

  // Local date-times arrive as "2027-03-14T02:30": worded in UTC so the browser's own zone shifts nothing.
  function localDate(iso) {
    var p = iso.split(/[-T:]/).map(Number);
    return new Date(Date.UTC(p[0], p[1] - 1, p[2], p[3], p[4]));
  }
  var clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZone: "UTC" });
  var day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
  // Newer ICU puts a narrow no-break space before AM/PM; a plain one reads the same and matches what people type.
  function time(iso) { return clock.format(localDate(iso)).replace(/\u202f/g, " "); }

  function button(text, attribute, value) {
    var b = el("button", text, "button small secondary");
    b.type = "button";
    b.setAttribute(attribute, value);
    return b;
  }

  function showChange(c) {
    if (!change) return;
    if (!c) { change.replaceChildren(); return; }
    var when = time(c.localStart) + " on " + day.format(localDate(c.localStart));
    var clocks = " clocks " + (c.kind === "gap" ? "jump" : "go back") + " from " + time(c.clocksFrom) + " to " + time(c.clocksTo) +
      " (" + c.before + " \u2192 " + c.after + ").";
    var sentence = c.kind === "gap"
      ? when + " does not exist in " + c.zone + ":" + clocks
      : when + " happens twice in " + c.zone + ":" + clocks + " Which one?";
    var actions = el("p", undefined, "actions");
    if (c.suggestion) actions.appendChild(button("Use " + time(c.suggestion), "data-local-start", c.suggestion));
    (c.choices || []).forEach(function (choice, i) {
      actions.appendChild(button((i === 0 ? "first " : "second ") + time(c.localStart) + " " + choice.abbreviation, "data-offset", choice.offset));
    });
    change.replaceChildren(el("p", sentence), actions);
  }

  // Once the preview finds the start valid, what the last save said about it is out of date.
  function clearStartErrors() {
    ["localStart", "offset"].forEach(function (name) {
      var error = document.getElementById("f-" + name + "-error");
      if (error) error.remove();
      var input = document.getElementById("f-" + name);
      if (input) {
        input.removeAttribute("aria-invalid");
        var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return document.getElementById(id); });
        if (ids.length) input.setAttribute("aria-describedby", ids.join(" ")); else input.removeAttribute("aria-describedby");
        if (input.parentElement) input.parentElement.classList.remove("invalid");
      }
    });
    if (!summary) return;
    summary.querySelectorAll('a[href="#f-localStart"], a[href="#f-offset"]').forEach(function (a) { a.parentElement.remove(); });
    if (!summary.querySelector("li")) summary.hidden = true;
  }

  function renderProblem(problem) {
    var items = el("ul");
    var errors = problem.errors || {};
    var c = problem.clockChange || null;
    showChange(c);
    // Only the fields that decide the times; the rest is checked on save. A clock change is explained next to the start.
    (c ? ["hostZone", "durationMinutes"] : ["hostZone", "localStart", "offset", "durationMinutes"]).concat(Object.keys(errors).filter(function (k) {
      return k.indexOf("displayZones") === 0;
    })).forEach(function (k) {
      (errors[k] || []).forEach(function (m) { items.appendChild(el("li", m)); });
    });
    if (c && !items.firstChild) {
      show([el("p", "Choose one of the times next to the start field to see the times here.", "hint")]);
      return;
    }
    show([el("p", "Cannot show the times yet:", "preview-problem"), items]);
  }

  var tokenInput = form.querySelector('input[name="__RequestVerificationToken"]');
  var antiforgery = tokenInput ? tokenInput.value : "";

  var timer = null;
  var latest = 0;
  function refresh() {
    var request = ++latest;
    var input = body();
    if (!input.hostZone || !input.localStart) {
      show([el("p", "Enter the host time zone and the start to see the times in every display zone.", "hint")]);
      return;
    }
    fetch(preview.getAttribute("data-endpoint"), {
      method: "POST",
      credentials: "same-origin",
      // The API wants the page's antiforgery token with the staff cookie (CookieApiAntiforgery).
      headers: { "Content-Type": "application/json", Accept: "application/json", RequestVerificationToken: antiforgery },
      body: JSON.stringify(input)
    }).then(function (r) {
      return r.json().then(function (json) { return { ok: r.ok, json: json }; });
    }).then(function (r) {
      if (request !== latest) return; // a newer edit is on its way
      if (r.ok) render(r.json); else renderProblem(r.json);
    }).catch(function () { /* saving still validates */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  }

  // A fix chosen from the clock change fills the field it belongs to; focus goes back to the start, as the buttons go.
  if (change) {
    change.addEventListener("click", function (e) {
      var b = e.target.closest("button");
      if (!b) return;
      if (b.hasAttribute("data-local-start")) start.value = b.getAttribute("data-local-start");
      if (b.hasAttribute("data-offset") && offset) { offset.value = b.getAttribute("data-offset"); offsetFromChoice = true; }
      start.focus();
      refresh();
    });
  }

  form.addEventListener("input", function (e) {
    // An offset picked for one ambiguous time means nothing for another.
    if (offsetFromChoice && offset && (e.target === start || e.target.name === "Input.HostZone")) { offset.value = ""; offsetFromChoice = false; }
    schedule();
  });
  form.addEventListener("change", schedule);

  // Moving an announced webinar emails everyone registered: say how many before it happens.
  var told = Number(form.getAttribute("data-registrants") || "0");
  form.addEventListener("submit", function (e) {
    var moved = ["Input.HostZone", "Input.LocalStart", "Input.Offset", "Input.DurationMinutes"].some(function (name) {
      var input = form.elements.namedItem(name);
      return input && input.value !== input.defaultValue;
    });
    if (told > 0 && moved && !window.confirm("This will tell " + told + " registrant" + (told === 1 ? "" : "s") +
      " by email that the time changed. Save the new time?")) e.preventDefault();
  });
  refresh();
})();
