"""The legal and financial facts the engine applies, one table per fact, each
row with its source (see DOMAIN.md for the full text and confidence).

Figures staff can update without a deploy (the LPR table, the living-cost
floors) are passed in by the Django adapter from the database; the tables here
are the defaults the ``quote`` command uses when its input gives none.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ChargeRule:
    """What a product charges after default, on the overdue amount, per day.

    ``daily_rate`` is a fixed rate (Huabei's 0.05 %); otherwise the charge is
    ``multiplier`` × the contract daily rate (annual rate ÷ ``days_in_rate_year``),
    and the user may set the multiplier where the contract states another.
    """

    charge: str  # the kind of the computed line shown to the user
    daily_rate: Decimal | None
    multiplier: Decimal
    days_in_rate_year: int
    source: str


CHARGE_RULES: dict[str, ChargeRule] = {
    # Huabei overdue fee (a 违约金): 0.05 % a day, simple, on the overdue unpaid amount
    # (≈ 18.25 % a year). DOMAIN.md "Charges after default" (M: third-party sources).
    "huabei": ChargeRule("overdue_fee", Decimal("0.0005"), Decimal("1"), 360,
                         "DOMAIN.md: Huabei overdue fee, 0.05 %/day"),
    # Jiebei penalty interest: 1.5 × the contract daily rate on overdue principal, and the
    # same rate on overdue interest (compound). PBOC 银发〔2003〕251号 sets overdue rates at
    # contract rate +30 % to +50 %. Ant quotes 年利率 = 日利率 × 360.
    "jiebei": ChargeRule("penalty", None, Decimal("1.5"), 360,
                         "PBOC 银发〔2003〕251号; DOMAIN.md: Jiebei penalty interest"),
    # MYbank loans also quote 日利率 × 360; contract interest runs on the overdue amount,
    # times the penalty multiplier the user sets (default 1.0). DOMAIN.md "Credit cards"/"Loans".
    "wangshangdai": ChargeRule("interest", None, Decimal("1"), 360, "DOMAIN.md: loans, contract rate"),
    # Card overdraft interest at the contract rate on the overdue amount (PBOC announcement
    # 2020 No. 18: set by contract, shown as an annual rate, 18.25 % = 0.05 %/day × 365);
    # 违约金 and fees bear no interest (PBOC 2016 notice). DOMAIN.md "Credit cards" (M–H).
    "credit_card": ChargeRule("interest", None, Decimal("1"), 365, "PBOC 公告〔2020〕第18号; DOMAIN.md: credit cards"),
    "other": ChargeRule("interest", None, Decimal("1"), 365, "the user's contract rate"),
}
PRODUCTS = tuple(CHARGE_RULES)

# Billed charge kinds and the principal each is tested against (DOMAIN.md "How the ceiling
# test is done": penalty interest and overdue fees with the overdue principal; contract
# interest, instalment fees and loan-linked fees with the principal they are charged on).
CHARGE_KINDS = ("interest", "penalty", "overdue_fee", "instalment_fee", "other_fee")
OVERDUE_KINDS = frozenset({"penalty", "overdue_fee", "compound_interest"})

# The all-in ceiling for licensed lenders: interest, compound and penalty interest,
# liquidated damages and fees together above 24 % a year may be reduced on request.
# SPC 法发〔2017〕22号 item 2; 民间借贷规定 Art 1(2) and 法释〔2020〕27号 put banks,
# consumer-finance companies and the seven local financial organisations outside the
# private-lending rules (DOMAIN.md "Which cap", H).
CEILING_ANNUAL_RATE = Decimal("0.24")
CEILING_SOURCE = "最高人民法院《关于进一步加强金融审判工作的若干意见》法发〔2017〕22号 第二条"
# Private lending: 4 × the one-year LPR at the contract date (contracts from 2020-08-20),
# or at filing for older contracts (民间借贷规定 2020 rev. Arts 25, 31(2), H).
LPR_MULTIPLE = Decimal("4")
PRIVATE_LENDING_SOURCE = "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条、第三十一条"
PRIVATE_RULES_FROM = date(2020, 8, 20)
LENDER_TYPES = ("licensed", "private")

# Day count for the cap: 365 by default, 360 where the contract itself states a 360-day
# year (DOMAIN.md "Day count", M — courts differ). The result says which was used.
DEFAULT_DAY_COUNT = 365
DAY_COUNTS = (360, 365)

# One-year LPR by effective date (PBOC / NIFC announcements; DOMAIN.md, H; the two 2019
# September/November entries M). No LPR exists before 2019-08-20.
LPR_TABLE: tuple[tuple[date, Decimal], ...] = (
    (date(2019, 8, 20), Decimal("0.0425")),
    (date(2019, 9, 20), Decimal("0.0420")),
    (date(2019, 11, 20), Decimal("0.0415")),
    (date(2020, 2, 20), Decimal("0.0405")),
    (date(2020, 4, 20), Decimal("0.0385")),
    (date(2021, 12, 20), Decimal("0.0380")),
    (date(2022, 1, 20), Decimal("0.0370")),
    (date(2022, 8, 22), Decimal("0.0365")),
    (date(2023, 6, 20), Decimal("0.0355")),
    (date(2023, 8, 21), Decimal("0.0345")),
    (date(2024, 7, 22), Decimal("0.0335")),
    (date(2024, 10, 21), Decimal("0.0310")),
    (date(2025, 5, 20), Decimal("0.0300")),
)

# Living-cost floor: the local minimum living standard (城市居民最低生活保障标准) per
# household member per month; courts protect the same standard in enforcement
# (查封扣押冻结规定 (2020) Art 3(2), H). Every figure is UNVERIFIED until checked against
# the local civil-affairs bureau's notice (DOMAIN.md "Living-cost floor", U); staff keep the
# real table in the admin, this is the command's default.
NATIONAL_FLOOR_PER_PERSON = Decimal("800.00")
LIVING_COST_FLOORS: dict[str, Decimal] = {
    "北京市": Decimal("1450.00"),
    "上海市": Decimal("1510.00"),
    "广州市": Decimal("1210.00"),
    "深圳市": Decimal("1365.00"),
}

# Budget: the share of the surplus kept back as a safety margin before anything
# is offered to creditors (a configurable default, not a legal figure).
DEFAULT_SAFETY_MARGIN = Decimal("0.10")
# Settlement keeps an emergency reserve out of the savings offered: 3 months of essential
# spending by default (DOMAIN.md "Living-cost floor").
DEFAULT_RESERVE_MONTHS = 3

# Plan terms. Bank credit cards may be split over up to 5 years when the debt
# exceeds ability to pay (商业银行信用卡业务监督管理办法 Art 70, DOMAIN.md
# "Instalment length"); for other lenders a longer plan is a request.
MIN_MONTHS = 3
MAX_MONTHS = 60
# Deferral: common real outcome is a pause of about 3 months (DOMAIN.md).
DEFERRAL_MONTHS = (1, 2, 3)
DEFAULT_DEFERRAL_MONTHS = 3
# The affordable arrangement and the hold run for a fixed review period, then are reviewed.
REVIEW_MONTHS = (6, 12)
DEFAULT_REVIEW_MONTHS = 12

# Plan kinds in the order of how much they ask of the lender, least first. The
# recommendation takes the first affordable kind in this order; the arrangement and
# the hold come only when no repayment within MAX_MONTHS fits.
PLAN_KINDS = ("full_balance", "waiver", "stop_interest", "settlement", "deferral", "own_amount", "arrangement",
              "hold")

# Limitation (时效): three years (民法典 188; 189 for instalments from the last due date),
# interrupted only while running by a demand, the debtor's agreement to perform, or suit
# (195; SPC 诉讼时效规定 2020 Arts 8, 9, 14, 17); after expiry only the debtor's own act
# loses the defence (192, Art 19). "check" within six months of the end. DOMAIN.md "Limitation".
LIMITATION_YEARS = 3
LIMITATION_WARNING_MONTHS = 6
CREDITOR_EVENTS = frozenset({"demand", "auto_debit", "assignment"})
DEBTOR_EVENTS = frozenset({"payment", "promise"})
EVENT_KINDS = ("due", *sorted(CREDITOR_EVENTS), *sorted(DEBTOR_EVENTS))
LIMITATION_STATUSES = ("ok", "check", "may_be_time_barred")
