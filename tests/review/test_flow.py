"""Approve / request changes, end to end: reviewer in the admin, user on their case page."""

import re

from django.urls import reverse

from cases.models import AuditEvent, Letter, LetterReview
from cases.audit import pseudonym

from ..factories import make_full_case
from ..review_fixtures import client_for, in_review, make_letter
from ..review_fixtures import group_reviewer, reviewer_client, reviewers_group  # noqa: F401


def decide_url(letter):
    return reverse("admin:cases_case_decide", args=[letter.case_id, letter.pk])


def test_request_changes_then_resubmit_then_approve(owner, owner_client, reviewer_client, group_reviewer):
    case = make_full_case(owner)
    letter = in_review(case)
    frozen = (letter.snapshot, letter.html, letter.content_hash)

    # The reviewer asks for changes; the note is recorded with who and when.
    response = reviewer_client.post(decide_url(letter), {"decision": "request_changes",
                                                         "note": "请补充失业证明的日期。"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.CHANGES_REQUESTED
    assert letter.reviewed_by == group_reviewer and letter.reviewed_at is not None
    review = LetterReview.objects.get(letter=letter)
    assert (review.reviewer, review.decision, review.note) == (group_reviewer, "changes_requested",
                                                               "请补充失业证明的日期。")
    assert AuditEvent.objects.filter(action="letter.changes_requested", case_ref=pseudonym("case", case.pk),
                                     actor=group_reviewer).exists()

    # The user sees the note on their case page, with a way to revise and to resubmit.
    page = owner_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "请补充失业证明的日期。" in page
    assert reverse("letter_kind", args=[case.pk, letter.kind]) in page
    resubmit_url = re.search(r'<form method="post" action="([^"]+)">', page[page.index("review-changes"):]).group(1)

    response = owner_client.post(resubmit_url)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW
    assert "请补充失业证明的日期。" not in owner_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    queue = reviewer_client.get("/admin/cases/caseinreview/").content.decode()
    assert reverse("admin:cases_case_review", args=[case.pk]) in queue

    # The reviewer approves: final, frozen, the content untouched.
    response = reviewer_client.post(decide_url(letter), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED and letter.is_final
    assert (letter.snapshot, letter.html, letter.content_hash) == frozen
    assert list(letter.reviews.values_list("decision", flat=True)) == ["approved", "changes_requested"]
    assert reverse("admin:cases_case_review", args=[case.pk]) not in reviewer_client.get(
        "/admin/cases/caseinreview/").content.decode()

    # An approved letter cannot be decided again or resubmitted.
    response = reviewer_client.post(decide_url(letter), {"decision": "request_changes", "note": "再改改"})
    assert response.status_code == 302
    owner_client.post(resubmit_url)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
    assert (letter.snapshot, letter.html, letter.content_hash) == frozen
    assert letter.reviews.count() == 2


def test_a_newer_version_hides_the_old_note(owner, owner_client, group_reviewer):
    case = make_full_case(owner)
    old = in_review(case)
    old.request_changes(group_reviewer, "金额写错了")
    in_review(case, version=2)
    assert "金额写错了" not in owner_client.get(reverse("case_detail", args=[case.pk])).content.decode()


def test_asking_for_changes_needs_a_note(reviewer_client, case):
    letter = in_review(case)
    response = reviewer_client.post(decide_url(letter), {"decision": "request_changes", "note": "   "},
                                    HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Say what the user should change." in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW
    assert not LetterReview.objects.exists()


def test_unknown_decision_is_rejected(reviewer_client, case):
    letter = in_review(case)
    response = reviewer_client.post(decide_url(letter), {"decision": "burn", "note": "x"})
    assert response.status_code == 400
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW


def test_too_long_note_is_rejected(reviewer_client, case):
    letter = in_review(case)
    response = reviewer_client.post(decide_url(letter), {"decision": "request_changes", "note": "长" * 2001})
    assert response.status_code == 400
    assert not LetterReview.objects.exists()


def test_a_draft_cannot_be_approved(reviewer_client, case):
    letter = make_letter(case)
    reviewer_client.post(decide_url(letter), {"decision": "approve"})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT
    assert not LetterReview.objects.exists()


def test_deciding_rejects_get(reviewer_client, case):
    letter = in_review(case)
    assert reviewer_client.get(decide_url(letter)).status_code == 405


def test_deciding_a_letter_of_another_case_is_404(reviewer_client, case, stranger):
    other = in_review(make_full_case(stranger))
    url = reverse("admin:cases_case_decide", args=[case.pk, other.pk])
    assert reviewer_client.post(url, {"decision": "approve"}).status_code == 404
    other.refresh_from_db()
    assert other.status == Letter.Status.IN_REVIEW


def test_staff_without_change_letter_cannot_decide(client, reviewer, case):
    # Staff, but not in the Reviewers group: may not decide.
    letter = in_review(case)
    client.force_login(reviewer)
    assert client.post(decide_url(letter), {"decision": "approve"}).status_code == 403
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_REVIEW


def test_stranger_gets_404_when_resubmitting_my_letter(stranger_client, case, group_reviewer):
    letter = in_review(case)
    letter.request_changes(group_reviewer, "请修改")
    assert stranger_client.post(reverse("letter_submit", args=letter.url_args)).status_code == 404
    letter.refresh_from_db()
    assert letter.status == Letter.Status.CHANGES_REQUESTED


def test_resubmit_rejects_get(owner_client, case):
    letter = make_letter(case)
    assert owner_client.get(reverse("letter_submit", args=letter.url_args)).status_code == 405


def test_resubmit_with_a_letter_of_another_case_is_404(owner, owner_client, case, stranger):
    other = make_letter(make_full_case(stranger))
    assert owner_client.post(reverse("letter_submit", args=[case.pk, other.kind, other.lender_slug or "-", other.version])).status_code == 404


def test_case_page_with_notes_has_bounded_queries(owner, owner_client, group_reviewer,
                                                  django_assert_max_num_queries):
    case = make_full_case(owner)
    for kind in ["negotiation_request", "hardship_statement", "evidence_index"]:
        in_review(case, kind=kind).request_changes(group_reviewer, f"{kind} 需要修改")
    with django_assert_max_num_queries(13):  # + the dates that matter (issue 18)
        response = owner_client.get(reverse("case_detail", args=[case.pk]))
    assert response.content.decode().count("需要修改</blockquote>") == 3


def test_two_clients_reviewing_do_not_both_decide(reviewer_client, group_reviewer, case):
    letter = in_review(case)
    other_client = client_for(group_reviewer)
    reviewer_client.post(decide_url(letter), {"decision": "approve"})
    other_client.post(decide_url(letter), {"decision": "request_changes", "note": "晚了一步"})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED
    assert letter.reviews.count() == 1
