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
from ..lockout import record_names
from ..models import (AccountSettings, AdviserNote, Agreement, AuditEvent, Case, Contact, Evidence, Letter, ReminderSent,
                      ReminderSettings, Share, ShareInvitation, private_storage)

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
            Prefetch("agreements", queryset=Agreement.objects.prefetch_related("check_ins")),
            "lawsuits",
            "credit_record_errors",
            Prefetch("shares", queryset=Share.objects.select_related("helper", "organisation").order_by("granted_at")),
            Prefetch("share_invitations", queryset=ShareInvitation.objects.select_related("organisation")
                     .order_by("created_at")),
            Prefetch("adviser_notes", queryset=AdviserNote.objects.select_related("author", "organisation")
                     .order_by("created_at")),
        )
        .order_by("pk")
    )


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:80] or "file"


# What the export holds of each row, in order: an attribute's name, or (key in data.json, attribute).
DEBT_FIELDS = (("id", "pk"), "product", "lender", "account_number", "principal", "overdue_amount", "overdue_since",
               "annual_rate", "penalty_daily_rate", "billed_charges", "grace_days", "lender_claimed_total",
               "lender_type", "contract_date", "day_count", "billed_through", "billed_lines", "overdue_interest",
               "penalty_multiplier", "accelerated_on", "amount_received", "last_due_date", "last_payment_date",
               "include_despite_limitation")
BUDGET_LINE_FIELDS = ("kind", "category", "label", ("monthly_amount", "amount"))
EVIDENCE_FIELDS = (("id", "pk"), "kind", "debt_id", "supports_hardship", "original_name", "size", "content_type",
                   "sha256", "note", "uploaded_at")
PROPOSAL_FIELDS = (("id", "pk"), "created_at", "chosen_plan", "engine_input", "engine_output")
CONTACT_FIELDS = (("id", "pk"), "occurred_at", "channel", "direction", "organisation", "person_name", "staff_id",
                  "phone_number")
CONTACT_OUTCOME_FIELDS = ("outcome", "event", "follow_up_on", "follow_up_done", "misconduct", "notes")
OFFER_FIELDS = (("months", "offer_months"), ("monthly", "offer_monthly"), ("waiver", "offer_waiver"),
                ("deferral_months", "offer_deferral_months"), ("text", "offer_text"))
LETTER_FIELDS = (("id", "pk"), "kind", "version", "status", "proposal_id", "content_hash", "created_at",
                 "submitted_at", "reviewed_at", "review_note", "sent_on", "sent_channel")
DEBTOR_FIELDS = ("name", "id_number", "phone", "address")
AGREEMENT_FIELDS = (("id", "pk"), "contact_id", "lender", "monthly", "months", "waiver", "first_due", "agreed_on",
                    "status", "created_at")
CHECK_IN_FIELDS = ("due_on", "result", "paid", "created_at")
LAWSUIT_FIELDS = (("id", "pk"), "court", "case_number", "plaintiff", "served_on", "claim_principal", "claim_interest",
                  "claim_compound", "claim_penalty", "claim_fees", "claim_lawyer_fees", "claim_acceleration",
                  "claim_total", "created_at")
CREDIT_RECORD_ERROR_FIELDS = ("lender", "problem", "details", "account", "addressee", "updated_at")


def _fields(obj, fields) -> dict:
    return {
        key: getattr(obj, attr)
        for key, attr in ((field, field) if isinstance(field, str) else field for field in fields)
    }


def _case_data(case: Case) -> dict:
    debtor = getattr(case, "debtor", None)
    return {
        **_fields(case, (("id", "pk"), "title", "status", "province", "city", "household_size", "dependants",
                         "savings")),
        "hardship": {"reasons": case.hardship_reasons, "since": case.hardship_since, **case.hardship_story()},
        "consent": {
            "given_at": case.consent_at,
            "text_version": case.consent_version,
            "withdrawn_at": case.consent_withdrawn_at,
        },
        **_fields(case, ("monthly_offer", "statements", "created_at", "updated_at", "closed_at")),
        "status_changes": [
            {"from": c.from_status, "to": c.to_status, "at": c.at} for c in case.status_changes.all()
        ],
        # The owner's own copy: the ID number is decrypted (Art 45, right to a copy).
        "debtor": debtor and _fields(debtor, DEBTOR_FIELDS),
        "debts": [_fields(d, DEBT_FIELDS) for d in case.debts.all()],
        "budget_lines": [_fields(b, BUDGET_LINE_FIELDS) for b in case.budget_lines.all()],
        "evidence": [
            {**_fields(e, EVIDENCE_FIELDS), "file_in_zip": _evidence_zip_name(e) if e.file else None}
            for e in case.evidence.all()
        ],
        "proposals": [_fields(p, PROPOSAL_FIELDS) for p in case.proposals.all()],
        "contacts": [
            {
                **_fields(c, CONTACT_FIELDS),
                "debt_ids": [d.pk for d in c.debts.all()],
                "asked": c.asked,
                "offer": _fields(c, OFFER_FIELDS),
                **_fields(c, CONTACT_OUTCOME_FIELDS),
                "evidence_ids": [e.pk for e in c.evidence.all()],
            }
            for c in case.contacts.all()
        ],
        "letters": [
            {**_fields(letter, LETTER_FIELDS), "pdf_in_zip": _letter_zip_name(letter) if letter.pdf else None}
            for letter in case.letters.all()
        ],
        "agreements": [
            {**_fields(a, AGREEMENT_FIELDS), "check_ins": [_fields(c, CHECK_IN_FIELDS) for c in a.check_ins.all()]}
            for a in case.agreements.all()
        ],
        "lawsuits": [_fields(suit, LAWSUIT_FIELDS) for suit in case.lawsuits.all()],
        "credit_record_errors": [_fields(error, CREDIT_RECORD_ERROR_FIELDS)
                                 for error in case.credit_record_errors.all()],
        # Who the case was shared with, when, how and with which consent (issue 20); never the links' tokens.
        "sharing": {
            "invitations": [{**_fields(i, INVITATION_FIELDS), "organisation": i.organisation and i.organisation.name}
                            for i in case.share_invitations.all()],
            "shares": [{**_fields(share, SHARE_FIELDS), "who": share.who} for share in case.shares.all()],
            "adviser_notes": [{"at": note.created_at, "text": note.text,
                               "organisation": note.organisation and note.organisation.name}
                              for note in case.adviser_notes.all()],
        },
    }


INVITATION_FIELDS = ("role", "label", "sensitive_consent", "sensitive_consent_version", "created_at", "expires_at",
                     "used_at", "revoked_at")
SHARE_FIELDS = ("role", "granted_at", "sensitive_consent_at", "sensitive_consent_version", "ended_at", "end_reason")


def _evidence_zip_name(evidence) -> str:
    return f"cases/{evidence.case_id}/evidence/{evidence.pk}-{_safe_name(evidence.original_name)}"


def _letter_zip_name(letter) -> str:
    return f"cases/{letter.case_id}/letters/{letter.kind}-v{letter.version}.pdf"


REMINDER_FIELDS = ("email_opt_in", "language", "quiet_from", "quiet_until", "last_sent_on")


def _account_data(user) -> dict:
    """The account's own settings. Keys that work as credentials (the calendar feed's, the
    unsubscribe link's) and the recovery code's hash are not copied: the export may be kept
    anywhere, and the right to a copy is about the data, not the keys to it."""
    preferences = AccountSettings.objects.filter(user=user).first()
    reminders = ReminderSettings.objects.filter(user=user).first()
    return {
        "username": user.get_username(),
        "email": user.email,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "large_text": bool(preferences and preferences.large_text),
        "recovery_code_made_at": preferences and preferences.recovery_code_at,
        "reminders": reminders and {**_fields(reminders, REMINDER_FIELDS),
                                    "calendar_feed_on": reminders.feed_token is not None},
        "reminders_sent": [{"item": key, "sent_at": at} for key, at in
                           ReminderSent.objects.filter(user=user).order_by("sent_at", "pk").values_list("key", "sent_at")],
    }


def export_data(user) -> tuple[dict, list[Case]]:
    """Everything we hold about ``user`` as JSON-ready data, and the cases read (a fixed number of queries)."""
    cases = list(_cases_for_export(user))
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "account": _account_data(user),
        "cases": [_case_data(case) for case in cases],
        # Cases others shared with this account: the access itself, not the other person's case.
        "shared_with_me": [{**_fields(share, SHARE_FIELDS), "case_ref": pseudonym("case", share.case_id)}
                           for share in Share.objects.filter(helper=user).order_by("granted_at")],
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
        # A helper's own account going leaves the cases they helped with as they are; only the access ends.
        for share in Share.objects.active().filter(helper=user).select_related("case"):
            share.end(by=user, reason="account_deleted")
        AuditEvent.objects.filter(actor=user).update(detail={}, target="", actor=None)
        _forget_login_records(user.get_username())
        record(None, "account.deleted", target=pseudonym("user", user.pk))
        user.delete()


def _forget_login_records(username: str) -> None:
    """django-axes keeps username, address and browser of each login, recovery-code try and sign-up: personal
    data too."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=record_names(username)).delete()


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
