"""What the reviewers' workplace (cases/admin.py) shows and does, apart from HTTP:
the queue's per-case summary in SQL, the case timeline, sensitive fields and
their reveal, decisions on letters, and the CSV export."""

import csv
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import audit
from ..crypto import mask
from ..files import SAFE_INLINE_TYPES
from ..letters.renders import queue_render
from ..models import AuditEvent, BudgetLine, Case, Contact, Debt, Debtor, Evidence, Letter, choice_label

REVIEWERS_GROUP = "Reviewers"  # created by migration 0004_review_reviewers
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))


def _sum_per_case(model, field: str, **filters) -> Coalesce:
    rows = model.objects.filter(case=OuterRef("pk"), **filters).order_by().values("case")
    total = rows.annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=DecimalField(max_digits=14, decimal_places=2)), ZERO)


def _count_per_case(model) -> Coalesce:
    rows = model.objects.filter(case=OuterRef("pk")).order_by().values("case")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def with_summary(cases: QuerySet) -> QuerySet:
    """Each case's total owed, monthly surplus and number of contacts, as
    correlated subqueries so no join multiplies rows."""
    return cases.annotate(
        total_owed=_sum_per_case(Debt, "principal") + _sum_per_case(Debt, "billed_charges"),
        surplus=_sum_per_case(BudgetLine, "amount", kind=BudgetLine.Kind.INCOME)
        - _sum_per_case(BudgetLine, "amount", kind=BudgetLine.Kind.EXPENSE),
        contact_count=_count_per_case(Contact),
    )


def attach_summary(cases: list[Case]) -> list[Case]:
    """with_summary() for a page of cases already loaded: one query for the page
    instead of computing the summary for every row the page was sorted from."""
    summary = {
        row["pk"]: row
        for row in with_summary(Case.objects.filter(pk__in=[case.pk for case in cases]).order_by())
        .values("pk", "total_owed", "surplus", "contact_count")
    }
    for case in cases:
        row = summary.get(case.pk, {})
        case.total_owed = row.get("total_owed", Decimal("0.00"))
        case.surplus = row.get("surplus", Decimal("0.00"))
        case.contact_count = row.get("contact_count", 0)
    return cases


def review_queue(cases: QuerySet) -> QuerySet:
    """Cases with a letter waiting for review, oldest waiting first (``Case.waiting_since``, kept by the
    letters' review steps: see ``CaseQuerySet.update_waiting_since``)."""
    return cases.filter(waiting_since__isnull=False).order_by("waiting_since", "pk")


def with_hardship_reason(cases: QuerySet, reason: str) -> QuerySet:
    """Cases whose JSON list of hardship reasons contains ``reason``."""
    if connection.features.supports_json_field_contains:
        return cases.filter(hardship_reasons__contains=[reason])
    # SQLite has no JSON containment: match the quoted element in the JSON text.
    # Reasons are fixed slugs without quotes, so '"slug"' matches whole elements only.
    return cases.alias(_reasons_text=Cast("hardship_reasons", TextField())).filter(
        _reasons_text__contains=f'"{reason}"'
    )


# A phone number matches a handful of debtors at most; more would be test data, and the page shows 50.
PHONE_MATCHES = 100


def search(cases: QuerySet, term: str) -> QuerySet:
    """The workplace's search box: a case number, a debtor's full phone number, or a debtor's name from its
    first character ("王", "王小", "王小明"). Each is an indexed lookup (the case's key, ``debtor_phone``,
    ``debtor_name_prefix``), so a search costs the same with a million cases as with ten; a name is not
    matched from its middle, which no index serves (decision 019)."""
    term = term.strip()
    if not term:
        return cases
    if term.isascii() and term.isdigit():
        ids = set(Debtor.objects.filter(phone=term).values_list("case_id", flat=True)[:PHONE_MATCHES])
        if len(term) <= 18:  # a case number; longer digits would overflow the key
            ids.add(int(term))
        return cases.filter(pk__in=ids)
    return cases.filter(pk__in=Debtor.objects.filter(name__startswith=term).values("case_id"))


def with_debt_product(cases: QuerySet, product: str) -> QuerySet:
    return cases.filter(Exists(Debt.objects.filter(case=OuterRef("pk"), product=product)))


def hardship_labels(case: Case) -> list[str]:
    return [str(choice_label(Case.Hardship, reason)) for reason in case.hardship_reasons or []]


def reviewers():
    """Staff who can take cases: members of the Reviewers group and superusers."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name=REVIEWERS_GROUP) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


def debt_figures(row: dict | None) -> dict | None:
    """One debt of the quote, with the all-in rate as a percentage for display."""
    if row is None:
        return None
    apr = row.get("all_in_apr")
    return {**row, "all_in_apr_percent": f"{Decimal(apr) * 100:.2f} %" if apr is not None else None}


def recommended_plan(quote: dict | None) -> dict | None:
    if not quote or quote.get("recommended") is None:
        return None
    plan = quote["plans"][quote["recommended"]]
    return {**plan, "label": PLAN_LABELS.get(plan["kind"], plan["kind"])}


PLAN_LABELS = {
    "full_balance": _("Pay the full balance in instalments"),
    "waiver": _("Pay the principal, charges waived"),
    "stop_interest": _("Charges stopped, instalments"),
    "deferral": _("Deferral, then instalments"),
    "settlement": _("One-off settlement"),
    # Finance v2 (issue 14): plans never above the available amount.
    "own_amount": _("The debtor's own monthly amount"),
    "arrangement": _("Arrangement: what the debtor can pay now, charges frozen, reviewed later"),
    "hold": _("Hold: no payment for now, reviewed later (暂缓)"),
}


def assign(cases: QuerySet, reviewer, by) -> int:
    """Give the cases to ``reviewer``; one audit event per case, written in bulk
    (an admin may select all 10,000 cases at once)."""
    case_ids = list(cases.values_list("pk", flat=True))
    with transaction.atomic():
        Case.objects.filter(pk__in=case_ids).update(assigned_reviewer=reviewer)
        AuditEvent.objects.bulk_create(
            audit.event(by, "admin.case_assigned", case=Case(pk=case_id), target=f"user:{reviewer.pk}")
            for case_id in case_ids
        )
    return len(case_ids)


# --- Sensitive fields --------------------------------------------------------


@dataclass(frozen=True)
class SensitiveField:
    key: str
    label: str
    value: str
    masked: str


# What each masked field is called (the reveal's audit entry names it by its key: ``sensitive_label``).
SENSITIVE_LABELS = {"id_number": _("ID number"), "phone": _("phone"), "address": _("address for letters"),
                    "account_number": _("contract or account number")}


def sensitive_label(key: str):
    """The words for a masked field's key ("account_number_<debt id>" is a debt's number), or None."""
    return SENSITIVE_LABELS.get(key.rsplit("_", 1)[0] if key.startswith("account_number_") else key)


def sensitive_fields(debtor: Debtor | None, debts) -> dict[str, SensitiveField]:
    """Every field a reviewer sees masked until they reveal it, by key."""
    fields: dict[str, SensitiveField] = {}
    if debtor is not None:
        for key, value in [("id_number", debtor.id_number), ("phone", debtor.phone), ("address", debtor.address)]:
            masked = mask(value, keep=4) if key != "address" else (value[:3] + "…" if value else "")
            fields[key] = SensitiveField(key, str(SENSITIVE_LABELS[key]), value, masked)
    for debt in debts:
        key = f"account_number_{debt.pk}"
        fields[key] = SensitiveField(key, str(sensitive_label(key)), debt.account_number, mask(debt.account_number))
    return fields


def open_review(user, case: Case) -> None:
    """Staff opened the case's review page: every look at a user's case is in the audit trail."""
    audit.record(user, "admin.case_viewed", case=case)


def record_download(user, case: Case, item: Evidence | Letter) -> None:
    """Staff opened an evidence file or a letter PDF from the review page."""
    if isinstance(item, Evidence):
        audit.record(user, "admin.evidence_downloaded", case=case, target=f"evidence:{item.pk}")
    else:
        audit.record(user, "admin.letter_pdf_downloaded", case=case, target=f"letter:{item.pk}")


def record_letter_view(user, case: Case, letter: Letter) -> None:
    """Staff read a letter's frozen HTML on the review page."""
    audit.record(user, "admin.letter_viewed", case=case, target=f"letter:{letter.pk}")


def reveal(user, case: Case, field: SensitiveField) -> None:
    audit.record(user, "admin.sensitive_revealed", case=case, target=field.key)


# --- Timeline ------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    text: str


def timeline(case: Case, letters: list[Letter], evidence: list[Evidence]) -> list[TimelineEntry]:
    """Contacts, letters, decisions, evidence and status changes, oldest first (one query per kind,
    whatever the number of rows). ``letters`` and ``evidence`` are the ones the review page lists,
    each letter with its ``decisions`` (reviewers loaded): they are not read twice."""
    entries = [
        TimelineEntry(case.created_at, "case", gettext("Case started")),
    ]
    for change in case.status_changes.select_related("by"):
        entries.append(TimelineEntry(change.at, "status", gettext("Status: %(old)s → %(new)s") % {
            "old": choice_label(Case.Status, change.from_status),
            "new": choice_label(Case.Status, change.to_status),
        }))
    for contact in case.contacts.all():
        parts = [contact.get_channel_display(), contact.get_direction_display(), contact.organisation,
                 contact.get_outcome_display()]
        entries.append(TimelineEntry(contact.occurred_at, "contact", " · ".join(p for p in parts if p)))
    for item in evidence:
        entries.append(TimelineEntry(item.uploaded_at, "evidence", gettext("Evidence uploaded: %(name)s (%(kind)s)") % {
            "name": item.original_name, "kind": item.get_kind_display()}))
    for letter in letters:
        entries.append(TimelineEntry(letter.created_at, "letter", gettext("Letter created: %(title)s v%(version)s") % {
            "title": letter.kind_title, "version": letter.version}))
        if letter.submitted_at:
            entries.append(TimelineEntry(letter.submitted_at, "letter",
                                         gettext("Letter sent for review: %(title)s v%(version)s") % {
                                             "title": letter.kind_title, "version": letter.version}))
        for review in letter.decisions:
            entries.append(TimelineEntry(review.at, "decision", gettext("%(decision)s by %(reviewer)s: %(title)s v%(version)s") % {
                "decision": review.get_decision_display(),
                "reviewer": review.reviewer or gettext("a former reviewer"),
                "title": letter.kind_title,
                "version": letter.version,
            }))
    return sorted(entries, key=lambda entry: entry.at)


# --- Decisions and notes --------------------------------------------------------


# The decisions a reviewer can take on a letter waiting for review.
APPROVE = "approve"
REQUEST_CHANGES = "request_changes"


def decide(letter_id: int, case: Case, reviewer, decision: str, note: str) -> Letter:
    """Approve a letter or ask for changes, recorded with who and when.

    The row is locked so two reviewers deciding at once cannot both win.
    Raises Letter.DoesNotExist or Letter.NotAllowed (Letter.ConflictOfInterest when the
    reviewer owns the case, generated the version or sent it for review)."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id, case=case)
        letter.case = case  # for the conflict-of-interest check, without another query
        if decision == APPROVE:
            review = letter.approve(reviewer, note.strip())
        else:
            review = letter.request_changes(reviewer, note.strip())
        audit.record(reviewer, f"letter.{review.decision}", case=case, target=f"letter:{letter.pk}",
                     kind=letter.kind, version=letter.version)
        if letter.is_final:  # the approved letter prints without the draft mark: its own PDF, queued now
            transaction.on_commit(partial(queue_render, letter), robust=True)
    return letter


# --- Evidence and letter files -------------------------------------------------

def preview_kind(evidence: Evidence) -> str:
    if evidence.content_type == "application/pdf":
        return "pdf"
    if evidence.content_type in SAFE_INLINE_TYPES:  # the file view shows exactly these inline (cases.files)
        return "image"
    return ""


# --- CSV export ------------------------------------------------------------------

EXPORT_COLUMNS = [
    ("id", _("case id")),
    ("title", _("title")),
    ("status", _("status")),
    ("province", _("province")),
    ("city", _("city")),
    ("hardship", _("hardship reasons")),
    ("debts", _("debts")),
    ("total_owed", _("total owed")),
    ("surplus", _("monthly surplus")),
    ("contacts", _("contacts")),
    ("assigned_reviewer", _("assigned reviewer")),
    ("created_at", _("created at")),
]
SENSITIVE_EXPORT_COLUMNS = [
    ("name", _("full name")),
    ("phone", _("phone")),
    ("id_number", _("ID number")),
    ("address", _("address for letters")),
]


def export_csv(cases: QuerySet, out, *, sensitive: bool, by) -> int:
    """Write the cases as CSV rows to ``out``; returns how many."""
    columns = EXPORT_COLUMNS + (SENSITIVE_EXPORT_COLUMNS if sensitive else [])
    rows = (
        with_summary(cases.order_by("pk"))
        .annotate(debt_count=_count_per_case(Debt))
        .select_related("assigned_reviewer", *(["debtor"] if sensitive else []))
    )
    writer = csv.writer(out)
    writer.writerow([str(label) for _key, label in columns])
    count = 0
    for case in rows:
        values = {
            "id": case.pk,
            "title": case.title,
            "status": case.get_status_display(),
            "province": case.province,
            "city": case.city,
            "hardship": "; ".join(hardship_labels(case)),
            "debts": case.debt_count,
            "total_owed": f"{case.total_owed:.2f}",
            "surplus": f"{case.surplus:.2f}",
            "contacts": case.contact_count,
            "assigned_reviewer": case.assigned_reviewer.get_username() if case.assigned_reviewer else "",
            "created_at": case.created_at.isoformat(),
        }
        if sensitive:
            debtor = getattr(case, "debtor", None)
            values.update({
                "name": debtor.name if debtor else "",
                "phone": debtor.phone if debtor else "",
                "id_number": debtor.id_number if debtor else "",
                "address": debtor.address if debtor else "",
            })
        writer.writerow([_csv_safe(values[key]) for key, _label in columns])
        count += 1
    audit.record(by, "admin.cases_exported", count=count, sensitive=sensitive)
    return count


def _csv_safe(value) -> str:
    # Spreadsheets run cells starting with these as formulas (CSV injection).
    text = str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"} and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
