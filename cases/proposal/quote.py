"""The Django side of the finance engine: a case's rows -> engine input -> the
JSON-ready quote, exactly what `manage.py quote` prints for the same input."""

import hashlib
import json
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..finance.budget import Budget, monthly_budget
from ..finance.codec import quote_dict
from ..finance.inputs import BudgetItem
from ..finance.rules import DEFAULT_SAFETY_MARGIN
from ..models import BudgetLine, Case, Product

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    return timezone.now().astimezone(CHINA).date()


def _money(value) -> str:
    return f"{value:.2f}"


def _rate(value) -> str:
    return format(value.normalize(), "f")


def engine_input_for(case: Case, as_of: date | None = None) -> dict:
    """The engine's JSON input for ``case``: two queries (debts, budget lines)."""
    as_of = as_of or today_in_china()
    debts = [
        {
            "id": str(debt.pk),
            "product": debt.product,
            "lender": debt.lender,
            "principal": _money(debt.principal),
            "overdue_amount": _money(debt.overdue_amount),
            "overdue_since": debt.overdue_since.isoformat() if debt.overdue_since else None,
            "annual_rate": _rate(debt.annual_rate),
            "billed_charges": _money(debt.billed_charges),
            "grace_days": debt.grace_days,
            "lender_claimed_total": None if debt.lender_claimed_total is None else _money(debt.lender_claimed_total),
            "penalty_daily_rate": None if debt.penalty_daily_rate is None else _rate(debt.penalty_daily_rate),
        }
        for debt in case.debts.all()
    ]
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
    }


def budget_of(case: Case) -> Budget:
    """The engine's monthly budget for ``case`` from its budget lines alone (one query):
    what ``quote_case`` reports under "budget", without the debts and the plans."""
    income, expenses = [], []
    for line in case.budget_lines.all():
        (income if line.kind == BudgetLine.Kind.INCOME else expenses).append(BudgetItem(line.category, line.amount))
    return monthly_budget(income, expenses, DEFAULT_SAFETY_MARGIN)


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
}

LINE_LABELS = {
    "days_overdue": _("Days overdue (today − overdue since − grace days)"),
    "overdue_fee": _("Huabei overdue fee (overdue amount × 0.05 % a day × days)"),
    "penalty_interest": _("Jiebei penalty interest (overdue amount × annual rate ÷ 360 × 1.5 × days)"),
    "penalty_at_given_rate": _("Penalty at the daily rate you gave (overdue amount × rate × days)"),
    "billed_charges": _("Charges already on your bill"),
    "cost": _("All charges (already billed + since overdue)"),
    "all_in_apr": _("What the charges come to per year (charges ÷ principal × 365 ÷ days)"),
    "allowed_at_cap": _("Most allowed at 24 % a year (principal × 24 % × days ÷ 365)"),
    "excess_over_cap": _("Amount above the ceiling (24 %)"),
    "ceiling_not_applicable": _("No day overdue yet, so there is no period to check against the ceiling of 24 % a year"),
    "balance": _("Balance (principal + charges)"),
    "claimed_difference": _("The lender's figure minus ours"),
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
            "lines": [
                {
                    **line,
                    "label": LINE_LABELS.get(line["what"], line["what"]),
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
