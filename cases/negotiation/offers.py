"""Is a lender's offer one the debtor can accept? Pure arithmetic on the chosen plan's snapshot
(``Proposal.for_lender``): the lender's share of what the budget leaves, the plan's part for the
lender, and the lender's balance less the excess over the ceiling (DOMAIN.md "Legal ceilings").

Never recommends a monthly amount above the lender's share of the available amount, and never
recommends agreeing anything on a debt that may be time-barred (DOMAIN.md "Limitation").
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_UP, Decimal

CENT = Decimal("0.01")
MAX_MONTHS = 60  # the longest plan the finance engine offers (and 商业银行信用卡业务监督管理办法 Art 70: 5 years)
BARRED = ("check", "may_be_time_barred")  # DOMAIN.md "Limitation": no payment offered on these (letters too)


@dataclass(frozen=True)
class OfferCheck:
    monthly: Decimal
    months: int
    waiver: Decimal | None
    total: Decimal
    share: Decimal  # this lender's part of what the budget leaves each month
    fits: bool
    plan_total: Decimal | None  # the lender's part of the chosen plan
    fair_total: Decimal  # the lender's balance less the excess over the ceiling
    verdict: str  # "accept", "counter", "decline"
    reasons: list[str] = field(default_factory=list)  # codes, worded by the template
    counter_monthly: Decimal | None = None
    counter_months: int | None = None
    counter_last: Decimal | None = None

    @property
    def above_fair(self) -> Decimal:
        return max(Decimal("0.00"), self.total - self.fair_total)

    @property
    def against_plan(self) -> Decimal | None:
        return None if self.plan_total is None else self.total - self.plan_total


def lender_share(view: dict) -> Decimal:
    """What the budget leaves for this lender each month: its part of the chosen plan when the
    plan is affordable, else its pro rata part of the available amount (rounded down, never up)."""
    available = Decimal(view["budget"]["available"])
    part, plan = view.get("part"), view["plan"]
    if part is None:
        return Decimal("0.00")
    monthly = Decimal(part.get("monthly_payment") or "0")
    if plan.get("affordable") and monthly <= available:
        return monthly
    plan_total, part_total = Decimal(plan.get("total") or "0"), Decimal(part.get("total") or "0")
    if plan_total <= 0:
        return Decimal("0.00")
    return min(available, (available * part_total / plan_total).quantize(CENT, rounding=ROUND_DOWN))


def fair_total(view: dict) -> Decimal:
    return sum((Decimal(d["balance"]) - Decimal(d.get("excess_over_cap") or "0") for d in view["debts"]),
               Decimal("0.00"))


def may_be_barred(view: dict) -> bool:
    return any(d.get("limitation") in BARRED for d in view["debts"])


def _counter(target: Decimal, monthly: Decimal) -> tuple[int, Decimal]:
    months = int((target / monthly).to_integral_value(rounding=ROUND_UP))
    return months, target - monthly * (months - 1)


def check_offer(view: dict, monthly: Decimal, months: int, waiver: Decimal | None = None) -> OfferCheck:
    total = (monthly * months).quantize(CENT)
    share = lender_share(view)
    fair = fair_total(view)
    part = view.get("part")
    plan_total = Decimal(part["total"]) if part else None
    fits = monthly <= share
    base = dict(monthly=monthly, months=months, waiver=waiver, total=total, share=share, fits=fits,
                plan_total=plan_total, fair_total=fair)
    if may_be_barred(view):
        return OfferCheck(**base, verdict="decline", reasons=["barred"])
    if share <= 0:
        return OfferCheck(**base, verdict="decline", reasons=["nothing_available"])
    if fits and total <= fair:
        return OfferCheck(**base, verdict="accept", reasons=["fits", "within_fair"])
    target = min(total, fair)
    counter_monthly = min(monthly, share)
    counter_months, last = _counter(target, counter_monthly)
    if counter_months > MAX_MONTHS:
        return OfferCheck(**base, verdict="decline", reasons=["too_long"])
    reasons = ["fits" if fits else "above_share"] + ([] if total <= fair else ["above_fair"])
    return OfferCheck(**base, verdict="counter", reasons=reasons, counter_monthly=counter_monthly,
                      counter_months=counter_months, counter_last=last)
