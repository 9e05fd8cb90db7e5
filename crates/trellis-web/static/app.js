// Small enhancements only: every page works without this file.
// - Quick exit (button, or Shift pressed three times): blank the page at once, lock the
//   session with a beacon, and replace this page in history with a neutral site.
// - Auto-lock after the chosen quiet time.
// - A gentle length hint while choosing a passphrase.
// - Today: the person's own date, and a check-in kept (not dropped) when the page auto-locks.
// - Together: a partner's pause comes as a calm dialog over whatever page is open (nothing
//   typed there is touched), and goes when they are ready to talk.

const body = document.body;
const csrf = body.dataset.csrf || "";
const exitForm = document.querySelector("form.quick-exit");
const exitUrl = (exitForm && exitForm.dataset.exitUrl) || "about:blank";
const statusEl = document.querySelector(".exit-status");

function lockBeacon() {
  try {
    const data = new URLSearchParams({ csrf });
    navigator.sendBeacon("/lock", data);
  } catch (_) {
    /* nothing to do: the server also locks after the quiet time */
  }
}

// Ends the session and resolves true once the server has answered: its answer to POST /lock
// (a redirect to /unlock) is sent only after the session is gone, so whatever the page asks for
// next can never still find it unlocked (a beacon gives no such order). A page open since an
// unlock in another tab holds an old form token, which the server refuses: then the current
// token is read from a fresh page and the lock is sent again. (journal.js has the same steps.)
async function endSession() {
  const post = (token) =>
    fetch("/lock", {
      method: "POST",
      body: new URLSearchParams({ csrf: token }),
      credentials: "same-origin",
      redirect: "manual",
      keepalive: true,
    });
  try {
    if ((await post(csrf)).type === "opaqueredirect") return true;
    const home = await fetch("/", { credentials: "same-origin", redirect: "manual" });
    if (home.type === "opaqueredirect") return true; // nothing is unlocked any more
    const fresh = new DOMParser().parseFromString(await home.text(), "text/html").body.dataset.csrf;
    return !!fresh && (await post(fresh)).type === "opaqueredirect";
  } catch (_) {
    return false; // no connection: the server locks after the quiet time anyway
  }
}

function blank() {
  const overlay = document.createElement("div");
  overlay.className = "exit-overlay";
  document.documentElement.appendChild(overlay);
  body.classList.add("exiting");
  document.title = "";
}

function quickExit() {
  blank();
  lockBeacon();
  try { sessionStorage.clear(); localStorage.clear(); } catch (_) { /* storage may be blocked */ }
  window.location.replace(exitUrl);
}

if (exitForm) {
  exitForm.addEventListener("submit", (event) => {
    event.preventDefault();
    quickExit();
  });
}

// Shift three times, each press within 5 seconds of the last (GOV.UK "Exit this page").
let presses = 0;
let timer = null;
document.addEventListener("keydown", (event) => {
  if (event.key !== "Shift") {
    presses = 0;
    return;
  }
  if (event.repeat) return;
  presses += 1;
  clearTimeout(timer);
  if (presses >= 3) {
    presses = 0;
    if (statusEl) statusEl.textContent = "Leaving this page.";
    quickExit();
    return;
  }
  if (statusEl) statusEl.textContent = presses === 1 ? "Shift pressed once. Press twice more to leave quickly." : "Shift pressed twice. Press once more to leave quickly.";
  timer = setTimeout(() => {
    presses = 0;
    if (statusEl) statusEl.textContent = "";
  }, 5000);
});

// A page restored from the back/forward cache must never show old content.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    body.classList.add("exiting");
    window.location.reload();
  }
});

// Auto-lock: the server locks too; this makes sure the screen does not keep showing content.
// Typing counts as activity: while the person types, the page tells the server at most once a
// minute (POST /keepalive), and the timer starts again.
const idle = Number(body.dataset.idleSeconds || "0");
if (idle > 0) {
  let idleTimer = null;
  let locking = false;
  let lastKeepalive = Date.now();
  const lockNow = () => {
    if (locking) return;
    locking = true;
    clearTimeout(idleTimer);
    // A public page (a calm tool) shows nothing private: lock quietly and let the person
    // finish the exercise instead of pulling them to the unlock page. The Lock button goes
    // only once the server has locked, so a page opened next never finds the session open.
    if (document.querySelector('meta[name="trellis-public"]')) {
      endSession().then((locked) => {
        if (locked) document.querySelectorAll("form.lock").forEach((f) => f.remove());
      });
      return;
    }
    blank();
    // A form that asks to be kept (the Today check-in) is sent to its keep address, which
    // locks the session there and keeps what was typed, out of sight, until unlock.
    const keep = document.querySelector("form[data-keep-on-lock]");
    if (keep) {
      keep.action = keep.dataset.keepOnLock;
      keep.submit();
      return;
    }
    // The lock completes before the unlock page is asked for.
    endSession().then(() => window.location.replace("/unlock"));
  };
  const restart = () => {
    if (locking) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(lockNow, idle * 1000);
  };
  restart();
  document.addEventListener("input", () => {
    if (Date.now() - lastKeepalive < 60000) {
      restart();
      return;
    }
    lastKeepalive = Date.now();
    fetch("/keepalive", {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      body: new URLSearchParams({ csrf }),
    }).then((r) => { if (r.status === 204) restart(); }).catch(() => {});
  });
}

// Help now, Learn and the therapy guide open offline after one visit (the calm pages register
// the same worker, which keeps only public pages: see sw.js). A public page says so with
// <meta name="trellis-public">.
const publicPage = window.location.pathname === "/help" || document.querySelector('meta[name="trellis-public"]');
if (publicPage && "serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {
    /* offline copies are a bonus; the page works without them */
  });
}

// Passphrase length hint on the set-up page.
const pass = document.querySelector('input[autocomplete="new-password"]#passphrase');
const strength = document.getElementById("strength");
if (pass && strength) {
  pass.addEventListener("input", () => {
    const n = [...pass.value].length;
    strength.textContent = n === 0 ? "" : n < 12 ? `${n} characters so far. At least 12 are needed.` : `${n} characters. Long enough.`;
  });
}

// Today (issue 3): "today" is the person's own date. The server only knows UTC, so when the
// browser's date differs, ask again with it (once: a page that already names a day stays).
const dayPage = document.querySelector("[data-server-day]");
if (dayPage && !new URLSearchParams(window.location.search).has("day")) {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  if (local !== dayPage.dataset.serverDay) window.location.replace(`${window.location.pathname}?day=${local}`);
}

// The morning invitation (three qualities) is for the morning only: after midday, it steps aside.
if (new Date().getHours() >= 12) document.querySelectorAll("[data-morning]").forEach((el) => { el.hidden = true; });

// A form that notes "today" (a hobby's note) takes the person's own date.
document.querySelectorAll("input[data-local-day]").forEach((i) => {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  i.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
});

// Together: comfort "until the end of today" means the person's own day.
document.querySelectorAll("input[data-tz-offset]").forEach((i) => {
  i.value = String(new Date().getTimezoneOffset());
});

// Together: the partner's pause, over the event stream (GET /events). The dialog is built with
// text only (never HTML from the server); closing it leaves the page as it was.
const eventsUrl = body.dataset.events;
if (eventsUrl && "EventSource" in window) {
  let dialog = null;
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const show = (parts) => {
    if (!dialog) {
      dialog = el("dialog", "", "partner-pause");
      dialog.setAttribute("aria-labelledby", "partner-pause-h");
      document.body.appendChild(dialog);
    }
    dialog.replaceChildren(...parts);
    const close = el("button", "Close", "button quiet");
    close.type = "button";
    close.addEventListener("click", () => dialog.close());
    // A modal dialog makes the page behind it unreachable: Quick exit comes with it.
    const exit = el("button", "Quick exit", "button exit");
    exit.type = "button";
    exit.addEventListener("click", quickExit);
    const row = dialog.appendChild(el("p", "", "dialog-actions"));
    row.append(close, exit);
    if (!dialog.open) dialog.showModal();
  };
  const banner = () => document.querySelector(".partner-paused");
  const source = new EventSource(eventsUrl);
  // The partner's card page shows where things stand: it loads again when that changes.
  const onCardPage = window.location.pathname === "/together/paused";
  const cardShown = () => !!document.querySelector(".pause-card");
  source.addEventListener("pause", (event) => {
    if (onCardPage) {
      if (!cardShown()) window.location.reload();
      return;
    }
    const d = JSON.parse(event.data);
    const h = el("h2", "Your partner asked for a pause");
    h.id = "partner-pause-h";
    const steps = el("ol", "", "steps");
    d.steps.forEach((s) => steps.appendChild(el("li", s)));
    const parts = [h, el("p", d.card, "pause-words")];
    if (d.safe_word) parts.push(el("p", `Their safe word or sign: ${d.safe_word}`));
    parts.push(el("h3", "What helps now"), steps);
    // Said when it arrives; a page opened during a pause shows the banner instead.
    if (d.why !== "start" || !banner()) show(parts);
  });
  source.addEventListener("calm", (event) => {
    if (onCardPage) {
      if (cardShown()) window.location.reload();
      return;
    }
    const d = JSON.parse(event.data);
    const b = banner();
    if (b) b.remove();
    if (dialog && dialog.open) {
      const h = el("h2", d.why === "resume" ? "Your partner is ready to talk" : "The pause has ended");
      h.id = "partner-pause-h";
      show([h, el("p", "Go gently. You might ask: \u201cWhat would help?\u201d")]);
    }
  });
  // Locked or signed out: the stream answers with the unlock page, and the browser stops.
  window.addEventListener("pagehide", () => source.close());
}
