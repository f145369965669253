"""JSON-ready dicts <-> engine dataclasses. The schema is in docs/quote.md.

Input amounts may be strings ("1234.50") or JSON numbers (parse them with
``parse_float=Decimal``); output amounts are always strings with 2 places, rates
as fraction strings, dates ISO. Anything wrong raises ``InputError`` naming the
field, in one line.
"""

import dataclasses
import functools
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .engine import quote
from .inputs import BilledCharge, BudgetItem, CaseInput, DebtEvent, DebtInput
from .results import DebtResult, Instalment, Plan, Quote
from .rules import (
    CHARGE_KINDS, DAY_COUNTS, DEFAULT_DEFERRAL_MONTHS, DEFAULT_RESERVE_MONTHS, DEFAULT_REVIEW_MONTHS,
    DEFAULT_SAFETY_MARGIN, DEFERRAL_MONTHS, EVENT_KINDS, LENDER_TYPES, PRODUCTS, REVIEW_MONTHS,
)

MAX_AMOUNT = Decimal("9999999999.99")  # what the database can hold (12 digits, 2 places)
MAX_DEBTS = 200
MAX_BUDGET_LINES = 500
MAX_GRACE_DAYS = 365
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

CASE_FIELDS = {"as_of", "debts", "income", "expenses", "savings", "safety_margin", "deferral_months",
               "household_size", "city", "floor_per_person", "monthly_offer", "reserve_months", "review_months", "lpr"}
DEBT_REQUIRED = ("id", "product", "lender", "principal", "overdue_amount", "overdue_since")
DEBT_OPTIONAL = ("annual_rate", "billed_charges", "grace_days", "lender_claimed_total", "penalty_daily_rate",
                 "billed_through", "overdue_interest", "penalty_multiplier", "accelerated_on", "amount_received",
                 "day_count", "lender_type", "contract_date", "last_due_date", "last_payment_date",
                 "last_demand_date", "events", "include_despite_limitation")
# The three dates the command takes per debt, as the limitation events they are.
DATE_EVENTS = {"last_due_date": "due", "last_payment_date": "payment", "last_demand_date": "demand"}
BUDGET_FIELDS = ("category", "amount")
MAX_CHARGE_LINES = 100
MAX_EVENTS = 1000
MAX_HOUSEHOLD = 20


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


def _optional(data: dict, key: str, parse, where: str, *args):
    value = data.get(key)
    return None if value is None else parse(value, f"{where}.{key}" if where else key, *args)


def _choice(value: Any, where: str, choices: tuple) -> Any:
    # Of the choices' own type only: 12.0 == 12, but a month count of 12.0 would reach date arithmetic as a float.
    if not any(type(value) is type(choice) and value == choice for choice in choices):
        shown = ", ".join(str(c) for c in choices)
        raise InputError(where, f"unknown value {_show(value)}; expected one of {shown}")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(where, f"must be true or false, got {_show(value)}")
    return value


def billed_lines(value: Any, where: str) -> tuple[Decimal, tuple[BilledCharge, ...]]:
    """``billed_charges``: a number (one line over the overdue period, as in v1) or a list of lines."""
    if not isinstance(value, list):
        return parse_amount(value, where), ()
    lines = []
    for i, line in enumerate(_list(value, where, MAX_CHARGE_LINES)):
        here = f"{where}[{i}]"
        line = _object(line, here, ("kind", "amount"), ("from", "to", "base"))
        start = _optional(line, "from", parse_date, here)
        end = _optional(line, "to", parse_date, here)
        if start is not None and end is not None and end < start:
            raise InputError(f"{here}.to", f"must not be before {here}.from, got {_show(line['to'])}")
        lines.append(BilledCharge(
            kind=_choice(line["kind"], f"{here}.kind", CHARGE_KINDS),
            amount=parse_amount(line["amount"], f"{here}.amount"),
            start=start, end=end, base=_optional(line, "base", parse_amount, here),
        ))
    return Decimal("0.00"), tuple(lines)


def debt_events(data: dict, where: str) -> tuple[DebtEvent, ...]:
    events = [DebtEvent(kind, parse_date(data[key], f"{where}.{key}"))
              for key, kind in DATE_EVENTS.items() if data.get(key) is not None]
    for i, event in enumerate(_list(data.get("events", []), f"{where}.events", MAX_EVENTS)):
        here = f"{where}.events[{i}]"
        event = _object(event, here, ("kind", "on"))
        events.append(DebtEvent(_choice(event["kind"], f"{here}.kind", EVENT_KINDS), parse_date(event["on"], f"{here}.on")))
    return tuple(sorted(events, key=lambda e: (e.on, e.kind)))


def debt_from_dict(data: Any, where: str) -> DebtInput:
    data = _object(data, where, DEBT_REQUIRED, DEBT_OPTIONAL)
    product = data["product"]
    if product not in PRODUCTS:
        raise InputError(f"{where}.product", f"unknown product {_show(product)}; expected one of {', '.join(PRODUCTS)}")
    since = data["overdue_since"]
    billed_total, lines = billed_lines(data.get("billed_charges", "0.00"), f"{where}.billed_charges")
    day_count = data.get("day_count")
    return DebtInput(
        id=_text(data["id"], f"{where}.id"),
        product=product,
        lender=_text(data["lender"], f"{where}.lender", allow_empty=True),
        principal=parse_amount(data["principal"], f"{where}.principal"),
        overdue_amount=parse_amount(data["overdue_amount"], f"{where}.overdue_amount"),
        overdue_since=None if since is None else parse_date(since, f"{where}.overdue_since"),
        annual_rate=parse_rate(data.get("annual_rate", "0"), f"{where}.annual_rate", Decimal("10")),
        billed_charges=billed_total,
        billed=tuple(sorted(lines, key=lambda c: (c.kind, c.start or date.min, c.end or date.min, c.amount,
                                                  c.base if c.base is not None else Decimal(-1)))),
        grace_days=parse_int(data.get("grace_days", 0), f"{where}.grace_days", 0, MAX_GRACE_DAYS),
        lender_claimed_total=_optional(data, "lender_claimed_total", parse_amount, where),
        penalty_daily_rate=_optional(data, "penalty_daily_rate", parse_rate, where, Decimal("1")),
        billed_through=_optional(data, "billed_through", parse_date, where),
        overdue_interest=parse_amount(data.get("overdue_interest", "0.00"), f"{where}.overdue_interest"),
        penalty_multiplier=_optional(data, "penalty_multiplier", parse_rate, where, Decimal("10")),
        accelerated_on=_optional(data, "accelerated_on", parse_date, where),
        amount_received=_optional(data, "amount_received", parse_amount, where),
        day_count=None if day_count is None else _choice(day_count, f"{where}.day_count", DAY_COUNTS),
        lender_type=_choice(data.get("lender_type", "licensed"), f"{where}.lender_type", LENDER_TYPES),
        contract_date=_optional(data, "contract_date", parse_date, where),
        events=debt_events(data, where),
        include_despite_limitation=_bool(data.get("include_despite_limitation", False),
                                         f"{where}.include_despite_limitation"),
    )


def budget_items(data: Any, where: str) -> tuple[BudgetItem, ...]:
    items = []
    for i, line in enumerate(_list(data, where, MAX_BUDGET_LINES)):
        here = f"{where}[{i}]"
        line = _object(line, here, BUDGET_FIELDS)
        category = _text(line["category"], f"{here}.category")
        items.append(BudgetItem(category, parse_amount(line["amount"], f"{here}.amount")))
    return tuple(items)


def lpr_table(data: Any, where: str) -> tuple[tuple[date, Decimal], ...]:
    rows = []
    for i, row in enumerate(_list(data, where, 500)):
        here = f"{where}[{i}]"
        row = _object(row, here, ("from", "rate"))
        rows.append((parse_date(row["from"], f"{here}.from"), parse_rate(row["rate"], f"{here}.rate", Decimal("1"))))
    return tuple(sorted(rows))


def case_from_dict(data: Any) -> CaseInput:
    data = _object(data, "", ("as_of", "debts"), tuple(sorted(CASE_FIELDS)))
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
    lpr = data.get("lpr")
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
        household_size=parse_int(data.get("household_size", 1), "household_size", 1, MAX_HOUSEHOLD),
        city=_text(data.get("city", ""), "city", allow_empty=True),
        floor_per_person=_optional(data, "floor_per_person", parse_amount, ""),
        monthly_offer=_optional(data, "monthly_offer", parse_amount, ""),
        reserve_months=parse_int(data.get("reserve_months", DEFAULT_RESERVE_MONTHS), "reserve_months", 0, 24),
        review_months=_choice(data.get("review_months", DEFAULT_REVIEW_MONTHS), "review_months", REVIEW_MONTHS),
        lpr=None if lpr is None else lpr_table(lpr, "lpr"),
    )


# --- Output -----------------------------------------------------------------
# One walk over the result dataclasses: amounts as strings with 2 places, rates with 4,
# dates ISO; a few derived fields are added per debt and plan below.

RATE_FIELDS = frozenset({"all_in_apr", "rate", "lpr", "reference_rate"})
RENAMED = {"start": "from", "end": "to", "groups": "ceiling_groups"}


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, RENAMED.get(f.name, f.name)) for f in dataclasses.fields(cls))


def to_json(value: Any, name: str = "") -> Any:
    if isinstance(value, Decimal):
        return f"{value:.4f}" if name in RATE_FIELDS else f"{value:.2f}"
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, Instalment):  # the bulk of a quote: keep it quick
        return {"due": value.due.isoformat(), "amount": f"{value.amount:.2f}"}
    if isinstance(value, (tuple, list)):
        return [to_json(item, name) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return {out: to_json(getattr(value, field), field) for field, out in _fields(type(value))}


def _debt(debt: DebtResult) -> dict:
    data = to_json(debt)
    ceiling = data.pop("ceiling")
    data["over_cap"] = debt.over_cap
    data.update({
        "ceiling_rule": ceiling["rule"],
        "ceiling_rate": ceiling["rate"],
        "ceiling_source": ceiling["source"],
        "day_count": ceiling["day_count"],
        "day_count_from_contract": ceiling["day_count_from_contract"],
        "lpr": {"rate": ceiling["lpr"], "effective_from": ceiling["lpr_from"], "looked_up_for": ceiling["lpr_at"],
                "four_times": ceiling["reference_rate"] if ceiling["rule"] == "24%" else ceiling["rate"]},
    })
    return data


def _plan(plan: Plan) -> dict:
    data = to_json(plan)
    data["last_payment"] = f"{plan.schedule[-1].amount:.2f}" if plan.schedule else "0.00"
    data["first_due"] = plan.schedule[0].due.isoformat() if plan.schedule else None
    return data


def quote_to_dict(result: Quote) -> dict:
    # Debts and plans (the bulk: every schedule) are walked once, by their own writers.
    special = {"debts": _debt, "plans": _plan}
    return {
        out: [special[field](item) for item in value] if field in special else to_json(value, field)
        for field, out in _fields(Quote) for value in (getattr(result, field),)
    }


def quote_dict(data: Any) -> dict:
    """JSON-ready input dict -> JSON-ready output dict (what `manage.py quote` prints)."""
    return quote_to_dict(quote(case_from_dict(data)))
