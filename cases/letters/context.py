"""The context a letter is rendered from: a JSON-ready snapshot of the case.

The snapshot is what a Letter version stores and hashes, and the templates read
nothing else, so a letter can always be shown again exactly as it was generated.
Amounts are strings with two decimals (yuan), dates ISO strings.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from ..models import Case, Debt
from ..negotiation import rules as log_rules
from ..proposal.quote import quote_case
from . import labels, rules
from .choices import LetterKind

ZERO = Decimal("0.00")


def money(value) -> str:
    if value is None or value == "":
        return ""
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def _iso(value) -> str:
    return value.isoformat() if value else ""


def letters_queryset(queryset=None):
    """Cases with everything letters read, in a fixed number of queries."""
    qs = queryset if queryset is not None else Case.objects.all()
    return qs.select_related("debtor").prefetch_related("debts", "budget_lines", "evidence", "contacts", "proposals")


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


def engine_figures(case: Case, today: date) -> dict:
    """The finance engine's figures for the case as of the letter's date: charges,
    all-in APR and the excess over the 24 % ceiling per debt."""
    if not case.debts.all():
        return {}
    return quote_case(case, as_of=today)


def percent(value) -> str:
    """The engine's rates are fractions ("0.1800"); letters print "18.00%"."""
    if value in (None, ""):
        return ""
    text = str(value)
    if text.endswith("%"):
        return text
    return f"{(Decimal(text) * 100).quantize(Decimal('0.01'))}%"


def _debt_row(debt: Debt, figures: dict, today: date) -> dict:
    engine = figures.get(str(debt.pk), {})
    days = engine.get("days_overdue")
    if days is None and debt.overdue_since:
        days = max((today - debt.overdue_since).days, 0)
    return {
        "id": str(debt.pk),
        "product": labels.PRODUCTS.get(debt.product, debt.product),
        "lender": debt.lender,
        "account": debt.account_number_masked,
        "principal": money(debt.principal),
        "overdue_amount": money(debt.overdue_amount),
        "overdue_since": _iso(debt.overdue_since),
        "days_overdue": days if days is not None else "",
        "annual_rate": f"{(debt.annual_rate * 100).quantize(Decimal('0.01'))}%",
        "billed_charges": money(debt.billed_charges),
        "lender_claimed_total": money(debt.lender_claimed_total),
        "computed_charges": money(engine.get("computed_charges")),
        "all_in_apr": percent(engine.get("all_in_apr")),
        "allowed_at_cap": money(engine.get("allowed_at_cap")),
        "excess_over_cap": money(engine.get("excess_over_cap") or "0"),
        "balance": money(engine.get("balance") or debt.principal + debt.billed_charges),
    }


def _plan(proposal) -> dict | None:
    if proposal is None:
        return None
    plan = proposal.plan
    total = Decimal(str(plan.get("total") or "0"))
    if plan.get("waived") is not None:
        reduction = Decimal(str(plan["waived"]))
    else:
        balance = Decimal(str(proposal.engine_output.get("totals", {}).get("balance") or "0"))
        reduction = max(balance - total, ZERO)
    return {
        "kind": plan.get("kind", ""),
        "label": labels.PLANS.get(plan.get("kind"), plan.get("kind", "")),
        "months": plan.get("months"),
        "monthly_payment": money(plan.get("monthly_payment")),
        "total": money(total),
        "reduction": money(reduction),
        "deferral_months": plan.get("deferral_months") or 0,
        "schedule": [
            {"no": i, "due": row["due"], "amount": money(row["amount"])}
            for i, row in enumerate(plan.get("schedule", []), start=1)
        ],
        "proposed_on": _iso(timezone.localdate(proposal.created_at)),
    }


def misconduct_flags(contacts) -> dict[int, list[str]]:
    """Misconduct per contact, as the negotiation log shows it: what the user
    reported plus what the log derives itself (calls at night, repeated calls)."""
    computed = log_rules.computed_flags(contacts)
    return {c.pk: list(dict.fromkeys([*computed[c.pk], *(c.misconduct or [])])) for c in contacts}


def _contact_row(contact, flags: list[str]) -> dict:
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
        "misconduct": [rules.misconduct_rule(code) for code in flags],
    }


BUNDLED_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp", "image/gif")
LIMITATION_DAYS = 3 * 365  # 民法典 Art 188: three years (DOMAIN.md)


def printed_pages(item) -> int:
    """Pages an evidence file takes in the merged bundle (0: not printable, e.g. a recording)."""
    if item.content_type == "application/pdf":
        return item.pages or 0
    return 1 if item.content_type in BUNDLED_TYPES else 0


def _evidence_rows(items) -> list[dict]:
    rows, next_page = [], 1
    for no, item in enumerate(items, start=1):
        name, proves = labels.EVIDENCE.get(item.kind, labels.EVIDENCE["other"])
        pages = printed_pages(item)
        page_range = ""
        if pages:
            last = next_page + pages - 1
            page_range = str(next_page) if pages == 1 else f"{next_page}-{last}"
            next_page = last + 1
        rows.append({
            "no": no,
            "id": item.pk,
            "name": item.original_name,
            "kind": name,
            "proves": item.note or proves,
            "source": "本人提供",
            "pages": pages,
            "page_range": page_range,
            "sha256": item.sha256,
        })
    return rows


def _budget(case: Case) -> dict:
    income = [line for line in case.budget_lines.all() if line.kind == "income"]
    expense = [line for line in case.budget_lines.all() if line.kind == "expense"]

    def rows(lines):
        return [
            {"category": labels.BUDGET.get(line.category, line.category), "label": line.label, "amount": money(line.amount)}
            for line in lines
        ]

    income_total = sum((line.amount for line in income), ZERO)
    expense_total = sum((line.amount for line in expense), ZERO)
    return {
        "income": rows(income),
        "expense": rows(expense),
        "income_total": money(income_total),
        "expense_total": money(expense_total),
        "surplus": money(income_total - expense_total),
    }


# What the lawyer summary prints for each code (issue 19), in formal Chinese.
LIMITATION_WORDS = {"ok": "在诉讼时效期间内", "check": "需核对日期", "may_be_time_barred": "可能已过诉讼时效"}
LETTER_STATUS_WORDS = {"draft": "草稿", "in_review": "待审核", "approved": "已审核", "changes_requested": "需修改",
                       "sent": "已寄出"}


def _lawyer_summary(case: Case, by_id: dict, contacts, today: date) -> dict:
    """The parts only the lawyer summary prints: limitation per debt, letters so far, open dates."""
    letters = [
        {"title": labels.LETTER_TITLES.get(kind, kind), "version": version,
         "status": LETTER_STATUS_WORDS.get(status, status), "sent_on": _iso(sent_on)}
        for kind, version, status, sent_on in case.letters.order_by("created_at", "id")
        .values_list("kind", "version", "status", "sent_on")
    ]
    dates = sorted(
        ({"date": c.follow_up_on.isoformat(), "what": labels.EVENTS.get(c.event, "跟进"),
          "with": c.organisation} for c in contacts if c.follow_up_on and not c.follow_up_done),
        key=lambda row: row["date"],
    )
    return {
        "limitation": [
            {"id": str(debt.pk), "lender": debt.lender,
             "status": LIMITATION_WORDS.get(by_id.get(str(debt.pk), {}).get("limitation", ""), "未计算")}
            for debt in case.debts.all()
        ],
        "letters": letters,
        "dates": dates,
    }


def build_snapshot(case: Case, kind) -> dict:
    """Everything ``kind``'s template shows, for ``case`` (loaded by ``case_for_letters``)."""
    today = timezone.localdate()
    debtor = debtor_of(case)
    proposal = chosen_proposal(case)
    figures = engine_figures(case, today)
    by_id = {row["id"]: row for row in figures.get("debts", [])}
    debts = [_debt_row(debt, by_id, today) for debt in case.debts.all()]
    contacts = sorted(case.contacts.all(), key=lambda c: (c.occurred_at, c.pk))
    flags = misconduct_flags(contacts)
    contact_rows = [_contact_row(c, flags[c.pk]) for c in contacts]
    evidence = list(case.evidence.all())
    totals = figures.get("totals", {})
    lenders = list(dict.fromkeys(debt["lender"] for debt in debts))
    extra = {"summary": _lawyer_summary(case, by_id, contacts, today)} if kind.slug == LetterKind.LAWYER_SUMMARY else {}
    return {
        **extra,
        "kind": kind.slug,
        "title": kind.document_title,
        "date": today.isoformat(),
        "debtor": {
            "name": debtor.name if debtor else "",
            "id_number": debtor.id_number_masked if debtor else "",
            "phone": debtor.phone if debtor else "",
            "address": debtor.address if debtor else "",
        },
        "region": f"{case.province}{case.city}",
        "household": {"size": case.household_size, "dependants": case.dependants},
        "hardship": {
            "reasons": [labels.HARDSHIP.get(code, code) for code in case.hardship_reasons or []],
            "since": _iso(case.hardship_since),
            **case.hardship_story(),
        },
        "savings": money(case.savings),
        "debts": debts,
        "lenders": lenders,
        "totals": {
            "principal": money(sum((d.principal for d in case.debts.all()), ZERO)),
            "overdue": money(sum((d.overdue_amount for d in case.debts.all()), ZERO)),
            "balance": money(totals.get("balance")) or money(
                sum((d.principal + d.billed_charges for d in case.debts.all()), ZERO)
            ),
            "excess_over_cap": money(totals.get("excess_over_cap") or "0"),
        },
        "budget": _budget(case),
        "plan": _plan(proposal),
        "contacts": contact_rows,
        "incidents": [row for row in contact_rows if row["misconduct"]],
        "evidence": _evidence_rows(evidence),
        "limitation_relevant": any(
            isinstance(d["days_overdue"], int) and d["days_overdue"] > LIMITATION_DAYS for d in debts
        ),
        "rules": {
            "ceiling": {k: str(v) for k, v in rules.CEILING.items()},
            "civil_code": rules.CIVIL_CODE,
            "complaint_deadline": rules.COMPLAINT_DEADLINE,
            "regulators": rules.REGULATORS,
            "demand_response_days": rules.DEMAND_RESPONSE_DAYS,
        },
    }
