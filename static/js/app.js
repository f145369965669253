// Small progressive enhancements; every page works without this file.

// Negotiation log (issue 6): a print button on the timeline; without JS, the browser's own print works.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.classList.remove("hidden");
    button.addEventListener("click", () => window.print());
  }
});
