// Intake wizard enhancements: live totals, lender defaults, rate conversion.
// Every page works without this file; the server computes and validates everything.
(function () {
  "use strict";

  // The same reading as cases/amounts.py (read_amount): "1,200", full-width digits, "1.2万"; anything else
  // is not a number here either, so the totals never count what the server will refuse.
  var UNITS = { "万": 10000, "w": 10000, "千": 1000, "百": 100 };
  var PLAIN = /^-?([0-9]+(\.[0-9]+)?|\.[0-9]+)$/;
  var GROUPED = /^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$/;

  // Only the full-width forms a Chinese keyboard types (as amounts.py): "²" is not 2.
  function fullWidthToAscii(text) {
    return text.replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/\u3000/g, " ").replace(/\uFFE5/g, "¥");
  }

  function readAmount(text) {
    text = fullWidthToAscii(text || "").trim().replace(/ /g, "").replace(/，/g, ",").replace(/。/g, ".");
    text = text.replace(/^¥/, "").replace(/(元|块|人民币)$/, "");
    if (!text) return { value: 0, unit: "", empty: true };
    var unit = "";
    var last = text.slice(-1).toLowerCase();
    if (UNITS[last]) { unit = last; text = text.slice(0, -1); }
    if (GROUPED.test(text)) text = text.replace(/,/g, "");
    if (!PLAIN.test(text)) return null;
    var value = parseFloat(text) * (unit ? UNITS[unit] : 1);
    var decimals = (String(Math.round(value * 1e6) / 1e6).split(".")[1] || "").length;
    if (value < 0 || decimals > 2) return null;
    return { value: value, unit: unit };
  }

  function amount(input) {
    var reading = readAmount(input && input.value);
    return reading ? reading.value : 0;
  }

  // A note under a money field: the converted figure for "1.2万", or why an amount is not counted.
  function noteAmount(input) {
    if (!input || input.dataset.amount !== "money") return;
    var note = input.parentNode.querySelector("[data-amount-note]");
    if (!note) {
      note = document.createElement("p");
      note.className = "amount-note";
      note.setAttribute("data-amount-note", "");
      note.setAttribute("aria-live", "polite");
      note.id = input.id + "_note";
      input.insertAdjacentElement("afterend", note);
    }
    var reading = readAmount(input.value);
    var box = document.getElementById("amount-words");
    var words = box ? box.dataset : {};
    note.classList.toggle("error", !reading);
    if (!reading) {
      note.textContent = words.unreadable || "";
    } else if (reading.unit) {
      note.textContent = (words.converted || "= %s").replace("%s", reading.value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    } else {
      note.textContent = "";
    }
  }

  function rowRemoved(row) {
    var box = row.querySelector("input[name$='-DELETE']");
    return box && box.checked;
  }

  function updateDebtTotals() {
    var rows = document.querySelectorAll("[data-debt-row]");
    if (!rows.length) return;
    var principal = 0, overdue = 0;
    rows.forEach(function (row) {
      row.classList.toggle("removed", !!rowRemoved(row));
      if (rowRemoved(row)) return;
      principal += amount(row.querySelector("input[name$='-principal']"));
      overdue += amount(row.querySelector("input[name$='-overdue_amount']"));
    });
    var p = document.getElementById("debt-total-principal");
    var o = document.getElementById("debt-total-overdue");
    if (p) p.textContent = principal.toFixed(2);
    if (o) o.textContent = overdue.toFixed(2);
  }

  function updateRateHint(row) {
    var rate = row.querySelector("input[name$='-rate']");
    var period = row.querySelector("select[name$='-rate_period']");
    var hint = row.querySelector("[data-rate-hint]");
    if (!rate || !period || !hint) return;
    var text = fullWidthToAscii(rate.value || "").trim().replace(/\s*%$/, "");
    var value = PLAIN.test(text) ? parseFloat(text) : 0;
    if (period.value === "day" && value) {
      hint.textContent = "= " + (value * 360).toFixed(2) + " % " + (hint.dataset.yearWord || "");
    } else {
      hint.textContent = "";
    }
  }

  function suggestLender(select) {
    var row = select.closest("[data-debt-row]");
    var rows = document.getElementById("debt-rows");
    if (!row || !rows) return;
    var lender = row.querySelector("input[name$='-lender']");
    var suggestion = rows.getAttribute("data-lender-" + select.value) || "";
    var previous = lender.dataset.suggested || "";
    if (lender && (!lender.value || lender.value === previous)) {
      lender.value = suggestion;
      lender.dataset.suggested = suggestion;
    }
  }

  // "What it proves": offer only the suggestions of the evidence kind chosen (lists rendered by the server).
  function suggestProves(select) {
    var proves = select.form && select.form.querySelector("input[name='proves']");
    if (!proves) return;
    var list = document.getElementById("proves-" + select.value);
    proves.setAttribute("list", list ? list.id : "proves-none");
  }

  function updateBudgetTotals() {
    var form = document.getElementById("budget-form");
    if (!form) return;
    var income = 0, expense = 0;
    form.querySelectorAll("input[data-budget]").forEach(function (input) {
      if (input.dataset.budget === "income") income += amount(input); else expense += amount(input);
    });
    var surplus = income - expense;
    form.querySelector("[data-total=income]").textContent = income.toFixed(2);
    form.querySelector("[data-total=expense]").textContent = expense.toFixed(2);
    var out = form.querySelector("[data-total=surplus]");
    out.textContent = surplus.toFixed(2);
    out.classList.toggle("deficit", surplus < 0);
    out.classList.toggle("surplus", surplus >= 0);
    var note = form.querySelector("[data-deficit-note]");
    if (note) note.hidden = surplus >= 0;
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-amount]")) noteAmount(event.target);
    var row = event.target.closest && event.target.closest("[data-debt-row]");
    if (row) { updateDebtTotals(); updateRateHint(row); }
    if (event.target.matches && event.target.matches("input[data-budget]")) updateBudgetTotals();
  });
  // Evidence: a file over the size limit is refused before it is sent (the server checks again).
  function checkFileSize(input) {
    var max = parseInt(input.dataset.maxBytes || "0", 10);
    var file = input.files && input.files[0];
    var message = "";
    if (max && file && file.size > max) {
      message = (input.dataset.tooLarge || "").replace("%SIZE%", (file.size / 1048576).toFixed(1));
    }
    input.setCustomValidity(message);
    var note = document.getElementById(input.id + "_size");
    if (!note) {
      note = document.createElement("p");
      note.id = input.id + "_size";
      note.className = "amount-note error";
      note.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
    input.setAttribute("aria-invalid", message ? "true" : "false");
    return !message;
  }

  document.addEventListener("submit", function (event) {
    var input = event.target.querySelector && event.target.querySelector("input[type=file][data-max-bytes]");
    if (input && !checkFileSize(input)) { event.preventDefault(); event.stopPropagation(); input.focus(); }
  }, true);
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target.closest && event.target.closest("form");
    var input = form && form.querySelector("input[type=file][data-max-bytes]");
    if (input && !checkFileSize(input)) { event.preventDefault(); input.focus(); }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[type=file][data-max-bytes]")) checkFileSize(target);
    if (target.matches && target.matches("select[name$='-product']")) suggestLender(target);
    if (target.matches && target.matches(".upload-form select[name='kind'], .evidence-details select[name='kind']")) suggestProves(target);
    var row = target.closest && target.closest("[data-debt-row]");
    if (row) { updateDebtTotals(); updateRateHint(row); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-amount]").forEach(function (input) { if (input.value) noteAmount(input); });
    updateDebtTotals();
    updateBudgetTotals();
  });
})();
