"""The user's rights over their data (个人信息保护法, DOMAIN.md "Personal data"):
a copy of everything (Art 45), deletion (Art 47) and retention limits (Art 19).

Deleting removes rows and the files behind them; the audit trail keeps only its
keyed-hash references (``cases.audit``), and its free-text parts are cleared.
"""

import json
import os
import re
import zipfile
from datetime import timedelta
from typing import IO

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from ..audit import event, pseudonym, record
from ..models import AuditEvent, Case, Contact, Evidence, Letter, private_storage

EXPORT_FORMAT = "negotiator-export/1"
# Folders of private storage that hold one case's files (``<prefix>/<case id>/…``).
CASE_FILE_PREFIXES = ("evidence", "letters")


# --- Export -------------------------------------------------------------------


def _cases_for_export(user):
    return (
        Case.objects.owned_by(user)
        .select_related("debtor")
        .prefetch_related(
            "debts",
            "budget_lines",
            "evidence",
            "proposals",
            "status_changes",
            Prefetch("contacts", queryset=Contact.objects.prefetch_related("debts", "evidence")),
            Prefetch("letters", queryset=Letter.objects.order_by("kind", "version")),
        )
        .order_by("pk")
    )


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:80] or "file"


def _case_data(case: Case) -> dict:
    debtor = getattr(case, "debtor", None)
    return {
        "id": case.pk,
        "title": case.title,
        "status": case.status,
        "province": case.province,
        "city": case.city,
        "household_size": case.household_size,
        "dependants": case.dependants,
        "savings": case.savings,
        "hardship": {
            "reasons": case.hardship_reasons,
            "since": case.hardship_since,
            "what_happened": case.hardship_what_happened,
            "income_change": case.hardship_income_change,
            "actions": case.hardship_actions,
            "can_pay": case.hardship_can_pay,
        },
        "consent": {
            "given_at": case.consent_at,
            "text_version": case.consent_version,
            "withdrawn_at": case.consent_withdrawn_at,
        },
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "closed_at": case.closed_at,
        "status_changes": [
            {"from": c.from_status, "to": c.to_status, "at": c.at} for c in case.status_changes.all()
        ],
        # The owner's own copy: the ID number is decrypted (Art 45, right to a copy).
        "debtor": debtor
        and {"name": debtor.name, "id_number": debtor.id_number, "phone": debtor.phone, "address": debtor.address},
        "debts": [
            {
                "id": d.pk,
                "product": d.product,
                "lender": d.lender,
                "account_number": d.account_number,
                "principal": d.principal,
                "overdue_amount": d.overdue_amount,
                "overdue_since": d.overdue_since,
                "annual_rate": d.annual_rate,
                "penalty_daily_rate": d.penalty_daily_rate,
                "billed_charges": d.billed_charges,
                "grace_days": d.grace_days,
                "lender_claimed_total": d.lender_claimed_total,
            }
            for d in case.debts.all()
        ],
        "budget_lines": [
            {"kind": b.kind, "category": b.category, "label": b.label, "monthly_amount": b.amount}
            for b in case.budget_lines.all()
        ],
        "evidence": [
            {
                "id": e.pk,
                "kind": e.kind,
                "debt_id": e.debt_id,
                "supports_hardship": e.supports_hardship,
                "original_name": e.original_name,
                "size": e.size,
                "content_type": e.content_type,
                "sha256": e.sha256,
                "note": e.note,
                "uploaded_at": e.uploaded_at,
                "file_in_zip": _evidence_zip_name(e) if e.file else None,
            }
            for e in case.evidence.all()
        ],
        "proposals": [
            {"id": p.pk, "created_at": p.created_at, "chosen_plan": p.chosen_plan,
             "engine_input": p.engine_input, "engine_output": p.engine_output}
            for p in case.proposals.all()
        ],
        "contacts": [
            {
                "id": c.pk,
                "occurred_at": c.occurred_at,
                "channel": c.channel,
                "direction": c.direction,
                "organisation": c.organisation,
                "person_name": c.person_name,
                "staff_id": c.staff_id,
                "phone_number": c.phone_number,
                "debt_ids": [d.pk for d in c.debts.all()],
                "asked": c.asked,
                "offer": {
                    "months": c.offer_months,
                    "monthly": c.offer_monthly,
                    "waiver": c.offer_waiver,
                    "deferral_months": c.offer_deferral_months,
                    "text": c.offer_text,
                },
                "outcome": c.outcome,
                "event": c.event,
                "follow_up_on": c.follow_up_on,
                "follow_up_done": c.follow_up_done,
                "misconduct": c.misconduct,
                "notes": c.notes,
                "evidence_ids": [e.pk for e in c.evidence.all()],
            }
            for c in case.contacts.all()
        ],
        "letters": [
            {
                "id": letter.pk,
                "kind": letter.kind,
                "version": letter.version,
                "status": letter.status,
                "proposal_id": letter.proposal_id,
                "content_hash": letter.content_hash,
                "created_at": letter.created_at,
                "submitted_at": letter.submitted_at,
                "reviewed_at": letter.reviewed_at,
                "review_note": letter.review_note,
                "sent_on": letter.sent_on,
                "sent_channel": letter.sent_channel,
                "pdf_in_zip": _letter_zip_name(letter) if letter.pdf else None,
            }
            for letter in case.letters.all()
        ],
    }


def _evidence_zip_name(evidence) -> str:
    return f"cases/{evidence.case_id}/evidence/{evidence.pk}-{_safe_name(evidence.original_name)}"


def _letter_zip_name(letter) -> str:
    return f"cases/{letter.case_id}/letters/{letter.kind}-v{letter.version}.pdf"


def export_data(user) -> tuple[dict, list[Case]]:
    """Everything we hold about ``user`` as JSON-ready data, and the cases read (a fixed number of queries)."""
    cases = list(_cases_for_export(user))
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "cases": [_case_data(case) for case in cases],
    }, cases


def write_export(user, out: IO[bytes]) -> None:
    """Write the ZIP: ``data.json`` plus each evidence file and letter PDF, streamed from storage."""
    data, cases = export_data(user)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for case in cases:
            files = [(e.file, _evidence_zip_name(e)) for e in case.evidence.all() if e.file]
            files += [(letter.pdf, _letter_zip_name(letter)) for letter in case.letters.all() if letter.pdf]
            for fieldfile, arcname in files:
                if not fieldfile.storage.exists(fieldfile.name):
                    continue
                with fieldfile.open("rb") as src, archive.open(arcname, "w", force_zip64=True) as dst:
                    for chunk in iter(lambda: src.read(64 * 1024), b""):
                        dst.write(chunk)
    record(user, "privacy.export")


# --- Deletion -----------------------------------------------------------------


def _case_file_names(case_ids: list[int]) -> list[str]:
    names = list(Evidence.objects.filter(case_id__in=case_ids).exclude(file="").values_list("file", flat=True))
    names += Letter.objects.filter(case_id__in=case_ids).exclude(pdf="").values_list("pdf", flat=True)
    return names


def _delete_files(names: list[str], case_ids: list[int]) -> None:
    storage = private_storage()
    for name in names:
        storage.delete(name)
    # Sweep each case's folders too: files other features keep beside the rows
    # (renders, thumbnails, bundles) must not outlive the case.
    for case_id in case_ids:
        for prefix in CASE_FILE_PREFIXES:
            folder = f"{prefix}/{case_id}"
            try:
                _dirs, files = storage.listdir(folder)
            except FileNotFoundError:
                continue
            for name in files:
                storage.delete(f"{folder}/{name}")
            _remove_empty_folder(storage, folder)


def _remove_empty_folder(storage, folder: str) -> None:
    try:
        os.rmdir(storage.path(folder))
    except (OSError, NotImplementedError):  # not empty, or object storage: it has no folders
        pass


def _forget_case_in_audit(case_ids: list[int]) -> None:
    """Keep the audit rows (who did what, when, pseudonymously), drop anything else they said."""
    refs = [pseudonym("case", pk) for pk in case_ids]
    AuditEvent.objects.filter(case_ref__in=refs).update(detail={}, target="")


def delete_cases(cases, by, reason: str) -> int:
    """Delete cases with all their rows, then their files once the transaction has committed."""
    case_ids = list(cases.values_list("pk", flat=True))
    if not case_ids:
        return 0
    with transaction.atomic():
        names = _case_file_names(case_ids)
        _forget_case_in_audit(case_ids)
        AuditEvent.objects.bulk_create(event(by, "case.deleted", case=Case(pk=pk), reason=reason) for pk in case_ids)
        # Letters first: they PROTECT the proposal they cite, which the case would cascade to.
        Letter.objects.filter(case_id__in=case_ids).delete()
        Case.objects.filter(pk__in=case_ids).delete()
        transaction.on_commit(lambda: _delete_files(names, case_ids))
    return len(case_ids)


def delete_case(case: Case, by) -> None:
    delete_cases(Case.objects.filter(pk=case.pk), by=by, reason="owner")


def delete_account(user) -> None:
    """The user's cases, files and account. Audit rows keep the keyed-hash reference only."""
    with transaction.atomic():
        delete_cases(Case.objects.owned_by(user), by=user, reason="account")
        AuditEvent.objects.filter(actor=user).update(detail={}, target="", actor=None)
        _forget_login_records(user.get_username())
        record(None, "account.deleted", target=pseudonym("user", user.pk))
        user.delete()


def _forget_login_records(username: str) -> None:
    """django-axes keeps username, address and browser of each login: personal data too."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()


# --- Retention ----------------------------------------------------------------


def expired_cases(days: int, now=None):
    """Closed cases whose closing is more than ``days`` days ago (PIPL Art 19)."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Case.objects.filter(status=Case.Status.CLOSED, closed_at__lt=cutoff)


def purge_expired(days: int, dry_run: bool = False, now=None) -> list[int]:
    """Delete expired closed cases; return their ids (those that would be deleted on a dry run)."""
    cases = expired_cases(days, now).order_by("pk")
    ids = list(cases.values_list("pk", flat=True))
    if not dry_run and ids:
        delete_cases(Case.objects.filter(pk__in=ids), by=None, reason="retention")
    return ids
