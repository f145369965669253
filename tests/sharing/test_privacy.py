"""Sharing and the owner's privacy rights (issue 20): export, deletion, withdrawal, a helper's account deletion."""

import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.models import AdviserNote, Case, Share, ShareInvitation, ShareRole
from cases.privacy.personal_data import delete_account, delete_case

from ..factories import PASSWORD, make_user
from ..log_fixtures import quick_post
from ..sharing_fixtures import organisation_with, share_with


def _export(client) -> dict:
    response = client.post(reverse("account_export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json"))


def test_the_owners_export_holds_the_sharing_history_without_tokens(owner_client, case, helper, settings):
    share = share_with(case, helper, ShareRole.HELP, sensitive=True)
    share.end(by=case.owner)
    _pending, token = ShareInvitation.create_for(case, role=ShareRole.VIEW, by=case.owner, label="邻居")
    adviser = make_user("adviser")
    share_with(case, adviser, organisation=organisation_with(adviser))
    AdviserNote.write(case, author=adviser, organisation=Share.objects.get(organisation__isnull=False).organisation,
                      text="请先打95188")
    data = _export(owner_client)
    sharing = data["cases"][0]["sharing"]
    assert [(s["who"], s["role"], s["end_reason"]) for s in sharing["shares"]] == [
        ("helper", "help", "revoked"), ("法律援助中心", "adviser", "")]
    assert sharing["shares"][0]["sensitive_consent_version"] == settings.SHARING_CONSENT_TEXT_VERSION
    assert [i["label"] for i in sharing["invitations"]] == ["", "邻居", ""]
    assert sharing["adviser_notes"][0]["text"] == "请先打95188"
    assert token not in json.dumps(data) and "token" not in json.dumps(sharing)


def test_the_helpers_export_holds_their_access_but_not_the_case(helper_client, case, helper):
    share_with(case, helper, ShareRole.VIEW)
    data = _export(helper_client)
    assert data["cases"] == []
    assert [s["role"] for s in data["shared_with_me"]] == ["view"]


def test_deleting_the_case_ends_every_share(case, helper, helper_client):
    share_with(case, helper, ShareRole.HELP)
    case_id = case.pk
    delete_case(case, by=case.owner)
    assert not Share.objects.exists()
    assert helper_client.get(reverse("case_detail", args=[case_id])).status_code == 404


def test_a_withdrawn_consent_freezes_the_helper(case, helper, helper_client):
    share_with(case, helper, ShareRole.HELP)
    case.withdraw_consent(by=case.owner)
    assert helper_client.get(reverse("case_detail", args=[case.pk])).status_code == 403
    assert helper_client.post(reverse("contact_add", args=[case.pk]), quick_post()).status_code == 403
    assert not case.contacts.exists()


def test_a_helper_deleting_their_account_leaves_the_case_and_what_they_did(case, helper, helper_client):
    share = share_with(case, helper, ShareRole.HELP)
    helper_client.post(reverse("contact_add", args=[case.pk]), quick_post())
    response = helper_client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="helper").exists()
    assert Case.objects.filter(pk=case.pk).exists() and case.contacts.count() == 1
    share.refresh_from_db()
    assert share.ended_at is not None and share.end_reason == "account_deleted" and share.helper is None


def test_deleting_the_owners_account_removes_the_shares_with_the_case(case, helper):
    share_with(case, helper, ShareRole.VIEW)
    delete_account(case.owner)
    assert not Share.objects.exists() and get_user_model().objects.filter(pk=helper.pk).exists()
