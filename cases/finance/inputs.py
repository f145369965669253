"""What the engine needs to know about a case: frozen dataclasses, already
validated (``codec.case_from_dict`` does that for JSON)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .rules import DEFAULT_DEFERRAL_MONTHS, DEFAULT_RESERVE_MONTHS, DEFAULT_REVIEW_MONTHS, DEFAULT_SAFETY_MARGIN


@dataclass(frozen=True)
class BilledCharge:
    """A charge the lender has already billed, over the period it covers.

    ``start``/``end`` are the first and last day covered (inclusive); None: the
    overdue period up to the debt's billed-through date ("period assumed").
    ``base`` None: the principal the kind runs on (overdue principal for penalty
    and overdue fees, principal outstanding for the others).
    """

    kind: str  # rules.CHARGE_KINDS
    amount: Decimal
    start: date | None = None
    end: date | None = None
    base: Decimal | None = None


@dataclass(frozen=True)
class DebtEvent:
    """Something that starts or interrupts the limitation period (rules.EVENT_KINDS)."""

    kind: str
    on: date


@dataclass(frozen=True)
class DebtInput:
    id: str
    product: str
    lender: str
    principal: Decimal  # principal outstanding, yuan
    overdue_amount: Decimal  # overdue principal, yuan
    overdue_since: date | None  # None: not overdue
    annual_rate: Decimal = Decimal("0")  # contract rate as a fraction (0.108 = 10.8 %)
    # One line over the overdue period (the v1 field); kept for the command's plain-number input.
    billed_charges: Decimal = Decimal("0.00")
    grace_days: int = 0
    lender_claimed_total: Decimal | None = None  # the lender's own figure, if the user has it
    penalty_daily_rate: Decimal | None = None  # overrides the product's default rate
    billed: tuple[BilledCharge, ...] = ()
    billed_through: date | None = None  # None with billed charges: taken as as_of
    overdue_interest: Decimal = Decimal("0.00")  # overdue interest that bears compound interest
    penalty_multiplier: Decimal | None = None  # × the contract rate; None: the product's rule
    accelerated_on: date | None = None  # 加速到期: from then the whole principal is overdue
    amount_received: Decimal | None = None  # 砍头息: what was actually received is the principal
    day_count: int | None = None  # 360 where the contract states a 360-day year
    lender_type: str = "licensed"
    contract_date: date | None = None
    events: tuple[DebtEvent, ...] = ()  # last due date, payments, demands... (limitation)
    include_despite_limitation: bool = False  # the user chose it after the warning


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
    household_size: int = 1
    city: str = ""
    floor_per_person: Decimal | None = None  # None: rules.LIVING_COST_FLOORS by city, else national
    monthly_offer: Decimal | None = None  # the user's own monthly amount
    reserve_months: int = DEFAULT_RESERVE_MONTHS
    review_months: int = DEFAULT_REVIEW_MONTHS
    lpr: tuple[tuple[date, Decimal], ...] | None = None  # None: rules.LPR_TABLE
