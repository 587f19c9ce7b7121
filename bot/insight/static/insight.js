/* Harbour insight page: signs in with a token kept in sessionStorage (never in the URL),
 * asks /insight/api for the suppressed figures and draws them as inline SVG. Every label
 * is set with textContent, so a school or topic name is always shown as text. */
(function () {
  "use strict";
  var KEY = "harbour-insight-token";
  var SVG = "http://www.w3.org/2000/svg";
  var $ = function (id) { return document.getElementById(id); };
  var loadedChoices = false;

  var NAMES = {
    conversation: "Conversations", answer: "Answers", clarify: "Clarifying questions", fallback: "Not understood",
    crisis_danger: "Danger", crisis_possible: "Possible danger", helpful_yes: "Helpful: yes",
    helpful_no: "Helpful: no", clicks: "Service-card clicks", quick_exit: "Quick exits", clear_chat: "Clear chat"
  };

  function token() { try { return sessionStorage.getItem(KEY); } catch (e) { return null; } }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function show(value) { return typeof value === "number" ? value.toLocaleString("en-GB") : String(value); }
  function pct(value) { return value === null || value === undefined ? "not shown" : Math.round(value * 100) + "%"; }

  function query() {
    var form = $("filters"), params = new URLSearchParams();
    ["start", "end", "school", "region"].forEach(function (name) {
      if (form.elements[name].value) { params.set(name, form.elements[name].value); }
    });
    return params.toString();
  }

  function request(path) {
    return fetch(path + "?" + query(), { headers: { Authorization: "Bearer " + token() }, credentials: "omit", cache: "no-store" });
  }

  function signedOut(message) {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
    $("board").hidden = true;
    $("signin").hidden = false;
    $("report").textContent = "";
    loadedChoices = false;
    var hint = $("signin").querySelector(".hint");
    if (message) { hint.textContent = message; hint.classList.add("error"); }
    $("token").focus();
  }

  function load() {
    $("status").textContent = "Loading…";
    $("status").classList.remove("error");
    request("/insight/api").then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (body) {
        if (reply.status === 401) { signedOut(body.error || "That token was not accepted."); return; }
        if (!reply.ok) {
          $("status").textContent = body.error || "Something went wrong.";
          $("status").classList.add("error");
          return;
        }
        $("signin").hidden = true;
        $("board").hidden = false;
        choices(body);
        render(body);
        $("status").textContent = "Showing " + body.range.start + " to " + body.range.end + ".";
      });
    }).catch(function () {
      $("status").textContent = "Harbour could not be reached. Please try again.";
      $("status").classList.add("error");
    });
  }

  function choices(report) {
    if (loadedChoices) { return; }
    loadedChoices = true;
    var school = $("school"), region = $("region");
    school.textContent = ""; region.textContent = "";
    if (report.viewer.operator) { school.appendChild(el("option", { value: "" }, "All schools")); }
    report.choices.schools.forEach(function (s) { school.appendChild(el("option", { value: s.id }, s.name)); });
    if (report.filters.school) { school.value = report.filters.school; }
    region.appendChild(el("option", { value: "" }, "All regions"));
    report.choices.regions.forEach(function (r) { region.appendChild(el("option", { value: r }, r)); });
    $("start").value = report.range.start;
    $("end").value = report.range.end;
  }

  function section(title, explanation) {
    var box = el("section", { "class": "chart" });
    box.appendChild(el("h3", null, title));
    $("report").appendChild(box);
    return { box: box, explain: function () { box.appendChild(el("p", { "class": "explain" }, explanation)); } };
  }

  function table(headings, rows) {
    var t = el("table"), head = el("tr");
    headings.forEach(function (h, i) { head.appendChild(el("th", { scope: "col", "class": i ? "n" : "" }, h)); });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (cell, i) { tr.appendChild(el(i ? "td" : "th", i ? { "class": "n" } : { scope: "row" }, cell)); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  /* Horizontal bars: [{label, value, shown}] where value is a number or null (suppressed). */
  function bars(items, title) {
    var rowH = 26, labelW = 300, width = 760, max = 0;
    items.forEach(function (i) { if (typeof i.value === "number" && i.value > max) { max = i.value; } });
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + (items.length * rowH + 10), role: "img", "aria-label": title, width: width });
    items.forEach(function (item, n) {
      var y = n * rowH + 5;
      var label = svg("text", { x: labelW - 8, y: y + 17, "text-anchor": "end", "font-size": 13, fill: "#1b1f24" },
        item.label.length > 44 ? item.label.slice(0, 43) + "…" : item.label);
      label.appendChild(svg("title", null, item.label));
      chart.appendChild(label);
      var w = typeof item.value === "number" && max > 0 ? Math.max(2, (width - labelW - 90) * item.value / max) : 0;
      if (w) { chart.appendChild(svg("rect", { x: labelW, y: y + 3, width: w, height: rowH - 8, fill: "#1d4f91" })); }
      chart.appendChild(svg("text", { x: labelW + w + 6, y: y + 17, "font-size": 13, fill: w ? "#1b1f24" : "#4a5560" }, item.shown));
    });
    return chart;
  }

  /* Vertical bars over time, one per day or week. */
  function columns(buckets, values, title) {
    var width = 760, height = 220, left = 44, bottom = 30, max = 0;
    values.forEach(function (v) { if (typeof v === "number" && v > max) { max = v; } });
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": title, width: width });
    var step = (width - left - 10) / Math.max(1, buckets.length);
    chart.appendChild(svg("line", { x1: left, y1: height - bottom, x2: width - 5, y2: height - bottom, stroke: "#4a5560" }));
    chart.appendChild(svg("text", { x: left - 6, y: 16, "text-anchor": "end", "font-size": 11, fill: "#1b1f24" }, show(max)));
    chart.appendChild(svg("text", { x: left - 6, y: height - bottom, "text-anchor": "end", "font-size": 11, fill: "#1b1f24" }, "0"));
    buckets.forEach(function (b, i) {
      var v = values[i], x = left + i * step + 1;
      if (typeof v === "number" && max > 0) {
        var h = (height - bottom - 20) * v / max;
        var bar = svg("rect", { x: x, y: height - bottom - h, width: Math.max(1, step - 2), height: h, fill: "#1d4f91" });
        bar.appendChild(svg("title", null, b + ": " + show(v)));
        chart.appendChild(bar);
      } else {
        var mark = svg("rect", { x: x, y: height - bottom - 4, width: Math.max(1, step - 2), height: 4, fill: "#8a949e" });
        mark.appendChild(svg("title", null, b + ": " + show(v)));
        chart.appendChild(mark);
      }
      if (i === 0 || i === buckets.length - 1 || (buckets.length <= 14)) {
        chart.appendChild(svg("text", { x: x + step / 2, y: height - 10, "text-anchor": "middle", "font-size": 10, fill: "#1b1f24" }, b.slice(5)));
      }
    });
    return chart;
  }

  function render(r) {
    var report = $("report");
    report.textContent = "";
    var t = r.totals, rates = r.rates;

    var totals = section("Totals", "Each figure counts events in the chosen dates. “<10” means fewer than ten; " +
      "“hidden” means the figure is hidden so that a small number cannot be worked out by subtracting.");
    var list = el("ul", { "class": "tiles" });
    Object.keys(NAMES).forEach(function (key) {
      var li = el("li"); li.appendChild(el("span", { "class": "figure" }, show(t[key]))); li.appendChild(el("span", null, NAMES[key]));
      list.appendChild(li);
    });
    totals.box.appendChild(list);
    totals.explain();

    var unit = r.range.bucket === "week" ? "week" : "day";
    var trend = section("Conversations by " + unit,
      "How many conversations started each " + unit + ". Grey marks are " + unit + "s with fewer than ten (or hidden) conversations.");
    trend.box.appendChild(columns(r.trend.buckets, r.trend.series.conversation, "Conversations by " + unit));
    trend.explain();
    trend.box.appendChild(table(["Starting", "Conversations", "Answers", "Not understood"], r.trend.buckets.map(function (b, i) {
      return [b, show(r.trend.series.conversation[i]), show(r.trend.series.answer[i]), show(r.trend.series.fallback[i])];
    })));

    var top = section("Top topics", "What parents asked about most: the number of answers Harbour gave on each topic.");
    top.box.appendChild(bars(r.topics.map(function (x) { return { label: x.title, value: x.answers, shown: show(x.answers) }; }), "Answers by topic"));
    top.explain();

    var helpful = section("Was this helpful?", "Of the parents who answered “Was this helpful?” after an answer on each topic, the share who said yes. " +
      "A share is only shown when both its yes and no counts are ten or more.");
    helpful.box.appendChild(bars(r.topics.map(function (x) {
      return { label: x.title, value: x.helpful_share === null ? null : Math.round(x.helpful_share * 100), shown: pct(x.helpful_share) };
    }), "Share helpful by topic"));
    helpful.explain();
    helpful.box.appendChild(table(["Topic", "Yes", "No", "Share yes"], r.topics.map(function (x) {
      return [x.title, show(x.helpful_yes), show(x.helpful_no), pct(x.helpful_share)];
    })));

    var clicks = section("Click-through to services", "Click-through is service-card clicks (call, text or website) for every " +
      "hundred answers on a topic: the share of parents who took the next step. Overall: " + pct(rates.click_through) + ".");
    clicks.box.appendChild(bars(r.topics.map(function (x) {
      return { label: x.title, value: x.click_through === null ? null : Math.round(x.click_through * 100), shown: pct(x.click_through) };
    }), "Click-through by topic"));
    clicks.explain();
    clicks.box.appendChild(table(["Service", "How", "Clicks"], r.services.map(function (s) { return [s.name, s.kind, show(s.clicks)]; })));

    var crisis = section("Crisis", "Messages Harbour read as a child in danger (it gave the emergency number first) " +
      "or possibly in danger (it asked whether the child is safe right now).");
    crisis.box.appendChild(table(["Tier", "Messages"], [["Danger", show(t.crisis_danger)], ["Possible danger", show(t.crisis_possible)]]));
    crisis.explain();

    var fallback = section("Not understood", "The share of replies where Harbour could not tell what the parent meant and asked them " +
      "to put it another way (fallbacks), out of all answers, clarifying questions and fallbacks: " + pct(rates.fallback_rate) + ".");
    fallback.explain();

    var where = section("Where parents are", "Conversations by region (the region the parent gave, or the school's).");
    where.box.appendChild(table(["Region", "Conversations"], r.regions.map(function (x) { return [x.region, show(x.conversations)]; })));
    where.explain();
    if (r.schools) {
      var schools = section("Schools", "Conversations started from each school's website.");
      schools.box.appendChild(table(["School", "Conversations"], r.schools.map(function (x) { return [x.name, show(x.conversations)]; })));
      schools.explain();
    }
  }

  function downloadCsv() {
    request("/insight/csv").then(function (reply) {
      if (reply.status === 401) { signedOut("That token was not accepted."); return null; }
      if (!reply.ok) { return reply.json().then(function (b) { $("status").textContent = b.error || "Something went wrong."; return null; }); }
      return reply.blob();
    }).then(function (blob) {
      if (!blob) { return; }
      var link = el("a", { href: URL.createObjectURL(blob), download: "harbour-insight.csv" });
      document.body.appendChild(link); link.click(); link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("signin-form").addEventListener("submit", function (event) {
      event.preventDefault();
      try { sessionStorage.setItem(KEY, $("token").value.trim()); } catch (e) { /* private mode */ }
      $("token").value = "";
      load();
    });
    $("filters").addEventListener("submit", function (event) { event.preventDefault(); load(); });
    $("csv").addEventListener("click", downloadCsv);
    $("signout").addEventListener("click", function () { signedOut(null); });
    if (token()) { load(); } else { $("token").focus(); }
  });
})();
