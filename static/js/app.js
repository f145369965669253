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

// Work kept when a session ends (issue 17). A form sent after the session expired lands on the log-in page
// and the server never sees it. What the user typed is kept in this tab (sessionStorage, never sent anywhere),
// and offered back when the same form is shown again, with the rows added to it since the page loaded (the
// debts step's "Add another debt"). Passwords, ID and account numbers are never kept. On a shared device a
// draft is for the person who typed it only: it carries a key of that account (not the account itself) and is
// dropped when another account opens the form, and every draft is dropped on logging out (docs/decisions/022-tab-drafts-with-added-rows.md).
(() => {
  const PREFIX = "negotiator-draft:";
  const NEVER = /password|id_number|account_number|csrfmiddlewaretoken|^version$|TOTAL_FORMS|INITIAL_FORMS/;
  const keyOf = (form) => PREFIX + new URL(form.action, window.location.href).pathname;
  const keptFields = (form) => Array.from(form.elements).filter((el) => el.name && !NEVER.test(el.name)
    && !["file", "hidden", "submit", "button", "password"].includes(el.type));
  const onLoginPage = () => !!document.querySelector("main input[type=password]");
  const owner = () => (document.getElementById("draft-words") || { dataset: {} }).dataset.owner || "";
  const rowCounts = (form) => Object.fromEntries(Array.from(form.querySelectorAll("input[name$='-TOTAL_FORMS']"))
    .map((el) => [el.name, parseInt(el.value, 10) || 0]));
  const dropAll = () => {
    for (let i = sessionStorage.length - 1; i >= 0; i -= 1) {
      const key = sessionStorage.key(i);
      if (key && key.startsWith(PREFIX)) sessionStorage.removeItem(key);
    }
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form[data-drops-drafts]")) { dropAll(); return; }
    if (!form.matches("main form[method=post]") || form.querySelector("input[type=password]")) return;
    const fields = keptFields(form);
    if (!fields.some((el) => (el.type === "checkbox" || el.type === "radio") ? el.checked : el.value)) return;
    const values = fields.map((el) => [el.name, el.type === "checkbox" || el.type === "radio" ? (el.checked ? el.value : null) : el.value]);
    try {
      sessionStorage.setItem(keyOf(form), JSON.stringify({ values, rows: rowCounts(form), owner: owner(), pending: true }));
    } catch (error) { /* storage full or disabled: nothing kept, nothing breaks */ }
  }, true);

  // The rows added with "Add another debt" before the session ended, added again the same way (the server
  // renders each), so their fields exist before the values go back in.
  async function addRows(form, rows) {
    const button = form.querySelector("[data-adds-row]");
    if (!button || !window.htmx) return;
    for (const [name, count] of Object.entries(rows || {})) {
      // The count is swapped out of band with each row: read it again each time.
      const total = () => form.querySelector(`input[name="${CSS.escape(name)}"]`);
      while (total() && (parseInt(total().value, 10) || 0) < count) {
        const before = total().value;
        await window.htmx.ajax("GET", button.getAttribute("hx-get"), {
          source: button, target: button.getAttribute("hx-target"), swap: "beforeend", values: { [name]: before },
        });
        if (!total() || total().value === before) return;  // the server added no row: put back what fits
      }
    }
  }

  function restore(form, draft) {
    for (const [name, value] of draft.values) {
      for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (value !== null && el.value === value) el.checked = true;
        } else if (value !== null) {
          el.value = value;
          el.dispatchEvent(new Event("input", { bubbles: true }));
          el.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const words = document.getElementById("draft-words");
    for (let i = sessionStorage.length - 1; i >= 0; i -= 1) {
      const key = sessionStorage.key(i);
      if (!key || !key.startsWith(PREFIX)) continue;
      const draft = JSON.parse(sessionStorage.getItem(key) || "{}");
      if (draft.pending) {
        if (onLoginPage()) {
          draft.pending = false;  // the app never received it: keep it to offer back
          sessionStorage.setItem(key, JSON.stringify(draft));
        } else {
          sessionStorage.removeItem(key);  // the app received it (saved, or shown again with its errors)
        }
      } else if (!onLoginPage() && draft.owner !== owner()) {
        sessionStorage.removeItem(key);  // someone else typed it: never shown to this account
      }
    }
    if (!words) return;
    document.querySelectorAll("main form[method=post]").forEach((form) => {
      const key = keyOf(form);
      const draft = JSON.parse(sessionStorage.getItem(key) || "null");
      if (!draft || draft.pending) return;
      const bar = document.createElement("div");
      bar.className = "message warning draft-offer";
      bar.setAttribute("role", "status");
      const text = document.createElement("p");
      text.textContent = words.dataset.offer;
      const put = document.createElement("button");
      put.type = "button";
      put.className = "button primary";
      put.textContent = words.dataset.restore;
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button";
      discard.textContent = words.dataset.discard;
      bar.append(text, put, " ", discard);
      form.prepend(bar);
      put.addEventListener("click", async () => {
        put.disabled = true;
        try {
          await addRows(form, draft.rows);
        } finally {
          restore(form, draft);
          sessionStorage.removeItem(key);
          bar.remove();
        }
      });
      discard.addEventListener("click", () => { sessionStorage.removeItem(key); bar.remove(); });
    });
  });
})();
