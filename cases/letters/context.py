"""The context a letter is rendered from: a JSON-ready snapshot of the case, for one addressee.

Letters v2 (issue 15): every letter is written to one lender (or about one lender, for complaints
and the court defence). The snapshot holds that lender's debts and its part of the chosen plan
only, every amount from the chosen Proposal's snapshot (one date, printed as ``as_of``), other
creditors only as a count and a total, the log's contacts about this lender only, the evidence
about this lender's debts or the hardship only, and each factual sentence's data (counts from the
log, the statements the user confirmed), so a template prints a sentence only when its data is there.

The snapshot is what a Letter version stores and hashes, and the templates read nothing else, so a
letter can always be shown again exactly as it was generated. Amounts are strings with two
decimals (yuan), dates ISO strings.
"""

from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from django.utils import timezone

from ..finance.codec import quote_dict
from ..lenders import OTHER, Lender, concerned, lender_kind, lenders_of, normalise
from ..models import Case, LenderType, RegulatorOffice
from ..negotiation import rules as log_rules
from ..negotiation.offers import BARRED
from ..proposal.quote import engine_input_for, quote_case
from ..roads.rules import CREDIT_OBJECTION_REPLY_DAYS, MEDIATION_CONFIRMATION_DAYS
from . import labels, rules
from .choices import LetterKind

ZERO = Decimal("0.00")
# Evidence kinds that show the hardship itself, whatever debt they are filed under (none).
HARDSHIP_EVIDENCE = ("pay_slip", "bank_statement", "medical", "unemployment")


def money(value) -> str:
    if value is None or value == "":
        return ""
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def yuan(value) -> str:
    """An amount as letters print it in running text: 12,480.00 (the same as the ``yuan`` filter)."""
    return f"{Decimal(str(value)).quantize(Decimal('0.01')):,.2f}"


def _iso(value) -> str:
    return value.isoformat() if value else ""


def letters_queryset(queryset=None):
    """Cases with everything letters read, in a fixed number of queries."""
    qs = queryset if queryset is not None else Case.objects.all()
    return qs.select_related("debtor").prefetch_related(
        "debts", "budget_lines", "evidence", "contacts", "contacts__debts", "contacts__evidence", "proposals",
        "lawsuits", "credit_record_errors",
    )


def case_for_letters(case_id: int) -> Case:
    return letters_queryset().get(pk=case_id)


def debtor_of(case: Case):
    try:
        return case.debtor
    except Case.debtor.RelatedObjectDoesNotExist:
        return None


def chosen_proposal(case: Case):
    # ``proposals`` is prefetched and ordered newest first (Proposal.Meta.ordering).
    proposals = list(case.proposals.all())
    return proposals[0] if proposals else None


def percent(value) -> str:
    """The engine's rates are fractions ("0.1800"); letters print "18.00%"."""
    if value in (None, ""):
        return ""
    text = str(value)
    if text.endswith("%"):
        return text
    return f"{(Decimal(text) * 100).quantize(Decimal('0.01'))}%"


# --- Lenders and limitation --------------------------------------------------

def case_lenders(case: Case) -> list[Lender]:
    return lenders_of(case.debts.all())


def limitation_flags(case: Case, today: date | None = None) -> dict[int, str]:
    """Debt id -> ``check`` / ``may_be_time_barred`` for each debt either the chosen proposal's snapshot
    or today's figures flag: the worse of the two, so time passing since the proposal never hides a flag."""
    cached = getattr(case, "_limitation_flags", None)
    if cached is not None and today is None:
        return cached
    flags: dict[int, str] = {}
    proposal = chosen_proposal(case)
    sources = [proposal.engine_output.get("debts", [])] if proposal else []
    if case.debts.all():
        sources.append(quote_case(case, as_of=today or timezone.localdate()).get("debts", []))
    for debts in sources:
        for row in debts:
            status = row.get("limitation")
            if status in BARRED and flags.get(int(row["id"])) != "may_be_time_barred":
                flags[int(row["id"])] = status
    if today is None:
        case._limitation_flags = flags  # one quote per loaded case: the letters page asks per lender and kind
    return flags


def contact_lenders(contact, lenders: list[Lender]) -> set[str]:
    """The slugs of the lenders a log entry concerns (``lenders.concerned``, the rule the coach shares).
    An entry that concerns no lender goes in no lender's letter."""
    return {found.slug for found in concerned(lenders, [debt.pk for debt in contact.debts.all()],
                                               contact.collecting_for, contact.organisation)}


def misconduct_flags(contacts) -> dict[int, list[str]]:
    """Misconduct per contact, as the negotiation log shows it: what the user
    reported plus what the log derives itself (calls at night, repeated calls)."""
    computed = log_rules.computed_flags(contacts)
    return {c.pk: list(dict.fromkeys([*computed[c.pk], *(c.misconduct or [])])) for c in contacts}


def lender_contacts(case: Case, lender: Lender) -> list:
    lenders = case_lenders(case)
    return sorted((c for c in case.contacts.all() if lender.slug in contact_lenders(c, lenders)),
                  key=lambda c: (c.occurred_at, c.pk))


def lender_incidents(case: Case, lender: Lender) -> list:
    """This lender's log entries with misconduct (the misconduct computed over the whole log, as the log shows it)."""
    flags = misconduct_flags(list(case.contacts.all()))
    return [c for c in lender_contacts(case, lender) if flags[c.pk]]


def credit_error_of(case: Case, lender: Lender):
    """What the user says is wrong in this lender's credit-report record (issue 19), if anything."""
    return next((row for row in case.credit_record_errors.all() if row.lender_slug == lender.slug), None)


# What the objection letter prints for each problem (models.CreditRecordError.Problem), in formal Chinese.
CREDIT_PROBLEM_WORDS = {
    "wrong_amount": "金额记载错误",
    "wrong_dates": "逾期或还款日期记载错误",
    "not_mine": "该笔债务并非本人所负",
    "no_notice": "报送不良信息前未事先告知本人",
}
CREDIT_BUREAU = "中国人民银行征信中心"


def _wrong_record(row) -> dict | None:
    if row is None:
        return None
    return {"problem": row.problem, "problem_words": CREDIT_PROBLEM_WORDS.get(row.problem, ""),
            "details": row.details, "account": row.account, "to_bureau": row.addressee == "bureau"}


def lawsuit_of(case: Case, lender: Lender):
    key = normalise(lender.name)
    return next((suit for suit in case.lawsuits.all() if normalise(suit.plaintiff) == key), None)


def pending_lawsuit(case: Case, lender: Lender, today: date | None = None):
    """This lender's suit while its answer is not yet past due (or its due date is unknown): the court answer
    comes before any other letter to the same lender, since not answering does not stop the case and limitation
    and the 24 % reduction must be raised in the answer (民事诉讼法 Art 128; DOMAIN.md "Settlements")."""
    suit = lawsuit_of(case, lender)
    if suit is None or (suit.answer_due is not None and suit.answer_due < (today or timezone.localdate())):
        return None
    return suit


# --- Rows ----------------------------------------------------------------------

def kind_of(lender: Lender, debts_by_id: dict) -> str:
    """The kind of institution ``lender`` is (``lenders.lender_kind``): it decides which rules a letter cites."""
    mine = [debts_by_id[pk] for pk in lender.debt_ids if pk in debts_by_id]
    return lender_kind(lender.name, bool(mine) and all(debt.lender_type == LenderType.PRIVATE for debt in mine))


def _contact_row(contact, flags: list[str], kind: str) -> dict:
    when = timezone.localtime(contact.occurred_at)
    offered = contact.offer_text
    if not offered and contact.offer_months:
        offered = f"分{contact.offer_months}期，每期{money(contact.offer_monthly)}元"
    return {
        "date": when.date().isoformat(),
        "time": when.strftime("%H:%M"),
        "channel": labels.CHANNELS.get(contact.channel, contact.channel),
        "incoming": contact.direction == "incoming",
        "organisation": contact.organisation,
        "person": contact.person_name,
        "staff_id": contact.staff_id,
        "phone": contact.phone_number,
        "asked": contact.asked,
        "offered": offered,
        "outcome": labels.OUTCOMES.get(contact.outcome, contact.outcome),
        "notes": contact.notes,
        "misconduct": [rules.misconduct_rule(code, kind) for code in flags],
        "evidence_ids": [item.pk for item in contact.evidence.all()],
    }


def log_facts(contacts) -> dict:
    """What the log shows about this lender, counted by direction and outcome: each sentence about
    contacts is printed only when its count supports it."""
    outgoing = [c for c in contacts if c.direction == "outgoing"]
    dates = [timezone.localtime(c.occurred_at).date() for c in outgoing]

    def count(outcome, among=outgoing):
        return sum(1 for c in among if c.outcome == outcome)

    return {
        "outgoing": len(outgoing),
        "outgoing_first": _iso(min(dates)) if dates else "",
        "outgoing_last": _iso(max(dates)) if dates else "",
        "incoming": len(contacts) - len(outgoing),
        "refused": count("refused"),
        "no_answer": count("no_answer"),
        "offers": count("offer", contacts),
        "agreed": count("agreed", contacts),
        "asked_plan": sum(1 for c in outgoing if c.asked.strip()),
    }


BUNDLED_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp", "image/gif")


def printed_pages(item) -> int:
    """Pages an evidence file takes in the merged bundle (0: not printable, e.g. a recording)."""
    if item.content_type == "application/pdf":
        return item.pages or 0
    return 1 if item.content_type in BUNDLED_TYPES else 0


def lender_evidence(case: Case, lender: Lender | None, contacts=()) -> list:
    """The evidence a letter to ``lender`` may enclose: about its debts, about the hardship (and no other
    lender's debt), or attached to one of its log entries. Never another lender's contracts, bills or calls."""
    items = list(case.evidence.all())
    if lender is None:
        return items
    mine = set(lender.debt_ids)
    via_log = {item.pk for contact in contacts for item in contact.evidence.all()}
    chosen = []
    for item in items:
        if item.debt_id is not None:
            if item.debt_id in mine:
                chosen.append(item)
        elif item.supports_hardship or item.kind in HARDSHIP_EVIDENCE or item.pk in via_log:
            chosen.append(item)
    return chosen


def _evidence_rows(items) -> list[dict]:
    rows, next_page = [], 1
    for no, item in enumerate(items, start=1):
        name, suggestion = labels.EVIDENCE.get(item.kind, labels.EVIDENCE["other"])
        pages = printed_pages(item)
        page_range = ""
        if pages:
            last = next_page + pages - 1
            page_range = str(next_page) if pages == 1 else f"{next_page}-{last}"
            next_page = last + 1
        rows.append({
            "no": no,
            "id": item.pk,
            # A document's title in a letter, not a file name: the extension (kept in the bundle's file) is left out.
            "name": PurePosixPath(item.original_name).stem or item.original_name,
            "kind": name,
            # What it proves is its own field; the kind's suggestion stands in until the user writes one.
            # The user's note is theirs and is never printed.
            "proves": item.proves.strip() or suggestion,
            "source": "本人提供",
            "pages": pages,
            "page_range": page_range,
            "sha256": item.sha256,
        })
    return rows


def _budget(proposal) -> dict:
    """The budget as the proposal's snapshot has it (the same date as every other figure)."""
    return _budget_of(proposal.engine_input, proposal.engine_output)


def _budget_of(lines: dict, output: dict) -> dict:
    budget = output["budget"]

    def rows(items):
        return [{"category": labels.BUDGET.get(i["category"], i["category"]), "amount": money(i["amount"])}
                for i in items]

    floor = budget.get("floor") or {}
    return {
        "income": rows(lines.get("income", [])),
        "expense": rows(lines.get("expenses", [])),
        "income_total": money(budget["income"]),
        "expense_total": money(budget["expenses"]),
        "essential": money(budget["essential"]),
        "floor_applied": bool(floor.get("applied")),
        "floor_amount": money(floor.get("amount")),
        "floor_people": floor.get("household_size"),
        "margin": money(budget.get("margin")),
        "available": money(budget["available"]),
    }


def _debt_rows(view: dict, debts_by_id: dict, flags: dict) -> tuple[list[dict], list[dict]]:
    """(this lender's debts that may be offered payment, its debts that may be time-barred): the latter
    by product and the last four digits only — no amounts, nothing that acknowledges them."""
    live, flagged = [], []
    for row in view["debts"]:
        debt = debts_by_id.get(int(row["id"]))
        account = debt.account_number_masked if debt else ""
        if int(row["id"]) in flags or row.get("limitation") in BARRED:
            flagged.append({"id": row["id"], "product": labels.PRODUCTS.get(row["product"], row["product"]),
                            "account": account})
            continue
        live.append({
            "id": row["id"],
            "product": labels.PRODUCTS.get(row["product"], row["product"]),
            "account": account,
            "principal": money(row["principal"]),
            "overdue_amount": money(row["overdue_amount"]),
            "overdue_since": row.get("overdue_since") or "",
            "days_overdue": row.get("days_overdue", ""),
            "annual_rate": percent(debt.annual_rate) if debt else "",
            "cost": money(row.get("cost")),
            "all_in_apr": percent(row.get("all_in_apr")),
            "allowed_at_cap": money(row.get("allowed_at_cap")),
            # The court's test of a claim: the whole unpaid principal at the cap over the days charges ran.
            "allowed_on_principal": money(row.get("allowed_on_principal") or row.get("allowed_at_cap")),
            "charge_days": row.get("charge_days") or 0,
            "day_count": row.get("day_count") or 365,
            "excess_over_cap": money(row.get("excess_over_cap") or "0"),
            "balance": money(row["balance"]),
            "ceiling_rule": row.get("ceiling_rule", "24%"),
            "ceiling_source": row.get("ceiling_source", ""),
            "ceiling_rate": row.get("ceiling_rate") or "",
            "amount_received": money(debt.amount_received) if debt and debt.amount_received is not None else "",
            "contract_date": _iso(debt.contract_date) if debt else "",
            "accelerated_on": _iso(debt.accelerated_on) if debt else "",
        })
    return live, flagged


# Plans whose total, once paid, settles this lender's debts (the remainder is then waived); the arrangement,
# the hold and an own amount with a review date only pause charges until a review.
SETTLING = ("full_balance", "waiver", "stop_interest", "settlement", "deferral", "own_amount")


def _plan(view: dict, proposal, live: list[dict], flagged_ids: set) -> dict | None:
    part, plan = view.get("part"), view["plan"]
    if part is None:
        return None
    schedule = [{"no": i, "due": row["due"], "amount": money(row["amount"])}
                for i, row in enumerate(part.get("schedule", []), start=1)]
    amounts = [Decimal(row["amount"]) for row in schedule]
    balance = sum((Decimal(d["balance"]) for d in live), ZERO)
    settles = plan["kind"] in SETTLING and not plan.get("review_on")
    return {
        "kind": plan["kind"],
        "label": labels.PLANS.get(plan["kind"], plan["kind"]),
        "months": len(schedule),
        "deferral_months": plan.get("deferral_months") or 0,
        "monthly_payment": money(part["monthly_payment"]),
        "largest_payment": money(max(amounts)) if amounts else "0.00",
        "total": money(part["total"]),
        "waived": money(part["waived"]),
        "balance": money(balance),
        # The letter says "balance, of which we pay total and ask to waive the rest" only when that is exact.
        "adds_up": balance == Decimal(part["total"]) + Decimal(part["waived"]),
        "schedule": schedule,
        "affordable": bool(plan.get("affordable")),
        "needs_reason": bool(plan.get("needs_reason")),
        "reason": view.get("reason", "") if plan.get("needs_reason") else "",
        "review_on": plan.get("review_on") or "",
        "freeze_charges": bool(plan.get("freeze_charges")),
        "settles": settles,
        # A plan the user chose to include a possibly time-barred debt in: letters refuse to offer it.
        "includes_flagged": bool(flagged_ids & {int(i) for i in part.get("debt_ids", [])}),
    }


def _ceiling(live: list[dict]) -> dict:
    """The cap this lender's letter names: the snapshot's rule for the debts it asks to reduce (else for any
    of its debts) — 24 % for a licensed lender, 4 × LPR for private lending; never fixed text."""
    over = [d for d in live if Decimal(d["excess_over_cap"] or "0") > 0] or live
    debt = next((d for d in over if d["ceiling_rule"]), None)
    return rules.ceiling_for(debt["ceiling_rule"], debt["ceiling_rate"]) if debt else rules.ceiling_for("24%")


def _rate_words(rate: str) -> str:
    """"0.2400" → "24%"; a 4 × LPR cap keeps its two places ("13.80%")."""
    value = (Decimal(rate or "0.24") * 100).normalize()
    return f"{value:f}%"


def _mediation_offer(plan: dict | None) -> dict | None:
    """The chosen plan offered in mediation, with its conditions (the template): its total alone, against the
    claim, would read as a full settlement. No figure of what is "left" is printed: it would rest on the debtor's
    own count of the charges, whose base can go either way (see ``_lawsuit``)."""
    if plan is None or not plan["schedule"]:
        return None
    return {"interim": bool(plan.get("review_on"))}


def _lawsuit(suit, live: list[dict], flagged: list[dict], as_of: str, plan: dict | None = None) -> dict | None:
    """The court defence's view of the suit: per claim 无异议/有异议 and a reason computed from the snapshot
    (the same ceiling rule as the proposal), never assumed."""
    if suit is None:
        return None
    principal = sum((Decimal(d["principal"]) for d in live), ZERO)
    # The claim is tested as a court does: the unpaid principal at the cap over every day a charge ran
    # (finance.charges: ``allowed_on_principal``), whatever base each of the debtor's own figures used.
    allowed = sum((Decimal(d["allowed_on_principal"] or "0") for d in live), ZERO)
    as_of_words = f"{as_of[:4]}年{int(as_of[5:7])}月{int(as_of[8:10])}日" if as_of else "答辩人核算日"
    time_barred = bool(flagged) and not live

    def amount(value):
        return None if value is None else Decimal(value)

    claims = []
    charges_claimed = sum((amount(v) or ZERO for v in (suit.claim_interest, suit.claim_compound, suit.claim_penalty,
                                                        suit.claim_fees)), ZERO)
    over_cap = max(charges_claimed - allowed, ZERO) if live and charges_claimed else ZERO
    cap = _ceiling(live)
    cap_words = cap["words"]
    # One position on the charges, stated in the claims table and again in section 四 word for word: the cap on
    # the unpaid principal, with its computation so the court can check it. The debtor's own count of what the
    # contract gives is not argued here: its base (the overdue part or the whole balance) can go either way.
    formula = "＋".join(f"{yuan(Decimal(d['principal']))}元×{_rate_words(d['ceiling_rate'])}×{d['charge_days']}天"
                       f"÷{d['day_count']}" for d in live if d["charge_days"])
    shown = f"（{formula}）" if formula else ""
    charges_position = (f"原告主张的利息、复利、罚息、违约金及其他费用合计{yuan(charges_claimed)}元。"
                        f"按{cap_words}以未还本金为基数计算{shown}，截至{as_of_words}最多可收取{yuan(allowed)}元，"
                        f"超出{yuan(over_cap)}元；答辩人请求对超出部分予以调减。")

    def claim(item: str, value, objection: str = "", note: str = ""):
        claims.append({"item": item, "amount": money(value) if value is not None else "",
                       "objection": bool(objection), "reason": objection or note})

    if time_barred:
        limitation = "答辩人主张诉讼时效抗辩：原告的债权已超过三年诉讼时效（《中华人民共和国民法典》第一百八十八条、第一百九十二条），请求驳回。"
    else:
        limitation = ""
    value = amount(suit.claim_principal)
    principal_disputed = max(value - principal, ZERO) if value is not None and live else ZERO
    if value is not None:
        if limitation:
            claim("本金", value, limitation)
        elif value > principal:
            claim("本金", value, f"答辩人核对的本金余额为{yuan(principal)}元，原告主张多出{yuan(value - principal)}元，"
                              "请原告提供放款及还款记录予以证明。")
        else:
            claim("本金", value, note="与答辩人核对的本金余额一致。" if value == principal else
                  f"少于答辩人核对的本金余额{yuan(principal)}元。")
    for item, field in (("利息", suit.claim_interest), ("复利", suit.claim_compound),
                        ("罚息、违约金", suit.claim_penalty), ("其他费用", suit.claim_fees)):
        value = amount(field)
        if value is None:
            continue
        if limitation:
            claim(item, value, limitation)
        elif over_cap > 0 and value > 0 and any(c["objection"] and c["item"] != "本金" for c in claims):
            # The cap is tested on all charges together: one reason, stated once.
            claim(item, value, "理由同上（利息、复利、罚息、违约金及其他费用合并计算）。")
        elif over_cap > 0 and value > 0:
            claim(item, value, charges_position)
        else:
            claim(item, value, note=f"各项费用合计未超过按{cap_words}计算的{yuan(allowed)}元（截至{as_of_words}）。")
    value = amount(suit.claim_lawyer_fees)
    lawyer_fees_disputed = value if value is not None and value > 0 else ZERO
    if value is not None and value > 0:
        claim("律师费", value, limitation or "请原告提供合同中由借款人承担律师费的约定及律师费实际支付凭证；"
                                         "未约定或未实际发生的，不应支持。")
    if suit.claim_acceleration:
        claims.append({"item": "宣布提前到期或解除合同", "amount": "", "objection": bool(limitation),
                       "reason": limitation})
    value = amount(suit.claim_total)
    if value is not None:
        # The total follows from the rows above, each part named, so a reader adding them gets the figure.
        parts = []
        if over_cap > 0:
            parts.append(f"超出{cap_words}的费用{yuan(over_cap)}元请求调减")
        if principal_disputed > 0:
            parts.append(f"多出答辩人核对本金的{yuan(principal_disputed)}元请原告举证")
        if lawyer_fees_disputed > 0:
            parts.append(f"律师费{yuan(lawyer_fees_disputed)}元请原告举证")
        if limitation:
            claim("合计", value, limitation)
        elif parts:
            rest = value - over_cap - principal_disputed - lawyer_fees_disputed
            claim("合计", value, "；".join(parts) + f"（见上），相应减去后为{yuan(rest)}元。")
        else:
            claim("合计", value)
    return {
        "court": suit.court,
        "case_number": suit.case_number,
        "plaintiff": suit.plaintiff,
        "served_on": _iso(suit.served_on),
        "answer_due": _iso(suit.answer_due),
        "claims": claims,
        "charges_claimed": money(charges_claimed),
        "allowed": money(allowed),
        "over_cap": money(over_cap),
        "charges_position": charges_position if over_cap > 0 else "",
        "cap_words": cap_words,
        "time_barred": time_barred,
        "principal": money(principal),
        "offer": _mediation_offer(plan),
    }


def _regulator_office(case: Case) -> dict:
    office = RegulatorOffice.for_region(case.city, case.province)
    if office is None:
        return {"name": "", "verified": False}
    return {"name": office.name, "verified": office.verified, "address": office.address}


def _sender(case: Case) -> dict:
    """Who writes (the debtor, masked ID number), from where and for how many people: every document prints it."""
    debtor = debtor_of(case)
    return {
        "debtor": {
            "name": debtor.name if debtor else "",
            "id_number": debtor.id_number_masked if debtor else "",
            "phone": debtor.phone if debtor else "",
            "address": debtor.address if debtor else "",
        },
        "region": f"{case.province}{case.city}",
        "household": {"size": case.household_size, "dependants": case.dependants},
    }


def _totals(rows: list[dict]) -> dict:
    return {
        "principal": money(sum((Decimal(d["principal"]) for d in rows), ZERO)),
        "overdue": money(sum((Decimal(d["overdue_amount"]) for d in rows), ZERO)),
        "balance": money(sum((Decimal(d["balance"]) for d in rows), ZERO)),
        "excess_over_cap": money(sum((Decimal(d["excess_over_cap"]) for d in rows), ZERO)),
    }


def build_snapshot(case: Case, kind, lender: Lender) -> dict:
    """Everything ``kind``'s template shows, for ``case`` (loaded by ``case_for_letters``), to ``lender`` only."""
    if kind.case_wide:
        return build_case_snapshot(case, kind)
    today = timezone.localdate()
    proposal = chosen_proposal(case)
    flags = limitation_flags(case)
    debts_by_id = {d.pk: d for d in case.debts.all()}
    if proposal is not None:
        view = proposal.for_lender(lender.name)
    else:  # only the neutral documents request and the collection complaint print without a plan
        view = {"as_of": "", "debts": [], "part": None, "plan": {}, "reason": "", "others": {"count": 0, "total": "0.00"}}
    live, flagged = _debt_rows(view, debts_by_id, flags)
    mine = set(lender.debt_ids)
    flagged_mine = list(flagged)
    known = {int(d["id"]) for d in [*live, *flagged]}
    for debt_id in sorted(mine - known):  # debts not in the snapshot (added since): flagged ones still named
        if debt_id in flags:
            debt = debts_by_id[debt_id]
            flagged_mine.append({"id": str(debt_id), "product": labels.PRODUCTS.get(debt.product, debt.product),
                                 "account": debt.account_number_masked})
    kind_of_lender = kind_of(lender, debts_by_id)
    contacts = lender_contacts(case, lender)
    all_flags = misconduct_flags(list(case.contacts.all()))
    contact_rows = [_contact_row(c, all_flags[c.pk], kind_of_lender) for c in contacts]
    evidence = lender_evidence(case, lender, contacts)
    if flagged_mine and not live:
        # Enclosing a bill or contract of a debt that may be time-barred says nothing neutral: left out.
        flagged_ids = {int(d["id"]) for d in flagged_mine}
        evidence = [item for item in evidence if item.debt_id not in flagged_ids]
    if kind.slug == LetterKind.COLLECTION_COMPLAINT:
        # What a collector did is shown by the log's own evidence and the account's papers; hardship proofs
        # prove nothing about it and are not sent (PIPL Art 6, minimisation).
        via_log = {item.pk for contact in contacts for item in contact.evidence.all()}
        evidence = [item for item in evidence if item.debt_id is not None or item.pk in via_log]
    plan = _plan(view, proposal, live, set(flags)) if proposal is not None else None
    evidence_rows = _evidence_rows(evidence)
    numbers = {row["id"]: row["no"] for row in evidence_rows}
    for row in contact_rows:
        row["evidence_nos"] = [numbers[i] for i in row.pop("evidence_ids") if i in numbers]
    snapshot = {
        "kind": kind.slug,
        "title": kind.document_title,
        "date": today.isoformat(),
        "as_of": view["as_of"],
        "lender": lender.name,
        "lender_kind": kind_of_lender,
        **_sender(case),
        "hardship": {
            "reasons": [labels.HARDSHIP.get(code, code) for code in case.hardship_reasons or []],
            "since": _iso(case.hardship_since),
            "what_happened": case.hardship_what_happened,
            "income_change": case.hardship_income_change,
            "actions": case.hardship_actions,
        },
        "debts": live,
        "flagged": flagged_mine,
        "totals": _totals(live),
        "others": {"count": view["others"]["count"], "total": money(view["others"]["total"])},
        "budget": _budget(proposal) if proposal is not None else None,
        "plan": plan,
        "contacts": contact_rows,
        "facts": log_facts(contacts),
        "incidents": [row for row in contact_rows if row["misconduct"]],
        # "停止向第三人联系" only when the log shows a third party contacted or told; otherwise "不得".
        "third_party_contacted": any(m["code"] in ("third_party", "disclosure")
                                     for row in contact_rows for m in row["misconduct"]),
        "statements": [rules.STATEMENTS[code][1] for code in rules.STATEMENTS if code in (case.statements or [])],
        "evidence": evidence_rows,
        "lawsuit": _lawsuit(lawsuit_of(case, lender), live, flagged_mine, view["as_of"], plan),
        "regulator_office": _regulator_office(case),
        "wrong_record": _wrong_record(credit_error_of(case, lender)),
        "credit_bureau": CREDIT_BUREAU,
        "rules": {
            "ceiling": _ceiling(live),
            "citations": rules.CITATIONS,
            "card_plan": rules.card_plan_point(
                kind_of_lender, [debts_by_id[int(d["id"])].product for d in live if int(d["id"]) in debts_by_id]),
            "complaint_deadline": rules.COMPLAINT_DEADLINE,
            "regulators": rules.REGULATORS,
            "demand_response_days": rules.DEMAND_RESPONSE_DAYS,
            "not_an_acknowledgement": rules.NOT_AN_ACKNOWLEDGEMENT,
            "credit_objection_days": CREDIT_OBJECTION_REPLY_DAYS,
            "mediation_confirmation_days": MEDIATION_CONFIRMATION_DAYS,
        },
    }
    return snapshot


# --- Case-wide documents (issue 19) ------------------------------------------------------------
# The lawyer summary is for the debtor's own lawyer and is sent to no lender: it shows every debt of
# every lender, the possibly time-barred ones too (with their status, so the lawyer can check them).

# What the lawyer summary prints for each code, in formal Chinese.
LIMITATION_WORDS = {"ok": "在诉讼时效期间内", "check": "需核对日期", "may_be_time_barred": "可能已过诉讼时效"}
LETTER_STATUS_WORDS = {"draft": "草稿", "in_review": "待审核", "approved": "已审核", "changes_requested": "需修改",
                       "sent": "已寄出"}


def _case_figures(case: Case, today: date) -> tuple[dict, dict]:
    """(engine input, engine output) of the whole case as of today: the lawyer needs every debt as it is now,
    including any added since the plan was chosen (one date, printed as ``as_of``)."""
    if not case.debts.all():
        return {}, {}
    engine_input = engine_input_for(case, today)
    return engine_input, quote_dict(engine_input)


def _case_debt_rows(output: dict, debts_by_id: dict, flags: dict) -> list[dict]:
    rows = []
    for row in output.get("debts", []):
        debt = debts_by_id.get(int(row["id"]))
        status = flags.get(int(row["id"])) or row.get("limitation") or ""
        rows.append({
            "id": row["id"],
            "lender": row["lender"],
            "product": labels.PRODUCTS.get(row["product"], row["product"]),
            "account": debt.account_number_masked if debt else "",
            "principal": money(row["principal"]),
            "overdue_amount": money(row["overdue_amount"]),
            "overdue_since": row.get("overdue_since") or "",
            "cost": money(row.get("cost")),
            "all_in_apr": percent(row.get("all_in_apr")),
            "excess_over_cap": money(row.get("excess_over_cap") or "0"),
            "balance": money(row["balance"]),
            "limitation": LIMITATION_WORDS.get(status, "未计算"),
            "flagged": status in BARRED,
        })
    return rows


def _letters_so_far(case: Case, kind) -> list[dict]:
    """The letters to lenders so far (not the summary itself: listing it would change it on every update)."""
    return [
        {"title": labels.LETTER_TITLES.get(kind, kind), "lender": lender, "version": version,
         "status": LETTER_STATUS_WORDS.get(status, status), "sent_on": _iso(sent_on)}
        for kind, lender, version, status, sent_on in case.letters.exclude(kind=kind.slug)
        .order_by("created_at", "id").values_list("kind", "lender", "version", "status", "sent_on")
    ]


def _open_dates(case: Case, contacts) -> list[dict]:
    """Follow-ups and deadlines still open in the log, and each lawsuit's answer date."""
    dates = [{"date": c.follow_up_on.isoformat(), "what": labels.EVENTS.get(c.event, "跟进"), "with": c.organisation}
             for c in contacts if c.follow_up_on and not c.follow_up_done]
    dates += [{"date": suit.answer_due.isoformat(), "what": "答辩期限", "with": f"{suit.court} {suit.case_number}".strip()}
              for suit in case.lawsuits.all() if suit.answer_due]
    return sorted(dates, key=lambda row: row["date"])


def build_case_snapshot(case: Case, kind) -> dict:
    """Everything a case-wide ``kind``'s template shows (the lawyer summary): no addressee."""
    today = timezone.localdate()
    proposal = chosen_proposal(case)
    # One date for every figure (PRACTITIONER.md): the chosen plan's, when there is one, as in the letters.
    engine_input, output = _case_figures(case, proposal.figures_date if proposal is not None else today)
    debts_by_id = {d.pk: d for d in case.debts.all()}
    debts = _case_debt_rows(output, debts_by_id, limitation_flags(case))
    contacts = sorted(case.contacts.all(), key=lambda c: (c.occurred_at, c.pk))
    flags = misconduct_flags(contacts)
    lenders = lenders_of(debts_by_id.values())
    kinds = {lender.slug: kind_of(lender, debts_by_id) for lender in lenders}

    def contact_kind(contact) -> str:  # an entry about several lenders cites what binds any licensed lender
        found = {kinds[slug] for slug in contact_lenders(contact, lenders)}
        return found.pop() if len(found) == 1 else OTHER

    contact_rows = [_contact_row(c, flags[c.pk], contact_kind(c)) for c in contacts]
    totals, sums = output.get("totals", {}), _totals(debts)
    return {
        "kind": kind.slug,
        "title": kind.document_title,
        "date": today.isoformat(),
        "as_of": output.get("as_of", ""),
        "lender": "",
        **_sender(case),
        "debts": debts,
        "lenders": list(dict.fromkeys(d["lender"] for d in debts)),
        "totals": {**sums, "excess_over_cap": money(totals.get("excess_over_cap") or sums["excess_over_cap"])},
        "budget": _budget_of(engine_input, output) if output.get("budget") else None,
        # The chosen plan was computed on its own date, not today's: the summary says which.
        "plan": {"label": labels.PLANS.get(proposal.plan.get("kind"), proposal.plan.get("kind", "")),
                 "monthly_payment": money(proposal.plan.get("monthly_payment")),
                 "months": proposal.plan.get("months"),
                 "as_of": proposal.figures_date.isoformat()} if proposal is not None else None,
        "contacts": contact_rows,
        "incidents": [row for row in contact_rows if row["misconduct"]],
        "summary": {"letters": _letters_so_far(case, kind), "dates": _open_dates(case, contacts)},
        "rules": {"ceiling": {k: str(v) for k, v in rules.CEILING.items()}},
    }
