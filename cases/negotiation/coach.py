"""The negotiation coach (issue 18): a lender's view of the case, the round it is in, the offer
checks of the log, and the call card's content. Reads the latest chosen plan (``Proposal``), the
case's debts and the log; a fixed number of queries per lender.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_UP, Decimal

from django.utils.translation import gettext_lazy as _

from ..lenders import Lender, concerned, find_lender, lenders_of
from ..models import Agreement, Case, CheckIn, Contact, Debt, Product, choice_label
from . import rules
from ..proposal.quote import quote_case
from .offers import BARRED, CENT, MAX_MONTHS, check_offer, lender_share

# Who to call, by product (DOMAIN.md "Products and lenders", "Instalment length").
CHANNELS = {
    Product.HUABEI: _("Call 95188 (24 hours) or use the online service in the Alipay app."),
    Product.JIEBEI: _("Call 95188 (24 hours) or use the online service in the Alipay app."),
    Product.WANGSHANGDAI: _("Use MYbank's service in the Alipay or MYbank app, or call the number in your contract."),
    Product.CREDIT_CARD: _("Call the card centre on the number on the back of your card or statement, and ask for an "
                           "individual instalment plan (个性化分期)."),
    Product.OTHER: _("Call the lender's own customer service, on the number in your contract or app."),
}
CARD_INSTALMENT_SOURCE = "商业银行信用卡业务监督管理办法第70条"
REVIEW_MONTHS = 12


def lender_debts(case: Case) -> list[Debt]:
    return list(case.debts.only("id", "case_id", "product", "lender"))


def contact_lender(contact: Contact, lenders: list[Lender], debt_ids: list[int] | None = None) -> Lender | None:
    """The lender a log entry concerns (``lenders.concerned``, the rule letters share; the first when it
    concerns several). ``lenders``: the case's, from ``lenders_of`` once per case, not per entry."""
    found = concerned(lenders, debt_ids, contact.collecting_for, contact.organisation)
    return found[0] if found else None


@dataclass
class LenderHistory:
    """What the log says about one lender: the round about to start and the last offer."""

    round: int = 1
    last_offer: Contact | None = None
    last_contact: Contact | None = None
    refusals: int = 0
    contacts: list[Contact] = field(default_factory=list)


def history(case: Case, lender: Lender, debts: list[Debt]) -> LenderHistory:
    """Two queries: the log, and which debts each entry names. A round is an answered contact
    (anything but no answer) about this lender."""
    contacts = list(case.contacts.order_by("occurred_at", "id"))
    named: dict[int, list[int]] = {}
    for contact_id, debt_id in Contact.debts.through.objects.filter(contact__case=case).values_list(
            "contact_id", "debt_id"):
        named.setdefault(contact_id, []).append(debt_id)
    lenders = lenders_of(debts)
    mine = [c for c in contacts
            if lender.slug in {found.slug for found in concerned(lenders, named.get(c.pk), c.collecting_for,
                                                                  c.organisation)}]
    answered = [c for c in mine if c.outcome != Contact.Outcome.NO_ANSWER]
    offers = [c for c in mine if c.offer_monthly is not None]
    return LenderHistory(
        round=len(answered) + 1,
        last_offer=offers[-1] if offers else None,
        last_contact=mine[-1] if mine else None,
        refusals=sum(1 for c in mine if c.outcome == Contact.Outcome.REFUSED),
        contacts=mine,
    )


def latest_proposal(case: Case):
    return case.proposals.first()


def offer_checks(case: Case, contacts: list[Contact], debts: list[Debt]) -> dict[int, dict]:
    """Per log entry with an offer: ``{"check": OfferCheck, "lender": Lender}``, or ``{"problem": ...}``
    saying why it cannot be checked ("no_plan", "no_lender"). Two queries."""
    with_offer = [c for c in contacts if c.offer_monthly is not None and c.offer_months]
    if not with_offer:
        return {}
    proposal = latest_proposal(case)
    named: dict[int, list[int]] = {}
    for contact_id, debt_id in Contact.debts.through.objects.filter(
            contact__in=[c.pk for c in with_offer]).values_list("contact_id", "debt_id"):
        named.setdefault(contact_id, []).append(debt_id)
    checks: dict[int, dict] = {}
    lenders = lenders_of(debts)
    for contact in with_offer:
        lender = contact_lender(contact, lenders, named.get(contact.pk))
        if lender is None:
            checks[contact.pk] = {"problem": "no_lender"}
        elif proposal is None:
            checks[contact.pk] = {"problem": "no_plan", "lender": lender}
        else:
            check = check_offer(proposal.for_lender(lender.name), contact.offer_monthly, contact.offer_months,
                                contact.offer_waiver)
            checks[contact.pk] = {"check": check, "lender": lender}
    return checks


@dataclass
class CallCard:
    case: Case
    lender: Lender
    products: list[str]
    channel: str
    round: int
    share: Decimal | None
    barred: bool
    view: dict | None
    history: LenderHistory
    plan_ask: dict | None = None  # {"monthly", "months", "total"} never above the share
    fallback: dict | None = None  # a longer term: {"monthly", "months"}
    arrangement: dict | None = None  # when no repayment fits: {"monthly"} with charges frozen
    review_on: date | None = None
    hardship: list[str] = field(default_factory=list)
    income: Decimal | None = None
    credit_card: bool = False
    source_card_plan: str = CARD_INSTALMENT_SOURCE
    agreement: Agreement | None = None


def reviewed_plan(plan: dict) -> bool:
    """A plan that pays what the budget allows for a review period, charges frozen, then is reviewed
    (cases/finance/plans.py: the arrangement, and the user's own amount when it would take over 60 months)."""
    return plan.get("kind") == "arrangement" or bool(plan.get("kind") == "own_amount" and plan.get("review_on"))


def call_card(case: Case, lender: Lender, debts: list[Debt], today: date) -> CallCard:
    mine = [d for d in debts if d.pk in lender.debt_ids]
    products = sorted({d.product for d in mine})
    channel_product = products[0] if len(products) == 1 else Product.OTHER
    past = history(case, lender, debts)
    proposal = latest_proposal(case)
    view = proposal.for_lender(lender.name) if proposal else None
    # The time limit from today's figures, not the snapshot's: a debt may have aged since.
    fresh = quote_case(case, today)
    barred = any(d.get("limitation") in BARRED for d in fresh["debts"] if int(d["id"]) in lender.debt_ids)
    share = lender_share(view) if view else None
    card = CallCard(
        case=case, lender=lender, products=[choice_label(Product, p) for p in products],
        channel=str(CHANNELS[channel_product]), round=past.round, share=share, barred=barred, view=view,
        history=past, credit_card=Product.CREDIT_CARD in products,
        hardship=[choice_label(Case.Hardship, h) for h in case.hardship_reasons or []],
        agreement=case.agreements.filter(lender_slug=lender.slug).first(),
    )
    if view and not barred:
        budget = view["budget"]
        card.income = Decimal(budget["income"])
        part = view.get("part")
        if part and share and share > 0 and reviewed_plan(view["plan"]):
            # A plan that pays what the budget allows with charges frozen and is then reviewed does not clear the
            # debt: its total is not the debt, so it is never asked for as "in total" nor spread over a longer term.
            card.arrangement = {"monthly": min(Decimal(part["monthly_payment"]), share)}
        elif part and share and share > 0 and Decimal(part["total"]) > 0:
            total = Decimal(part["total"])
            monthly = min(Decimal(part["monthly_payment"]), share)
            months = view["plan"].get("months") or 0
            if monthly < Decimal(part["monthly_payment"]) or not months:
                months = _months_for(total, monthly)
            if months <= MAX_MONTHS:
                card.plan_ask = {"monthly": monthly, "months": months, "total": total}
                if months < MAX_MONTHS:
                    card.fallback = {"monthly": (total / MAX_MONTHS).quantize(CENT, rounding=ROUND_UP),
                                     "months": MAX_MONTHS}
            else:  # no repayment fits: ask for what can be paid, charges frozen, reviewed later
                card.arrangement = {"monthly": share}
        card.review_on = rules.add_months(today, REVIEW_MONTHS)
    return card


def _months_for(total: Decimal, monthly: Decimal) -> int:
    return int((total / monthly).to_integral_value(rounding=ROUND_UP))


def call_prefill(debts: list[Debt], lender: str, round_: str) -> dict:
    """The quick-add form's values after a call from a call card: the lender, its debts, the
    round in the notes. Nothing for an unknown lender or a round that is not a small number."""
    found = find_lender(debts, lender) if lender else None
    if found is None:
        return {}
    prefill = {"organisation": found.name, "debts": list(found.debt_ids), "channel": Contact.Channel.HOTLINE,
               "direction": Contact.Direction.OUTGOING, "phone_number": "", "person_name": "", "staff_id": ""}
    if round_.isdigit() and 0 < int(round_) < 100:
        prefill["notes"] = str(_("Round %(n)s of the negotiation (call card).") % {"n": int(round_)})
    return prefill


def agreements_with_check_ins(case: Case) -> list[Agreement]:
    """The case's agreements, each with ``months_due``: (due date, amount, check-in or None). Two queries."""
    agreements = list(case.agreements.all())
    by_key = {(c.agreement_id, c.due_on): c for c in CheckIn.objects.filter(agreement__case=case)}
    for agreement in agreements:
        agreement.months_due = [(on, amount, by_key.get((agreement.pk, on))) for on, amount in agreement.schedule()]
        agreement.next_open = next((on for on, _a, c in agreement.months_due if c is None), None)
    return agreements


AGREEMENT_FIELDS = ("id", "case_id", "lender", "lender_slug", "monthly", "months", "first_due", "status")


def open_check_ins(user) -> list[Agreement]:
    """The user's agreements still running, each with ``next_open`` (the first month not checked
    in) and its case, soonest first: the dashboard's monthly check-in. Cases whose consent
    was withdrawn are left out (their pages are frozen). Two queries."""
    agreements = list(Agreement.objects.filter(case__owner=user, case__consent_at__isnull=False,
                                               case__consent_withdrawn_at__isnull=True)
                      .exclude(status=Agreement.Status.KEPT).select_related("case").only(
                          *AGREEMENT_FIELDS, "case__id", "case__title"))
    checked = set(CheckIn.objects.filter(agreement__in=[a.pk for a in agreements]).values_list("agreement_id", "due_on"))
    for agreement in agreements:
        agreement.next_open = next((on for on, _a in agreement.schedule() if (agreement.pk, on) not in checked), None)
    return sorted((a for a in agreements if a.next_open), key=lambda a: (a.next_open, a.pk))

