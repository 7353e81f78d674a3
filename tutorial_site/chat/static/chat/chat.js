// The chat page's client: plain JavaScript, no build step, the same protocol as any other client.
//
// The database is the source of truth and every message has its room's seq (1, 2, 3, ...). This
// client shows each message once, in seq order: a frame that arrives ahead of a gap waits, and if
// the gap is still there half a second later (frames from two servers can arrive slightly out of
// order), it asks the server for what it lacks with {"type": "since", "seq": last}. It reconnects
// with backoff, resumes the same way, and sends again what was not confirmed (same client_id: the
// server stores a message once).
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("chat-config").textContent);
  const GAP_WAIT_MS = 500;
  const TYPING_EVERY_MS = 2000;
  const TYPING_SHOWN_MS = 3000;
  const FINAL_CLOSES = {
    4401: "You are not logged in any more.",
    4403: "You do not take part in this room.",
    4404: "There is no such room.",
  };

  const $ = (id) => document.getElementById(id);
  const view = {
    status: $("chat-status"), scroll: $("chat-scroll"), presence: $("chat-presence"), older: $("chat-older"),
    messages: $("chat-messages"), typing: $("chat-typing"), form: $("chat-form"),
    body: $("chat-body"), error: $("chat-error"),
  };
  const pending = document.createElement("ol");
  pending.className = "chat-messages chat-pending";
  view.messages.after(pending);

  let socket = null;
  let lastSeq = 0; // every message up to lastSeq is shown
  let oldestSeq = null; // the oldest message shown, for "Load earlier messages"
  let serverLastSeq = 0; // last_seq of the latest "ready"
  let joinHistory = false; // the next "history" frame is the one sent on joining
  let catchingUp = false; // a "since" is on its way
  const early = new Map(); // seq -> message that arrived ahead of a gap
  let gapTimer = null;
  const outbox = new Map(); // client_id -> {body, item}: sent, not confirmed yet
  let attempt = 0;
  let retryTimer = null;
  let lastTyping = 0;
  const typists = new Map(); // user -> timer

  // -- the connection ----------------------------------------------------------------------------
  function connect() {
    clearTimeout(retryTimer);
    setStatus("connecting", "connecting…");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${config.socket}`);
    socket.onmessage = (event) => receive(JSON.parse(event.data));
    socket.onclose = (event) => closed(event.code);
  }

  function closed(code) {
    socket = null;
    catchingUp = false;
    view.presence.textContent = "…";
    if (code in FINAL_CLOSES) {
      setStatus("closed", FINAL_CLOSES[code]);
      if (code === 4401) showError("Log in again to keep chatting.", config.loginUrl);
      return;
    }
    const delay = Math.min(10000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    setStatus("reconnecting", `connection lost, reconnecting in ${Math.ceil(delay / 1000)} s…`);
    retryTimer = setTimeout(connect, delay);
  }

  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  // -- frames from the server ----------------------------------------------------------------------
  function receive(frame) {
    switch (frame.type) {
      case "ready":
        attempt = 0;
        serverLastSeq = frame.last_seq;
        joinHistory = true;
        catchingUp = false;
        setStatus("connected", `connected as ${frame.user}`);
        break;
      case "history":
        receiveHistory(frame);
        break;
      case "message":
        accept(frame);
        break;
      case "typing":
        showTyping(frame.user);
        break;
      case "presence":
        view.presence.textContent = frame.users.join(", ") || "nobody";
        break;
      case "error":
        if (frame.code === "rate_limited") setTimeout(retry, 1000);
        else showError(frame.detail);
        break;
    }
  }

  function receiveHistory(frame) {
    const messages = frame.messages;
    if (joinHistory) {
      joinHistory = false;
      if (lastSeq === 0 && messages.length) {
        lastSeq = messages[0].seq - 1; // a first visit starts with the latest messages
        oldestSeq = messages[0].seq;
        view.older.hidden = !frame.more;
      }
      messages.forEach(accept);
      if (early.size || serverLastSeq > lastSeq) askSince(); // missed more than the history holds
      resend();
      return;
    }
    catchingUp = false;
    messages.forEach(accept);
    if (frame.more || early.size) askSince(); // a history frame is complete: a gap left is a loss
  }

  function accept(message) {
    confirmSent(message);
    if (message.seq <= lastSeq || early.has(message.seq)) return; // already here
    if (message.seq !== lastSeq + 1) {
      early.set(message.seq, message);
      if (!gapTimer) gapTimer = setTimeout(gapExpired, GAP_WAIT_MS);
      return;
    }
    show(message);
    lastSeq = message.seq;
    while (early.has(lastSeq + 1)) {
      const next = early.get(lastSeq + 1);
      early.delete(lastSeq + 1);
      show(next);
      lastSeq = next.seq;
    }
    if (!early.size) {
      clearTimeout(gapTimer);
      gapTimer = null;
    }
  }

  function gapExpired() {
    gapTimer = null;
    if (early.size) askSince();
  }

  function askSince() {
    if (!catchingUp) catchingUp = send({ type: "since", seq: lastSeq });
  }

  function retry() {
    catchingUp = false;
    if (early.size) askSince();
    resend();
  }

  // -- showing messages: always as text, never as HTML ---------------------------------------------
  function messageItem(author, body, created) {
    const item = document.createElement("li");
    const head = document.createElement("div");
    head.className = "chat-meta";
    const who = document.createElement("strong");
    who.textContent = author;
    head.append(who);
    if (created) {
      const when = document.createElement("time");
      when.dateTime = created;
      when.textContent = shortTime(new Date(created));
      head.append(" ", when);
    }
    const text = document.createElement("div");
    text.className = "chat-body";
    text.textContent = body;
    item.append(head, text);
    if (author === config.user) item.classList.add("mine");
    return item;
  }

  function shortTime(date) {
    const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    if (date.toDateString() === new Date().toDateString()) return time;
    return `${date.toLocaleDateString([], { month: "short", day: "numeric" })}, ${time}`;
  }

  function show(message) {
    // Follow the conversation if the reader was at the bottom before this message (however tall it
    // is), and leave them where they are if they had scrolled up to read.
    const scroll = view.scroll;
    const following = scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 120;
    const item = messageItem(message.author, message.body, message.created);
    item.dataset.seq = message.seq;
    view.messages.append(item);
    typists.delete(message.author);
    renderTyping();
    if (following) scroll.scrollTop = scroll.scrollHeight;
  }

  function confirmSent(message) {
    const sent = message.author === config.user && outbox.get(message.client_id);
    if (sent) {
      sent.item.remove();
      outbox.delete(message.client_id);
    }
  }

  async function loadOlder() {
    view.older.disabled = true;
    try {
      const response = await fetch(`${config.api}?before=${oldestSeq}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const page = await response.json();
      const first = view.messages.firstChild;
      for (const message of page.results) {
        const item = messageItem(message.author.username, message.body, message.created);
        item.dataset.seq = message.seq;
        view.messages.insertBefore(item, first);
      }
      if (page.results.length) oldestSeq = page.results[0].seq;
      view.older.hidden = page.previous === null;
    } catch (error) {
      showError(`Could not load earlier messages: ${error.message}.`);
    } finally {
      view.older.disabled = false;
    }
  }

  // -- sending -------------------------------------------------------------------------------------
  function newClientId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function submit(event) {
    event.preventDefault();
    const body = view.body.value;
    if (!body.trim()) return;
    if (body.length > config.maxBody) {
      showError(`A message has at most ${config.maxBody} characters; this one has ${body.length}.`);
      return;
    }
    const clientId = newClientId();
    const item = messageItem(config.user, body, null);
    item.classList.add("sending");
    item.title = "sending…";
    pending.append(item);
    view.scroll.scrollTop = view.scroll.scrollHeight;
    outbox.set(clientId, { body, item });
    send({ type: "message", body, client_id: clientId });
    view.body.value = "";
    hideError();
  }

  function resend() {
    for (const [clientId, { body }] of outbox) send({ type: "message", body, client_id: clientId });
  }

  // -- typing, status, errors ------------------------------------------------------------------------
  function typed() {
    const now = Date.now();
    if (now - lastTyping > TYPING_EVERY_MS) {
      lastTyping = now;
      send({ type: "typing" });
    }
  }

  function showTyping(user) {
    clearTimeout(typists.get(user));
    typists.set(user, setTimeout(() => { typists.delete(user); renderTyping(); }, TYPING_SHOWN_MS));
    renderTyping();
  }

  function renderTyping() {
    const names = [...typists.keys()];
    view.typing.textContent = names.length ? `${names.join(", ")} ${names.length > 1 ? "are" : "is"} typing…` : "";
  }

  function setStatus(state, text) {
    view.status.dataset.state = state;
    view.status.textContent = text;
  }

  function showError(text, link) {
    view.error.textContent = text + " ";
    if (link) {
      const a = document.createElement("a");
      a.href = link;
      a.textContent = "Log in";
      view.error.append(a);
    }
    view.error.hidden = false;
  }

  function hideError() {
    view.error.hidden = true;
  }

  view.form.addEventListener("submit", submit);
  view.body.addEventListener("input", typed);
  view.body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
  });
  view.older.addEventListener("click", loadOlder);
  window.addEventListener("online", () => { if (!socket) connect(); });
  connect();
})();
