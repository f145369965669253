"""The intake wizard's rules: its steps, what each step needs to count as done,
the evidence a case still lacks and the warnings shown before a case is ready.

Plain functions over a case whose debts, budget lines and evidence the caller
has already fetched (so a page costs the same number of queries for 1 or 50 rows).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..models import BudgetLine, Case

STEPS: tuple[str, ...] = ("about", "debts", "budget", "hardship", "evidence", "review")
STEP_TITLES = {
    "about": _("About you"),
    "debts": _("Your debts"),
    "budget": _("Income and expenses"),
    "hardship": _("What happened"),
    "evidence": _("Evidence"),
    "review": _("Review"),
}


def first_incomplete_step(case: Case) -> str:
    done = set(case.completed_steps or [])
    for step in STEPS:
        if step not in done or (step == "about" and not case.has_consent):
            return step
    return "review"


def can_open(case: Case, step: str) -> bool:
    """Completed steps and the first incomplete one can be opened; later ones cannot."""
    return STEPS.index(step) <= STEPS.index(first_incomplete_step(case))


def with_step_done(case: Case, step: str) -> list[str]:
    done = set(case.completed_steps or []) | {step}
    return [s for s in STEPS if s in done]


@dataclass(frozen=True)
class ProgressItem:
    slug: str
    title: str
    number: int
    done: bool
    current: bool
    reachable: bool


def progress(case: Case, current: str) -> list[ProgressItem]:
    done = set(case.completed_steps or [])
    first = STEPS.index(first_incomplete_step(case))
    return [
        ProgressItem(slug, STEP_TITLES[slug], i + 1, slug in done, slug == current, i <= first)
        for i, slug in enumerate(STEPS)
    ]


# The 31 provincial-level divisions of mainland China, as written in addresses and court names.
PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
    "新疆维吾尔自治区",
)


# --- Budget --------------------------------------------------------------------

# Guidance per category, in the shape of the UK Standard Financial Statement
# (DOMAIN.md, Budget): monthly figures, the household's real costs, no luxuries hidden.
BUDGET_GUIDANCE = {
    "salary": _("Take-home pay after tax and social insurance, per month. If it varies, use the average of the last three months."),
    "business": _("What the business or freelance work leaves you per month after its own costs."),
    "benefits": _("Pension, unemployment insurance, minimum living allowance (低保) and other regular payments."),
    "family_support": _("Money relatives give you regularly. Only count what you can rely on."),
    "other_income": _("Rent you receive, part-time work, anything else that comes in every month."),
    "housing": _("Rent or mortgage payment for the home you live in."),
    "utilities": _("Water, electricity, gas, heating and property management fees, averaged per month."),
    "food": _("Food, cooking and cleaning supplies for everyone in the household."),
    "transport": _("Bus and metro fares, fuel, parking, the cost of getting to work."),
    "children": _("School fees, childcare, books, and what the children need."),
    "medical": _("Regular medicine, treatment and hospital costs you pay yourself."),
    "insurance": _("Social and commercial insurance premiums you pay yourself, per month."),
    "communication": _("Mobile phone and home internet."),
    "other_essential": _("Other costs you cannot avoid, such as support for parents. Say what they are."),
    "savings": _("A small amount put aside for emergencies, so one surprise does not break the plan."),
}


@dataclass(frozen=True)
class BudgetTotals:
    income: Decimal
    expenses: Decimal

    @property
    def surplus(self) -> Decimal:
        return self.income - self.expenses

    @property
    def is_deficit(self) -> bool:
        return self.surplus < 0


def budget_totals(lines) -> BudgetTotals:
    income = sum((ln.amount for ln in lines if ln.kind == BudgetLine.Kind.INCOME), Decimal("0.00"))
    expenses = sum((ln.amount for ln in lines if ln.kind == BudgetLine.Kind.EXPENSE), Decimal("0.00"))
    return BudgetTotals(income, expenses)


# --- Evidence checklist --------------------------------------------------------

# What a lender asks to see for each hardship reason (DOMAIN.md, "Prepare before
# contacting the lender": proof of income and of hardship, termination notice,
# medical records, family situation). Any one of the kinds satisfies the item.
HARDSHIP_EVIDENCE: dict[str, tuple[tuple[str, ...], object]] = {
    "unemployment": (("unemployment",), _("Proof that you lost your job (termination notice or letter from the employer)")),
    "illness": (("medical",), _("Medical records (diagnosis, hospital bills or sick-leave note)")),
    "business": (("bank_statement", "other"), _("Records of the business failure (bank statements, closure notice)")),
    "income_cut": (("pay_slip", "bank_statement"), _("Pay slips or bank statements showing the lower income")),
    "family": (("medical", "other"), _("A document about the family emergency (hospital record, certificate)")),
    "disaster": (("other",), _("A document about the disaster or accident (report, photos, certificate)")),
}
# Every debt needs the lender's own figures: a bill, a statement or the contract.
DEBT_EVIDENCE_KINDS = ("bill", "contract")
INCOME_EVIDENCE_KINDS = ("pay_slip", "bank_statement")


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    done: bool
    kind: str  # the evidence kind to suggest when uploading


def evidence_checklist(case: Case, debts, lines, evidence) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    for debt in debts:
        done = any(e.debt_id == debt.pk and e.kind in DEBT_EVIDENCE_KINDS for e in evidence)
        items.append(ChecklistItem(_("A bill, statement or contract for %(debt)s") % {"debt": debt}, done, "bill"))
    hardship_evidence = [e for e in evidence if e.supports_hardship]
    for reason in case.hardship_reasons or []:
        if reason not in HARDSHIP_EVIDENCE:
            continue
        kinds, text = HARDSHIP_EVIDENCE[reason]
        done = any(e.kind in kinds for e in hardship_evidence)
        items.append(ChecklistItem(str(text), done, kinds[0]))
    if any(ln.kind == BudgetLine.Kind.INCOME and ln.amount > 0 for ln in lines):
        done = any(e.kind in INCOME_EVIDENCE_KINDS for e in evidence)
        items.append(ChecklistItem(str(_("Proof of your current income (pay slip or bank statement)")), done, "pay_slip"))
    return items


# --- Review warnings -----------------------------------------------------------


def review_warnings(case: Case, debts, lines, evidence) -> list[str]:
    warnings: list[str] = []
    missing = [item.text for item in evidence_checklist(case, debts, lines, evidence) if not item.done]
    if missing:
        warnings.append(
            _("Evidence still missing: %(items)s. Lenders take a request more seriously with proof.")
            % {"items": "; ".join(missing)}
        )
    totals = budget_totals(lines)
    if not any(ln.kind == BudgetLine.Kind.INCOME for ln in lines):
        warnings.append(str(_("You have not entered any income. If you have none now, say so in the hardship story.")))
    if totals.is_deficit:
        warnings.append(
            _("Your expenses are %(gap)s yuan a month more than your income. A plan needs to start from a realistic budget: check both sides.")
            % {"gap": f"{-totals.surplus:.2f}"}
        )
    if case.hardship_since:
        early = [d for d in debts if d.overdue_since and d.overdue_since < case.hardship_since]
        for debt in early:
            warnings.append(
                _("%(debt)s was overdue from %(overdue)s, before your hardship started on %(since)s. The lender may ask why; explain it in your story or check the dates.")
                % {"debt": debt, "overdue": debt.overdue_since.isoformat(), "since": case.hardship_since.isoformat()}
            )
    for debt in debts:
        if debt.overdue_amount > 0 and not debt.overdue_since:
            warnings.append(_("%(debt)s has an overdue amount but no date since when it is overdue.") % {"debt": debt})
    return [str(w) for w in warnings]

