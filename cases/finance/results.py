"""What the engine answers: frozen dataclasses. ``codec.quote_to_dict`` turns
them into the JSON-ready dict documented in docs/quote.md."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ChargeLine:
    """One step of a computation, shown to the user line by line.

    ``what`` names the step (translated by the UI); ``formula`` is the arithmetic
    with the actual figures, language-neutral; ``value`` its result.
    """

    what: str
    formula: str
    value: str


@dataclass(frozen=True)
class DebtResult:
    id: str
    product: str
    lender: str
    principal: Decimal
    overdue_amount: Decimal
    overdue_since: date | None
    grace_days: int
    days_overdue: int
    billed_charges: Decimal
    computed_charges: Decimal
    cost: Decimal
    all_in_apr: Decimal | None  # None when there is no period or no principal to annualise over
    allowed_at_cap: Decimal
    excess_over_cap: Decimal
    balance: Decimal
    lender_claimed_total: Decimal | None
    claimed_difference: Decimal | None  # lender's figure minus ours
    charge_lines: tuple[ChargeLine, ...]

    @property
    def over_cap(self) -> bool:
        return self.excess_over_cap > 0


@dataclass(frozen=True)
class Totals:
    principal: Decimal
    billed_charges: Decimal
    computed_charges: Decimal
    cost: Decimal
    balance: Decimal
    excess_over_cap: Decimal


@dataclass(frozen=True)
class Budget:
    income: Decimal
    expenses: Decimal
    surplus: Decimal  # may be negative
    safety_margin: Decimal  # the rate, e.g. 0.10
    margin: Decimal  # the amount kept back
    available: Decimal  # for creditors each month, never below 0


@dataclass(frozen=True)
class Share:
    id: str
    share: Decimal


@dataclass(frozen=True)
class Instalment:
    due: date
    amount: Decimal


@dataclass(frozen=True)
class DebtPart:
    """One debt's part of a plan: what that lender is asked to accept, in the
    plan's months (equal payments of its own total, the last absorbing the rounding)."""

    id: str
    total: Decimal
    waived: Decimal
    monthly_payment: Decimal
    last_payment: Decimal


@dataclass(frozen=True)
class Plan:
    kind: str
    months: int  # number of payments
    deferral_months: int  # months with nothing to pay before the first payment
    monthly_payment: Decimal  # the regular payment (the last one absorbs the rounding)
    total: Decimal
    waived: Decimal  # what the lender is asked to give up, yuan
    affordable: bool
    schedule: tuple[Instalment, ...]
    per_debt: tuple[DebtPart, ...] = ()


@dataclass(frozen=True)
class Quote:
    as_of: date
    debts: tuple[DebtResult, ...]
    totals: Totals
    budget: Budget
    savings: Decimal
    pro_rata: tuple[Share, ...]
    plans: tuple[Plan, ...]
    recommended: int | None
    none_affordable: bool
