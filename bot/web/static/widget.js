/* Harbour chat widget. Embed with:
 *   <script src="https://HOST/widget.js" data-school="st-marys" defer></script>
 * Options (data- attributes): data-school, data-position="left|right",
 * data-open="true", data-exit-url="https://a-neutral-site.example".
 * Privacy: no cookies, no storage and no request until the parent sends a first message;
 * then only a random session id in sessionStorage. Everything is rendered as text.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__harbourWidget) { return; }
  window.__harbourWidget = true;

  var CSS = /*HARBOUR_CSS*/"";
  var SCHOOLS = /*HARBOUR_THEMES*/{};
  var KEY = "harbour-session";
  var API = new URL("/api/chat", script.src).href;
  var BEACON = new URL("/api/beacon", script.src).href;
  /*HARBOUR_BEACON*/
  var data = script.dataset;
  var school = SCHOOLS[data.school] ? data.school : null;
  var theme = SCHOOLS[school] || SCHOOLS[""] || {};
  var exitUrl = safeLink(data.exitUrl, /^https?:\/\//) || "https://www.bbc.co.uk/weather";
  var lastMessage = null;
  var escapes = [];

  function safeLink(value, pattern) {
    return typeof value === "string" && pattern.test(value) && !/[\s"'<>]/.test(value) ? value : null;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  /* ---------------------------------------------------------------- layout */
  var host = el("div", { id: "harbour-widget" });
  var root = host.attachShadow({ mode: "open" });
  var style = el("style");
  style.textContent = CSS +
    ":host{--harbour-primary:" + (theme.primary || "#1d4f91") + ";--harbour-on-primary:" +
    (theme.text || "#ffffff") + "}";
  root.appendChild(style);

  var wrap = el("div", { "class": "harbour " + (data.position === "left" ? "left" : "right") });
  var launcher = el("button", { "class": "launcher", type: "button", "aria-haspopup": "dialog",
    "aria-expanded": "false", "aria-controls": "harbour-panel" }, "Talk to Harbour");
  var panel = el("section", { id: "harbour-panel", "class": "panel", role: "dialog",
    "aria-labelledby": "harbour-title", hidden: "" });

  var header = el("header", { "class": "head" });
  var titles = el("div");
  titles.appendChild(el("h2", { id: "harbour-title" }, "Harbour"));
  titles.appendChild(el("p", { "class": "sub" }, "Private and anonymous. No login needed."));
  var tools = el("div", { "class": "tools" });
  var exitButton = el("button", { type: "button", "class": "exit" }, "Quick exit");
  exitButton.setAttribute("aria-label", "Quick exit: leave this page now");
  var clearButton = el("button", { type: "button", "class": "tool" }, "Clear chat");
  var closeButton = el("button", { type: "button", "class": "tool", "aria-label": "Close chat" }, "Close");
  tools.appendChild(exitButton); tools.appendChild(clearButton); tools.appendChild(closeButton);
  header.appendChild(titles); header.appendChild(tools);

  var log = el("div", { "class": "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
  var status = el("p", { "class": "status", role: "status" });
  var form = el("form", { "class": "compose" });
  var label = el("label", { "for": "harbour-input", "class": "visually-hidden" }, "Type your message");
  var input = el("textarea", { id: "harbour-input", rows: "2", maxlength: "1000",
    placeholder: "Type what's worrying you…", autocomplete: "off" });
  var send = el("button", { type: "submit", "class": "send" }, "Send");
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  var foot = el("p", { "class": "foot" },
    "Press Esc three times to leave quickly. If a child is in danger, call the emergency number now.");

  panel.appendChild(header); panel.appendChild(log); panel.appendChild(status);
  panel.appendChild(form); panel.appendChild(foot);
  wrap.appendChild(panel); wrap.appendChild(launcher);
  root.appendChild(wrap);

  /* ---------------------------------------------------------------- messages */
  function bubble(who, text) {
    var item = el("div", { "class": "msg " + who });
    item.appendChild(el("span", { "class": "visually-hidden" }, who === "user" ? "You said: " : "Harbour: "));
    String(text).split(/\n{2,}/).forEach(function (part) {
      if (part.trim()) { item.appendChild(el("p", null, part)); }
    });
    log.appendChild(item);
    return item;
  }

  function quickReplies(buttons) {
    var group = el("div", { "class": "replies", role: "group", "aria-label": "Suggested replies" });
    buttons.forEach(function (b) {
      var button = el("button", { type: "button", "class": "reply" }, b.title);
      button.addEventListener("click", function () { submit(b.payload, b.title); });
      group.appendChild(button);
    });
    log.appendChild(group);
  }

  function card(c, about) {
    var item = el("article", { "class": "card" });
    item.appendChild(el("h3", null, c.name));
    if (c.description) { item.appendChild(el("p", null, c.description)); }
    if (c.hours) { item.appendChild(el("p", { "class": "hours" + (c.open_now ? " open" : "") }, c.hours)); }
    var actions = el("div", { "class": "card-actions" });
    if (c.phone) {
      var number = c.phone.replace(/[^0-9+]/g, "");
      if (number) {
        var call = actions.appendChild(el("a", { href: "tel:" + number, "class": "call" }, "Call " + c.phone));
        call.addEventListener("click", function () { if (typeof harbourBeacon === "function") { harbourBeacon(BEACON, { event: "click", school: school, service: c.id, kind: "call", topic: about.topic, region: about.region }); } });
      }
    }
    var web = safeLink(c.web, /^https?:\/\//);
    if (web) {
      var link = el("a", { href: web, target: "_blank", rel: "noopener noreferrer" }, "Website");
      link.setAttribute("aria-label", c.name + " website (opens in a new tab)");
      actions.appendChild(link);
      link.addEventListener("click", function () { if (typeof harbourBeacon === "function") { harbourBeacon(BEACON, { event: "click", school: school, service: c.id, kind: "website", topic: about.topic, region: about.region }); } });
    }
    if (c.text) { actions.appendChild(el("span", { "class": "sms" }, "Or " + c.text)); }
    item.appendChild(actions);
    return item;
  }

  function show(messages) {
    var first = null;
    messages.forEach(function (m) {
      var before = log.childNodes.length;
      if (m.text) { bubble("bot", m.text); }
      if (m.cards && m.cards.length) {
        var list = el("div", { "class": "cards", role: "list", "aria-label": "Services you can contact" });
        m.cards.forEach(function (c) {
          var wrapper = el("div", { role: "listitem" });
          wrapper.appendChild(card(c, m));
          list.appendChild(wrapper);
        });
        log.appendChild(list);
      }
      if (m.buttons && m.buttons.length) { quickReplies(m.buttons); }
      first = first || log.childNodes[before] || null;
    });
    // Start reading at the top of the new answer, not at its last card.
    if (first) { log.scrollTop = first.offsetTop - log.offsetTop - 8; }
  }

  function welcome() {
    bubble("bot", "Hello, I'm Harbour. Tell me in your own words what's worrying you, " +
      "and I'll help you with what to do next and who can help.\n\nYou don't need to give any names.");
  }

  /* ---------------------------------------------------------------- talking */
  function session() {
    var id = null;
    try { id = sessionStorage.getItem(KEY); } catch (e) { id = null; }
    if (!id) {
      id = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() :
        "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (ch) {
          var r = crypto.getRandomValues(new Uint8Array(1))[0] % 16;
          return (ch === "x" ? r : (r & 3) | 8).toString(16);
        });
      try { sessionStorage.setItem(KEY, id); } catch (e) { /* private mode: keep it in memory */ }
    }
    return id;
  }

  function setBusy(busy) {
    wrap.classList.toggle("busy", busy);
    status.textContent = busy ? "Harbour is typing…" : "";
  }

  function connectionLost(text) {
    var item = bubble("bot problem", text || ("We can't reach Harbour right now. " + (theme.offline || "")));
    var retry = el("button", { type: "button", "class": "reply" }, "Try again");
    retry.addEventListener("click", function () {
      retry.disabled = true;
      if (lastMessage) { submit(lastMessage.payload, null); }
    });
    item.appendChild(retry);
  }

  function submit(payload, shown) {
    var text = String(payload || "").trim();
    if (!text) { return; }
    if (shown !== null) { bubble("user", shown || text); }
    lastMessage = { payload: text };
    setBusy(true);
    fetch(API, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: session(), message: text, school: school, language: navigator.language || null })
    }).then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (body) {
        setBusy(false);
        if (reply.ok) { show(body.messages || []); return; }
        if (reply.status === 503) {
          connectionLost((body.messages && body.messages[0] && body.messages[0].text) || null);
          return;
        }
        bubble("bot problem", body.error || "Something went wrong. Please try again.");
      });
    }).catch(function () {
      setBusy(false);
      connectionLost(null);
    });
  }

  /* ---------------------------------------------------------------- controls */
  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    wrap.classList.add("opened");
    if (!log.childNodes.length) { welcome(); }
    input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    wrap.classList.remove("opened");
    launcher.focus();
  }

  function clearChat() {
    if (lastMessage && typeof harbourBeacon === "function") { harbourBeacon(BEACON, { event: "clear_chat", school: school }); }
    while (log.firstChild) { log.removeChild(log.firstChild); }
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
    lastMessage = null;
    welcome();
    input.value = "";
    input.focus();
  }

  function quickExit() {
    if (lastMessage && typeof harbourBeacon === "function") { harbourBeacon(BEACON, { event: "quick_exit", school: school }); }
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
    while (log.firstChild) { log.removeChild(log.firstChild); }
    host.remove();
    window.location.replace(exitUrl);
  }

  launcher.addEventListener("click", function () { panel.hidden ? open() : close(); });
  closeButton.addEventListener("click", close);
  clearButton.addEventListener("click", clearChat);
  exitButton.addEventListener("click", quickExit);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    submit(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    escapes = escapes.filter(function (t) { return now - t < 2000; });
    escapes.push(now);
    if (escapes.length >= 3) { quickExit(); return; }
    if (!panel.hidden) { close(); }
  }, true);

  function mount() {
    document.body.appendChild(host);
    if (data.open === "true") { open(); }
  }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
