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
from django.utils import formats
from django.utils.translation import gettext, gettext_lazy as _

from .choices import LetterKind
from .context import (
    chosen_proposal,
    credit_error_of,
    debtor_of,
    lawsuit_of,
    lender_contacts,
    lender_incidents,
    limitation_flags,
    pending_lawsuit,
)

NEGOTIATION_REQUEST = LetterKind.NEGOTIATION_REQUEST.value
HARDSHIP_STATEMENT = LetterKind.HARDSHIP_STATEMENT.value
REGULATOR_COMPLAINT = LetterKind.REGULATOR_COMPLAINT.value
COLLECTION_COMPLAINT = LetterKind.COLLECTION_COMPLAINT.value
DEMAND_LETTER = LetterKind.DEMAND_LETTER.value
COURT_DEFENCE = LetterKind.COURT_DEFENCE.value
EVIDENCE_INDEX = LetterKind.EVIDENCE_INDEX.value
LAWYER_SUMMARY = LetterKind.LAWYER_SUMMARY.value
DOCUMENTS_REQUEST = LetterKind.DOCUMENTS_REQUEST.value
MEDIATION_APPLICATION = LetterKind.MEDIATION_APPLICATION.value
CREDIT_REPORT_OBJECTION = LetterKind.CREDIT_REPORT_OBJECTION.value


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
    if where == "credit_report":
        return reverse("road", args=[case.pk, "credit-report"]) + "#wrong-record"
    return reverse(FIX_PAGES[where], args=[case.pk])



# --- What a letter can need. Each takes a case loaded by ``context.case_for_letters`` and the
# lender the letter is addressed to, and returns what is missing (empty: all there).

def needs_debtor(case, lender=None) -> list[Missing]:
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

    def need(case, lender=None) -> list[Missing]:
        if getattr(case, related).all():
            return []
        return [Missing(what, fix_url(case, where))]

    need.__name__ = f"needs_{related}"
    return need


needs_debts = needs_rows("debts", _("At least one debt (lender, amounts, overdue date)"), "debts")


def needs_lender_names(case, lender=None) -> list[Missing]:
    if all(debt.lender.strip() for debt in case.debts.all()):
        return []
    return [Missing(_("The lender named on each contract"), fix_url(case, "debts"))]


def needs_hardship(case, lender=None) -> list[Missing]:
    missing = []
    if not case.hardship_reasons:
        missing.append(Missing(_("Why you cannot pay as agreed (the reasons)"), fix_url(case, "hardship")))
    if not case.hardship_what_happened.strip():
        missing.append(Missing(_("What happened, in your own words"), fix_url(case, "hardship")))
    return missing


def needs_budget(case, lender=None) -> list[Missing]:
    kinds = {line.kind for line in case.budget_lines.all()}
    missing = []
    if "income" not in kinds:
        missing.append(Missing(_("Your monthly income (write 0 if you have none)"), fix_url(case, "budget")))
    if "expense" not in kinds:
        missing.append(Missing(_("Your monthly essential costs"), fix_url(case, "budget")))
    return missing


needs_proposal = needs_rows("proposals", _("A repayment plan you have chosen"), "proposal")


def needs_live_debt(case, lender=None) -> list[Missing]:
    """A letter that names amounts or offers payment needs a debt of this lender that is not flagged
    for limitation and is in the chosen plan's snapshot."""
    if lender is None or not case.proposals.all():
        return []
    flags = limitation_flags(case)
    proposal = chosen_proposal(case)
    ids = {int(d["id"]) for d in proposal.for_lender(lender.name)["debts"]}
    if any(debt_id not in flags for debt_id in ids & set(lender.debt_ids)):
        return []
    return [Missing(_("A debt with this lender that is not possibly time-barred, in your chosen plan (for a "
                      "possibly time-barred debt, use the request for copies of the contract instead)"),
                    fix_url(case, "proposal"))]


def needs_plan_without_flagged(case, lender=None) -> list[Missing]:
    """No letter offers payment on a possibly time-barred debt (DOMAIN.md "Limitation")."""
    if lender is None or not case.proposals.all():
        return []
    flags = limitation_flags(case)
    part = chosen_proposal(case).for_lender(lender.name)["part"] or {}
    if any(int(i) in flags for i in part.get("debt_ids", [])):
        return [Missing(_("A plan that leaves out the debt that may be time-barred (choose the plan again "
                          "without including it)"), fix_url(case, "proposal"))]
    return []


def needs_lender_part(case, lender=None) -> list[Missing]:
    if lender is None or not case.proposals.all():
        return []
    if chosen_proposal(case).for_lender(lender.name)["part"] is None:
        return [Missing(_("A chosen plan that includes this lender"), fix_url(case, "proposal"))]
    return []


def needs_request_made(case, lender=None) -> list[Missing]:
    """A complaint to the regulator says what was asked of the institution and what it answered: the debtor
    must have asked this lender first (a collector's call alone is the collection complaint's matter)."""
    if lender is not None and any(c.direction == "outgoing" for c in lender_contacts(case, lender)):
        return []
    return [Missing(_("At least one request you made to this lender yourself (a call, chat or letter from you) "
                      "in your negotiation log"), fix_url(case, "log"))]


def needs_misconduct(case, lender=None) -> list[Missing]:
    if lender is not None and lender_incidents(case, lender):
        return []
    return [Missing(_("At least one collection incident for this lender in your negotiation log (what happened, "
                      "when, and the lender they collect for)"), fix_url(case, "log"))]


needs_evidence = needs_rows("evidence", _("At least one piece of evidence uploaded"), "evidence")


def needs_lawsuit(case, lender=None) -> list[Missing]:
    if lender is not None and lawsuit_of(case, lender) is not None:
        return []
    return [Missing(_("The lawsuit this lender filed (court, case number, date served, what it claims)"),
                    reverse("lawsuits", args=[case.pk]))]


def needs_figures(case, lender=None) -> list[Missing]:
    """The court defence computes its reasons from the chosen plan's figures, unless every debt of the
    plaintiff may be time-barred (then limitation is the defence, and no figure is needed)."""
    if case.proposals.all() or (lender is not None and set(lender.debt_ids) <= set(limitation_flags(case))):
        return []
    return [Missing(_("A repayment plan you have chosen"), fix_url(case, "proposal"))]


def needs_flagged_debt(case, lender=None) -> list[Missing]:
    if lender is not None and set(lender.debt_ids) & set(limitation_flags(case)):
        return []
    return [Missing(_("A debt with this lender that may be time-barred (this request is only for such a debt)"),
                    fix_url(case, "debts"))]


def needs_wrong_record(case, lender=None) -> list[Missing]:
    """The credit-report objection is only for a record that is actually wrong: the user says what is wrong."""
    if lender is not None and credit_error_of(case, lender) is not None:
        return []
    return [Missing(_("What is wrong in this lender's record on your credit report"), fix_url(case, "credit_report"))]


# Which lenders a kind's rows are offered for (others would only ever show what is missing).
def every_lender(case, lender) -> bool:
    return True


def sued_by(case, lender) -> bool:
    return lawsuit_of(case, lender) is not None


def has_wrong_record(case, lender) -> bool:
    return credit_error_of(case, lender) is not None


def has_flagged_debt(case, lender) -> bool:
    return bool(set(lender.debt_ids) & set(limitation_flags(case)))


def answer_the_court_first(suit) -> list[str]:
    """The to-do for a letter to a lender that has sued: the answer to the court goes first, since a reply to
    the letter may come after the answer is due and the case goes on without an answer (民事诉讼法 Art 128)."""
    if suit is None:
        return []
    if suit.answer_due is None:
        return [gettext("Send your answer to the court (民事答辩状) in the lawsuit %(suit)s first: it is due %(days)s "
                        "days after the court papers were served on you (enter that date on the lawsuits page to see "
                        "it). A reply to this letter may come after that date, and the case goes on even if you do "
                        "not answer.") % {"suit": suit, "days": suit.answer_days}]
    return [gettext("Send your answer to the court (民事答辩状) in the lawsuit %(suit)s first: it is due on "
                    "%(date)s. A reply to this letter may come after that date, and the case goes on even if you do "
                    "not answer.") % {"suit": suit, "date": formats.date_format(suit.answer_due, "Y-m-d")}]


@dataclass(frozen=True)
class KindSpec:
    slug: str
    document_title: str  # the heading printed on the letter, always formal Chinese
    needs: tuple[Callable, ...]
    bundle: bool = False  # may be followed by the evidence files merged into one PDF
    applies: Callable = every_lender
    offers_payment: bool = False  # states amounts or a plan: never for a possibly time-barred debt
    # One document for the whole case, addressed to no lender (the lawyer summary): generated once per
    # case, stored with lender "" (lenders.CASE_WIDE) and "-" in its URLs.
    case_wide: bool = False
    # What the printed letter says goes with it (随附) or to whom a copy goes (抄送): the letter page lists
    # them as the user's to-do before sending, so that what the letter states becomes true.
    before_sending: tuple[Promise, ...] = ()
    # A letter to a lender that has sued the debtor comes after the answer to the court: its page warns,
    # and answering the court first is on its to-do list: every kind but the answer itself and what goes with it
    # (a case-wide document has no addressee to have sued).
    answer_court_first: bool = True

    @property
    def title(self) -> Promise:
        """What the app calls it, in the user's language (the label of its ``LetterKind``)."""
        return LetterKind(self.slug).label

    @property
    def template(self) -> str:
        return f"letters/{self.slug}.html"

    def missing(self, case, lender=None) -> list[Missing]:
        return [gap for need in self.needs for gap in need(case, lender)]

    def pending_lawsuit(self, case, lender=None):
        """The suit this letter's page warns of: the addressee's, while its answer is not past due."""
        if not self.answer_court_first or lender is None:
            return None
        return pending_lawsuit(case, lender)

    def steps_before_sending(self, case, lender=None) -> list:
        """``before_sending``, with the court answer first while the addressee's lawsuit is pending."""
        return [*answer_the_court_first(self.pending_lawsuit(case, lender)), *self.before_sending]


KINDS = {
    kind.slug: kind
    for kind in (
        KindSpec(NEGOTIATION_REQUEST, "协商还款申请书",
                 (needs_debtor, needs_debts, needs_lender_names, needs_hardship, needs_proposal, needs_live_debt,
                  needs_lender_part, needs_plan_without_flagged), offers_payment=True),
        KindSpec(HARDSHIP_STATEMENT, "困难情况说明",
                 (needs_debtor, needs_debts, needs_hardship, needs_budget, needs_proposal, needs_live_debt),
                 offers_payment=True),
        KindSpec(REGULATOR_COMPLAINT, "投诉书",
                 (needs_debtor, needs_debts, needs_lender_names, needs_proposal, needs_live_debt, needs_lender_part,
                  needs_plan_without_flagged, needs_request_made), offers_payment=True,
                 # The letter asserts no call to the hotline (nothing in the case shows one): calling is the user's.
                 before_sending=(_("You can also make the same complaint by phone to the regulator's consumer "
                                   "hotline 12378. The letter does not say that you called."),)),
        KindSpec(COLLECTION_COMPLAINT, "关于不当催收行为的投诉书",
                 (needs_debtor, needs_debts, needs_lender_names, needs_misconduct),
                 before_sending=(_("The letter names the financial regulator's local office under 抄送 (copy to): "
                                   "send them a copy as well, for example with a complaint through the hotline "
                                   "the letter gives or the regulator's website, so that what the letter says is true."),)),
        KindSpec(DEMAND_LETTER, "法律意见函",
                 (needs_debtor, needs_debts, needs_lender_names, needs_proposal, needs_live_debt, needs_lender_part,
                  needs_plan_without_flagged), offers_payment=True),
        KindSpec(COURT_DEFENCE, "民事答辩状",
                 (needs_debtor, needs_debts, needs_lender_names, needs_lawsuit, needs_figures), applies=sued_by,
                 answer_court_first=False),
        KindSpec(EVIDENCE_INDEX, "证据目录",
                 (needs_debtor, needs_evidence), bundle=True, answer_court_first=False),
        # A brief for a first consultation with the debtor's own lawyer (issue 19): every debt of every
        # lender, sent to none of them, nothing offered.
        KindSpec(LAWYER_SUMMARY, "案情摘要（供律师咨询）",
                 (needs_debtor, needs_debts, needs_lender_names), case_wide=True),
        KindSpec(DOCUMENTS_REQUEST, "个人信息查阅、复制申请",
                 (needs_debtor, needs_debts, needs_lender_names, needs_flagged_debt), applies=has_flagged_debt,),
        # To a mediation organisation about one respondent lender (issue 19): the request is this lender's
        # part of the chosen plan, so it offers payment and never on a possibly time-barred debt.
        KindSpec(MEDIATION_APPLICATION, "调解申请书",
                 (needs_debtor, needs_debts, needs_lender_names, needs_proposal, needs_live_debt, needs_lender_part,
                  needs_plan_without_flagged), offers_payment=True),
        # About a record that is actually wrong (征信业管理条例 Art 25): offered once the user said what is wrong.
        KindSpec(CREDIT_REPORT_OBJECTION, "征信异议申请书",
                 (needs_debtor, needs_debts, needs_lender_names, needs_wrong_record), applies=has_wrong_record,
                 before_sending=(_("The letter says a copy of your ID card is enclosed: put one in."),
                                 _("It also says a copy of the wrong entry in your credit report is enclosed: "
                                   "print that page of your report and put it in, with anything that shows the "
                                   "entry is wrong."))),
    )
}

TITLES = {slug: kind.title for slug, kind in KINDS.items()}
if set(KINDS) != set(LetterKind.values):
    raise ImproperlyConfigured("every LetterKind (letters/choices.py) needs its entry in KINDS, and only those")
SLUGS = tuple(KINDS)
