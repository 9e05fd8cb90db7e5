// Learn: read the article aloud through the browser's own speech synthesis (where it has it),
// and print it. Both buttons stay hidden without JavaScript; the page reads and prints the
// same without them.
const canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
const readButton = document.querySelector("[data-read-aloud]");
const readable = document.querySelector("[data-read]");
if (canSpeak && readButton && readable) {
  let reading = false;
  const stop = () => {
    reading = false;
    readButton.textContent = "Read aloud";
  };
  readButton.hidden = false;
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
    window.speechSynthesis.speak(u);
  });
  window.addEventListener("pagehide", () => window.speechSynthesis.cancel());
}
const printButton = document.querySelector("[data-print]");
if (printButton) {
  printButton.hidden = false;
  printButton.addEventListener("click", () => window.print());
}
