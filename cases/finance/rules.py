"""The legal and financial facts the engine applies, one table per fact, each
row with its source (see DOMAIN.md for the full text and confidence)."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ChargeRule:
    """How a product charges after default, as a daily rate on the overdue amount.

    ``daily_rate`` is a fixed rate; ``contract_multiplier`` means "this many times
    the contract daily rate (annual rate / days_in_rate_year)".
    """

    charge: str  # what the charge is called: the key of the line shown to the user
    daily_rate: Decimal | None
    contract_multiplier: Decimal | None
    days_in_rate_year: int
    source: str


CHARGE_RULES: dict[str, ChargeRule] = {
    # Huabei overdue fee: 0.05 % a day, simple, on the overdue unpaid amount
    # (≈ 18.25 % a year). DOMAIN.md "Charges after default" (M: third-party sources).
    "huabei": ChargeRule("overdue_fee", Decimal("0.0005"), None, 360, "DOMAIN.md: Huabei overdue fee, 0.05 %/day"),
    # Jiebei penalty interest: 1.5 × the contract daily rate on the overdue amount;
    # PBOC 银发〔2003〕251号 sets overdue rates at contract rate +30 % to +50 %.
    # Ant quotes 年利率 = 日利率 × 360, so the daily rate is the annual rate / 360.
    "jiebei": ChargeRule(
        "penalty_interest", None, Decimal("1.5"), 360, "PBOC 银发〔2003〕251号; DOMAIN.md: Jiebei penalty interest"
    ),
    # No built-in rule: the user enters the charges on their bill, or the daily
    # penalty rate their contract or bill states.
    "wangshangdai": ChargeRule("penalty_at_given_rate", None, None, 360, "the user's bill or contract"),
    "credit_card": ChargeRule("penalty_at_given_rate", None, None, 360, "the user's bill or contract"),
    "other": ChargeRule("penalty_at_given_rate", None, None, 360, "the user's bill or contract"),
}
PRODUCTS = tuple(CHARGE_RULES)

# The all-in ceiling for financial institutions: interest, compound and penalty
# interest, liquidated damages and fees together above 24 % a year may be reduced
# on request. SPC 法发〔2017〕22号 item 2 (DOMAIN.md "Legal ceilings", H).
CEILING_ANNUAL_RATE = Decimal("0.24")
CEILING_DAYS_IN_YEAR = 365
CEILING_SOURCE = "最高人民法院《关于进一步加强金融审判工作的若干意见》法发〔2017〕22号 第二条"

# Budget: the share of the surplus kept back as a safety margin before anything
# is offered to creditors (a configurable default, not a legal figure).
DEFAULT_SAFETY_MARGIN = Decimal("0.10")

# Plan terms. Bank credit cards may be split over up to 5 years when the debt
# exceeds ability to pay (商业银行信用卡业务监督管理办法 Art 70, DOMAIN.md
# "Instalment length"); for other lenders a longer plan is a request.
MIN_MONTHS = 3
MAX_MONTHS = 60
# Deferral: common real outcome is a pause of about 3 months (DOMAIN.md).
DEFERRAL_MONTHS = (1, 2, 3)
DEFAULT_DEFERRAL_MONTHS = 3

# Plan kinds in the order of how much they ask of the lender, least first. The
# recommendation takes the first affordable kind in this order.
PLAN_KINDS = ("full_balance", "waiver", "stop_interest", "settlement", "deferral")
