// Small progressive enhancements; every page works without this file.

// Negotiation log (issue 6): a print button on the timeline; without JS, the browser's own print works.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.classList.remove("hidden");
    button.addEventListener("click", () => window.print());
  }
});

// Error summary (issue 17): take focus so screen readers announce it and the keyboard starts there; a link
// in it moves focus to its field, not only the view. Without JS, the form's "#error-summary" action scrolls.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  // A save that worked redirects, and the browser carries the form's "#error-summary" over to the next page,
  // where there is none: drop it from the address bar.
  if (!summary && window.location.hash === "#error-summary") {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  if (!summary) return;
  summary.scrollIntoView({ block: "start" });
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    const details = field.closest("details");
    if (details) details.open = true;
    field.scrollIntoView({ block: "center" });
    field.focus();
  });
});

// A panel htmx has just put in place (the proposal's schedule) comes into view and takes focus (issue 17).
document.addEventListener("htmx:afterSettle", (event) => {
  const root = event.detail && event.detail.elt;
  const panel = root && (root.matches("[data-takes-focus]") ? root : root.querySelector("[data-takes-focus]"));
  const target = panel || document.querySelector("[data-takes-focus]:target");
  if (!target || !document.body.contains(target)) return;
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
});
