/* global document, window, fetch */
// Progressive enhancement of a return's run page (decision 0040): without this script the
// page refreshes itself every 2 seconds; with it, the bar and its words update in place from
// the run's progress JSON, and the page reloads to show the report (or the failure) when the
// run ends.
const box = document.querySelector("[data-trellis-run-progress]");
const EVERY_MS = 1000;

async function poll() {
  if (!box) return;
  const text = box.querySelector("[data-trellis-run-progress-text]");
  const bar = box.querySelector("[data-trellis-run-progress-bar]");
  try {
    const response = await fetch(box.dataset.trellisRunProgress, {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(String(response.status));
    const progress = await response.json();
    if (progress.status !== "running") {
      window.location.assign(progress.href);
      return;
    }
    if (text && text.textContent !== progress.text) text.textContent = progress.text;
    if (bar) {
      if (progress.total) {
        bar.max = progress.total;
        bar.value = progress.done ?? 0;
      } else {
        bar.removeAttribute("value");
      }
    }
  } catch {
    // The poll failed (the network, a restart): the page's own refresh is the fallback.
    window.setTimeout(() => window.location.reload(), 2000);
    return;
  }
  window.setTimeout(() => void poll(), EVERY_MS);
}

void poll();
