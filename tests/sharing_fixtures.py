"""Cases shared the way a debtor shares them: an invitation taken by the helper (or an adviser)."""

from django.conf import settings

from cases.models import Membership, Organisation, Share, ShareInvitation, ShareRole


def share_with(case, helper, role=ShareRole.HELP, *, sensitive: bool = False, organisation=None) -> Share:
    invitation, _token = ShareInvitation.create_for(case, role=role, by=case.owner, organisation=organisation,
                                                    sensitive_consent=sensitive,
                                                    consent_version=settings.SHARING_CONSENT_TEXT_VERSION)
    return invitation.accept(helper)


def organisation_with(*advisers, name="法律援助中心") -> Organisation:
    organisation = Organisation.objects.create(name=name)
    for adviser in advisers:
        Membership.objects.create(organisation=organisation, user=adviser)
    return organisation
