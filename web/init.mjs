/* global document, window */
// Progressive enhancement only: every page works without this script.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";

initAll();

// "Print this chronology": a button that only appears when the script runs.
for (const button of document.querySelectorAll("[data-trellis-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
