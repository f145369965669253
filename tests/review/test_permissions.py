"""Who may enter the reviewers' workplace, and what they may do there."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.models import AuditEvent, Case

from ..factories import make_user
from ..review_fixtures import client_for, in_review, run_reviewers_group_migration
from ..review_fixtures import group_reviewer, reviewer_client, reviewers_group, superuser, superuser_client  # noqa: F401

EXPECTED_REVIEWER_PERMISSIONS = {
    "view_case", "assign_case", "view_caseinreview", "view_debtor", "view_debt", "view_budgetline",
    "view_evidence", "view_proposal", "view_contact", "view_letter", "change_letter", "view_letterreview",
    "view_casestatuschange", "view_reviewernote", "add_reviewernote", "view_lprrate", "view_hotline",
}


def test_reviewers_group_has_exactly_the_permissions_reviewers_need(db):
    Group.objects.filter(name="Reviewers").delete()
    run_reviewers_group_migration()
    run_reviewers_group_migration()  # idempotent
    reviewers_group = Group.objects.get(name="Reviewers")
    codenames = set(reviewers_group.permissions.values_list("codename", flat=True))
    assert codenames == EXPECTED_REVIEWER_PERMISSIONS
    assert "delete_case" not in codenames and "view_auditevent" not in codenames
    assert "export_sensitive" not in codenames and "change_case" not in codenames


@pytest.mark.parametrize("url", ["/admin/", "/admin/cases/case/", "/admin/cases/caseinreview/",
                                 "/admin/cases/auditevent/", "/admin/does-not-exist/"])
def test_plain_user_never_sees_the_admin(owner_client, url):
    assert owner_client.get(url).status_code == 404


def test_plain_user_gets_404_for_the_review_page(owner_client, case):
    assert owner_client.get(reverse("admin:cases_case_review", args=[case.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_staff_outside_the_group_cannot_open_the_review_page(client, reviewer, case):
    client.force_login(reviewer)
    assert client.get(reverse("admin:cases_case_review", args=[case.pk])).status_code == 403


def test_reviewer_can_open_queue_cases_and_the_review_page(reviewer_client, case):
    in_review(case)
    assert reviewer_client.get("/admin/cases/caseinreview/").status_code == 200
    assert reviewer_client.get("/admin/cases/case/").status_code == 200
    assert reviewer_client.get(reverse("admin:cases_case_review", args=[case.pk])).status_code == 200


def test_reviewer_cannot_delete_cases(reviewer_client, case):
    response = reviewer_client.get(reverse("admin:cases_case_delete", args=[case.pk]))
    assert response.status_code == 403
    response = reviewer_client.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = reviewer_client.post("/admin/cases/case/", {"action": "delete_selected", "_selected_action": [case.pk],
                                                           "post": "yes"})
    assert Case.objects.filter(pk=case.pk).exists()
    assert b"delete_selected" not in reviewer_client.get("/admin/cases/case/").content


def test_reviewer_cannot_edit_a_case_through_the_raw_form(reviewer_client, case):
    change = reverse("admin:cases_case_change", args=[case.pk])
    response = reviewer_client.get(change)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:cases_case_review", args=[case.pk])
    reviewer_client.post(change, {"title": "改掉", "status": "closed"})
    case.refresh_from_db()
    assert case.title == "测试案件"


def test_reviewer_cannot_see_the_audit_trail(reviewer_client, case, group_reviewer):
    event = AuditEvent.objects.create(action="admin.case_viewed")
    assert reviewer_client.get("/admin/cases/auditevent/").status_code == 403
    assert reviewer_client.get(reverse("admin:cases_auditevent_change", args=[event.pk])).status_code == 403
    assert b"/admin/cases/auditevent/" not in reviewer_client.get("/admin/").content


def test_superuser_sees_everything_including_the_audit_trail(superuser_client, case):
    in_review(case)
    for url in ["/admin/", "/admin/cases/case/", "/admin/cases/caseinreview/", "/admin/cases/auditevent/",
                "/admin/cases/letter/", "/admin/cases/reviewernote/", "/admin/auth/user/",
                reverse("admin:cases_case_review", args=[case.pk]),
                reverse("admin:cases_case_change", args=[case.pk])]:
        assert superuser_client.get(url).status_code == 200, url


def test_nobody_can_edit_or_delete_audit_events(superuser_client):
    event = AuditEvent.objects.create(action="admin.case_viewed", target="x")
    url = reverse("admin:cases_auditevent_change", args=[event.pk])
    superuser_client.post(url, {"action": "changed", "target": "y"})
    assert superuser_client.get(reverse("admin:cases_auditevent_delete", args=[event.pk])).status_code == 403
    event.refresh_from_db()
    assert (event.action, event.target) == ("admin.case_viewed", "x")
    assert superuser_client.get(reverse("admin:cases_auditevent_add")).status_code == 403


def test_inactive_staff_cannot_use_the_admin(case, reviewers_group):
    former = make_user("former", staff=True, is_active=False)
    former.groups.add(reviewers_group)
    response = client_for(former).get(reverse("admin:cases_case_review", args=[case.pk]))
    assert response.status_code in (302, 404)


def every_review_url(case, letter, evidence_id=1):
    """(method, url) of every admin URL the review adds."""
    return [
        ("get", reverse("admin:cases_case_review", args=[case.pk])),
        ("post", reverse("admin:cases_case_reveal", args=[case.pk])),
        ("post", reverse("admin:cases_case_decide", args=[case.pk, letter.pk])),
        ("post", reverse("admin:cases_case_note", args=[case.pk])),
        ("get", reverse("admin:cases_case_evidence_file", args=[case.pk, evidence_id])),
        ("get", reverse("admin:cases_case_letter_html", args=[case.pk, letter.pk])),
        ("get", reverse("admin:cases_case_letter_pdf", args=[case.pk, letter.pk])),
    ]


DATA = {"decision": "approve", "field": "id_number", "text": "x"}


def test_the_owner_gets_404_for_every_admin_url_of_their_own_case(owner_client, case):
    letter = in_review(case)
    for method, url in every_review_url(case, letter):
        assert getattr(owner_client, method)(url, DATA).status_code == 404, url
    letter.refresh_from_db()
    assert letter.status == "in_review"


def test_anonymous_visitors_are_sent_to_log_in_for_every_admin_url(client, case):
    letter = in_review(case)
    for method, url in every_review_url(case, letter):
        response = getattr(client, method)(url, DATA)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_unknown_case_is_404_for_every_admin_url(reviewer_client, case):
    letter = in_review(case)
    for method, url in every_review_url(case, letter):
        url = url.replace(f"/case/{case.pk}/", "/case/999999/")
        assert getattr(reviewer_client, method)(url, DATA).status_code == 404, url


def test_every_admin_url_rejects_the_wrong_method(reviewer_client, case):
    letter = in_review(case)
    for method, url in every_review_url(case, letter):
        wrong = "post" if method == "get" else "get"
        assert getattr(reviewer_client, wrong)(url, DATA).status_code == 405, url
    letter.refresh_from_db()
    assert letter.status == "in_review"
