"""Issue 16, item 1: staff are reviewers, not owners.

Each test names the finding of the issue it reproduces; each failed before the fix.
"""

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from cases.lenders import lender_slug
from cases.models import AuditEvent, Case, Contact, Evidence, Letter, LetterReview

from ..factories import make_user
from ..privacy_fixtures import make_populated_case
from ..review_fixtures import client_for, in_review
from ..review_fixtures import group_reviewer, reviewer_client, reviewers_group, superuser, superuser_client  # noqa: F401


def _debtor_row(case):
    debtor = case.debtor
    debtor.refresh_from_db()
    return debtor.name, debtor.phone, debtor.address


@pytest.fixture
def populated(owner):
    return make_populated_case(owner)


def test_a_reviewer_posting_to_the_about_step_changes_nothing(reviewer_client, populated):  # noqa: F811
    """Finding: "POST /cases/1/intake/about/ changed the debtor's address (no audit entry)"."""
    before = _debtor_row(populated)
    response = reviewer_client.post(reverse("intake_about", args=[populated.pk]), {
        "version": populated.version, "name": "改名", "phone": "13900000000", "address": "别处",
        "province": "北京市", "city": "北京市", "household_size": 1, "dependants": 0})
    assert response.status_code == 404
    assert _debtor_row(populated) == before
    assert not AuditEvent.objects.exists()


def test_a_reviewer_cannot_delete_evidence_or_log_entries_through_the_debtors_pages(reviewer_client, populated):  # noqa: F811
    """Findings: "POST /cases/1/evidence/4/delete/ deleted evidence and its file";
    "POST /cases/1/log/6/delete/ deleted a log entry"."""
    evidence = populated.evidence.get()
    contact = populated.contacts.get()
    assert reviewer_client.post(reverse("evidence_delete", args=[populated.pk, evidence.pk])).status_code == 404
    assert reviewer_client.post(reverse("contact_delete", args=[populated.pk, contact.pk])).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists() and storages["private"].exists(evidence.file.name)
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("name", ["intake_about", "intake_review", "log", "timeline", "proposal", "case_detail"])
def test_the_debtors_pages_do_not_show_personal_data_to_staff(reviewer_client, superuser_client, populated, name):  # noqa: F811
    """Finding: "GET /cases/1/intake/about/ as a reviewer shows the full phone and address … with no audit entry"."""
    for client in (reviewer_client, superuser_client):
        response = client.get(reverse(name, args=[populated.pk]))
        assert response.status_code == 404
        assert populated.debtor.phone not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_the_review_page_shows_the_phone_masked_and_reveals_it_only_audited(reviewer_client, populated):  # noqa: F811
    phone = populated.debtor.phone
    page = reviewer_client.get(reverse("admin:cases_case_review", args=[populated.pk])).content.decode()
    assert phone not in page
    assert AuditEvent.objects.filter(action="admin.case_viewed").count() == 1
    revealed = reviewer_client.post(reverse("admin:cases_case_reveal", args=[populated.pk]), {"field": "phone"})
    assert phone in revealed.content.decode()
    assert AuditEvent.objects.filter(action="admin.sensitive_revealed").count() == 1


def test_the_raw_admin_forms_of_case_rows_send_to_the_review_page(superuser_client, populated):  # noqa: F811
    """Even a superuser reads a debtor's data on the masked, audited review page, not in a raw form."""
    review = reverse("admin:cases_case_review", args=[populated.pk])
    contact = populated.contacts.get()
    for url in (reverse("admin:cases_case_change", args=[populated.pk]),
                reverse("admin:cases_contact_change", args=[contact.pk]),
                reverse("admin:cases_evidence_change", args=[populated.evidence.get().pk])):
        response = superuser_client.get(url)
        assert response.status_code == 302 and response["Location"] == review, url
    response = superuser_client.post(reverse("admin:cases_contact_change", args=[contact.pk]), {"notes": "改了"})
    contact.refresh_from_db()
    assert contact.notes != "改了"


# --- Separation of duties ------------------------------------------------------------------


def test_a_reviewer_cannot_approve_a_letter_they_submitted(group_reviewer, reviewers_group):  # noqa: F811
    """Finding: "a reviewer can submit a letter and then approve it themselves"."""
    case = make_populated_case(group_reviewer)  # a reviewer with a debt case of their own
    letter = in_review(case, kind="hardship_statement")
    Letter.objects.filter(pk=letter.pk).update(submitted_by=group_reviewer)
    client = client_for(group_reviewer)
    page = client.get(reverse("admin:cases_case_review", args=[case.pk])).content.decode()
    assert 'name="decision" value="approve"' not in page
    assert "another reviewer must decide" in page or "另一位审核员" in page
    response = client.post(reverse("admin:cases_case_decide", args=[case.pk, letter.pk]),
                           {"decision": "approve", "note": ""})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW
    assert not LetterReview.objects.exists()


def test_a_reviewer_cannot_decide_on_a_version_they_generated_but_another_can(owner, reviewers_group):  # noqa: F811
    case = make_populated_case(owner)
    author, other = make_user("author", staff=True), make_user("second", staff=True)
    for user in (author, other):
        user.groups.add(reviewers_group)
    letter = in_review(case, kind="hardship_statement")
    Letter.objects.filter(pk=letter.pk).update(generated_by=author)
    letter.refresh_from_db()
    with pytest.raises(Letter.ConflictOfInterest):
        letter.approve(author)
    client_for(other).post(reverse("admin:cases_case_decide", args=[case.pk, letter.pk]),
                           {"decision": "approve", "note": ""})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED and letter.reviewed_by == other


def test_submitting_and_generating_record_who_did_it(owner_client, owner):
    from ..letters_fixtures import make_letter_case

    case = make_letter_case(owner)
    owner_client.post(reverse("letter_generate", args=[case.pk, "hardship_statement", lender_slug("重庆蚂蚁消费金融有限公司")]))
    letter = Letter.objects.get(case=case)
    owner_client.post(reverse("letter_submit", args=[case.pk, "hardship_statement", letter.lender_slug, letter.version]))
    letter.refresh_from_db()
    assert (letter.generated_by, letter.submitted_by, letter.status) == (owner, owner, Letter.Status.IN_REVIEW)


# --- Assignment --------------------------------------------------------------------------


def test_with_assignment_on_a_reviewer_sees_only_cases_assigned_to_them(settings, owner, group_reviewer,  # noqa: F811
                                                                       superuser_client):  # noqa: F811
    settings.REVIEW_ASSIGNED_ONLY = True
    mine, theirs = make_populated_case(owner), make_populated_case(make_user("other-owner"))
    in_review(mine, kind="hardship_statement"), in_review(theirs, kind="hardship_statement")
    Case.objects.filter(pk=mine.pk).update(assigned_reviewer=group_reviewer)
    client = client_for(group_reviewer)
    assert client.get(reverse("admin:cases_case_review", args=[mine.pk])).status_code == 200
    for url in (reverse("admin:cases_case_review", args=[theirs.pk]),
                reverse("admin:cases_case_evidence_file", args=[theirs.pk, theirs.evidence.get().pk]),
                reverse("admin:cases_case_letter_html", args=[theirs.pk, theirs.letters.first().pk])):
        assert client.get(url).status_code == 404, url
    queue = client.get(reverse("admin:cases_caseinreview_changelist")).content.decode()
    assert f"/admin/cases/case/{mine.pk}/review/" in queue and f"/admin/cases/case/{theirs.pk}/review/" not in queue
    assert superuser_client.get(reverse("admin:cases_case_review", args=[theirs.pk])).status_code == 200


def test_with_assignment_on_the_admin_home_counts_only_the_reviewers_own_queue(settings, owner, group_reviewer,  # noqa: F811
                                                                              superuser_client):  # noqa: F811
    """The home page's "N cases have a letter waiting" is the queue its link opens, not every case waiting."""
    settings.REVIEW_ASSIGNED_ONLY = True
    mine, theirs = make_populated_case(owner), make_populated_case(make_user("other-owner"))
    in_review(mine, kind="hardship_statement"), in_review(theirs, kind="hardship_statement")
    Case.objects.filter(pk=mine.pk).update(assigned_reviewer=group_reviewer)
    home = client_for(group_reviewer).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 case has a letter waiting for review" in home
    home = superuser_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 cases have a letter waiting for review" in home


def test_assignment_is_on_by_default_in_production():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "negotiator.settings"}
    env.pop("REVIEW_ASSIGNED_ONLY", None)
    out = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.REVIEW_ASSIGNED_ONLY)"],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


@pytest.mark.parametrize("model", ["case", "caseinreview", "contact", "evidence"])
@pytest.mark.parametrize("object_id", ["²", "١", "9" * 5000, "1x", "-1"])
def test_a_raw_admin_form_of_an_odd_id_is_a_404(superuser_client, populated, model, object_id):  # noqa: F811
    """"²".isdigit() is true but int("²") fails, "١" is read as 1, and int() refuses 4300+ digits: none is a case."""
    response = superuser_client.get(f"/admin/cases/{model}/{object_id}/change/")
    assert response.status_code == 404
