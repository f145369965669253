"""Upload bombs: small files that would cost huge memory or time once opened are
refused with a clear message, quickly, and nothing is stored."""

import io
import struct
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Evidence
from cases.intake import vault
from cases.intake.vault import MAX_PDF_PAGES

from ..factories import make_debt, make_debtor
from ..intake_fixtures import bomb_png_bytes, jpeg_bytes, upload


@pytest.fixture
def debt(case):
    make_debtor(case)
    return make_debt(case)


def post_file(client, case, name, content):
    return client.post(reverse("evidence_upload", args=[case.pk]),
                       {"kind": "bill", "note": "", "file": upload(name, content)}, HTTP_ACCEPT_LANGUAGE="en")


def assert_refused(response, message, private_media):
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    assert [p for p in private_media.rglob("*") if p.is_file()] == []


def zip_bomb() -> bytes:
    """About 20 KB that unpacks to 20 MB of zeros (a real bomb nests such archives)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("statement.pdf", bytes(20 * 1024 * 1024))
    return out.getvalue()


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table; object 1 is the catalog."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def pdf_with_pages(pages: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % number for number in range(3, 3 + pages))
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages, *[PAGE] * pages])


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(jpeg_bytes())
    sof = data.index(b"\xff\xc0")  # baseline frame header: length, precision, height, width
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_a_zip_bomb_is_refused_unopened(owner_client, case, debt, private_media):
    # By its content type, before anything unpacks it (no timed assertion: the machine's load varies).
    response = post_file(owner_client, case, "statement.pdf", zip_bomb())
    assert_refused(response, "This kind of file is not accepted", private_media)


def test_an_image_claiming_100000_by_100000_pixels_is_refused(owner_client, case, debt, private_media):
    response = post_file(owner_client, case, "photo.png", bomb_png_bytes(100_000, 100_000))
    assert_refused(response, "too large in pixels", private_media)


def test_a_jpeg_claiming_65000_by_65000_pixels_is_refused(owner_client, case, debt, private_media):
    response = post_file(owner_client, case, "photo.jpg", jpeg_claiming(65_000, 65_000))
    assert_refused(response, "too large in pixels", private_media)


def test_a_pdf_with_too_many_pages_is_refused_without_reading_every_page(owner_client, case, debt, private_media):
    content = pdf_with_pages(5 * MAX_PDF_PAGES)
    response = post_file(owner_client, case, "statement.pdf", content)
    assert_refused(response, f"more than {MAX_PDF_PAGES} pages", private_media)
    # The walk stops at the first page past the limit (work, not seconds: no timed assertion).
    reader = PdfReader(io.BytesIO(content))
    resolved = []
    original = reader.get_object
    reader.get_object = lambda ref: resolved.append(ref) or original(ref)
    with pytest.raises(vault.TooManyPages):
        vault._count_pages(reader)
    assert MAX_PDF_PAGES < len(resolved) <= MAX_PDF_PAGES + 10  # of the 5,000 pages, no more than it must


def test_a_pdf_at_the_page_limit_is_accepted_with_its_count(owner_client, case, debt):
    assert post_file(owner_client, case, "statement.pdf", pdf_with_pages(MAX_PDF_PAGES)).status_code == 302
    assert Evidence.objects.get().pages == MAX_PDF_PAGES


def test_a_pdf_whose_page_count_lies_is_counted_by_its_pages(owner_client, case, debt):
    content = pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>",
                        b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>", PAGE])
    assert post_file(owner_client, case, "bill.pdf", content).status_code == 302
    assert Evidence.objects.get().pages == 1


def test_a_pdf_whose_page_tree_loops_is_refused(owner_client, case, debt, private_media):
    content = pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>",
                        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"])
    assert_refused(post_file(owner_client, case, "bill.pdf", content), "could not be opened", private_media)


def test_a_pdf_with_deeply_nested_objects_is_refused(owner_client, case, debt, private_media):
    depth = 100_000
    content = pdf_file([b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>",
                        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE])
    assert_refused(post_file(owner_client, case, "bill.pdf", content), "could not be opened", private_media)
