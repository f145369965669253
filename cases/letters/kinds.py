"""The registry of letter kinds: one entry per kind says what case data it needs,
which template renders it and what it is called. Adding a kind is one entry here
plus one member of ``LetterKind`` (choices.py: its slug and title) and one
template in ``templates/letters/``. Other features refer to letters only by
these slugs (and may keep using ``TITLES`` and ``SLUGS``)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import LetterKind
from .context import debtor_of, misconduct_flags

NEGOTIATION_REQUEST = LetterKind.NEGOTIATION_REQUEST.value
HARDSHIP_STATEMENT = LetterKind.HARDSHIP_STATEMENT.value
REGULATOR_COMPLAINT = LetterKind.REGULATOR_COMPLAINT.value
COLLECTION_COMPLAINT = LetterKind.COLLECTION_COMPLAINT.value
DEMAND_LETTER = LetterKind.DEMAND_LETTER.value
COURT_DEFENCE = LetterKind.COURT_DEFENCE.value
EVIDENCE_INDEX = LetterKind.EVIDENCE_INDEX.value
LAWYER_SUMMARY = LetterKind.LAWYER_SUMMARY.value


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


def needs_rows(related: str, what: Promise, where: str) -> Callable[..., list[Missing]]:
    """A need met by at least one row of ``case.<related>`` (loaded by ``case_for_letters``)."""

    def need(case) -> list[Missing]:
        if getattr(case, related).all():
            return []
        return [Missing(what, fix_url(case, where))]

    need.__name__ = f"needs_{related}"
    return need


needs_debts = needs_rows("debts", _("At least one debt (lender, amounts, overdue date)"), "debts")


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


needs_proposal = needs_rows("proposals", _("A repayment plan you have chosen"), "proposal")


needs_contacts = needs_rows(
    "contacts", _("At least one contact with the lender in your negotiation log"), "log"
)


def needs_misconduct(case) -> list[Missing]:
    if any(misconduct_flags(list(case.contacts.all())).values()):
        return []
    return [Missing(_("At least one collection incident in your negotiation log (what happened, when)"),
                    fix_url(case, "log"))]


needs_evidence = needs_rows("evidence", _("At least one piece of evidence uploaded"), "evidence")


@dataclass(frozen=True)
class KindSpec:
    slug: str
    document_title: str  # the heading printed on the letter, always formal Chinese
    needs: tuple[Callable, ...]
    bundle: bool = False  # may be followed by the evidence files merged into one PDF

    @property
    def title(self) -> Promise:
        """What the app calls it, in the user's language (the label of its ``LetterKind``)."""
        return LetterKind(self.slug).label

    @property
    def template(self) -> str:
        return f"letters/{self.slug}.html"

    def missing(self, case) -> list[Missing]:
        return [gap for need in self.needs for gap in need(case)]


KINDS = {
    kind.slug: kind
    for kind in (
        KindSpec(NEGOTIATION_REQUEST, "协商还款申请书",
                 (needs_debtor, needs_debts, needs_lender_names, needs_hardship, needs_proposal)),
        KindSpec(HARDSHIP_STATEMENT, "困难情况说明",
                 (needs_debtor, needs_debts, needs_hardship, needs_budget)),
        KindSpec(REGULATOR_COMPLAINT, "投诉书",
                 (needs_debtor, needs_debts, needs_lender_names, needs_contacts)),
        KindSpec(COLLECTION_COMPLAINT, "关于不当催收行为的投诉书",
                 (needs_debtor, needs_debts, needs_lender_names, needs_misconduct)),
        KindSpec(DEMAND_LETTER, "法律意见函",
                 (needs_debtor, needs_debts, needs_lender_names, needs_proposal)),
        KindSpec(COURT_DEFENCE, "民事答辩状",
                 (needs_debtor, needs_debts, needs_lender_names, needs_proposal)),
        KindSpec(EVIDENCE_INDEX, "证据目录",
                 (needs_debtor, needs_evidence), bundle=True),
        # A one-page brief for a first consultation (issue 19): no addressee, nothing offered.
        KindSpec(LAWYER_SUMMARY, "案情摘要（供律师咨询）",
                 (needs_debtor, needs_debts, needs_lender_names)),
    )
}

TITLES = {slug: kind.title for slug, kind in KINDS.items()}
if set(KINDS) != set(LetterKind.values):
    raise ImproperlyConfigured("every LetterKind (letters/choices.py) needs its entry in KINDS, and only those")
SLUGS = tuple(KINDS)
