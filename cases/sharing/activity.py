"""What helpers and advisers did on a case, read back from the audit trail (``cases.audit``)."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from ..models import AuditEvent, Membership, Share, pseudonym

# The trail's action names, as the owner reads them on the sharing page.
ACTIONS = {
    "contact.add": _("logged a contact"),
    "contact.edit": _("corrected a log entry"),
    "contact.delete": _("deleted a log entry"),
    "contact.follow_up_done": _("marked a follow-up done"),
    "agreement.accept": _("recorded an accepted offer"),
    "agreement.check_in": _("recorded a payment check-in"),
    "credit_error.add": _("noted a wrong credit record"),
    "debt_billed_charges_changed": _("changed a bill's charges"),
    "debt_included_despite_limitation": _("included a debt despite its limitation"),
    "evidence_changed": _("corrected a file's details"),
    "evidence_uploaded": _("uploaded a file"),
    "lawsuit.add": _("saved a lawsuit"),
    "lawsuit.delete": _("deleted a lawsuit"),
    "letter_generated": _("drafted a letter"),
    "letter_submitted": _("sent a letter for review"),
    "monthly_offer_set": _("set the monthly amount"),
    "proposal_chosen": _("chose a plan"),
    "sharing.accepted": _("accepted the invitation"),
    "sharing.adviser_note": _("wrote you a note"),
}
LIMIT = 200


def activity_by_share(case, shares: list[Share]) -> dict[int, list[dict]]:
    """Per share, the newest entries of what its helper (or its organisation's advisers) did: two queries."""
    helpers = {share.helper_id: share.pk for share in shares if share.helper_id}
    organisations = {share.organisation_id: share.pk for share in shares if share.organisation_id}
    for membership in Membership.objects.filter(organisation_id__in=organisations).only("user_id", "organisation_id"):
        helpers.setdefault(membership.user_id, organisations[membership.organisation_id])
    done = defaultdict(list)
    if not helpers:
        return done
    events = (AuditEvent.objects.filter(case_ref=pseudonym("case", case.pk), actor_id__in=helpers)
              .select_related("actor").order_by("-at", "-id")[:LIMIT])
    for event in events:
        done[helpers[event.actor_id]].append({
            "at": event.at, "who": event.actor.get_username(),
            "what": ACTIONS.get(event.action, event.action),
        })
    return done

