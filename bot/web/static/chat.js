/* Harbour chat page: the whole conversation, inside Harbour's own iframe (bot/web/pages.py).
 * The school's page cannot read anything in here. It talks to widget.js only by
 * postMessage, with the framing origin checked against the school's allowed origins:
 *   out: harbour:ready, harbour:close, harbour:escape, harbour:exit
 *   in:  harbour:open (focus the box), harbour:forget (the host page's Quick exit)
 * The session id comes from the server (POST /api/session) and stays in this origin's
 * sessionStorage. Clear chat and Quick exit delete the conversation on the server too
 * (DELETE /api/session). Everything is rendered as text.
 */
(function () {
  "use strict";
  var CONFIG = JSON.parse(document.getElementById("harbour-config").textContent || "{}");
  var LIMIT = 1000;
  var WARN_AT = 800;
  var KEY = "harbour-session";
  var params = new URLSearchParams(location.search);
  var school = CONFIG.school || null;
  var exitUrl = safeLink(params.get("exit"), /^https?:\/\//) || "https://www.bbc.co.uk/weather";
  var parentOrigin = framedBy(params.get("origin"));
  var log = byId("harbour-log");
  var status = byId("harbour-status");
  var form = byId("harbour-form");
  var input = byId("harbour-input");
  var count = byId("harbour-count");
  var memory = null;       // the session token, when sessionStorage is unavailable
  var generation = 0;      // bumped by Clear chat and Quick exit: late replies are dropped
  var lastMessage = null;  // for "Try again"
  var pending = Promise.resolve();
  var escapes = [];
  var wasOver = false;

  function byId(id) { return document.getElementById(id); }

  function safeLink(value, pattern) {
    return typeof value === "string" && pattern.test(value) && !/[\s"'<>]/.test(value) ? value : null;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function framedBy(origin) {
    if (window.parent === window || !origin) { return null; }
    var allowed = (CONFIG.parents || []).concat([location.origin]);
    return allowed.indexOf(origin) >= 0 ? origin : null;
  }

  function tell(type) {
    if (parentOrigin) { window.parent.postMessage({ type: type }, parentOrigin); }
  }

  function applyTheme() {
    var theme = CONFIG.theme || {};
    var style = document.documentElement.style;
    if (/^#[0-9a-fA-F]{6}$/.test(theme.primary || "")) { style.setProperty("--harbour-primary", theme.primary); }
    if (/^#[0-9a-fA-F]{6}$/.test(theme.text || "")) { style.setProperty("--harbour-on-primary", theme.text); }
  }

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
      button.addEventListener("click", function () { send({ payload: b.payload }, b.title); });
      group.appendChild(button);
    });
    log.appendChild(group);
  }

  /* Anonymous counts for the school (bot/insight/, issue 17): no session id, no text. */
  function report(fields) {
    if (typeof harbourBeacon !== "function") { return; }
    fields.school = school;
    harbourBeacon("/api/beacon", fields);
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
        call.addEventListener("click", function () {
          report({ event: "click", service: c.id, kind: "call", topic: about.topic, region: about.region });
        });
      }
    }
    var web = safeLink(c.web, /^https?:\/\//);
    if (web) {
      var link = el("a", { href: web, target: "_blank", rel: "noopener noreferrer" }, "Website");
      link.setAttribute("aria-label", c.name + " website (opens in a new tab)");
      link.addEventListener("click", function () {
        report({ event: "click", service: c.id, kind: "website", topic: about.topic, region: about.region });
      });
      actions.appendChild(link);
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

  function emptyLog() {
    while (log.firstChild) { log.removeChild(log.firstChild); }
  }

  /* ---------------------------------------------------------------- length */
  function length(text) { return Array.from(text).length; }  // code points, as the server counts

  function updateCount() {
    var n = length(input.value);
    var left = LIMIT - n;
    var over = left < 0;
    count.className = over ? "count over" : "count";
    if (n < WARN_AT) {
      count.textContent = "";
    } else if (!over) {
      count.textContent = left.toLocaleString("en-GB") + (left === 1 ? " character left" : " characters left");
    } else {
      count.textContent = (-left).toLocaleString("en-GB") + " over the limit of " + LIMIT.toLocaleString("en-GB") +
        " characters. Nothing is cut: shorten your message or send it in two parts.";
    }
    if (over && !wasOver) { status.textContent = "Your message is longer than " + LIMIT.toLocaleString("en-GB") + " characters."; }
    if (!over && wasOver) { status.textContent = ""; }
    wasOver = over;
  }

  /* ---------------------------------------------------------------- session */
  function currentSession() {
    var token = memory;
    try { token = sessionStorage.getItem(KEY) || token; } catch (e) { /* private mode: memory only */ }
    return token;
  }

  function keepSession(token) {
    memory = token;
    try {
      if (token) { sessionStorage.setItem(KEY, token); } else { sessionStorage.removeItem(KEY); }
    } catch (e) { /* private mode: memory only */ }
  }

  function session() {
    var token = currentSession();
    if (token) { return Promise.resolve(token); }
    return fetch("/api/session", { method: "POST", credentials: "omit" }).then(function (reply) {
      if (!reply.ok) { throw new Error("no session"); }
      return reply.json();
    }).then(function (body) {
      keepSession(body.session);
      return body.session;
    });
  }

  function forget(token, keepalive) {
    if (!token) { return Promise.resolve(true); }
    return fetch("/api/session", {
      method: "DELETE",
      credentials: "omit",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: token })
    }).then(function (reply) { return reply.ok || reply.status === 400; }, function () { return false; });
  }

  /* ---------------------------------------------------------------- talking */
  function setBusy(busy) {
    document.body.classList.toggle("busy", busy);
    status.textContent = busy ? "Harbour is typing…" : "";
  }

  function connectionLost(text) {
    var item = bubble("bot problem", text || ("We can't reach Harbour right now. " + (CONFIG.offline || "")));
    var retry = el("button", { type: "button", "class": "reply" }, "Try again");
    retry.addEventListener("click", function () {
      retry.disabled = true;
      if (lastMessage) { send(lastMessage, null); }
    });
    item.appendChild(retry);
  }

  function post(fields, token, renew) {
    var body = { session: token, school: school, language: navigator.language || null };
    Object.keys(fields).forEach(function (name) { body[name] = fields[name]; });
    return fetch("/api/chat", {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (data) {
        if (reply.status === 400 && data.code === "session" && renew) {
          keepSession(null);  // expired or deleted: start a new session and send again, once
          return session().then(function (fresh) { return post(fields, fresh, false); });
        }
        return { status: reply.status, ok: reply.ok, body: data };
      });
    });
  }

  /* The one place a message leaves the page: send({message: text}) or send({payload: p}). */
  function send(fields, shown) {
    var text = String(fields.message || fields.payload || "");
    if (!text.trim()) { return; }
    var tooLong = length(text) > LIMIT;
    if (shown !== null && !tooLong) { bubble("user", shown || text); }
    lastMessage = fields;
    var mine = generation;
    setBusy(true);
    pending = session().then(function (token) { return post(fields, token, true); }).then(function (result) {
      if (mine !== generation) { return; }
      setBusy(false);
      var body = result.body || {};
      var messages = body.messages || [];
      if (result.ok) {
        if (tooLong && input.value === text) { bubble("user", text); input.value = ""; updateCount(); }
        show(messages);
      } else if (result.status === 503) {
        connectionLost((messages[0] && messages[0].text) || null);
      } else {
        // 413 (too long), 429 (too fast) and the rest: the reason, then any lines the server
        // sent (the emergency number, a helpline). The parent's text stays in the box.
        bubble("bot problem", body.error || "Something went wrong. Please try again.");
        show(messages);
      }
    }, function () {
      if (mine !== generation) { return; }
      setBusy(false);
      connectionLost(null);
    });
  }

  /* ---------------------------------------------------------------- controls */
  function clearChat() {
    if (lastMessage) { report({ event: "clear_chat" }); }
    var token = currentSession();
    var waiting = pending;
    keepSession(null);
    generation += 1;
    emptyLog();
    lastMessage = null;
    input.value = "";
    updateCount();
    setBusy(false);
    welcome();
    input.focus();
    status.textContent = "Clearing this chat…";
    // After any reply still on its way, so Harbour has saved what it is going to save.
    pending = waiting.then(null, function () { return null; }).then(function () {
      return forget(token, false);
    }).then(function (deleted) {
      status.textContent = deleted ? "Chat cleared and deleted from Harbour." :
        "Chat cleared from this screen. Harbour couldn't delete its copy just now; it will be deleted automatically.";
    });
  }

  function forgetNow() {
    var token = currentSession();
    keepSession(null);
    generation += 1;
    emptyLog();
    input.value = "";
    forget(token, true);  // keepalive: finishes even as the page goes away
  }

  function quickExit() {
    if (lastMessage) { report({ event: "quick_exit" }); }
    forgetNow();
    if (parentOrigin) { tell("harbour:exit"); }
    // widget.js replaces the school's page at once; if it can't, leave from here.
    window.setTimeout(function () {
      try { window.top.location.replace(exitUrl); } catch (e) { window.location.replace(exitUrl); }
    }, parentOrigin ? 400 : 0);
  }

  window.addEventListener("message", function (event) {
    if (!parentOrigin || event.source !== window.parent || event.origin !== parentOrigin) { return; }
    var type = event.data && event.data.type;
    if (type === "harbour:open") { input.focus(); }
    if (type === "harbour:forget") { forgetNow(); }
  });

  byId("harbour-exit").addEventListener("click", quickExit);
  byId("harbour-clear").addEventListener("click", clearChat);
  var closeButton = byId("harbour-close");
  if (parentOrigin) {
    closeButton.addEventListener("click", function () { tell("harbour:close"); });
  } else {
    closeButton.hidden = true;  // opened on its own, not in the widget: nothing to close
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) { return; }
    if (length(text) <= LIMIT) { input.value = ""; updateCount(); }
    send({ message: text });
  });
  input.addEventListener("input", updateCount);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    if (parentOrigin) { tell("harbour:escape"); return; }  // widget.js counts and closes
    var now = Date.now();
    escapes = escapes.filter(function (t) { return now - t < 2000; });
    escapes.push(now);
    if (escapes.length >= 3) { quickExit(); }
  }, true);

  applyTheme();
  welcome();
  tell("harbour:ready");
})();
