"""The owner's sharing page, taking an invitation, removing access (issue 20)."""

import re

from django.test import Client
from django.urls import reverse

from cases.intake.steps import STEPS
from cases.models import AuditEvent, Case, Share, ShareInvitation, ShareRole

from ..factories import make_user
from ..log_fixtures import quick_post
from ..privacy_fixtures import make_populated_case
from ..sharing_fixtures import share_with


def _invite(owner_client, case, **fields) -> str:
    data = {"role": ShareRole.HELP, "label": "我女儿", **fields}
    response = owner_client.post(reverse("case_sharing", args=[case.pk]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return re.search(r'value="(http://testserver/share/[^"]+/)"', response.content.decode()).group(1)


def test_the_owner_invites_the_helper_accepts_logs_a_call_and_the_owner_sees_it_attributed(
        owner_client, helper_client, case, helper):
    link = _invite(owner_client, case)
    assert helper_client.get(link).status_code == 200
    response = helper_client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("case_detail", args=[case.pk])
    assert helper_client.post(reverse("contact_add", args=[case.pk]), quick_post()).status_code == 302
    page = owner_client.get(reverse("case_sharing", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "helper logged a contact" in page and "Remove access now" in page
    assert AuditEvent.objects.get(action="contact.add").actor == helper


def test_removing_access_makes_the_helpers_next_request_a_404(owner_client, helper_client, case, helper):
    share = share_with(case, helper)
    assert helper_client.get(reverse("log", args=[case.pk])).status_code == 200
    assert owner_client.post(reverse("share_end", args=[case.pk, share.pk])).status_code == 302
    assert helper_client.get(reverse("log", args=[case.pk])).status_code == 404
    assert helper_client.get(reverse("case_detail", args=[case.pk])).status_code == 404


def test_an_invitation_link_is_single_use(owner_client, helper_client, case):
    link = _invite(owner_client, case)
    helper_client.post(link)
    other = Client()
    other.force_login(make_user("other"))
    response = other.post(link, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and b"has been used" in response.content
    assert Share.objects.count() == 1


def test_a_withdrawn_link_opens_nothing(owner_client, helper_client, case):
    link = _invite(owner_client, case)
    invitation = ShareInvitation.objects.get()
    owner_client.post(reverse("share_invitation_revoke", args=[case.pk, invitation.pk]))
    assert helper_client.post(link).status_code == 400
    assert not Share.objects.exists()


def test_an_unknown_token_is_a_404(helper_client):
    assert helper_client.get(reverse("share_accept", args=["nope"])).status_code == 404


def test_an_invitation_without_a_role_is_refused_and_changes_nothing(owner_client, case):
    response = owner_client.post(reverse("case_sharing", args=[case.pk]), {"label": "x"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert not ShareInvitation.objects.exists()


def test_nobody_new_is_invited_while_consent_is_withdrawn_but_access_can_still_be_ended(
        owner_client, case, helper):
    share = share_with(case, helper)
    case.withdraw_consent(by=case.owner)
    assert owner_client.get(reverse("case_sharing", args=[case.pk])).status_code == 200
    assert owner_client.post(reverse("case_sharing", args=[case.pk]), {"role": "view"}).status_code == 403
    owner_client.post(reverse("share_end", args=[case.pk, share.pk]))
    share.refresh_from_db()
    assert share.ended_at is not None


def test_the_sharing_page_is_the_owners_alone(helper_client, case, helper):
    share_with(case, helper, ShareRole.HELP, sensitive=True)
    assert helper_client.get(reverse("case_sharing", args=[case.pk])).status_code == 404


def test_a_view_helper_reads_but_cannot_log(helper_client, case, helper):
    share_with(case, helper, ShareRole.VIEW)
    assert helper_client.get(reverse("log", args=[case.pk])).status_code == 200
    assert helper_client.post(reverse("contact_add", args=[case.pk]), quick_post()).status_code == 403
    assert not case.contacts.exists()


def test_a_helper_without_consent_sees_the_phone_masked_and_cannot_open_files(helper_client, owner, helper):
    case = make_populated_case(owner)
    Case.objects.filter(pk=case.pk).update(completed_steps=list(STEPS))
    evidence = case.evidence.first()
    share = share_with(case, helper, ShareRole.HELP)
    phone = case.debtor.phone
    page = helper_client.get(reverse("intake_review", args=[case.pk]), follow=True).content.decode()
    assert phone not in page and case.debtor.phone_masked in page
    about = helper_client.get(reverse("intake_about", args=[case.pk])).content.decode()
    assert 'name="debtor-phone"' not in about and 'name="debtor-id_number"' not in about
    assert helper_client.get(reverse("evidence_download", args=[case.pk, evidence.pk])).status_code == 403
    share.set_sensitive_consent(True, "v", by=owner)
    assert phone in helper_client.get(reverse("intake_review", args=[case.pk]), follow=True).content.decode()
    assert helper_client.get(reverse("evidence_download", args=[case.pk, evidence.pk])).status_code == 200


def test_a_help_helper_without_consent_saving_the_about_step_keeps_the_phone_and_id(helper_client, owner, helper):
    case = make_populated_case(owner)
    phone, id_number = case.debtor.phone, case.debtor.id_number
    share_with(case, helper, ShareRole.HELP)
    response = helper_client.post(reverse("intake_about", args=[case.pk]), {
        "version": case.version, "debtor-name": "张三", "debtor-address": "深圳市南山区某路1号",
        "case-province": case.province, "case-city": case.city, "case-household_size": 2, "case-dependants": 0,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    case.debtor.refresh_from_db()
    assert (case.debtor.name, case.debtor.phone, case.debtor.id_number) == ("张三", phone, id_number)


def test_a_letter_page_shows_no_preview_to_a_helper_without_consent(helper_client, owner, helper):
    case = make_populated_case(owner)
    letter = case.letters.first()
    share = share_with(case, helper, ShareRole.VIEW)
    url = reverse("letter_page", args=[case.pk, letter.kind, letter.lender_slug])
    preview = reverse("letter_preview", args=[case.pk, letter.kind, letter.lender_slug, letter.version])
    page = helper_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'src="{preview}"' not in page and f'href="{preview}"' not in page
    assert "prints the owner's ID number" in page
    assert helper_client.get(preview).status_code == 403
    share.end(by=owner)
    owner_client = Client()
    owner_client.force_login(owner)
    assert f'src="{preview}"' in owner_client.get(url).content.decode()


def _set_role(owner_client, case, share, role):
    return owner_client.post(reverse("share_role", args=[case.pk, share.pk]), {"role": role}, follow=True,
                             HTTP_ACCEPT_LANGUAGE="en")


def test_the_owner_lets_a_view_helper_help_in_place_and_back_to_view_only(owner_client, helper_client, owner, helper):
    case = make_populated_case(owner)
    evidence = case.evidence.first()
    share = share_with(case, helper, ShareRole.VIEW)
    assert helper_client.post(reverse("contact_add", args=[case.pk]), quick_post()).status_code == 403

    page = _set_role(owner_client, case, share, ShareRole.HELP).content.decode()
    assert "helper can now also fill in the case" in page and "Make it view only" in page
    assert helper_client.post(reverse("contact_add", args=[case.pk]), quick_post()).status_code == 302
    share.set_sensitive_consent(True, "v", by=owner)
    assert helper_client.get(reverse("evidence_download", args=[case.pk, evidence.pk])).status_code == 200

    page = _set_role(owner_client, case, share, ShareRole.VIEW).content.decode()
    assert "helper can now only read the case" in page and "Let them help too" in page
    assert helper_client.post(reverse("contact_add", args=[case.pk]), quick_post()).status_code == 403
    assert helper_client.get(reverse("evidence_download", args=[case.pk, evidence.pk])).status_code == 403
    share.refresh_from_db()
    assert share.sensitive_consent_at is None  # helping again would not bring it back unasked
    _set_role(owner_client, case, share, ShareRole.HELP)
    assert helper_client.get(reverse("evidence_download", args=[case.pk, evidence.pk])).status_code == 403
    assert list(AuditEvent.objects.filter(action="sharing.role_changed").order_by("pk")
                .values_list("detail__role", flat=True)) == ["help", "view", "help"]


def test_a_role_not_on_the_list_an_organisations_share_or_an_ended_one_is_not_changed(owner_client, case, helper):
    from ..sharing_fixtures import organisation_with

    share = share_with(case, helper, ShareRole.VIEW)
    adviser = make_user("adviser")
    organisation = share_with(case, adviser, organisation=organisation_with(adviser))
    for target, role in [(share, "owner"), (share, ""), (share, ShareRole.ADVISER), (organisation, ShareRole.HELP),
                         (organisation, ShareRole.VIEW)]:
        page = _set_role(owner_client, case, target, role).content.decode()
        assert "That choice is not on the list. Nothing was changed." in page, (target.role, role)
    share.end(by=case.owner)
    _set_role(owner_client, case, share, ShareRole.HELP)
    assert [s.role for s in Share.objects.order_by("pk")] == [ShareRole.VIEW, ShareRole.ADVISER]
    assert not AuditEvent.objects.filter(action="sharing.role_changed").exists()


def test_nobody_is_let_help_while_consent_is_withdrawn_but_a_share_can_be_made_view_only(owner_client, case, helper):
    share = share_with(case, helper, ShareRole.VIEW)
    case.withdraw_consent(by=case.owner)
    assert owner_client.post(reverse("share_role", args=[case.pk, share.pk]), {"role": "help"}).status_code == 403
    share.refresh_from_db()
    assert share.role == ShareRole.VIEW
    helping = share_with(case, make_user("second"), ShareRole.HELP)
    assert owner_client.post(reverse("share_role", args=[case.pk, helping.pk]), {"role": "view"}).status_code == 302
    helping.refresh_from_db()
    assert helping.role == ShareRole.VIEW


def test_a_helper_cannot_change_their_own_role(helper_client, case, helper):
    share = share_with(case, helper, ShareRole.VIEW)
    assert helper_client.post(reverse("share_role", args=[case.pk, share.pk]), {"role": "help"}).status_code == 404
    share.refresh_from_db()
    assert share.role == ShareRole.VIEW


def test_choosing_the_role_a_helper_already_has_is_no_error(owner_client, case, helper):
    """A second click, or a second tab: the same choice again changes nothing and is not called wrong."""
    share = share_with(case, helper, ShareRole.VIEW)
    _set_role(owner_client, case, share, ShareRole.HELP)
    page = _set_role(owner_client, case, share, ShareRole.HELP).content.decode()
    assert "That choice is not on the list" not in page and "Make it view only" in page
    assert AuditEvent.objects.filter(action="sharing.role_changed").count() == 1
