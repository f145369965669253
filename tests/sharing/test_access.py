"""get_case_for decides owner, helper (by role), adviser and staff in one place (issue 20)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from cases.access import Can, ConsentRequired, get_case_for, get_in_case
from cases.models import AuditEvent, Contact, InvitationError, Share, ShareInvitation, ShareRole, pseudonym

from ..factories import make_user
from ..sharing_fixtures import organisation_with, share_with


def _request(user, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return request


def test_the_default_need_is_the_owners_so_a_forgotten_view_stays_closed(case, helper):
    share_with(case, helper, ShareRole.HELP, sensitive=True)
    assert get_case_for(_request(case.owner), case.pk) == case
    with pytest.raises(Http404):
        get_case_for(_request(helper), case.pk)


@pytest.mark.parametrize("need", list(Can))
def test_the_owner_may_do_everything_but_write_an_advisers_note(case, need):
    if need is Can.NOTE:
        with pytest.raises(PermissionDenied):
            get_case_for(_request(case.owner), case.pk, need=need)
    else:
        assert get_case_for(_request(case.owner), case.pk, need=need).access.is_owner


@pytest.mark.parametrize(("role", "sensitive", "allowed"), [
    (ShareRole.VIEW, False, {Can.READ}),
    (ShareRole.VIEW, True, {Can.READ}),  # view is masked whatever the consent
    (ShareRole.HELP, False, {Can.READ, Can.EDIT, Can.SUBMIT}),
    (ShareRole.HELP, True, {Can.READ, Can.EDIT, Can.SUBMIT, Can.SENSITIVE}),
])
def test_a_helper_may_do_exactly_what_the_role_and_the_consent_allow(case, helper, role, sensitive, allowed):
    share_with(case, helper, role, sensitive=sensitive)
    for need in Can:
        if need in allowed:
            assert get_case_for(_request(helper), case.pk, need=need).access.role == role
        else:
            with pytest.raises(Http404 if need is Can.OWNER else PermissionDenied):
                get_case_for(_request(helper), case.pk, need=need)


def test_an_adviser_of_the_organisation_reads_notes_and_submits_but_never_edits(case):
    adviser, colleague, outsider = make_user("adviser"), make_user("colleague"), make_user("outsider")
    organisation = organisation_with(adviser, colleague)
    organisation_with(outsider, name="另一个机构")
    share_with(case, adviser, organisation=organisation)
    for user in (adviser, colleague):  # the whole organisation's caseload, not only who took the link
        assert get_case_for(_request(user), case.pk, need=Can.NOTE).access.role == ShareRole.ADVISER
        assert get_case_for(_request(user), case.pk, need=Can.SUBMIT)
        with pytest.raises(PermissionDenied):
            get_case_for(_request(user), case.pk, need=Can.EDIT)
        with pytest.raises(PermissionDenied):  # no consent to sensitive data was given to the organisation
            get_case_for(_request(user), case.pk, need=Can.SENSITIVE)
    with pytest.raises(Http404):
        get_case_for(_request(outsider), case.pk, need=Can.READ)


def test_only_an_adviser_of_the_organisation_may_take_its_invitation(case, helper):
    organisation = organisation_with(make_user("adviser"))
    invitation, _token = ShareInvitation.create_for(case, role=ShareRole.VIEW, by=case.owner, organisation=organisation)
    with pytest.raises(InvitationError):
        invitation.accept(helper)
    assert not Share.objects.exists()


def test_staff_reach_no_case_through_a_share_and_cannot_take_an_invitation(case):
    reviewer = make_user("staff-helper", staff=True)
    invitation, _token = ShareInvitation.create_for(case, role=ShareRole.HELP, by=case.owner)
    with pytest.raises(InvitationError):
        invitation.accept(reviewer)
    Share.objects.create(case=case, role=ShareRole.HELP, helper=reviewer)  # even a row written by hand
    with pytest.raises(Http404):
        get_case_for(_request(reviewer), case.pk, need=Can.READ)


def test_an_ended_share_is_a_404_at_once(case, helper):
    share = share_with(case, helper, ShareRole.HELP)
    share.end(by=case.owner)
    with pytest.raises(Http404):
        get_case_for(_request(helper), case.pk, need=Can.READ)


def test_a_withdrawn_or_missing_consent_freezes_helpers_even_on_pages_open_to_the_owner(case, helper):
    share_with(case, helper, ShareRole.HELP)
    case.withdraw_consent(by=case.owner)
    assert get_case_for(_request(case.owner), case.pk, need=Can.READ, allow_withdrawn=True)
    with pytest.raises(ConsentRequired):
        get_case_for(_request(helper), case.pk, need=Can.READ, allow_withdrawn=True)


def test_get_in_case_follows_the_same_rules(case, helper):
    contact = Contact.objects.create(case=case, channel="app", direction="out", outcome="no_answer",
                                     occurred_at=timezone.now())
    share_with(case, helper, ShareRole.VIEW)
    assert get_in_case(_request(helper), Contact, case.pk, contact.pk, need=Can.READ) == (case, contact)
    with pytest.raises(PermissionDenied):
        get_in_case(_request(helper), Contact, case.pk, contact.pk, need=Can.EDIT)
    with pytest.raises(Http404):
        get_in_case(_request(make_user("nobody")), Contact, case.pk, contact.pk, need=Can.READ)


def test_an_invitation_is_single_use_and_stores_only_the_tokens_hash(case, helper):
    invitation, token = ShareInvitation.create_for(case, role=ShareRole.VIEW, by=case.owner)
    assert token not in invitation.token_hash and ShareInvitation.find(token) == invitation
    invitation.accept(helper)
    with pytest.raises(InvitationError):
        ShareInvitation.find(token).accept(make_user("second"))
    assert Share.objects.count() == 1


def test_a_revoked_or_expired_invitation_cannot_be_taken(case, helper):
    revoked, _ = ShareInvitation.create_for(case, role=ShareRole.VIEW, by=case.owner)
    revoked.revoke(by=case.owner)
    expired, _ = ShareInvitation.create_for(case, role=ShareRole.VIEW, by=case.owner)
    ShareInvitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired.refresh_from_db()
    for invitation in (revoked, expired):
        with pytest.raises(InvitationError):
            invitation.accept(helper)
    assert not Share.objects.exists()


def test_the_owner_cannot_take_their_own_invitation(case):
    invitation, _ = ShareInvitation.create_for(case, role=ShareRole.VIEW, by=case.owner)
    with pytest.raises(InvitationError):
        invitation.accept(case.owner)


def test_sharing_is_audited_with_the_consent_text_version(case, helper, settings):
    share = share_with(case, helper, ShareRole.HELP, sensitive=True)
    share.end(by=case.owner)
    actions = list(AuditEvent.objects.filter(case_ref=pseudonym("case", case.pk)).order_by("at", "id")
                   .values_list("action", flat=True))
    assert actions == ["sharing.invited", "sharing.accepted", "sharing.ended"]
    invited = AuditEvent.objects.get(action="sharing.invited")
    assert invited.detail["consent_version"] == settings.SHARING_CONSENT_TEXT_VERSION
    assert share.sensitive_consent_version == settings.SHARING_CONSENT_TEXT_VERSION
