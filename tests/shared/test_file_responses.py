"""Every view that sends a stored file goes through cases.files.serve_private_file:
nosniff, no-store, a policy of its own, and a download unless it is a photo (or,
for the reviewers' preview, a PDF)."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from cases.letters import versions

from ..letters_fixtures import add_evidence, tiny_pdf, tiny_png
from ..review_fixtures import make_letter, reviewer_client, reviewers_group, group_reviewer  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + bytes(400)


@pytest.fixture
def files(case):
    evidence = {
        "png": add_evidence(case, "bill", "工资单.png", tiny_png(), "image/png"),
        "pdf": add_evidence(case, "bill", "账单.pdf", tiny_pdf(1), "application/pdf", pages=1),
        "mp3": add_evidence(case, "call_recording", "录音.mp3", MP3, "audio/mpeg"),
        "html": add_evidence(case, "other", "page.html", b"<script>alert(1)</script>", "text/html"),
    }
    letter = make_letter(case, kind="evidence_index")
    storage = storages["private"]
    storage.save(versions.pdf_name(letter), ContentFile(tiny_pdf(1)))
    storage.save(versions.pdf_name(letter, bundle=True), ContentFile(tiny_pdf(2)))
    letter.pdf.name = versions.pdf_name(letter)
    letter.save(update_fields=["pdf"])
    return case, evidence, letter


def _owner_urls(case, evidence, letter):
    letter_args = list(letter.url_args)
    return [
        ("evidence png", reverse("evidence_download", args=[case.pk, evidence["png"].pk]), "inline", "image/png"),
        ("evidence pdf", reverse("evidence_download", args=[case.pk, evidence["pdf"].pk]), "attachment",
         "application/pdf"),
        ("evidence mp3", reverse("evidence_download", args=[case.pk, evidence["mp3"].pk]), "attachment", "audio/mpeg"),
        ("evidence html", reverse("evidence_download", args=[case.pk, evidence["html"].pk]), "attachment",
         "application/octet-stream"),
        ("letter pdf", reverse("letter_pdf", args=letter_args), "attachment", "application/pdf"),
        ("letter bundle", reverse("letter_bundle", args=letter_args), "attachment", "application/pdf"),
    ]


def _admin_urls(case, evidence, letter):
    def file_url(item):
        return reverse("admin:cases_case_evidence_file", args=[case.pk, item.pk])

    return [
        ("admin png", file_url(evidence["png"]), "inline", "image/png"),
        ("admin pdf", file_url(evidence["pdf"]), "inline", "application/pdf"),
        ("admin mp3", file_url(evidence["mp3"]), "attachment", "audio/mpeg"),
        ("admin html", file_url(evidence["html"]), "attachment", "application/octet-stream"),
        ("admin letter pdf", reverse("admin:cases_case_letter_pdf", args=[case.pk, letter.pk]), "inline",
         "application/pdf"),
        ("staff evidence html", reverse("evidence_download", args=[case.pk, evidence["html"].pk]), "attachment",
         "application/octet-stream"),
    ]


def assert_served_safely(what, response, disposition, content_type):
    assert response.status_code == 200, what
    assert response["Content-Disposition"].startswith(disposition), what
    assert response["Content-Type"] == content_type, what
    assert response["X-Content-Type-Options"] == "nosniff", what
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}, what
    csp = response["Content-Security-Policy"]
    if disposition == "inline" and content_type == "application/pdf":
        assert csp == "frame-ancestors 'self'", what  # Chrome's PDF viewer needs the rest
    else:
        assert "default-src 'none'" in csp and "sandbox" in csp, what
    assert "script-src" not in csp, what


def test_the_owners_files_are_served_safely(owner_client, files):
    for what, url, disposition, content_type in _owner_urls(*files):
        assert_served_safely(what, owner_client.get(url), disposition, content_type)


def test_the_reviewers_files_are_served_safely(reviewer_client, files):  # noqa: F811
    for what, url, disposition, content_type in _admin_urls(*files):
        assert_served_safely(what, reviewer_client.get(url), disposition, content_type)


def test_the_data_export_is_a_download_served_safely(owner_client, files):
    response = owner_client.post(reverse("account_export"))
    assert_served_safely("export", response, "attachment", "application/zip")


def test_a_file_missing_from_storage_is_a_404_not_a_crash(owner_client, reviewer_client, files):  # noqa: F811
    case, evidence, letter = files
    storages["private"].delete(evidence["png"].file.name)
    storages["private"].delete(letter.pdf.name)
    assert owner_client.get(reverse("evidence_download", args=[case.pk, evidence["png"].pk])).status_code == 404
    assert reviewer_client.get(
        reverse("admin:cases_case_letter_pdf", args=[case.pk, letter.pk])).status_code == 404


def test_no_view_builds_a_file_response_of_its_own():
    offenders = [
        str(path.relative_to(ROOT)) for path in (ROOT / "cases").rglob("*.py")
        if path.name != "files.py" and re.search(r"\bFileResponse\(", path.read_text())
    ]
    assert offenders == []
