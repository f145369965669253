"""The case review page in the admin: masked details, reveal, evidence, letters, notes, timeline."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from cases.audit import pseudonym
from cases.models import AuditEvent, Contact, Evidence, LetterRender, ReviewerNote
from cases.tasks import render_letter_pdf

from ..factories import make_debt, make_full_case, make_user
from ..review_fixtures import in_review, make_letter
from ..review_fixtures import group_reviewer, reviewer_client, reviewers_group  # noqa: F401

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def review_url(case):
    return reverse("admin:cases_case_review", args=[case.pk])


def make_evidence(case, content: bytes, name: str, content_type: str) -> Evidence:
    evidence = Evidence(case=case, kind="bank_statement", original_name=name, size=len(content),
                        content_type=content_type, sha256=hashlib.sha256(content).hexdigest())
    evidence.file.save(name, ContentFile(content), save=False)
    evidence.save()
    return evidence


@pytest.fixture
def full_case(owner):
    return make_full_case(owner)


def test_sensitive_fields_are_masked_and_the_view_is_logged(reviewer_client, group_reviewer, full_case):
    page = reviewer_client.get(review_url(full_case)).content.decode()
    assert "张三" in page
    assert "110101199003074512" not in page and "**************4512" in page
    assert "13800138000" not in page
    assert "HB2024000012345678" not in page
    assert AuditEvent.objects.filter(action="admin.case_viewed", actor=group_reviewer,
                                     case_ref=pseudonym("case", full_case.pk)).count() == 1


def test_reveal_shows_one_field_and_is_logged(reviewer_client, group_reviewer, full_case):
    response = reviewer_client.post(reverse("admin:cases_case_reveal", args=[full_case.pk]), {"field": "id_number"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "110101199003074512" in page
    assert "13800138000" not in page
    event = AuditEvent.objects.get(action="admin.sensitive_revealed")
    assert (event.actor, event.target, event.case_ref) == (group_reviewer, "id_number",
                                                           pseudonym("case", full_case.pk))


def test_reveal_of_a_debt_account_number(reviewer_client, full_case):
    debt = full_case.debts.first()
    response = reviewer_client.post(reverse("admin:cases_case_reveal", args=[full_case.pk]),
                                    {"field": f"account_number_{debt.pk}"})
    assert debt.account_number in response.content.decode()
    assert AuditEvent.objects.get(action="admin.sensitive_revealed").target == f"account_number_{debt.pk}"


def test_reveal_of_an_unknown_field_is_404_and_not_logged(reviewer_client, full_case):
    response = reviewer_client.post(reverse("admin:cases_case_reveal", args=[full_case.pk]), {"field": "password"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="admin.sensitive_revealed").exists()


def test_reveal_rejects_get(reviewer_client, full_case):
    assert reviewer_client.get(reverse("admin:cases_case_reveal", args=[full_case.pk])).status_code == 405


def test_reveal_of_another_cases_debt_is_404(reviewer_client, full_case, stranger):
    other = make_full_case(stranger).debts.first()
    response = reviewer_client.post(reverse("admin:cases_case_reveal", args=[full_case.pk]),
                                    {"field": f"account_number_{other.pk}"})
    assert response.status_code == 404


def test_review_of_a_missing_case_is_404(reviewer_client, db):
    assert reviewer_client.get(reverse("admin:cases_case_review", args=[999999])).status_code == 404


def test_page_shows_budget_hardship_and_escapes_user_text(reviewer_client, full_case):
    full_case.hardship_reasons = ["unemployment", "illness"]
    full_case.hardship_what_happened = "<script>alert(1)</script>公司裁员"
    full_case.save()
    page = reviewer_client.get(review_url(full_case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Lost my job" in page and "Illness or injury" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;公司裁员" in page
    assert "<script>alert(1)" not in page
    assert "5200.00" in page and "1800.00" in page


def test_debts_show_the_engines_charges_and_excess_over_the_ceiling(reviewer_client, full_case):
    from cases.proposal.quote import quote_case

    over = make_debt(full_case, product="other", lender="某小贷公司", principal=Decimal("10000.00"),
                     overdue_amount=Decimal("10000.00"), billed_charges=Decimal("3000.00"))
    page = reviewer_client.get(review_url(full_case)).content.decode()
    figures = {row["id"]: row for row in quote_case(full_case)["debts"]}[str(over.pk)]
    assert figures["over_cap"] and Decimal(figures["excess_over_cap"]) > 0
    row = page[page.index("某小贷公司"):]
    row = row[:row.index("</tr>")]
    assert f'review-excess">{figures["excess_over_cap"]}<' in row
    assert figures["computed_charges"] in row and figures["balance"] in row
    assert f'{Decimal(figures["all_in_apr"]) * 100:.2f} %' in row


def test_debts_not_yet_overdue_show_no_rate(reviewer_client, full_case):
    full_case.debts.update(overdue_since=None)
    response = reviewer_client.get(review_url(full_case))
    assert response.status_code == 200
    assert " %</td>" not in response.content.decode()


def test_evidence_is_previewed_and_downloads_are_staff_only_and_logged(reviewer_client, group_reviewer, full_case,
                                                                      owner_client):
    image = make_evidence(full_case, PNG, "工资条.png", "image/png")
    pdf = make_evidence(full_case, b"%PDF-1.4\n%%EOF\n", "银行流水.pdf", "application/pdf")
    page = reviewer_client.get(review_url(full_case)).content.decode()
    image_url = reverse("admin:cases_case_evidence_file", args=[full_case.pk, image.pk])
    pdf_url = reverse("admin:cases_case_evidence_file", args=[full_case.pk, pdf.pk])
    assert f'<img src="{image_url}"' in page
    assert f'<iframe src="{pdf_url}"' in page

    response = reviewer_client.get(image_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("inline")
    assert AuditEvent.objects.filter(action="admin.evidence_downloaded", target=f"evidence:{image.pk}",
                                     actor=group_reviewer).exists()
    assert "sandbox" in response["Content-Security-Policy"]
    pdf_response = reviewer_client.get(pdf_url)
    assert pdf_response["Content-Type"] == "application/pdf"
    # Chrome's PDF viewer needs <embed> and inline styles; only framing is restricted.
    assert pdf_response["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert pdf_response["X-Content-Type-Options"] == "nosniff"
    # The owner has their own evidence views; the admin's are not theirs.
    assert owner_client.get(image_url).status_code == 404


def test_evidence_of_an_unknown_type_is_downloaded_not_shown(reviewer_client, full_case):
    evidence = make_evidence(full_case, b"<svg onload='alert(1)'/>", "x.svg", "image/svg+xml")
    page = reviewer_client.get(review_url(full_case)).content.decode()
    url = reverse("admin:cases_case_evidence_file", args=[full_case.pk, evidence.pk])
    assert f'<img src="{url}"' not in page
    response = reviewer_client.get(url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_evidence_of_another_case_is_404(reviewer_client, full_case, stranger):
    other = make_evidence(make_full_case(stranger), PNG, "a.png", "image/png")
    url = reverse("admin:cases_case_evidence_file", args=[full_case.pk, other.pk])
    assert reviewer_client.get(url).status_code == 404


def test_staff_outside_the_group_cannot_download_evidence(client, reviewer, full_case):
    evidence = make_evidence(full_case, PNG, "a.png", "image/png")
    client.force_login(reviewer)
    url = reverse("admin:cases_case_evidence_file", args=[full_case.pk, evidence.pk])
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="admin.evidence_downloaded").exists()


def test_letter_preview_is_sandboxed_and_scriptless(reviewer_client, full_case):
    letter = in_review(full_case, html="<html><body><p>尊敬的贷款方</p><script>alert(1)</script></body></html>")
    page = reviewer_client.get(review_url(full_case)).content.decode()
    url = reverse("admin:cases_case_letter_html", args=[full_case.pk, letter.pk])
    assert f'sandbox src="{url}"' in page
    response = reviewer_client.get(url)
    assert response.status_code == 200
    assert "尊敬的贷款方" in response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp and "script-src" not in csp


def test_letter_pdf_is_queued_once_then_served(reviewer_client, full_case, settings):
    """The admin's PDF link asks the worker for the right variant (once) and serves it when it is there."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "letters"]}}
    letter = make_letter(full_case)
    url = reverse("admin:cases_case_letter_pdf", args=[full_case.pk, letter.pk])
    for _ in range(3):
        response = reviewer_client.get(url)
        assert response.status_code == 302 and response["Location"].endswith(f"/{full_case.pk}/review/")
    assert LetterRender.objects.filter(letter=letter).count() == 1
    assert not AuditEvent.objects.filter(action="admin.letter_pdf_downloaded").exists()
    render_letter_pdf.call(letter.pk)  # what the worker does
    response = reviewer_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="admin.letter_pdf_downloaded").exists()


def test_letter_html_of_another_case_is_404(reviewer_client, full_case, stranger):
    other = make_letter(make_full_case(stranger))
    assert reviewer_client.get(reverse("admin:cases_case_letter_html", args=[full_case.pk, other.pk])).status_code == 404


def test_timeline_lists_events_in_order(reviewer_client, group_reviewer, full_case):
    now = timezone.now()
    type(full_case).objects.filter(pk=full_case.pk).update(created_at=now - timedelta(days=5))
    Contact.objects.create(case=full_case, occurred_at=now - timedelta(days=3), channel="hotline",
                           direction="outgoing", organisation="蚂蚁消费金融", outcome="refused")
    full_case.set_status("negotiating", by=full_case.owner)
    letter = make_letter(full_case)
    letter.submit_for_review()
    letter.request_changes(group_reviewer, "请修改")
    page = reviewer_client.get(review_url(full_case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    timeline = page[page.index('class="review-timeline"'):]
    order = [timeline.index(text) for text in ["Case started", "蚂蚁消费金融", "Status: Draft → Negotiating",
                                                "Letter created", "Letter sent for review", "Changes requested by"]]
    assert order == sorted(order)


def test_reviewer_notes_are_saved_signed_and_logged(reviewer_client, group_reviewer, full_case):
    response = reviewer_client.post(reverse("admin:cases_case_note", args=[full_case.pk]),
                                    {"text": "已电话核实收入情况。"})
    assert response.status_code == 302
    note = ReviewerNote.objects.get()
    assert (note.case, note.author, note.text) == (full_case, group_reviewer, "已电话核实收入情况。")
    assert AuditEvent.objects.filter(action="admin.note_added").exists()
    assert "已电话核实收入情况。" in reviewer_client.get(review_url(full_case)).content.decode()


def test_a_too_long_note_is_not_saved(reviewer_client, full_case):
    response = reviewer_client.post(reverse("admin:cases_case_note", args=[full_case.pk]), {"text": "记" * 5001})
    assert response.status_code == 400
    assert not ReviewerNote.objects.exists()


def test_an_empty_note_is_not_saved(reviewer_client, full_case):
    response = reviewer_client.post(reverse("admin:cases_case_note", args=[full_case.pk]), {"text": "  "},
                                    HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Write the note first." in response.content.decode()
    assert not ReviewerNote.objects.exists()


def test_notes_reject_get(reviewer_client, full_case):
    assert reviewer_client.get(reverse("admin:cases_case_note", args=[full_case.pk])).status_code == 405


def test_reviewer_notes_are_never_shown_to_the_user(owner_client, group_reviewer, full_case):
    ReviewerNote.objects.create(case=full_case, author=group_reviewer, text="内部：怀疑收入偏低")
    in_review(full_case).request_changes(group_reviewer, "请补充材料")
    for url in [reverse("case_detail", args=[full_case.pk]), reverse("dashboard"),
                reverse("letters_index", args=[full_case.pk])]:
        assert "内部：怀疑收入偏低" not in owner_client.get(url).content.decode(), url


def test_review_page_has_bounded_queries(reviewer_client, full_case, group_reviewer, django_assert_max_num_queries):
    for kind in ["negotiation_request", "hardship_statement", "evidence_index"]:
        in_review(full_case, kind=kind)
    for i in range(5):
        make_evidence(full_case, PNG + bytes([i]), f"{i}.png", "image/png")
        ReviewerNote.objects.create(case=full_case, author=group_reviewer, text=f"备注{i}")
        Contact.objects.create(case=full_case, channel="sms", direction="incoming", outcome="info")
    with django_assert_max_num_queries(25):
        assert reviewer_client.get(review_url(full_case)).status_code == 200


def test_a_superuser_sees_decision_forms_and_a_plain_staff_member_gets_403(full_case, client):
    in_review(full_case)
    boss = make_user("boss2", superuser=True)
    client.force_login(boss)
    assert "review-decision" in client.get(review_url(full_case)).content.decode()
