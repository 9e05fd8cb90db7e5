// Calm now: small enhancements. Every calm page works without this file (step-by-step pages).
// - Keeps the calm pages and Help now available offline (registers /sw.js).
// - A gentle timer for steps with a suggested time, with Pause and Resume.
// - The breathing pacer: a circle that grows and shrinks with the person's rhythm and a live
//   text count. With reduced motion the circle is not shown: only the text count runs.
// - Read aloud through the browser's own speech synthesis, where the browser has it.
// Nothing here stores anything.

const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
const canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {
    /* offline copies are a bonus; the pages work without them */
  });
}

const controls = document.querySelector("[data-controls]");
const pauseButton = document.querySelector("[data-pause]");
const readButton = document.querySelector("[data-read-aloud]");
const timerEl = document.querySelector("[data-timer]");
const announceEl = document.querySelector("[data-announce]");

function show(el) {
  if (el) el.hidden = false;
  if (controls) controls.hidden = false;
}

function announce(text) {
  if (announceEl) announceEl.textContent = text;
}

/** Everything on the page that runs over time (a timer, the pacer) and can be paused. */
const runners = [];
let paused = false;

function setPaused(value) {
  paused = value;
  if (pauseButton) pauseButton.textContent = paused ? "Resume" : "Pause";
  for (const r of runners) (paused ? r.pause : r.resume)();
  if (canSpeak) {
    if (paused) window.speechSynthesis.pause();
    else window.speechSynthesis.resume();
  }
  announce(paused ? "Paused." : "Going on.");
}

if (pauseButton) {
  pauseButton.addEventListener("click", () => {
    const done = runners.find((r) => r.finished && r.finished());
    if (done && !paused) {
      done.restart();
      pauseButton.textContent = "Pause";
      announce("Going on.");
      return;
    }
    setPaused(!paused);
  });
}

// ---- A gentle timer for a step --------------------------------------------------------------
// No ticking numbers (a countdown can read as a test): the time left is kept quietly (data-left,
// read by the browser tests), and only its end is said.
const timed = document.querySelector("[data-seconds]");
if (timed && timerEl && pauseButton) {
  let left = Number(timed.dataset.seconds) || 0;
  let interval = null;
  const ended = "That's about the time suggested. Take your time, and go on whenever you're ready.";
  const draw = () => {
    timerEl.dataset.left = String(left);
    timerEl.textContent = left > 0 ? "" : ended;
  };
  const tick = () => {
    left -= 1;
    draw();
    if (left <= 0) {
      clearInterval(interval);
      interval = null;
      pauseButton.hidden = true;
      announce(ended);
    }
  };
  const runner = {
    pause() {
      clearInterval(interval);
      interval = null;
    },
    resume() {
      if (!interval && left > 0) interval = setInterval(tick, 1000);
    },
  };
  if (left > 0) {
    runners.push(runner);
    show(pauseButton);
    show(timerEl);
    draw();
    runner.resume();
  }
}

// ---- The breathing pacer --------------------------------------------------------------------
const pacer = document.querySelector(".pacer");

/** A rhythm value from the address (used when an offline copy was drawn for another rhythm). */
function fromAddress(name, min, max, fallback) {
  const raw = new URLSearchParams(window.location.search).get(name);
  if (raw === null || !/^\d{1,2}$/.test(raw.trim())) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}

if (pacer && pauseButton) {
  const d = pacer.dataset;
  const rhythm = {
    inhale: fromAddress("inhale", 2, 12, Number(d.inhale)),
    hold: fromAddress("hold", 0, 10, Number(d.hold)),
    exhale: fromAddress("exhale", 2, 12, Number(d.exhale)),
    rest: fromAddress("rest", 0, 10, Number(d.rest)),
  };
  const phases = [
    { cue: "Breathe in", say: "in", seconds: rhythm.inhale, scale: 1 },
    { cue: "Pause", say: "pause", seconds: rhythm.hold, scale: null },
    { cue: "Breathe out", say: "out", seconds: rhythm.exhale, scale: 0.5 },
    { cue: "Pause", say: "pause", seconds: rhythm.rest, scale: null },
  ].filter((p) => p.seconds > 0);
  const cycle = phases.reduce((sum, p) => sum + p.seconds, 0) || 10;
  const breaths = Math.max(1, Math.round((Number(d.breaths) * (Number(d.inhale) + Number(d.hold) + Number(d.exhale) + Number(d.rest))) / cycle) || 1);

  // If the address asked for another rhythm than the page was drawn with, say the right one.
  const list = pacer.querySelector(".pacer-count");
  if (list) {
    list.replaceChildren(
      ...phases.map((p) => {
        const li = document.createElement("li");
        const strong = document.createElement("strong");
        strong.textContent = p.cue;
        li.append(strong, `: ${Array.from({ length: p.seconds }, (_, i) => i + 1).join(", ")}`);
        return li;
      }),
    );
  }

  const live = pacer.querySelector(".pacer-live");
  const circle = pacer.querySelector(".pacer-circle");
  const phaseEl = pacer.querySelector(".pacer-phase");
  const numberEl = pacer.querySelector(".pacer-number");
  let voice = false;

  const still = () => pacer.classList.toggle("still", reduceMotion.matches);
  still();
  reduceMotion.addEventListener("change", still);

  let phase = 0;
  let second = 0;
  let breath = 0;
  let interval = null;
  let finished = false;

  const moveCircle = (seconds) => {
    const p = phases[phase];
    if (!circle || reduceMotion.matches || p.scale === null) return;
    // Settle the current size first, so the change is animated even on the first breath.
    circle.getBoundingClientRect();
    void getComputedStyle(circle).transform;
    circle.style.transitionDuration = `${seconds}s`;
    circle.style.transform = `scale(${p.scale})`;
  };
  const freezeCircle = () => {
    if (!circle) return;
    const now = getComputedStyle(circle).transform;
    circle.style.transitionDuration = "0s";
    circle.style.transform = now === "none" ? "" : now;
  };
  const say = (text) => {
    if (!voice || !canSpeak) return;
    window.speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.rate = 0.85;
    window.speechSynthesis.speak(u);
  };
  const startPhase = () => {
    const p = phases[phase];
    second = 1;
    phaseEl.textContent = p.cue;
    numberEl.textContent = String(second);
    pacer.dataset.phase = p.say;
    moveCircle(p.seconds);
    say(p.say);
  };
  const finish = () => {
    clearInterval(interval);
    interval = null;
    finished = true;
    phaseEl.textContent = "That's it. Keep going if you like, or go on when you're ready.";
    numberEl.textContent = "";
    pacer.dataset.phase = "done";
    pauseButton.textContent = "Keep going";
  };
  const tick = () => {
    second += 1;
    if (second > phases[phase].seconds) {
      phase = (phase + 1) % phases.length;
      if (phase === 0) {
        breath += 1;
        if (breath >= breaths) {
          finish();
          return;
        }
      }
      startPhase();
      return;
    }
    numberEl.textContent = String(second);
  };
  const runner = {
    pause() {
      clearInterval(interval);
      interval = null;
      freezeCircle();
    },
    resume() {
      if (interval || finished) return;
      moveCircle(phases[phase].seconds - second + 1);
      interval = setInterval(tick, 1000);
    },
    finished: () => finished,
    restart() {
      finished = false;
      breath = 0;
      phase = 0;
      startPhase();
      interval = setInterval(tick, 1000);
    },
  };
  runners.push(runner);
  live.hidden = false;
  show(pauseButton);
  startPhase();
  interval = setInterval(tick, 1000);

  if (canSpeak && readButton) {
    readButton.textContent = "Say the rhythm aloud";
    show(readButton);
    readButton.addEventListener("click", () => {
      voice = !voice;
      readButton.textContent = voice ? "Stop saying the rhythm" : "Say the rhythm aloud";
      if (voice) say(phases[phase].say);
      else window.speechSynthesis.cancel();
    });
  }
}

// ---- Read aloud -----------------------------------------------------------------------------
const readable = document.querySelector("[data-read]");
if (canSpeak && readButton && readable && !pacer) {
  let reading = false;
  const stop = () => {
    reading = false;
    readButton.textContent = "Read aloud";
  };
  show(readButton);
  readButton.addEventListener("click", () => {
    window.speechSynthesis.cancel();
    if (reading) {
      stop();
      return;
    }
    const heading = document.querySelector("h1");
    const text = [heading ? heading.textContent : "", readable.textContent].join(". ").replace(/\s+/g, " ").trim();
    const u = new SpeechSynthesisUtterance(text);
    u.rate = 0.9;
    u.addEventListener("end", stop);
    u.addEventListener("error", stop);
    reading = true;
    readButton.textContent = "Stop reading";
    if (paused) setPaused(false);
    window.speechSynthesis.speak(u);
  });
}

window.addEventListener("pagehide", () => {
  if (canSpeak) window.speechSynthesis.cancel();
});
