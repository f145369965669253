"""What each audit-trail code means, in words (issue 17): the superuser reads sentences, not codes.

The codes stay what is stored, filtered and searched (``AuditEvent.action``, ``target``, ``detail``); this table
gives each its words. A leaf module (no models), so ``AuditEvent.__str__`` and the admin can both use it. An
action missing here is shown as its code, and the zh-Hans words test fails on it until it gets its words."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "consent_given": _("Consent given in the wizard"),
    "privacy.consent_given": _("Consent given on the privacy page"),
    "privacy.consent_withdrawn": _("Consent withdrawn"),
    "privacy.export": _("Personal data downloaded"),
    "monthly_offer_set": _("Own monthly amount set"),
    "statements_confirmed": _("Statements for letters confirmed"),
    "debt_billed_charges_changed": _("Charges on a bill entered"),
    "debt_included_despite_limitation": _("Debt past the time limit included in plans"),
    "debt_left_out_for_limitation": _("Debt past the time limit left out of plans"),
    "evidence_uploaded": _("Evidence uploaded"),
    "evidence_changed": _("Evidence details corrected"),
    "evidence_deleted": _("Evidence deleted"),
    "proposal_chosen": _("Plan chosen"),
    "contact.add": _("Contact logged"),
    "contact.edit": _("Logged contact corrected"),
    "contact.delete": _("Logged contact deleted"),
    "contact.follow_up_done": _("Follow-up marked done"),
    "agreement.accept": _("Agreed plan recorded"),
    "agreement.check_in": _("Monthly check-in"),
    "calendar_feed.new": _("Calendar address created"),
    "calendar_feed.revoke": _("Calendar address stopped"),
    "reminders.opt_in": _("E-mail reminders switched on"),
    "reminders.opt_out": _("E-mail reminders switched off"),
    "reminders.unsubscribe": _("E-mail reminders stopped from the e-mail's link"),
    "letter_generated": _("Letter drafted"),
    "letter_submitted": _("Letter sent for review"),
    "letter.approved": _("Letter approved"),
    "letter.changes_requested": _("Changes to a letter requested"),
    "admin.note_added": _("Reviewer note added"),
    "admin.case_assigned": _("Case assigned to a reviewer"),
    "admin.case_viewed": _("Case opened by staff"),
    "admin.cases_exported": _("Cases exported by staff"),
    "admin.evidence_downloaded": _("Evidence downloaded by staff"),
    "admin.letter_pdf_downloaded": _("Letter PDF downloaded by staff"),
    "admin.letter_viewed": _("Letter read by staff"),
    "admin.sensitive_revealed": _("Masked field shown to staff"),
    "account.recovery_code_made": _("New recovery code made"),
    "account.password_recovered": _("Password reset with the recovery code"),
    "account.deleted": _("Account deleted"),
    "case.deleted": _("Case deleted"),
    "lawsuit.add": _("Lawsuit entered"),
    "lawsuit.edit": _("Lawsuit corrected"),
    "lawsuit.delete": _("Lawsuit deleted"),
    "credit_error.add": _("Wrong credit record entered"),
    "credit_error.edit": _("Wrong credit record corrected"),
    "sharing.invited": _("Helper invited to the case"),
    "sharing.invitation_revoked": _("Invitation withdrawn before use"),
    "sharing.accepted": _("Invitation accepted"),
    "sharing.ended": _("Access to the case removed"),
    "sharing.role_changed": _("Helper's role changed (view only or help)"),
    "sharing.sensitive_consent_given": _("Consent given to a helper to see sensitive information"),
    "sharing.sensitive_consent_withdrawn": _("Consent to see sensitive information withdrawn"),
    "sharing.adviser_note": _("Adviser wrote a note to the debtor"),
}

# The thing an entry is about, by the prefix of ``target`` ("letter:18").
TARGETS = {
    "case": _("case"),
    "user": _("user"),
    "debt": _("debt"),
    "evidence": _("evidence"),
    "proposal": _("saved proposal"),
    "contact": _("logged contact"),
    "agreement": _("agreed plan"),
    "letter": _("letter"),
    "note": _("reviewer note"),
    "lawsuit": _("lawsuit"),
    "credit_error": _("wrong credit record"),
    "invitation": _("invitation to the case"),
    "share": _("access to the case"),
    "adviser_note": _("adviser's note"),
}

# Why a case was deleted (``case.deleted``'s ``reason``).
DELETION_REASONS = {
    "owner": _("by its owner"),
    "account": _("with its owner's account"),
    "retention": _("at the end of the retention period"),
}


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))
