// Journal writing, enhanced. The form works the same without this file (it then keeps the
// words only when sent). With it:
// - what the person types is sent, sealed on the server as a draft, every few seconds while
//   they type, and once more when the page is hidden or closed: a lock, a closed tab or a
//   crash loses at most a few seconds;
// - each of those requests also keeps the session alive, so writing is never cut off by the
//   auto-lock. The page still locks itself after the chosen quiet time without typing (the
//   layout's own timer is off on this page; this one restarts at every keystroke);
// - an entry over the size limit is caught before sending, with the words kept in place.

const form = document.querySelector("form[data-draft]");

const MAX_CHARS = 20000; // one entry's text, all boxes together (the server checks too)
const BODY_LIMIT = 256 * 1024; // the most the server accepts in one request
const SAVE_EVERY_MS = 5000;

if (form) {
  const draftKey = form.dataset.draft || "";
  const idle = Number(form.dataset.idleSeconds || "0");
  const status = document.getElementById("draft-status");
  const hint = document.querySelector(".autosave-hint");
  if (hint) hint.hidden = false;

  let dirty = false; // typed since the last draft the server confirmed (or tried)
  let timer = null;
  let inflight = null;
  let submitting = false;
  let locking = false;
  let lockTimer = null;

  const say = (words) => {
    if (status && status.textContent !== words) status.textContent = words;
  };

  const payload = () => {
    const data = new URLSearchParams(new FormData(form));
    data.set("form", draftKey);
    return data;
  };

  const textChars = () => {
    let n = 0;
    for (const box of form.querySelectorAll("textarea")) n += [...box.value].length;
    return n;
  };

  const sizeProblem = () => {
    const n = textChars();
    if (n > MAX_CHARS) {
      return `This entry has ${n.toLocaleString("en-GB")} characters, and one entry can hold up to 20,000. Your words are still here: you could shorten it, or move part of it into a new entry.`;
    }
    if (payload().toString().length > BODY_LIMIT) {
      return "This is more than can be sent at once. Your words are still here: you could move part of it into a new entry.";
    }
    return "";
  };

  // One draft request at a time: newer words wait for the older request to land, so an older
  // draft can never arrive last and replace a newer one. The promise settles when every word
  // typed so far has been sent (or has failed to be).
  const save = () => {
    if (!dirty || submitting) return inflight || Promise.resolve();
    if (inflight) return inflight.then(save);
    dirty = false;
    inflight = fetch("/journal/draft", {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      redirect: "manual",
    })
      .then((r) => {
        if (r.status === 204) {
          say("Kept as you type.");
        } else if (r.type === "opaqueredirect" || r.status === 403) {
          dirty = true;
          say("Your journal has locked, so the newest words are only on this page. Unlock in another tab, then come back and save.");
        } else if (r.status === 400) {
          dirty = true;
          say("This is longer than one entry can hold, so the newest part is not kept yet.");
        } else {
          dirty = true;
          say("We could not keep the newest words just now. We will try again as you type.");
        }
      })
      .catch(() => {
        dirty = true;
        say("We could not keep the newest words just now. We will try again as you type.");
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };

  const schedule = () => {
    if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        save();
      }, SAVE_EVERY_MS);
    }
  };

  // The server pushes its lock time out at most once a minute, so lock the page a little
  // before the server would: the person never types into a page whose session has ended.
  const lockAfter = () => Math.max(idle - 65, Math.ceil(idle / 2));

  // Ends the session and settles once the server has answered: its answer to POST /lock (a
  // redirect to /unlock) is sent only after the session is gone, so the unlock page asked for
  // next can never still find it unlocked (a beacon is not ordered with that navigation: the
  // unlock page, finding the session alive, sent the person on to the unlocked home page). A
  // page open since an unlock in another tab holds an old form token, which the server
  // refuses: then the current token is read from a fresh page and the lock sent again.
  const endSession = async () => {
    const post = (csrf) =>
      fetch("/lock", {
        method: "POST",
        body: new URLSearchParams({ csrf }),
        credentials: "same-origin",
        redirect: "manual",
        keepalive: true,
      });
    if ((await post(document.body.dataset.csrf || "")).type === "opaqueredirect") return;
    const home = await fetch("/", { credentials: "same-origin", redirect: "manual" });
    if (home.type === "opaqueredirect") return; // nothing is unlocked any more
    const fresh = new DOMParser().parseFromString(await home.text(), "text/html").body.dataset.csrf;
    if (fresh) await post(fresh);
  };

  const lockNow = async () => {
    if (locking || submitting) return;
    locking = true;
    clearTimeout(lockTimer);
    clearTimeout(timer);
    timer = null;
    // Out of sight at once, and nothing more can be typed into a page that is going away.
    const overlay = document.createElement("div");
    overlay.className = "exit-overlay";
    document.documentElement.appendChild(overlay);
    document.body.classList.add("exiting");
    form.inert = true;
    // In order, each waiting for the one before: a draft already on its way, then the newest
    // words, then the lock. A draft that reached the server after the lock would be refused
    // (and leaving the page would cut it off), losing those words.
    try {
      await save();
    } catch (_) {
      /* the draft from a few seconds ago is kept */
    }
    try {
      await endSession();
    } catch (_) {
      /* no connection: the server locks after the quiet time anyway */
    }
    window.location.replace("/unlock");
  };

  const restartLock = () => {
    if (idle <= 0 || locking) return;
    clearTimeout(lockTimer);
    lockTimer = setTimeout(lockNow, lockAfter() * 1000);
  };

  const showProblem = (words) => {
    let alert = document.getElementById("form-problem");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "notice";
      alert.id = "form-problem";
      alert.setAttribute("role", "alert");
      form.parentNode.insertBefore(alert, form);
    }
    alert.textContent = words;
    alert.tabIndex = -1;
    alert.focus();
  };

  form.addEventListener("input", () => {
    dirty = true;
    schedule();
    restartLock();
  });

  form.addEventListener("submit", (event) => {
    const problem = sizeProblem();
    if (problem) {
      event.preventDefault();
      showProblem(problem);
      return;
    }
    submitting = true;
    dirty = false;
    clearTimeout(timer);
    timer = null;
    if (inflight) {
      // Let a draft already on its way land first, so it cannot outlive the saved entry.
      event.preventDefault();
      inflight.finally(() => form.submit());
    }
  });

  // Hidden or closing: send what is typed now (a beacon survives the page going away).
  const flush = () => {
    if (!dirty || submitting || locking) return;
    dirty = false;
    clearTimeout(timer);
    timer = null;
    try {
      navigator.sendBeacon("/journal/draft", payload());
    } catch (_) {
      dirty = true;
    }
  };
  // Throwing the draft away: nothing typed here may bring it back.
  for (const discard of document.querySelectorAll('form[action="/journal/draft/discard"]')) {
    discard.addEventListener("submit", () => {
      submitting = true;
      clearTimeout(timer);
      timer = null;
    });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);

  restartLock();
}
