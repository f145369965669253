// Intake wizard enhancements: live totals, lender defaults, rate conversion.
// Every page works without this file; the server computes and validates everything.
(function () {
  "use strict";

  function amount(input) {
    var value = parseFloat((input && input.value || "").replace(",", "."));
    return isFinite(value) && value > 0 ? value : 0;
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
    var value = amount(rate);
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
    var row = event.target.closest && event.target.closest("[data-debt-row]");
    if (row) { updateDebtTotals(); updateRateHint(row); }
    if (event.target.matches && event.target.matches("input[data-budget]")) updateBudgetTotals();
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[name$='-product']")) suggestLender(target);
    if (target.matches && target.matches(".upload-form select[name='kind']")) suggestProves(target);
    var row = target.closest && target.closest("[data-debt-row]");
    if (row) { updateDebtTotals(); updateRateHint(row); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    updateDebtTotals();
    updateBudgetTotals();
  });
})();
