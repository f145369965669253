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
class Charge:
    """One charge on its base, over the days it covers (``start``..``end`` inclusive)."""

    kind: str  # interest, penalty, overdue_fee, instalment_fee, other_fee, compound_interest
    billed: bool  # billed by the lender (else computed by us after the billed-through date)
    base: Decimal  # the principal it runs on (for an instalment fee: the declining balance)
    start: date | None
    end: date | None
    days: int
    amount: Decimal
    period_assumed: bool  # the user gave no period: tested over the overdue period
    group: str  # the ceiling group it is tested in


@dataclass(frozen=True)
class CeilingGroup:
    """Charges tested together against the principal that produced them."""

    group: str  # "overdue_principal", "principal", "instalment_balance", or "base:<amount>"
    base: Decimal  # the principal, averaged over the days (it changes on acceleration)
    start: date | None
    end: date | None
    days: int
    charges: Decimal
    all_in_apr: Decimal | None  # charges ÷ principal ÷ days × the year
    allowed: Decimal  # principal × cap × days ÷ the year
    excess: Decimal  # max(0, charges − allowed)


@dataclass(frozen=True)
class Ceiling:
    """Which cap applies to a debt, and why."""

    rule: str  # "24%" or "4xLPR"
    rate: Decimal
    day_count: int
    day_count_from_contract: bool
    lpr: Decimal | None  # the one-year LPR used (for 24 %: the reference beside it)
    lpr_from: date | None  # the LPR's effective date
    lpr_at: date | None  # the date it was looked up for (contract date, or as_of for filing)
    reference_rate: Decimal | None  # 4 × LPR shown beside 24 % as a negotiation reference
    source: str


@dataclass(frozen=True)
class DebtResult:
    id: str
    product: str
    lender: str
    principal: Decimal  # the principal: what was actually received, where less (砍头息)
    overdue_amount: Decimal
    overdue_since: date | None
    grace_days: int
    days_overdue: int
    billed_charges: Decimal
    computed_charges: Decimal
    cost: Decimal
    all_in_apr: Decimal | None  # the highest group's; None when no group has a period
    allowed_at_cap: Decimal
    excess_over_cap: Decimal
    balance: Decimal
    lender_claimed_total: Decimal | None
    claimed_difference: Decimal | None  # lender's figure minus ours
    charge_lines: tuple[ChargeLine, ...]
    charges: tuple[Charge, ...] = ()
    groups: tuple[CeilingGroup, ...] = ()
    ceiling: Ceiling | None = None
    ceiling_base: Decimal | None = None  # the base of the group the APR is from
    lender_type: str = "licensed"
    billed_through: date | None = None
    billed_through_assumed: bool = False
    limitation: str = "ok"
    limitation_from: date | None = None  # the last event that started or restarted the period
    in_plans: bool = True  # False: left out of every plan (limitation) unless the user includes it
    # The test of a lender's claim in court: the whole unpaid principal at the cap over every day a charge ran
    # (法发〔2017〕22号 as courts apply it, "以未还本金为基数"), not the groups' own bases.
    charge_days: int = 0
    allowed_on_principal: Decimal = Decimal("0.00")

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
class Floor:
    per_person: Decimal
    household_size: int
    amount: Decimal  # per_person × household_size
    region: str  # the city the figure is for, or "" for the national default
    applied: bool  # the floor, not the user's own expenses, decided essential spending
    verified: bool = False  # DOMAIN.md: every figure is unverified until checked


@dataclass(frozen=True)
class Budget:
    income: Decimal
    expenses: Decimal  # the user's own expense lines
    surplus: Decimal  # income − essential spending; may be negative
    safety_margin: Decimal  # the rate, e.g. 0.10
    margin: Decimal  # the amount kept back
    available: Decimal  # for creditors each month, never below 0
    essential: Decimal = Decimal("0.00")  # max(expenses, floor)
    floor: Floor | None = None


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
class LenderPart:
    """One lender's part of a plan: its own schedule, summing exactly to its total;
    month by month the lenders' payments add up to the plan's."""

    lender: str
    debt_ids: tuple[str, ...]
    total: Decimal
    waived: Decimal
    monthly_payment: Decimal  # the first (regular) payment
    schedule: tuple[Instalment, ...]


@dataclass(frozen=True)
class Plan:
    kind: str
    months: int  # number of payments (0 for a hold)
    deferral_months: int  # months with nothing to pay before the first payment
    monthly_payment: Decimal  # the regular payment (the last one absorbs the rounding)
    total: Decimal
    waived: Decimal  # what the lender is asked to give up (or, for an arrangement, to freeze), yuan
    affordable: bool
    schedule: tuple[Instalment, ...]
    per_debt: tuple[DebtPart, ...] = ()
    parts: tuple[LenderPart, ...] = ()
    needs_reason: bool = False  # above the available amount: chosen only with where the difference comes from
    review_on: date | None = None  # arrangement and hold: when the lender is asked to review
    freeze_charges: bool = False  # asks for interest and penalty to stop (停息) meanwhile


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
    reserve: Decimal = Decimal("0.00")  # emergency reserve kept out of a settlement
    savings_offered: Decimal = Decimal("0.00")  # savings less the reserve
    excluded: tuple[str, ...] = ()  # debt ids left out of the plans (limitation)
    monthly_offer: Decimal | None = None
