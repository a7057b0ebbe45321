// Staff pages: confirm before cancelling, and the live preview of a webinar's times while its form is edited.
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  var form = document.getElementById("webinar-form");
  var preview = document.getElementById("preview");
  if (!form || !preview) return;

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
  }

  function renderProblem(problem) {
    var items = el("ul");
    var errors = problem.errors || {};
    // Only the fields that decide the times; the rest is checked on save.
    ["hostZone", "localStart", "offset", "durationMinutes"].concat(Object.keys(errors).filter(function (k) {
      return k.indexOf("displayZones") === 0;
    })).forEach(function (k) {
      (errors[k] || []).forEach(function (m) { items.appendChild(el("li", m)); });
    });
    var nodes = [el("p", "Cannot show the times yet:", "preview-problem"), items];
    if (problem.alternatives && problem.alternatives.length) {
      var alts = el("ul", undefined, "alternatives");
      problem.alternatives.forEach(function (a) { alts.appendChild(el("li", a)); });
      nodes.push(el("p", "Valid choices:"), alts);
    }
    show(nodes);
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

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  refresh();
})();
