/*
 * Community Justice Assistant: website chat widget for the Rasa assistant.
 *
 * Embed with one script tag (the widget adds its own stylesheet next to itself):
 *   <script src="/site/static/cj-widget.js" defer data-partnership="ayrshire"
 *           data-title="Community Justice Assistant" data-phone="01294 317203"></script>
 * See docs/widget.md for every data attribute.
 *
 * Design notes
 * - No third-party code, fonts or requests: everything goes to data-server (default: this origin).
 * - Socket.IO: this file contains its own minimal Engine.IO v4 / Socket.IO v5 client over WebSocket
 *   (SocketClient below, about 100 lines), instead of vendoring socket.io-client (about 50 kB
 *   minified). The widget needs only the default namespace, text events and the WebSocket
 *   transport: no long-polling, acks or binary packets. Networks that block WebSockets are served
 *   by the REST channel fallback instead of long-polling, so the small client is enough, is easy to
 *   review, and has no dependency to keep patched.
 * - Bot text is only ever inserted with textContent / text nodes, never as HTML. Links are made
 *   only for http(s) URLs, tel: URIs and UK phone numbers found in the text.
 * - Stored in sessionStorage (this tab only): the session id, the transcript and whether the panel
 *   is open. "Leave this site quickly", "Start again" and "Delete my conversation" clear them; the
 *   quick exit and "Delete my conversation" also delete the conversation on the server
 *   (POST /webhooks/rest/delete). The session id is not put on `window`.
 * - Each message carries {partnership: data-partnership} as metadata: in `customData` over
 *   Socket.IO (the channel's metadata_key in credentials.yml) and in `metadata` over REST.
 * - Custom payloads after a reply, on both routes: {"custom": {"links": [{label, url}]}} becomes a
 *   short list of titled links (https only) under the reply it follows; {"custom": {"feedback":
 *   {answer}}} adds "Was this helpful? Yes / No" and "Report a wrong or out-of-date answer" under
 *   it (sent with POST /webhooks/rest/feedback). With data-staff="true" (the staff page of
 *   `make shell` only) {"custom": {"staff": ...}} and {"custom": {"staff_why": ...}} show how the
 *   reply was made. Anything else is ignored.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector('script[src*="cj-widget.js"]');
  if (!script || window.CJWidget) return;

  // ---------------------------------------------------------------- configuration
  var PARTNERSHIP_NAMES = {
    ayrshire: "Community Justice Ayrshire",
    dumfries_galloway: "Dumfries and Galloway Community Justice Partnership"
  };
  var data = script.dataset;
  var config = {
    server: (data.server || window.location.origin).replace(/\/+$/, ""),
    socketPath: data.socketPath || "/socket.io",
    partnership: data.partnership || "",
    title: data.title || "Community Justice Assistant",
    contactName: data.contactName || PARTNERSHIP_NAMES[data.partnership] || "",
    phone: data.phone || "",
    contactText: data.contactText || "",
    exitUrl: safeUrl(data.exitUrl) || "https://www.bbc.co.uk/weather",
    primary: data.primaryColour || data.primaryColor || "",
    staff: data.staff === "true" // staff details under each reply: only the staff server sends them
  };
  var KEYS = { session: "cjw.session", transcript: "cjw.transcript", open: "cjw.open" };
  var METADATA_KEY = "customData"; // the Socket.IO channel's metadata_key (credentials.yml)
  var SOCKET_FAILURES_BEFORE_REST = 2;
  var REPLY_TIMEOUT_MS = 30000;
  var MAX_LINKS = 5;
  var FEEDBACK_THANKS = { helpful: "Thank you for your feedback.", not_helpful: "Thank you for your feedback.",
                          report: "Thank you for reporting this answer. Our staff will check it." };

  function httpsUrl(value) {
    if (typeof value !== "string") return "";
    try {
      var url = new URL(value);
      return url.protocol === "https:" ? url.href : "";
    } catch (e) {
      return "";
    }
  }
  function safeUrl(value) {
    if (!value) return "";
    try {
      var url = new URL(value, window.location.href);
      return /^https?:$/.test(url.protocol) ? url.href : "";
    } catch (e) {
      return "";
    }
  }

  // ---------------------------------------------------------------- storage (sessionStorage)
  function load(key, fallback) {
    try {
      var value = window.sessionStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) {
      return fallback;
    }
  }
  var exiting = false; // set by quick exit: nothing may be written back afterwards
  function save(key, value) {
    if (exiting) return;
    try { window.sessionStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or blocked */ }
  }
  function clearStorage() {
    try {
      Object.keys(KEYS).forEach(function (k) { window.sessionStorage.removeItem(KEYS[k]); });
    } catch (e) { /* blocked */ }
  }
  function newSessionId() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    var b = c.getRandomValues(new Uint8Array(16)); // uuid4 from 122 random bits
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // Nothing is stored until the chat is first opened.
  var sessionId = load(KEYS.session, null);
  if (typeof sessionId !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(sessionId)) {
    sessionId = null;
  }
  function ensureSession() {
    if (!sessionId) {
      sessionId = newSessionId();
      save(KEYS.session, sessionId);
    }
    return sessionId;
  }
  var transcript = load(KEYS.transcript, []);
  if (!Array.isArray(transcript)) transcript = [];

  // ---------------------------------------------------------------- minimal Socket.IO client
  // Engine.IO v4 packets: 0 open, 1 close, 2 ping, 3 pong, 4 message.
  // Socket.IO v5 packets (inside an Engine.IO message): 0 connect, 1 disconnect, 2 event, 4 connect error.
  function SocketClient(url, handlers) {
    var ws, openTimer, heartbeatTimer, done = false, connected = false;

    function fail(reason) {
      if (done) return;
      done = true;
      clearTimeout(openTimer);
      clearTimeout(heartbeatTimer);
      if (ws) {
        ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
        try { ws.close(); } catch (e) { /* already closed */ }
      }
      handlers.onClose(connected, reason);
    }
    function heartbeat(ms) {
      clearTimeout(heartbeatTimer);
      heartbeatTimer = setTimeout(function () { fail("heartbeat timeout"); }, ms);
    }

    var pingWindow = 45000;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      setTimeout(function () { fail("cannot open"); }, 0);
      return { emit: function () { return false; }, close: function () {} };
    }
    openTimer = setTimeout(function () { fail("open timeout"); }, 8000);
    ws.onclose = function () { fail("closed"); };
    ws.onerror = function () { fail("error"); };
    ws.onmessage = function (event) {
      if (typeof event.data !== "string") return; // no binary packets expected
      var packet = event.data;
      var type = packet.charAt(0);
      if (type === "0") { // Engine.IO open: {sid, pingInterval, pingTimeout, ...}
        var info = JSON.parse(packet.slice(1));
        pingWindow = (info.pingInterval || 25000) + (info.pingTimeout || 20000);
        heartbeat(pingWindow);
        ws.send("40"); // connect to the default namespace
      } else if (type === "2") { // ping
        ws.send("3");
        heartbeat(pingWindow);
      } else if (type === "1") {
        fail("server closed");
      } else if (type === "4") {
        var sioType = packet.charAt(1);
        if (sioType === "0") {
          connected = true;
          clearTimeout(openTimer);
          handlers.onConnect();
        } else if (sioType === "2") {
          var start = packet.indexOf("["); // skips an optional ack id
          var args = JSON.parse(packet.slice(start));
          handlers.onEvent(args[0], args[1]);
        } else if (sioType === "1" || sioType === "4") {
          fail(sioType === "4" ? "connect refused" : "server disconnect");
        }
      }
    };
    return {
      emit: function (name, payload) {
        if (done || !connected || ws.readyState !== 1) return false;
        ws.send("42" + JSON.stringify([name, payload]));
        return true;
      },
      close: function () {
        if (done) return;
        done = true;
        clearTimeout(openTimer);
        clearTimeout(heartbeatTimer);
        ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
        try {
          if (ws.readyState === 1) ws.send("41");
          ws.close();
        } catch (e) { /* ignore */ }
      },
      onClose: function () { handlers.onClose(connected, "refused"); }
    };
  }

  function socketUrl() {
    var base = new URL(config.server + config.socketPath.replace(/\/?$/, "/"), window.location.href);
    base.protocol = base.protocol === "https:" ? "wss:" : "ws:";
    base.search = "?EIO=4&transport=websocket";
    return base.href;
  }

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  function attrs(node, values) {
    Object.keys(values).forEach(function (name) { node.setAttribute(name, values[name]); });
    return node;
  }
  function icon(pathData) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = attrs(document.createElementNS(ns, "svg"), {
      viewBox: "0 0 24 24", width: "24", height: "24", "aria-hidden": "true", focusable: "false", "class": "cjw-icon"
    });
    svg.appendChild(attrs(document.createElementNS(ns, "path"), { d: pathData, fill: "currentColor" }));
    return svg;
  }

  // Links: http(s) URLs, tel: URIs, UK phone numbers (01234 567890, 0800 1111, +44 ..., 116 123, 999, 111, 101).
  var LINK_PATTERN = new RegExp(
    "(https?:\\/\\/[^\\s<>\"'\\u00a0]+)" +
    "|(tel:\\+?\\d[\\d-]{1,20})" +
    "|((?:\\+44\\s?(?:\\(0\\)\\s?)?|\\b0)\\d(?:[ -]?\\d){6,9}(?!\\d))" +
    "|(\\b(?:116 ?\\d{3}|999|111|101)(?![\\d.,]\\d))",
    "gi"
  );
  function linkTo(href, label, newTab) {
    var a = el("a", "cjw-link", label);
    a.href = href;
    a.rel = "noopener noreferrer";
    if (newTab) {
      a.target = "_blank";
      a.appendChild(el("span", "cjw-sr", " (opens in a new tab)"));
    }
    return a;
  }
  function appendLinkified(parent, text) {
    var last = 0, match;
    LINK_PATTERN.lastIndex = 0;
    while ((match = LINK_PATTERN.exec(text)) !== null) {
      var raw = match[0], href = null, newTab = false;
      if (match[1]) {
        raw = raw.replace(/[.,;:!?)\]}'"]+$/, ""); // punctuation after a URL is not part of it
        if (safeUrl(raw)) { href = raw; newTab = true; }
      } else if (match[2]) {
        href = "tel:" + raw.slice(4).replace(/[^\d+]/g, "");
      } else {
        href = "tel:" + raw.replace(/\(0\)/, "").replace(/[^\d+]/g, "");
      }
      if (!href) continue;
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(linkTo(href, raw, newTab));
      last = match.index + raw.length;
      LINK_PATTERN.lastIndex = last;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---------------------------------------------------------------- build the widget
  var ids = { panel: "cjw-panel", title: "cjw-title", input: "cjw-input", privacy: "cjw-privacy" };
  var root = el("div", "cjw");
  root.id = "cjw-root";

  var launcher = attrs(el("button", "cjw-launcher"), {
    type: "button", "aria-expanded": "false", "aria-controls": ids.panel
  });
  launcher.appendChild(icon("M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"));
  launcher.appendChild(el("span", "cjw-launcher-text", "Chat with us"));

  var panel = attrs(el("section", "cjw-panel"), {
    id: ids.panel, role: "dialog", "aria-labelledby": ids.title, "aria-describedby": ids.privacy, "aria-modal": "false"
  });
  panel.hidden = true;

  var header = el("div", "cjw-header");
  var headerTop = el("div", "cjw-header-top");
  var title = el("h2", "cjw-title", config.title);
  title.id = ids.title;
  var closeButton = attrs(el("button", "cjw-close"), { type: "button", "aria-label": "Close chat" });
  closeButton.appendChild(icon("M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 0 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z"));
  closeButton.appendChild(el("span", "cjw-close-text", "Close"));
  headerTop.appendChild(title);
  headerTop.appendChild(closeButton);
  var exitButton = attrs(el("button", "cjw-exit", "Leave this site quickly"), { type: "button" });
  header.appendChild(headerTop);
  header.appendChild(exitButton);

  var scroller = attrs(el("div", "cjw-scroll"), { tabindex: "0", role: "region", "aria-label": "Chat messages" });
  var privacy = el("p", "cjw-privacy",
    "This chat is stored in this browser tab until you close it, and on our server for up to 30 days. " +
    "Please don't share personal details like your name, address or phone number. " +
    "If you are in danger now, call 999.");
  privacy.id = ids.privacy;
  var log = attrs(el("div", "cjw-log"), { role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  var typing = el("p", "cjw-typing");
  var dots = attrs(el("span", "cjw-dots"), { "aria-hidden": "true" });
  dots.appendChild(el("span"));
  dots.appendChild(el("span"));
  dots.appendChild(el("span"));
  typing.appendChild(dots);
  typing.appendChild(el("span", "cjw-typing-text", "The assistant is typing\u2026"));
  typing.hidden = true;
  var offline = attrs(el("div", "cjw-offline"), { role: "alert" });
  scroller.appendChild(privacy);
  scroller.appendChild(log);
  scroller.appendChild(typing);
  scroller.appendChild(offline);

  var status = attrs(el("p", "cjw-status"), { role: "status" });

  var form = attrs(el("form", "cjw-form"), { novalidate: "" });
  var label = attrs(el("label", "cjw-label", "Type your message"), { "for": ids.input });
  var row = el("div", "cjw-row");
  var input = attrs(el("input", "cjw-input"), {
    id: ids.input, type: "text", autocomplete: "off", maxlength: "1000", enterkeyhint: "send"
  });
  var sendButton = attrs(el("button", "cjw-send", "Send"), { type: "submit" });
  row.appendChild(input);
  row.appendChild(sendButton);
  form.appendChild(label);
  form.appendChild(row);

  // After the text field in the focus order: "Start again" clears the conversation.
  var footer = el("div", "cjw-footer");
  var restartButton = attrs(el("button", "cjw-restart", "Start again"), { type: "button" });
  var deleteButton = attrs(el("button", "cjw-delete", "Delete my conversation"), { type: "button" });
  footer.appendChild(restartButton);
  footer.appendChild(deleteButton);

  panel.appendChild(header);
  panel.appendChild(scroller);
  panel.appendChild(status);
  panel.appendChild(form);
  panel.appendChild(footer);
  root.appendChild(panel);
  root.appendChild(launcher);

  // ---------------------------------------------------------------- conversation rendering
  function renderMessage(entry, withButtons) {
    var item = el("div", "cjw-msg cjw-msg--" + (entry.from === "user" ? "user" : "bot"));
    item.appendChild(el("span", "cjw-sr", entry.from === "user" ? "You said: " : "Assistant said: "));
    if (entry.text || !(entry.links || entry.staffWhy)) {
      var text = el("p", "cjw-text");
      appendLinkified(text, String(entry.text || ""));
      item.appendChild(text);
    }
    if (entry.failed) item.appendChild(el("p", "cjw-failed", "Not sent. Please try again."));
    if (entry.links && entry.links.length) item.appendChild(renderLinks(entry.links));
    if (entry.feedback) item.appendChild(renderFeedback(entry));
    if (config.staff && entry.staff) item.appendChild(renderStaff(entry.staff, false));
    if (config.staff && entry.staffWhy) item.appendChild(renderStaff(entry.staffWhy, true));
    if (withButtons && entry.buttons && entry.buttons.length) item.appendChild(renderButtons(entry.buttons));
    return item;
  }
  // A reply's links, as a list under it: text only, https only, each opening in a new tab.
  function cleanLinks(links) {
    var seen = {}, clean = [];
    (Array.isArray(links) ? links : []).forEach(function (link) {
      if (!link || typeof link.label !== "string" || !link.label.trim()) return;
      var href = httpsUrl(link.url);
      if (!href || seen[href] || clean.length >= MAX_LINKS) return;
      seen[href] = true;
      clean.push({ label: link.label.trim().slice(0, 120), url: href });
    });
    return clean;
  }
  function renderLinks(links) {
    var list = attrs(el("ul", "cjw-links"), { "aria-label": "Links" });
    links.forEach(function (link) {
      var li = el("li", "cjw-links-item");
      li.appendChild(linkTo(link.url, link.label, true));
      list.appendChild(li);
    });
    return list;
  }

  // "Was this helpful?" and "Report a wrong or out-of-date answer" under an answer built from content.
  var FEEDBACK_CHOICES = [["helpful", "Yes", "Yes, this was helpful"], ["not_helpful", "No", "No, this was not helpful"]];
  function renderFeedback(entry) {
    var state = entry.feedback;
    var group = attrs(el("div", "cjw-feedback"), { role: "group", "aria-label": "Feedback on this answer" });
    var rating = el("div", "cjw-feedback-row");
    if (state.rated) {
      rating.appendChild(el("p", "cjw-feedback-done", FEEDBACK_THANKS[state.rated]));
    } else {
      rating.appendChild(el("span", "cjw-feedback-question", "Was this helpful?"));
      FEEDBACK_CHOICES.forEach(function (choice) {
        var b = attrs(el("button", "cjw-feedback-button", choice[1]), { type: "button", "aria-label": choice[2] });
        b.addEventListener("click", function () { giveFeedback(entry, group, choice[0]); });
        rating.appendChild(b);
      });
    }
    group.appendChild(rating);
    if (state.reported) {
      group.appendChild(el("p", "cjw-feedback-done", FEEDBACK_THANKS.report));
    } else {
      var report = attrs(el("button", "cjw-feedback-report", "Report a wrong or out-of-date answer"), { type: "button" });
      report.addEventListener("click", function () { giveFeedback(entry, group, "report"); });
      group.appendChild(report);
    }
    return group;
  }
  function giveFeedback(entry, group, rating) {
    var buttons = group.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    fetch(config.server + "/webhooks/rest/feedback", {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sessionId, answer: entry.feedback.answer, rating: rating })
    })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); })
      .then(function () {
        if (rating === "report") entry.feedback.reported = true;
        else entry.feedback.rated = rating;
        save(KEYS.transcript, transcript);
        var fresh = renderFeedback(entry);
        group.parentNode.replaceChild(fresh, group);
        var done = fresh.querySelectorAll(".cjw-feedback-done");
        var thanks = rating === "report" ? done[done.length - 1] : done[0];
        thanks.setAttribute("tabindex", "-1");
        thanks.focus(); // the pressed button is gone: keep the keyboard where it was
        announce(FEEDBACK_THANKS[rating]);
      })
      .catch(function () {
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        announce("Sorry, your feedback could not be sent just now. Please try again.");
      });
  }

  // Staff view (data-staff="true"): how the reply was made, from the staff server.
  function renderStaff(info, open) {
    var box = el("details", "cjw-staff");
    if (open) box.open = true;
    var entries = Array.isArray(info.entries) ? info.entries : [];
    var summary = open ? "Why: " + (info.message ? "\u201c" + info.message + "\u201d" : "the last reply")
      : "Staff: " + (info.intent || "no intent") + " " + Number(info.confidence || 0).toFixed(2) + ", " +
        (info.action || "no action") + ", " + entries.length + (entries.length === 1 ? " content entry" : " content entries");
    box.appendChild(el("summary", "cjw-staff-summary", summary));
    if (!open && entries.length) {
      var list = el("ul", "cjw-staff-entries");
      entries.forEach(function (entry) {
        var li = el("li", "", String(entry.id) + " (" + String(entry.kind) + "), reviewed " + String(entry.reviewed || "-"));
        if (entry.due_for_review) li.appendChild(el("strong", "cjw-staff-due", " due for review"));
        (Array.isArray(entry.sources) ? entry.sources : []).forEach(function (source) {
          var href = safeUrl(source);
          if (!href) return;
          li.appendChild(document.createTextNode(" "));
          li.appendChild(linkTo(href, new URL(href).hostname.replace(/^www\./, ""), true));
        });
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    var why = el("ul", "cjw-staff-why");
    (Array.isArray(info.why) ? info.why : []).forEach(function (line) { why.appendChild(el("li", "", String(line))); });
    box.appendChild(why);
    return box;
  }
  function renderButtons(buttons) {
    var group = attrs(el("div", "cjw-quick"), { role: "group", "aria-label": "Suggested replies" });
    buttons.forEach(function (button) {
      var b = attrs(el("button", "cjw-quick-reply", String(button.title)), { type: "button" });
      b.addEventListener("click", function () {
        input.focus(); // keep focus in the dialog: the buttons are removed once used
        send(String(button.payload || button.title), String(button.title));
      });
      group.appendChild(b);
    });
    return group;
  }
  function removeButtons() {
    Array.prototype.forEach.call(log.querySelectorAll(".cjw-quick"), function (g) { g.parentNode.removeChild(g); });
  }
  function renderTranscript() {
    while (log.firstChild) log.removeChild(log.firstChild);
    transcript.forEach(function (entry, i) { log.appendChild(renderMessage(entry, i === transcript.length - 1)); });
  }
  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }
  // Replies are shown from their start: the user's last message is scrolled to the top of the view
  // when it and the replies are taller than the view (with no user message yet, the privacy line).
  var lastUserNode = null;
  function reveal(node, entry) {
    if (entry.from === "user") {
      lastUserNode = node;
      scrollToEnd();
      return;
    }
    var top = lastUserNode ? lastUserNode.offsetTop - 8 : 0;
    scroller.scrollTop = Math.min(top, scroller.scrollHeight - scroller.clientHeight);
  }
  function addMessage(entry) {
    removeButtons();
    transcript.push(entry);
    save(KEYS.transcript, transcript);
    var node = renderMessage(entry, true);
    log.appendChild(node);
    reveal(node, entry);
    return node;
  }
  // A custom payload belongs to the bot message just before it (links, feedback, staff details).
  function lastBotEntry() {
    var entry = transcript[transcript.length - 1];
    return entry && entry.from === "bot" ? entry : null;
  }
  function attachToLast(key, value, render) {
    var entry = lastBotEntry();
    var node = log.lastElementChild;
    if (!entry || !node || entry[key]) return false;
    entry[key] = value;
    save(KEYS.transcript, transcript);
    node.insertBefore(render(entry), node.querySelector(".cjw-quick")); // quick replies stay last
    return true;
  }
  // A last paragraph of "• Title (site)" lines is the plain-text form of the links that follow (for
  // other channels): when the links arrive, the list takes its place.
  function withoutLinkStandIn(text, links) {
    var paragraphs = String(text || "").split("\n\n");
    var lines = paragraphs[paragraphs.length - 1].split("\n").filter(function (line) { return line.trim(); });
    var standIn = lines.length > 0 && lines.every(function (line) {
      var shown = line.trim();
      return shown.charAt(0) === "\u2022" &&
        links.some(function (link) { return shown.replace(/^\u2022\s*/, "").indexOf(link.label) === 0; });
    });
    return standIn ? paragraphs.slice(0, -1).join("\n\n").replace(/\s+$/, "") : null;
  }
  function addCustom(custom) {
    if (custom.links) {
      var links = cleanLinks(custom.links);
      var last = lastBotEntry();
      var shorter = links.length && last && !last.links ? withoutLinkStandIn(last.text, links) : null;
      var bubble = shorter !== null && log.lastElementChild ? log.lastElementChild.querySelector(".cjw-text") : null;
      if (bubble) {
        last.text = shorter;
        if (shorter) {
          while (bubble.firstChild) bubble.removeChild(bubble.firstChild);
          appendLinkified(bubble, shorter);
        } else {
          bubble.parentNode.removeChild(bubble);
        }
      }
      if (links.length && !attachToLast("links", links, function (e) { return renderLinks(e.links); })) {
        addMessage({ from: "bot", text: "", buttons: [], links: links });
      }
    }
    var feedback = custom.feedback;
    if (feedback && typeof feedback.answer === "string" && /^[0-9.eE+-]{1,40}$/.test(feedback.answer)) {
      attachToLast("feedback", { answer: feedback.answer }, renderFeedback);
    }
    if (config.staff && custom.staff && typeof custom.staff === "object") {
      attachToLast("staff", custom.staff, function (e) { return renderStaff(e.staff, false); });
    }
    if (config.staff && custom.staff_why && typeof custom.staff_why === "object") {
      addMessage({ from: "bot", text: "", buttons: [], staffWhy: custom.staff_why });
    }
  }
  function addBotMessage(message) {
    if (!message || typeof message !== "object") return;
    if (message.custom && typeof message.custom === "object") {
      stopTyping();
      addCustom(message.custom);
      if (!message.text && !message.buttons) return;
    }
    var buttons = (message.quick_replies || message.buttons || [])
      .filter(function (b) { return b && b.title; })
      .map(function (b) { return { title: String(b.title), payload: String(b.payload || b.title) }; });
    var text = typeof message.text === "string" ? message.text : "";
    var image = message.image || (message.attachment && message.attachment.payload && message.attachment.payload.src);
    if (!text && image && safeUrl(image)) text = String(image);
    if (!text && !buttons.length) return;
    stopTyping();
    addMessage({ from: "bot", text: text, buttons: buttons });
  }

  // Typing indicator: visible text, announced to screen readers only the first time.
  var typingAnnounced = false, replyTimer = null;
  function startTyping() {
    typing.hidden = false;
    if (!typingAnnounced) {
      typingAnnounced = true;
      announce("The assistant is typing\u2026");
    }
    scrollToEnd();
    clearTimeout(replyTimer);
    replyTimer = setTimeout(stopTyping, REPLY_TIMEOUT_MS);
  }
  function stopTyping() {
    typing.hidden = true;
    clearTimeout(replyTimer);
  }
  function announce(text) {
    status.textContent = text;
  }

  function showOffline() {
    if (offline.firstChild) {
      scrollToEnd();
      return;
    }
    var p = el("p", "cjw-offline-text");
    var contact = "";
    if (config.phone) {
      contact = " To talk to someone, phone " + (config.contactName ? config.contactName + " on " : "") + config.phone +
        (config.contactText ? " " + config.contactText : "") + ".";
    }
    appendLinkified(p, "Sorry, the assistant can't be reached at the moment. We'll keep trying." + contact +
      " If you are in danger now, call 999.");
    offline.appendChild(p);
    offline.classList.add("cjw-offline--shown");
    scrollToEnd();
  }
  function hideOffline() {
    while (offline.firstChild) offline.removeChild(offline.firstChild);
    offline.classList.remove("cjw-offline--shown");
  }

  // ---------------------------------------------------------------- connection
  // state: idle -> connecting -> socket | rest | offline. Socket retries continue with backoff in
  // every state but "socket"; after SOCKET_FAILURES_BEFORE_REST failures, messages go over REST.
  var conn = { state: "idle", socket: null, failures: 0, retryTimer: null, queue: [] };

  function setState(state) {
    conn.state = state;
    root.setAttribute("data-state", state);
    if (state === "connecting") announce(conn.failures ? "Reconnecting\u2026" : "Connecting\u2026");
    else if (state === "offline") announce("Offline. Trying to reconnect\u2026");
    else if (state === "socket" || state === "rest") {
      // Clear only a connection notice: not "Your conversation has been deleted" or "Thank you for your feedback".
      if (CONNECTION_NOTICES.indexOf(status.textContent) !== -1) announce("");
    }
  }
  var CONNECTION_NOTICES = ["Connecting\u2026", "Reconnecting\u2026", "Offline. Trying to reconnect\u2026"];

  function connect() {
    if (conn.socket) return;
    clearTimeout(conn.retryTimer);
    if (conn.state === "idle") setState("connecting");
    var client = SocketClient(socketUrl(), {
      onConnect: function () {
        client.emit("session_request", { session_id: sessionId });
      },
      onEvent: function (name, payload) {
        if (name === "session_confirm") {
          conn.failures = 0;
          hideOffline();
          setState("socket");
          flushQueue();
        } else if (name === "bot_uttered") {
          addBotMessage(payload);
        } else if (name === "error_message" && conn.state !== "socket") {
          client.close(); // e.g. this conversation is open in another tab: carry on over REST
          client.onClose();
        }
      },
      onClose: function () {
        conn.socket = null;
        conn.failures += 1;
        if (conn.failures >= SOCKET_FAILURES_BEFORE_REST) {
          probeRest();
        } else {
          setState("connecting");
        }
        scheduleRetry();
      }
    });
    conn.socket = client;
  }

  function scheduleRetry() {
    clearTimeout(conn.retryTimer);
    var delay = Math.min(30000, 500 * Math.pow(2, conn.failures));
    delay = delay * (0.8 + Math.random() * 0.4);
    conn.retryTimer = setTimeout(connect, delay);
  }

  function probeRest() {
    fetch(config.server + "/webhooks/rest/", { method: "GET", credentials: "omit", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); })
      .then(function () {
        if (conn.state === "socket") return;
        hideOffline();
        setState("rest");
        flushQueue();
      })
      .catch(function () {
        if (conn.state === "socket") return;
        setState("offline");
        showOffline();
        failQueue();
      });
  }

  function flushQueue() {
    var queued = conn.queue;
    conn.queue = [];
    queued.forEach(deliver);
  }
  function failQueue() {
    var queued = conn.queue;
    conn.queue = [];
    queued.forEach(function (item) { markFailed(item); });
  }
  function markFailed(item) {
    stopTyping();
    if (!item.entry) return;
    item.entry.failed = true;
    save(KEYS.transcript, transcript);
    if (item.node && !item.node.querySelector(".cjw-failed")) {
      item.node.insertBefore(el("p", "cjw-failed", "Not sent. Please try again."), item.node.querySelector(".cjw-quick"));
      scrollToEnd();
    }
  }

  function messageMetadata() {
    return config.partnership ? { partnership: config.partnership } : {};
  }

  function deliver(item) {
    var metadata = messageMetadata();
    var event = { message: item.payload, session_id: sessionId };
    event[METADATA_KEY] = metadata;
    if (conn.state === "socket" && conn.socket && conn.socket.emit("user_uttered", event)) {
      return;
    }
    if (conn.state === "rest" || conn.state === "offline" || conn.state === "socket") {
      sendRest(item, metadata);
    } else {
      conn.queue.push(item);
    }
  }

  function sendRest(item, metadata) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, 20000);
    fetch(config.server + "/webhooks/rest/webhook", {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sessionId, message: item.payload, metadata: metadata }),
      signal: controller ? controller.signal : undefined
    })
      .then(function (r) {
        // 429 (too fast) and 503 come with a reply to show; other errors do not.
        if (!r.ok && r.status !== 429 && r.status !== 503) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (messages) {
        clearTimeout(timer);
        if (conn.state === "offline") { hideOffline(); setState("rest"); }
        stopTyping();
        if (Array.isArray(messages)) messages.forEach(addBotMessage);
      })
      .catch(function () {
        clearTimeout(timer);
        if (conn.state !== "socket") setState("offline");
        showOffline();
        markFailed(item);
      });
  }

  function send(payload, shownText) {
    var item = { payload: payload, entry: null, node: null };
    if (shownText !== null) {
      item.entry = { from: "user", text: shownText };
      item.node = addMessage(item.entry);
    }
    startTyping();
    deliver(item);
  }

  // ---------------------------------------------------------------- open, close, exit, restart
  function isOpen() { return !panel.hidden; }

  function open(moveFocus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("cjw--open");
    ensureSession();
    save(KEYS.open, true);
    scrollToEnd();
    connect();
    if (!transcript.length) send("/greet", null); // the assistant's greeting and first options
    if (moveFocus !== false) input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("cjw--open");
    save(KEYS.open, false);
    launcher.focus();
  }

  // Deletes the conversation on the server. keepalive: it is sent even when the page is leaving.
  function deleteOnServer(id) {
    return fetch(config.server + "/webhooks/rest/delete", {
      method: "POST",
      credentials: "omit",
      keepalive: true,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: id })
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
    });
  }

  function quickExit() {
    exiting = true;
    if (sessionId) deleteOnServer(sessionId).catch(function () { /* leaving anyway; retention deletes it later */ });
    clearStorage();
    if (conn.socket) conn.socket.close();
    while (log.firstChild) log.removeChild(log.firstChild);
    input.value = "";
    window.location.replace(config.exitUrl);
  }

  function deleteConversation() {
    if (!sessionId || !transcript.length) {
      announce("There is no conversation to delete.");
      return;
    }
    deleteButton.disabled = true;
    announce("Deleting your conversation\u2026");
    deleteOnServer(sessionId)
      .then(function () {
        startAgain(false);
        announce("Your conversation has been deleted from this browser and from our server.");
      })
      .catch(function () {
        announce("Sorry, your conversation could not be deleted from our server just now. Please try again.");
      })
      .then(function () { deleteButton.disabled = false; });
  }

  function startAgain(greet) {
    if (conn.socket) conn.socket.close();
    conn.socket = null;
    conn.queue = [];
    stopTyping();
    transcript = [];
    lastUserNode = null;
    sessionId = newSessionId();
    save(KEYS.session, sessionId);
    save(KEYS.transcript, transcript);
    renderTranscript();
    hideOffline();
    conn.failures = 0;
    setState("connecting");
    connect();
    if (greet !== false) send("/greet", null);
    input.value = "";
    input.focus();
  }

  launcher.addEventListener("click", function () { if (isOpen()) close(); else open(true); });
  closeButton.addEventListener("click", close);
  exitButton.addEventListener("click", quickExit);
  restartButton.addEventListener("click", function () { startAgain(true); });
  deleteButton.addEventListener("click", deleteConversation);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, text);
  });
  window.addEventListener("online", function () {
    if (conn.state !== "socket" && conn.state !== "idle") {
      conn.failures = Math.min(conn.failures, SOCKET_FAILURES_BEFORE_REST);
      if (conn.socket) return;
      connect();
    }
  });

  // ---------------------------------------------------------------- theme colour (CSSOM, no inline style)
  function hexLuminance(hex) {
    var v = hex.length === 4 ? hex.slice(1).split("").map(function (c) { return c + c; }).join("") : hex.slice(1);
    var rgb = [0, 2, 4].map(function (i) {
      var c = parseInt(v.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  if (config.primary) {
    if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(config.primary) && 1.05 / (hexLuminance(config.primary) + 0.05) >= 4.5 &&
        typeof CSSStyleSheet === "function" && "adoptedStyleSheets" in document) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(".cjw { --cjw-primary: " + config.primary + "; }");
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
    } else if (window.console) {
      window.console.warn("cj-widget: data-primary-colour must be a #hex colour with 4.5:1 contrast against white; using the default.");
    }
  }

  // ---------------------------------------------------------------- start
  renderTranscript(); // before the widget is in the document, so the restored log is not re-announced
  setState("idle");

  function mount() {
    if (root.parentNode) return;
    document.body.appendChild(root);
    if (load(KEYS.open, false)) open(false);
  }
  var stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = new URL("cj-widget.css", script.src).href;
  stylesheet.onload = stylesheet.onerror = mount;
  script.parentNode.insertBefore(stylesheet, script.nextSibling);

  // No session id here: any script on the host page could read it from window.
  window.CJWidget = {
    open: function () { open(true); },
    close: close,
    get connection() { return conn.state; }
  };
})();
