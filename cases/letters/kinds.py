"""The registry of letter kinds: one entry per kind says what case data it needs,
which template renders it and what it is called. Adding a kind is one entry here
plus one template in ``templates/letters/``. Other features refer to letters only
by these slugs (and may keep using ``TITLES`` and ``SLUGS``)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NEGOTIATION_REQUEST = "negotiation_request"
HARDSHIP_STATEMENT = "hardship_statement"
REGULATOR_COMPLAINT = "regulator_complaint"
COLLECTION_COMPLAINT = "collection_complaint"
DEMAND_LETTER = "demand_letter"
COURT_DEFENCE = "court_defence"
EVIDENCE_INDEX = "evidence_index"


@dataclass(frozen=True)
class Missing:
    """Something the user must fill in before a letter can be generated."""

    what: Promise | str
    url: str


# Where the user fixes each kind of gap.
FIX_PAGES = {
    "debtor": "intake_about",
    "debts": "intake_debts",
    "budget": "intake_budget",
    "hardship": "intake_hardship",
    "proposal": "proposal",
    "evidence": "intake_evidence",
    "log": "log",
}


def fix_url(case, where: str) -> str:
    return reverse(FIX_PAGES[where], args=[case.pk])


# --- What a letter can need. Each takes a case loaded by
# ``context.case_for_letters`` and returns what is missing (empty: all there).

def needs_debtor(case) -> list[Missing]:
    from .context import debtor_of

    debtor = debtor_of(case)
    if debtor is None:
        return [Missing(_("Your name, phone number and address"), fix_url(case, "debtor"))]
    missing = []
    if not debtor.name.strip():
        missing.append(Missing(_("Your full name"), fix_url(case, "debtor")))
    if not debtor.phone.strip():
        missing.append(Missing(_("Your phone number"), fix_url(case, "debtor")))
    if not debtor.address.strip():
        missing.append(Missing(_("Your address for letters"), fix_url(case, "debtor")))
    return missing


def needs_debts(case) -> list[Missing]:
    if case.debts.all():
        return []
    return [Missing(_("At least one debt (lender, amounts, overdue date)"), fix_url(case, "debts"))]


def needs_lender_names(case) -> list[Missing]:
    if all(debt.lender.strip() for debt in case.debts.all()):
        return []
    return [Missing(_("The lender named on each contract"), fix_url(case, "debts"))]


def needs_hardship(case) -> list[Missing]:
    missing = []
    if not case.hardship_reasons:
        missing.append(Missing(_("Why you cannot pay as agreed (the reasons)"), fix_url(case, "hardship")))
    if not case.hardship_what_happened.strip():
        missing.append(Missing(_("What happened, in your own words"), fix_url(case, "hardship")))
    return missing


def needs_budget(case) -> list[Missing]:
    kinds = {line.kind for line in case.budget_lines.all()}
    missing = []
    if "income" not in kinds:
        missing.append(Missing(_("Your monthly income (write 0 if you have none)"), fix_url(case, "budget")))
    if "expense" not in kinds:
        missing.append(Missing(_("Your monthly essential costs"), fix_url(case, "budget")))
    return missing


def needs_proposal(case) -> list[Missing]:
    if case.proposals.all():
        return []
    return [Missing(_("A repayment plan you have chosen"), fix_url(case, "proposal"))]


def needs_contacts(case) -> list[Missing]:
    if case.contacts.all():
        return []
    return [Missing(_("At least one contact with the lender in your negotiation log"), fix_url(case, "log"))]


def needs_misconduct(case) -> list[Missing]:
    from .context import misconduct_flags

    if any(misconduct_flags(list(case.contacts.all())).values()):
        return []
    return [Missing(_("At least one collection incident in your negotiation log (what happened, when)"),
                    fix_url(case, "log"))]


def needs_evidence(case) -> list[Missing]:
    if case.evidence.all():
        return []
    return [Missing(_("At least one piece of evidence uploaded"), fix_url(case, "evidence"))]


@dataclass(frozen=True)
class LetterKind:
    slug: str
    title: Promise  # what the app calls it, in the user's language
    document_title: str  # the heading printed on the letter, always formal Chinese
    needs: tuple[Callable, ...]
    bundle: bool = False  # may be followed by the evidence files merged into one PDF

    @property
    def template(self) -> str:
        return f"letters/{self.slug}.html"

    def missing(self, case) -> list[Missing]:
        return [gap for need in self.needs for gap in need(case)]


KINDS = {
    kind.slug: kind
    for kind in (
        LetterKind(NEGOTIATION_REQUEST, _("Request to negotiate repayment"), "协商还款申请书",
                   (needs_debtor, needs_debts, needs_lender_names, needs_hardship, needs_proposal)),
        LetterKind(HARDSHIP_STATEMENT, _("Statement of financial hardship"), "困难情况说明",
                   (needs_debtor, needs_debts, needs_hardship, needs_budget)),
        LetterKind(REGULATOR_COMPLAINT, _("Complaint to the financial regulator"), "投诉书",
                   (needs_debtor, needs_debts, needs_lender_names, needs_contacts)),
        LetterKind(COLLECTION_COMPLAINT, _("Complaint about debt-collection misconduct"), "关于不当催收行为的投诉书",
                   (needs_debtor, needs_debts, needs_lender_names, needs_misconduct)),
        LetterKind(DEMAND_LETTER, _("Formal legal letter to the lender"), "法律意见函",
                   (needs_debtor, needs_debts, needs_lender_names, needs_proposal)),
        LetterKind(COURT_DEFENCE, _("Defence to a lawsuit (element-based form)"), "民事答辩状",
                   (needs_debtor, needs_debts, needs_lender_names, needs_proposal)),
        LetterKind(EVIDENCE_INDEX, _("Evidence index"), "证据目录",
                   (needs_debtor, needs_evidence), bundle=True),
    )
}

TITLES = {slug: kind.title for slug, kind in KINDS.items()}
SLUGS = tuple(KINDS)
