"""What the engine needs to know about a case: frozen dataclasses, already
validated (``codec.case_from_dict`` does that for JSON)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .rules import DEFAULT_DEFERRAL_MONTHS, DEFAULT_SAFETY_MARGIN


@dataclass(frozen=True)
class DebtInput:
    id: str
    product: str
    lender: str
    principal: Decimal  # principal outstanding, yuan
    overdue_amount: Decimal  # the part that is past due, yuan
    overdue_since: date | None  # None: not overdue
    annual_rate: Decimal = Decimal("0")  # contract rate as a fraction (0.108 = 10.8 %)
    billed_charges: Decimal = Decimal("0.00")  # interest, penalty and fees already billed
    grace_days: int = 0
    lender_claimed_total: Decimal | None = None  # the lender's own figure, if the user has it
    penalty_daily_rate: Decimal | None = None  # overrides the product's default penalty rate


@dataclass(frozen=True)
class BudgetItem:
    category: str
    amount: Decimal  # per month, yuan


@dataclass(frozen=True)
class CaseInput:
    as_of: date
    debts: tuple[DebtInput, ...]
    income: tuple[BudgetItem, ...] = ()
    expenses: tuple[BudgetItem, ...] = ()
    savings: Decimal = Decimal("0.00")
    safety_margin: Decimal = DEFAULT_SAFETY_MARGIN
    deferral_months: int = DEFAULT_DEFERRAL_MONTHS
