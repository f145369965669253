"""The Django side of the finance engine: a case's rows -> engine input -> the
JSON-ready quote, exactly what `manage.py quote` prints for the same input."""

import hashlib
import json
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..finance.budget import Budget, living_cost_floor, monthly_budget
from ..finance.codec import MAX_HOUSEHOLD, quote_dict
from ..finance.inputs import BudgetItem
from ..finance.rules import DEFAULT_SAFETY_MARGIN
from ..lenders import lender_slug
from ..models import Agreement, BudgetLine, Case, Contact, Debt, LivingCostFloor, LprRate, Product

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    return timezone.now().astimezone(CHINA).date()


def _money(value) -> str:
    return f"{value:.2f}"


def _rate(value) -> str:
    return format(value.normalize(), "f")


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _limitation_events(case: Case, debts: list[tuple[int, str]]) -> dict[int, list[dict]]:
    """Per debt, the log's dated events that interrupt limitation (one query): what the
    lender or its collectors sent or said (a demand, 诉讼时效规定 Art 8), and the debtor's
    own agreement (Art 14). ``debts``: (id, lender) of the case's debts."""
    events: dict[int, list[dict]] = {}
    rows = Contact.debts.through.objects.filter(contact__case=case).values_list(
        "debt_id", "contact__direction", "contact__outcome", "contact__occurred_at")
    for debt_id, direction, outcome, occurred_at in rows:
        on = occurred_at.astimezone(CHINA).date().isoformat()
        if direction == Contact.Direction.INCOMING:
            events.setdefault(debt_id, []).append({"kind": "demand", "on": on})
        if outcome == Contact.Outcome.AGREED:
            events.setdefault(debt_id, []).append({"kind": "promise", "on": on})
    # An accepted offer is the debtor's agreement to pay every debt of that lender (Art 14).
    agreed = {}
    for slug, on in Agreement.objects.filter(case=case).values_list("lender_slug", "agreed_on"):
        agreed[slug] = max(agreed.get(slug, on), on)
    if agreed:
        for debt_id, lender in debts:
            if lender_slug(lender) in agreed:
                events.setdefault(debt_id, []).append({"kind": "promise", "on": agreed[lender_slug(lender)].isoformat()})
    return {debt_id: sorted(rows, key=lambda e: (e["on"], e["kind"])) for debt_id, rows in events.items()}


def _debt_input(debt: Debt, events: list[dict]) -> dict:
    return {
        "id": str(debt.pk),
        "product": debt.product,
        "lender": debt.lender,
        "principal": _money(debt.principal),
        "overdue_amount": _money(debt.overdue_amount),
        "overdue_since": _date(debt.overdue_since),
        "annual_rate": _rate(debt.annual_rate),
        "billed_charges": debt.billed_lines if debt.billed_lines else _money(debt.billed_charges),
        "grace_days": debt.grace_days,
        "lender_claimed_total": None if debt.lender_claimed_total is None else _money(debt.lender_claimed_total),
        "penalty_daily_rate": None if debt.penalty_daily_rate is None else _rate(debt.penalty_daily_rate),
        "billed_through": _date(debt.billed_through),
        "overdue_interest": _money(debt.overdue_interest),
        "penalty_multiplier": None if debt.penalty_multiplier is None else _rate(debt.penalty_multiplier),
        "accelerated_on": _date(debt.accelerated_on),
        "amount_received": None if debt.amount_received is None else _money(debt.amount_received),
        "day_count": debt.day_count,
        "lender_type": debt.lender_type,
        "contract_date": _date(debt.contract_date),
        "last_due_date": _date(debt.last_due_date),
        "last_payment_date": _date(debt.last_payment_date),
        "events": events,
        "include_despite_limitation": debt.include_despite_limitation,
    }


def _household_size(case: Case) -> int:
    return max(1, min(case.household_size or 1, MAX_HOUSEHOLD))


def _floor_per_person(case: Case) -> str | None:
    floor = LivingCostFloor.for_region(case.city, case.province)
    return None if floor is None else _money(floor.per_person)


def engine_input_for(case: Case, as_of: date | None = None) -> dict:
    """The engine's JSON input for ``case``: six queries (debts, budget lines, the log's
    events, agreements, the floor, the LPR table), however many rows."""
    as_of = as_of or today_in_china()
    rows = list(case.debts.all())
    events = _limitation_events(case, [(debt.pk, debt.lender) for debt in rows])
    debts = [_debt_input(debt, events.get(debt.pk, [])) for debt in rows]
    income, expenses = [], []
    for line in case.budget_lines.all():
        item = {"category": line.category, "amount": _money(line.amount)}
        (income if line.kind == BudgetLine.Kind.INCOME else expenses).append(item)
    return {
        "as_of": as_of.isoformat(),
        "savings": _money(case.savings),
        "debts": debts,
        "income": income,
        "expenses": expenses,
        "safety_margin": f"{DEFAULT_SAFETY_MARGIN:.2f}",
        "household_size": _household_size(case),
        "city": case.city,
        "floor_per_person": _floor_per_person(case),
        "monthly_offer": None if case.monthly_offer is None else _money(case.monthly_offer),
        "lpr": [{"from": row.effective_from.isoformat(), "rate": f"{row.one_year:.4f}"}
                for row in LprRate.objects.order_by("effective_from")],
    }


def budget_of(case: Case) -> Budget:
    """The engine's monthly budget for ``case`` from its budget lines and household (two
    queries): what ``quote_case`` reports under "budget", without the debts and the plans."""
    income, expenses = [], []
    for line in case.budget_lines.all():
        (income if line.kind == BudgetLine.Kind.INCOME else expenses).append(BudgetItem(line.category, line.amount))
    per_person = _floor_per_person(case)
    floor = living_cost_floor(_household_size(case), case.city,
                              None if per_person is None else Decimal(per_person))
    return monthly_budget(income, expenses, DEFAULT_SAFETY_MARGIN, floor)


def quote_case(case: Case, as_of: date | None = None) -> dict:
    """The quote for ``case`` as of ``as_of`` (default: today in China)."""
    return quote_dict(engine_input_for(case, as_of))


# --- Words for the codes in a quote (pages and letters share them) ------------

PLAN_TITLES = {
    "full_balance": _("Full balance in instalments"),
    "waiver": _("Instalments with the penalty waived"),
    "stop_interest": _("Interest stopped, principal only (停息挂账)"),
    "settlement": _("One-off settlement from savings"),
    "deferral": _("A pause, then instalments"),
    "own_amount": _("My own monthly amount"),
    "arrangement": _("What I can pay now, with charges frozen, reviewed later"),
    "hold": _("A pause with no payment, reviewed later (暂缓)"),
}

LINE_LABELS = {
    "days_overdue": _("Days overdue (today − overdue since − grace days)"),
    "principal_is_amount_received": _("Principal: what you actually received (interest taken up front is not principal)"),
    "overdue_fee": _("Huabei overdue fee (overdue amount × 0.05 % a day × days)"),
    "penalty": _("Penalty interest (overdue amount × contract rate per day × multiplier × days)"),
    "interest": _("Contract interest on the overdue amount (overdue amount × rate per day × days)"),
    "compound_interest": _("Interest on overdue interest (at the same daily rate)"),
    "penalty_at_given_rate": _("Penalty at the daily rate you gave (overdue amount × rate × days)"),
    "billed_interest": _("Interest already on your bill"),
    "billed_penalty": _("Penalty already on your bill"),
    "billed_overdue_fee": _("Overdue fee already on your bill"),
    "billed_instalment_fee": _("Instalment fee already on your bill"),
    "billed_other_fee": _("Other fee already on your bill"),
    "cost": _("All charges (already billed + since the billed date)"),
    "all_in_apr": _("What the charges come to per year on the principal that produced them"),
    "allowed_at_cap": _("Most allowed at the ceiling (principal × ceiling × days ÷ days in the year)"),
    "excess_over_cap": _("Amount above the ceiling you may ask to have reduced"),
    "ceiling_not_applicable": _("No period or principal to measure, so nothing is checked against the ceiling"),
    "balance": _("Balance (principal + charges)"),
    "claimed_difference": _("The lender's figure minus ours"),
}

CHARGE_KINDS = {
    "interest": _("Interest"),
    "penalty": _("Penalty interest"),
    "overdue_fee": _("Overdue fee"),
    "instalment_fee": _("Instalment fee"),
    "other_fee": _("Other fee"),
    "compound_interest": _("Interest on overdue interest"),
}

LIMITATION_LABELS = {
    "ok": _("Within the time limit"),
    "check": _("Check the dates before you offer anything"),
    "may_be_time_barred": _("May be time-barred"),
}


def quote_fingerprint(engine_input: dict) -> str:
    """Identifies the figures a page showed, so a choice is saved only against them."""
    text = json.dumps(engine_input, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


PRODUCT_LABELS = dict(Product.choices)


def _percent(fraction: str | None) -> str | None:
    return None if fraction is None else f"{Decimal(fraction) * 100:.2f}"


def present_quote(quote: dict) -> dict:
    """The quote with words beside its codes (product, computation steps, plan kinds)
    and the all-in rates as percentages: what pages and letters show."""
    debts = [
        {
            **debt,
            "product_label": PRODUCT_LABELS.get(debt["product"], debt["product"]),
            "apr_percent": _percent(debt["all_in_apr"]),
            "ceiling_percent": _percent(debt.get("ceiling_rate")),
            "lpr_four_percent": _percent((debt.get("lpr") or {}).get("four_times")),
            "limitation_label": LIMITATION_LABELS.get(debt.get("limitation", "ok")),
            "charge_rows": [{**c, "label": CHARGE_KINDS.get(c["kind"], c["kind"])} for c in debt.get("charges", [])],
            "lines": [
                {
                    **line,
                    "label": LINE_LABELS.get(line["what"], line["what"]),
                    "formula": line["formula"],  # said as a sentence by proposal/formula_words.py
                    "shown": f'{_percent(line["value"])}%' if line["what"] == "all_in_apr" else line["value"],
                }
                for line in debt["charge_lines"]
            ],
        }
        for debt in quote["debts"]
    ]
    labels = {debt["id"]: f'{debt["product_label"]} · {debt["lender"]}' for debt in debts}
    plans = [
        {
            **plan,
            "index": i,
            "title": PLAN_TITLES[plan["kind"]],
            "recommended": i == quote["recommended"],
            "per_debt": [{**part, "label": labels.get(part["id"], "")} for part in plan.get("per_debt", [])],
        }
        for i, plan in enumerate(quote["plans"])
    ]
    shares = [{**share, "label": labels[share["id"]]} for share in quote["pro_rata"]]
    return {**quote, "debts": debts, "plans": plans, "pro_rata": shares}
