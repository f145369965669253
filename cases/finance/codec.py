"""JSON-ready dicts <-> engine dataclasses. The schema is in docs/quote.md.

Input amounts may be strings ("1234.50") or JSON numbers (parse them with
``parse_float=Decimal``); output amounts are always strings with 2 places, rates
as fraction strings, dates ISO. Anything wrong raises ``InputError`` naming the
field, in one line.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .engine import quote
from .inputs import BudgetItem, CaseInput, DebtInput
from .results import ChargeLine, DebtResult, Plan, Quote
from .rules import DEFAULT_DEFERRAL_MONTHS, DEFAULT_SAFETY_MARGIN, DEFERRAL_MONTHS, PRODUCTS

MAX_AMOUNT = Decimal("9999999999.99")  # what the database can hold (12 digits, 2 places)
MAX_DEBTS = 200
MAX_BUDGET_LINES = 500
MAX_GRACE_DAYS = 365
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

CASE_FIELDS = {"as_of", "debts", "income", "expenses", "savings", "safety_margin", "deferral_months"}
DEBT_REQUIRED = ("id", "product", "lender", "principal", "overdue_amount", "overdue_since")
DEBT_OPTIONAL = ("annual_rate", "billed_charges", "grace_days", "lender_claimed_total", "penalty_daily_rate")
BUDGET_FIELDS = ("category", "amount")


class InputError(ValueError):
    """Bad engine input; the message names the field and says what is expected."""

    def __init__(self, where: str, problem: str):
        super().__init__(_printable(f"{where}: {problem}"))


def _printable(text: str) -> str:
    """One line, shown as typed: newlines, control and bidi characters from the input appear escaped ("\\n",
    "\\u202e"), so a hostile value cannot break the one-line error or reorder what the terminal shows."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


def _decimal(value: Any, where: str, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal, float)):
        raise InputError(where, f"must be {what}, got {_show(value)}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(where, f"must be {what}, got {_show(value)}") from None
    if not number.is_finite():
        raise InputError(where, f"must be {what}, got {_show(value)}")
    return number


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "..."


def parse_amount(value: Any, where: str) -> Decimal:
    what = 'a non-negative amount in yuan like "1234.50"'
    number = _decimal(value, where, what)
    if number < 0:
        raise InputError(where, f"must not be negative, got {_show(value)}")
    if number > MAX_AMOUNT:
        raise InputError(where, f"is too large (at most {MAX_AMOUNT}), got {_show(value)}")
    if number != number.quantize(Decimal("0.01")):
        raise InputError(where, f"must have at most 2 decimal places (whole fen), got {_show(value)}")
    return number.quantize(Decimal("0.01"))


def parse_rate(value: Any, where: str, upper: Decimal) -> Decimal:
    number = _decimal(value, where, 'a rate as a decimal fraction like "0.108"')
    if number < 0 or number > upper:
        raise InputError(where, f"must be a fraction between 0 and {upper}, got {_show(value)}")
    return number


def parse_int(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(where, f"must be a whole number from {low} to {high}, got {_show(value)}")
    return value


def parse_date(value: Any, where: str) -> date:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise InputError(where, f"must be a date like \"2026-11-22\", got {_show(value)}")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InputError(where, f"is not a real date, got {_show(value)}") from None
    # Schedules run up to 63 months past as_of; far-off years are typos, and year 9999 would overflow.
    if not DATE_RANGE[0] <= parsed <= DATE_RANGE[1]:
        raise InputError(where, f"must be between {DATE_RANGE[0]} and {DATE_RANGE[1]}, got {_show(value)}")
    return parsed


DATE_RANGE = (date(1990, 1, 1), date(2100, 12, 31))


def _object(value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(value, dict):
        raise InputError(where or "the case", f"must be an object, got {_show(value)}")
    for key in required:
        if key not in value:
            raise InputError(f"{where}.{key}" if where else key, "is missing")
    for key in value:
        if key not in required and key not in optional:
            raise InputError(f"{where}.{key}" if where else key, "is not a known field")
    return value


def _list(value: Any, where: str, limit: int) -> list:
    if not isinstance(value, list):
        raise InputError(where, f"must be a list, got {_show(value)}")
    if len(value) > limit:
        raise InputError(where, f"has {len(value)} entries, at most {limit} are allowed")
    return value


def _text(value: Any, where: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise InputError(where, f"must be {'a' if allow_empty else 'a non-empty'} string, got {_show(value)}")
    return value


def debt_from_dict(data: Any, where: str) -> DebtInput:
    data = _object(data, where, DEBT_REQUIRED, DEBT_OPTIONAL)
    product = data["product"]
    if product not in PRODUCTS:
        raise InputError(f"{where}.product", f"unknown product {_show(product)}; expected one of {', '.join(PRODUCTS)}")
    since = data["overdue_since"]
    claimed = data.get("lender_claimed_total")
    penalty = data.get("penalty_daily_rate")
    return DebtInput(
        id=_text(data["id"], f"{where}.id"),
        product=product,
        lender=_text(data["lender"], f"{where}.lender", allow_empty=True),
        principal=parse_amount(data["principal"], f"{where}.principal"),
        overdue_amount=parse_amount(data["overdue_amount"], f"{where}.overdue_amount"),
        overdue_since=None if since is None else parse_date(since, f"{where}.overdue_since"),
        annual_rate=parse_rate(data.get("annual_rate", "0"), f"{where}.annual_rate", Decimal("10")),
        billed_charges=parse_amount(data.get("billed_charges", "0.00"), f"{where}.billed_charges"),
        grace_days=parse_int(data.get("grace_days", 0), f"{where}.grace_days", 0, MAX_GRACE_DAYS),
        lender_claimed_total=None if claimed is None else parse_amount(claimed, f"{where}.lender_claimed_total"),
        penalty_daily_rate=(
            None if penalty is None else parse_rate(penalty, f"{where}.penalty_daily_rate", Decimal("1"))
        ),
    )


def budget_items(data: Any, where: str) -> tuple[BudgetItem, ...]:
    items = []
    for i, line in enumerate(_list(data, where, MAX_BUDGET_LINES)):
        here = f"{where}[{i}]"
        line = _object(line, here, BUDGET_FIELDS)
        category = _text(line["category"], f"{here}.category")
        items.append(BudgetItem(category, parse_amount(line["amount"], f"{here}.amount")))
    return tuple(items)


def case_from_dict(data: Any) -> CaseInput:
    data = _object(data, "", ("as_of", "debts"), tuple(CASE_FIELDS))
    debts = tuple(debt_from_dict(d, f"debts[{i}]") for i, d in enumerate(_list(data["debts"], "debts", MAX_DEBTS)))
    seen: set[str] = set()
    for i, debt in enumerate(debts):
        if debt.id in seen:
            raise InputError(f"debts[{i}].id", f"{_show(debt.id)} is used by another debt; ids must be unique")
        seen.add(debt.id)
    income = budget_items(data.get("income", []), "income")
    expenses = budget_items(data.get("expenses", []), "expenses")
    if len(income) + len(expenses) > MAX_BUDGET_LINES:
        raise InputError("income", f"income and expenses together have more than {MAX_BUDGET_LINES} lines")
    margin = parse_rate(data.get("safety_margin", str(DEFAULT_SAFETY_MARGIN)), "safety_margin", Decimal("0.99"))
    return CaseInput(
        as_of=parse_date(data["as_of"], "as_of"),
        debts=debts,
        income=income,
        expenses=expenses,
        savings=parse_amount(data.get("savings", "0.00"), "savings"),
        safety_margin=margin,
        deferral_months=parse_int(
            data.get("deferral_months", DEFAULT_DEFERRAL_MONTHS), "deferral_months", min(DEFERRAL_MONTHS),
            max(DEFERRAL_MONTHS),
        ),
    )


# --- Output -----------------------------------------------------------------


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _line(line: ChargeLine) -> dict:
    return {"what": line.what, "formula": line.formula, "value": line.value}


def _debt(debt: DebtResult) -> dict:
    return {
        "id": debt.id,
        "product": debt.product,
        "lender": debt.lender,
        "principal": _money(debt.principal),
        "overdue_amount": _money(debt.overdue_amount),
        "overdue_since": debt.overdue_since.isoformat() if debt.overdue_since else None,
        "grace_days": debt.grace_days,
        "days_overdue": debt.days_overdue,
        "billed_charges": _money(debt.billed_charges),
        "computed_charges": _money(debt.computed_charges),
        "cost": _money(debt.cost),
        "all_in_apr": None if debt.all_in_apr is None else f"{debt.all_in_apr:.4f}",
        "allowed_at_cap": _money(debt.allowed_at_cap),
        "excess_over_cap": _money(debt.excess_over_cap),
        "over_cap": debt.over_cap,
        "balance": _money(debt.balance),
        "lender_claimed_total": _money(debt.lender_claimed_total),
        "claimed_difference": _money(debt.claimed_difference),
        "charge_lines": [_line(line) for line in debt.charge_lines],
    }


def _plan(plan: Plan) -> dict:
    return {
        "kind": plan.kind,
        "months": plan.months,
        "deferral_months": plan.deferral_months,
        "monthly_payment": _money(plan.monthly_payment),
        "last_payment": _money(plan.schedule[-1].amount),
        "total": _money(plan.total),
        "waived": _money(plan.waived),
        "affordable": plan.affordable,
        "first_due": plan.schedule[0].due.isoformat(),
        "schedule": [{"due": i.due.isoformat(), "amount": _money(i.amount)} for i in plan.schedule],
        "per_debt": [
            {"id": part.id, "total": _money(part.total), "waived": _money(part.waived),
             "monthly_payment": _money(part.monthly_payment), "last_payment": _money(part.last_payment)}
            for part in plan.per_debt
        ],
    }


def quote_to_dict(quote: Quote) -> dict:
    t, b = quote.totals, quote.budget
    return {
        "as_of": quote.as_of.isoformat(),
        "debts": [_debt(d) for d in quote.debts],
        "totals": {
            "principal": _money(t.principal),
            "billed_charges": _money(t.billed_charges),
            "computed_charges": _money(t.computed_charges),
            "cost": _money(t.cost),
            "balance": _money(t.balance),
            "excess_over_cap": _money(t.excess_over_cap),
        },
        "budget": {
            "income": _money(b.income),
            "expenses": _money(b.expenses),
            "surplus": _money(b.surplus),
            "safety_margin": f"{b.safety_margin:.2f}",
            "margin": _money(b.margin),
            "available": _money(b.available),
        },
        "savings": _money(quote.savings),
        "pro_rata": [{"id": s.id, "share": _money(s.share)} for s in quote.pro_rata],
        "plans": [_plan(p) for p in quote.plans],
        "recommended": quote.recommended,
        "none_affordable": quote.none_affordable,
    }


def quote_dict(data: Any) -> dict:
    """JSON-ready input dict -> JSON-ready output dict (what `manage.py quote` prints)."""
    return quote_to_dict(quote(case_from_dict(data)))
