import hashlib
import io
import re

import pytest
from PIL import Image
from django.test import Client
from django.urls import reverse

from cases.intake import vault  # noqa: F401  (registers HEIF with Pillow, as the app does)
from cases.models import AuditEvent, Evidence

from ..factories import make_case, make_debt, make_debtor
from ..intake_fixtures import EXE_BYTES, bomb_png_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload
from ..security.fixtures import amr_bytes, m4a_bytes, mp3_bytes


@pytest.fixture
def debt(case):
    make_debtor(case)
    return make_debt(case)


def post_file(client, case, file, **fields):
    data = {"kind": "bill", "note": "", **fields, "file": file}
    return client.post(reverse("evidence_upload", args=[case.pk]), data, HTTP_ACCEPT_LANGUAGE="en")


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.storage
def test_a_pdf_is_stored_privately_with_its_fingerprint_and_page_count(owner_client, case, debt, media):
    content = pdf_bytes(pages=2)
    response = post_file(owner_client, case, upload("账单.pdf", content), debt=debt.pk)
    assert response.status_code == 302
    evidence = Evidence.objects.get(case=case)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.content_type == "application/pdf"
    assert evidence.pages == 2
    assert evidence.original_name == "账单.pdf"
    assert evidence.debt == debt
    assert "账单" not in evidence.file.name and evidence.file.name.startswith(f"evidence/{case.pk}/")
    assert [media.read(name) for name in media.names()] == [content]


def test_the_type_comes_from_the_content_not_the_name(owner_client, case, debt):
    post_file(owner_client, case, upload("photo.pdf", png_bytes(), "application/pdf"))
    assert Evidence.objects.get(case=case).content_type == "image/png"


def test_an_executable_renamed_pdf_is_rejected_and_nothing_stored(owner_client, case, debt, private_media):
    response = post_file(owner_client, case, upload("bill.pdf", EXE_BYTES, "application/pdf"))
    assert response.status_code == 400
    assert "This kind of file is not accepted" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(private_media) == []


def test_an_oversized_file_is_rejected(owner_client, case, debt, settings, private_media):
    settings.EVIDENCE_MAX_FILE_BYTES = 1000
    response = post_file(owner_client, case, upload("big.pdf", pdf_bytes() + b"\n" * 1000))
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(private_media) == []


def test_the_case_quota_is_enforced(owner_client, case, debt, settings):
    first = pdf_bytes()
    settings.EVIDENCE_CASE_QUOTA_BYTES = len(first) + 100
    assert post_file(owner_client, case, upload("a.pdf", first)).status_code == 302
    response = post_file(owner_client, case, upload("b.png", png_bytes()))
    assert response.status_code == 400
    assert "Delete files you do not need first" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_an_empty_file_is_rejected(owner_client, case, debt, private_media):
    response = post_file(owner_client, case, upload("empty.pdf", b""))
    assert response.status_code == 400
    assert "The file is empty." in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_path_traversal_name_keeps_only_the_file_name(owner_client, case, debt, private_media):
    response = post_file(owner_client, case, upload("../../../etc/passwd.png", png_bytes()))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "passwd.png"
    assert ".." not in evidence.file.name
    (stored,) = stored_files(private_media)
    assert stored.is_relative_to(private_media / "evidence" / str(case.pk))


def test_a_windows_path_name_keeps_only_the_file_name(owner_client, case, debt):
    post_file(owner_client, case, upload("C:\\Users\\zhang\\bill.jpg", jpeg_bytes()))
    assert Evidence.objects.get().original_name == "bill.jpg"


def test_a_duplicate_upload_is_refused_with_the_earlier_name(owner_client, case, debt, private_media):
    content = png_bytes()
    post_file(owner_client, case, upload("first.png", content))
    response = post_file(owner_client, case, upload("again.png", content))
    assert response.status_code == 400
    assert "You already uploaded this file, as “first.png”" in response.content.decode()
    assert Evidence.objects.count() == 1
    assert len(stored_files(private_media)) == 1


def test_the_same_file_in_another_case_is_not_a_duplicate(owner_client, owner, case, debt):
    other = make_case(owner)
    content = png_bytes()
    post_file(owner_client, case, upload("a.png", content))
    assert post_file(owner_client, other, upload("a.png", content)).status_code == 302


def test_a_decompression_bomb_png_is_rejected(owner_client, case, debt, private_media):
    response = post_file(owner_client, case, upload("bomb.png", bomb_png_bytes()))
    assert response.status_code == 400
    assert "too large in pixels" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(private_media) == []


def test_a_truncated_image_is_rejected(owner_client, case, debt):
    response = post_file(owner_client, case, upload("broken.png", png_bytes()[:60]))
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_a_damaged_pdf_is_rejected(owner_client, case, debt):
    response = post_file(owner_client, case, upload("broken.pdf", b"%PDF-1.7\n" + b"garbage" * 50))
    assert response.status_code == 400
    assert "PDF seems damaged" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("rec.amr", amr_bytes(), "audio/amr"),
        ("rec.mp3", mp3_bytes(), "audio/mpeg"),
        ("rec.m4a", m4a_bytes(), "audio/mp4"),
    ],
)
def test_call_recordings_are_accepted_by_content(owner_client, case, debt, name, content, expected):
    assert post_file(owner_client, case, upload(name, content), kind="call_recording").status_code == 302
    assert Evidence.objects.get().content_type == expected


def heic_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="HEIF")
    return out.getvalue()


def test_a_heic_photo_is_accepted_and_verified(owner_client, case, debt):
    assert post_file(owner_client, case, upload("IMG_0001.HEIC", heic_bytes())).status_code == 302
    assert Evidence.objects.get().content_type == "image/heic"


def test_a_damaged_heic_photo_is_rejected(owner_client, case, debt):
    header_only = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 400
    response = post_file(owner_client, case, upload("IMG_0002.HEIC", header_only))
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_a_foreign_debt_cannot_be_attached(owner_client, case, debt, stranger):
    foreign = make_debt(make_case(stranger))
    response = post_file(owner_client, case, upload("a.png", png_bytes()), debt=foreign.pk)
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_htmx_upload_answers_with_the_panel_and_the_error_in_place(owner_client, case, debt):
    response = owner_client.post(
        reverse("evidence_upload", args=[case.pk]),
        {"kind": "bill", "file": upload("x.pdf", b"")}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="evidence-panel"' in body and "<html" not in body
    assert "The file is empty." in body


# --- Download and delete ---------------------------------------------------------


@pytest.fixture
def stored_pdf(owner, case, debt):
    own = Client()  # not the shared `client`, which other fixtures log in as someone else
    own.force_login(owner)
    assert post_file(own, case, upload("合同.pdf", pdf_bytes()), kind="contract").status_code == 302
    return Evidence.objects.get()


@pytest.mark.storage
def test_owner_downloads_a_pdf_as_an_attachment_with_safe_headers(owner_client, case, stored_pdf, media):
    response = owner_client.get(reverse("evidence_download", args=[case.pk, stored_pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%E5%90%88%E5%90%8C.pdf" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == media.read(stored_pdf.file.name) == pdf_bytes()


def test_a_photo_is_shown_inline_in_a_sandbox(owner_client, case, debt):
    post_file(owner_client, case, upload("photo.png", png_bytes()))
    evidence = Evidence.objects.get()
    response = owner_client.get(reverse("evidence_download", args=[case.pk, evidence.pk]))
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]


def test_audio_is_downloaded_as_an_attachment(owner_client, case, debt):
    post_file(owner_client, case, upload("call.amr", b"#!AMR\n" + b"\x3c" * 100), kind="call_recording")
    evidence = Evidence.objects.get()
    response = owner_client.get(reverse("evidence_download", args=[case.pk, evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "audio/amr"


def test_staff_download_evidence_only_through_the_review_page(client, reviewer, case, stored_pdf):
    """Issue 16: the debtor's download is the owner's; staff use the admin's audited file view."""
    client.force_login(reviewer)
    response = client.get(reverse("evidence_download", args=[case.pk, stored_pdf.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="evidence_viewed_by_staff").exists()


@pytest.mark.storage
def test_stranger_gets_404_for_evidence_download(stranger_client, case, stored_pdf):
    assert stranger_client.get(reverse("evidence_download", args=[case.pk, stored_pdf.pk])).status_code == 404


def test_evidence_of_another_case_is_404_even_for_my_own_case_url(client, owner, stranger, case, stored_pdf):
    mine = make_case(stranger)
    client.force_login(stranger)
    assert client.get(reverse("evidence_download", args=[mine.pk, stored_pdf.pk])).status_code == 404
    assert client.post(reverse("evidence_delete", args=[mine.pk, stored_pdf.pk])).status_code == 404


@pytest.mark.storage
def test_delete_removes_the_row_and_the_file(owner_client, case, stored_pdf, media):
    assert media.names() == [stored_pdf.file.name]
    response = owner_client.post(reverse("evidence_delete", args=[case.pk, stored_pdf.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert media.names() == []


def test_stranger_cannot_delete(stranger_client, case, stored_pdf, private_media):
    assert stranger_client.post(reverse("evidence_delete", args=[case.pk, stored_pdf.pk])).status_code == 404
    assert Evidence.objects.count() == 1 and len(stored_files(private_media)) == 1


def test_delete_rejects_get(owner_client, case, stored_pdf):
    assert owner_client.get(reverse("evidence_delete", args=[case.pk, stored_pdf.pk])).status_code == 405
    assert Evidence.objects.count() == 1


def test_upload_rejects_get(owner_client, case):
    assert owner_client.get(reverse("evidence_upload", args=[case.pk])).status_code == 405


def test_stranger_cannot_upload_into_my_case(stranger_client, case):
    response = post_file(stranger_client, case, upload("a.png", png_bytes()))
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_htmx_delete_answers_with_the_updated_panel(owner_client, case, stored_pdf):
    response = owner_client.post(reverse("evidence_delete", args=[case.pk, stored_pdf.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="evidence-panel"' in body and 'href="/cases/' not in body
    assert "文件已删除：合同.pdf" in body


def test_upload_needs_consent_first(owner_client, owner, private_media):
    case = make_case(owner, consent=False)
    response = post_file(owner_client, case, upload("a.png", png_bytes()))
    assert response["Location"] == reverse("intake_about", args=[case.pk])
    assert not Evidence.objects.exists() and stored_files(private_media) == []


def test_the_evidence_page_lists_files_with_their_fingerprint(owner_client, case, stored_pdf):
    case.completed_steps = ["about", "debts", "budget", "hardship"]
    case.save()
    page = owner_client.get(reverse("intake_evidence", args=[case.pk])).content.decode()
    assert stored_pdf.sha256 in page
    assert reverse("evidence_download", args=[case.pk, stored_pdf.pk]) in page


# --- "What it proves": suggestions for the evidence kind chosen (issue 15) -------------------------------------


def proves_list(html: str) -> str:
    import re

    return re.search(r'<input[^>]*name="proves"[^>]*>', html).group(0)


def test_each_kind_has_its_own_proves_suggestions_and_the_default_comes_first():
    from cases.letters.labels import EVIDENCE, PROVES_SUGGESTIONS

    assert set(PROVES_SUGGESTIONS) == set(Evidence.Kind.values) == set(EVIDENCE)
    for kind, (_name, default) in EVIDENCE.items():
        assert PROVES_SUGGESTIONS[kind][0] == default
    assert "不当催收行为" not in PROVES_SUGGESTIONS["pay_slip"] and "收入情况" not in PROVES_SUGGESTIONS["misconduct"]


def test_the_page_lists_each_kinds_suggestions_and_points_the_field_at_the_chosen_kind(owner_client, case, debt):
    from cases.letters.labels import PROVES_SUGGESTIONS

    # A refused upload comes back with the panel, the kind chosen, and the field pointing at that kind's list.
    html = post_file(owner_client, case, upload("broken.pdf", b"%PDF-1.7\n" + b"garbage" * 50),
                     kind="medical").content.decode()
    for kind, texts in PROVES_SUGGESTIONS.items():
        start = html.index(f'<datalist id="proves-{kind}">')
        listed = html[start:html.index("</datalist>", start)]
        assert all(f'value="{text}"' in listed for text in texts)
    assert 'list="proves-medical"' in proves_list(html)
    assert "<script>" not in html  # CSP: the switching is static/js/intake.js's
    response = post_file(owner_client, case, upload("broken.pdf", b"%PDF-1.7\n" + b"x" * 50), kind="nonsense")
    assert response.status_code == 400 and not Evidence.objects.exists()
    assert 'list="proves-none"' in proves_list(response.content.decode())


def edit_url(case, item):
    return reverse("evidence_edit", args=[case.pk, item.pk])


def test_a_wrong_type_and_note_are_corrected_after_the_upload(owner_client, case, debt):
    post_file(owner_client, case, upload("账单.pdf", pdf_bytes()), kind="other")
    item = Evidence.objects.get(case=case)
    response = owner_client.post(edit_url(case, item), {"kind": "bill", "debt": str(debt.pk), "note": "8月账单"},
                                 HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.kind, item.debt_id, item.note) == ("bill", debt.pk, "8月账单")
    html = response.content.decode()
    files = html.split('id="files-title"', 1)[1].split("</h2>", 1)[1][:300]
    assert 'role="status"' in files and "账单.pdf" in files  # the notice stands by the list of files
    assert AuditEvent.objects.filter(action="evidence_changed").exists()


def test_correcting_the_type_keeps_what_it_proves_and_the_field_is_on_the_form(owner_client, case, debt):
    page = owner_client.post(reverse("evidence_upload", args=[case.pk]), {
        "kind": "other", "note": "", "proves": "我自2026年6月起住院", "file": upload("诊断书.pdf", pdf_bytes())},
        HTTP_HX_REQUEST="true").content.decode()  # the evidence panel, as the upload answers htmx
    item = Evidence.objects.get(case=case)
    details = page.split(f'action="{edit_url(case, item)}', 1)[1].split("</form>", 1)[0]
    field = re.search(r'<input[^>]*name="proves"[^>]*>', details).group(0)
    assert 'value="我自2026年6月起住院"' in field and 'list="proves-other"' in field
    # What the page's details form sends, the wording as it stands and only the kind changed.
    owner_client.post(edit_url(case, item), {"kind": "medical", "debt": "", "note": "", "proves": "我自2026年6月起住院"})
    item.refresh_from_db()
    assert (item.kind, item.proves) == ("medical", "我自2026年6月起住院")


def test_a_bad_correction_changes_nothing_and_shows_the_error_in_place(owner_client, case, debt):
    post_file(owner_client, case, upload("账单.pdf", pdf_bytes()), kind="other")
    item = Evidence.objects.get(case=case)
    response = owner_client.post(edit_url(case, item), {"kind": "not-a-kind", "note": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert f'href="#id_evidence{item.pk}_kind"' in response.content.decode()
    item.refresh_from_db()
    assert (item.kind, item.note) == ("other", "")


def test_a_stranger_cannot_correct_my_evidence(case, debt, stranger, owner_client):
    post_file(owner_client, case, upload("账单.pdf", pdf_bytes()), kind="other")
    item = Evidence.objects.get(case=case)
    stranger_client = Client()
    stranger_client.force_login(stranger)
    assert stranger_client.post(edit_url(case, item), {"kind": "bill"}).status_code == 404
    assert stranger_client.get(edit_url(case, item)).status_code in (404, 405)
    item.refresh_from_db()
    assert item.kind == "other"
