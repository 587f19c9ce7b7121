/* Harbour chat widget. Embed with:
 *   <script src="https://HOST/widget.js" data-school="st-marys" defer></script>
 * Options (data- attributes): data-school, data-position="left|right",
 * data-open="true", data-exit-url="https://a-neutral-site.example".
 * This script only draws the launcher and an iframe of Harbour's chat page (/chat, on
 * Harbour's own origin), so the school's page, and any script on it, cannot read the
 * conversation, the session id or what the parent types. The two talk only by
 * postMessage, from and to Harbour's origin: open, close, Escape and quick exit.
 * Privacy: no cookies and no storage on the school's site; no request to Harbour until
 * the parent opens the chat.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__harbourWidget) { return; }
  window.__harbourWidget = true;

  var CSS = /*HARBOUR_CSS*/"";
  /* The launcher colours of the schools whose site this copy was served to, and no others:
   * the script never lists the schools that use Harbour. The chat page checks the school. */
  var THEMES = /*HARBOUR_THEMES*/{};
  var HARBOUR = new URL(script.src, location.href).origin;
  var data = script.dataset;
  var school = /^[a-z0-9][a-z0-9-]{0,63}$/.test(data.school || "") ? data.school : null;
  var theme = (school && Object.prototype.hasOwnProperty.call(THEMES, school) && THEMES[school]) || {};
  var exitUrl = safeLink(data.exitUrl, /^https?:\/\//) || "https://www.bbc.co.uk/weather";
  var frame = null;
  var ready = false;
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
  var root = host.attachShadow({ mode: "open" });  // styles only: nothing private lives here
  var style = el("style");
  style.textContent = CSS +
    ":host{--harbour-primary:" + (theme.primary || "#1d4f91") + ";--harbour-on-primary:" +
    (theme.text || "#ffffff") + "}";
  root.appendChild(style);
  var wrap = el("div", { "class": "harbour " + (data.position === "left" ? "left" : "right") });
  var launcher = el("button", { "class": "launcher", type: "button", "aria-expanded": "false",
    "aria-controls": "harbour-frame" }, "Talk to Harbour");
  wrap.appendChild(launcher);
  root.appendChild(wrap);

  function chatUrl() {
    var url = new URL("/chat", HARBOUR);
    if (school) { url.searchParams.set("school", school); }
    url.searchParams.set("origin", location.origin);
    url.searchParams.set("exit", exitUrl);
    return url.href;
  }

  /* ---------------------------------------------------------------- talking to the frame */
  function tell(type) {
    if (frame && frame.contentWindow) { frame.contentWindow.postMessage({ type: type }, HARBOUR); }
  }

  function isOpen() { return !!frame && !frame.hidden; }

  function open() {
    if (!frame) {
      frame = el("iframe", { id: "harbour-frame", "class": "frame", title: "Harbour chat",
        src: chatUrl(), referrerpolicy: "no-referrer" });
      wrap.insertBefore(frame, launcher);
    }
    frame.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    wrap.classList.add("opened");
    frame.focus();
    if (ready) { tell("harbour:open"); }
  }

  function close() {
    if (!frame) { return; }
    frame.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    wrap.classList.remove("opened");
    launcher.focus();
  }

  function leave() {
    wrap.classList.add("gone");
    window.location.replace(exitUrl);
  }

  function quickExit(fromFrame) {
    if (fromFrame || !frame) { leave(); return; }
    // Started on the school's page: the frame deletes its conversation first (a
    // keepalive request that outlives the page), then the page goes, a moment later.
    wrap.classList.add("gone");
    tell("harbour:forget");
    window.setTimeout(leave, 120);
  }

  function escape() {
    var now = Date.now();
    escapes = escapes.filter(function (t) { return now - t < 2000; });
    escapes.push(now);
    if (escapes.length >= 3) { quickExit(false); return; }
    if (isOpen()) { close(); }
  }

  window.addEventListener("message", function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== HARBOUR) { return; }
    var type = event.data && event.data.type;
    if (type === "harbour:ready") {
      ready = true;
      if (isOpen()) { tell("harbour:open"); }
    } else if (type === "harbour:close") {
      close();
    } else if (type === "harbour:escape") {
      escape();
    } else if (type === "harbour:exit") {
      quickExit(true);
    }
  });

  launcher.addEventListener("click", function () { isOpen() ? close() : open(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { escape(); }
  }, true);

  function mount() {
    document.body.appendChild(host);
    if (data.open === "true") { open(); }
  }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
