"""The Django side of the finance engine: a case's rows -> engine input -> the
JSON-ready quote, exactly what `manage.py quote` prints for the same input."""

from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone

from .finance.codec import quote_dict
from .finance.rules import DEFAULT_SAFETY_MARGIN
from .models import BudgetLine, Case

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


def quote_case(case: Case, as_of: date | None = None) -> dict:
    """The quote for ``case`` as of ``as_of`` (default: today in China)."""
    return quote_dict(engine_input_for(case, as_of))
