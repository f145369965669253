import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory

from cases.files import SAFE_INLINE_TYPES, serve_private_file
from cases.models import Evidence


@pytest.fixture
def stored(private_media):
    def store(content: bytes, name: str = "evidence/1/abcdef") -> FieldFile:
        storage = storages["private"]
        storage.save(name, ContentFile(content))
        return FieldFile(Evidence(), _field_with(storage), name)

    return store


def _field_with(storage):
    field = Evidence._meta.get_field("file").clone()
    field.storage = storage
    return field


def _serve(fieldfile, filename, content_type, inline=SAFE_INLINE_TYPES):
    request = RequestFactory().get("/")
    return serve_private_file(request, fieldfile, filename, content_type, inline=inline)


@pytest.mark.storage
def test_a_stored_file_is_served_from_the_storage(stored):
    response = _serve(stored(b"%PDF-1.4 data"), "工资单.pdf", "application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 data"


@pytest.mark.parametrize("content_type", ["application/pdf", "image/jpeg", "image/png", "image/webp"])
def test_safe_types_are_shown_inline(stored, content_type):
    response = _serve(stored(b"data"), "工资单.pdf", content_type)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"data"


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/x-msdownload", ""])
def test_everything_else_is_a_download_that_cannot_be_sniffed(stored, content_type):
    response = _serve(stored(b"<script>alert(1)</script>"), "page.html", content_type)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_user_sees_the_original_name_never_the_storage_path(stored, private_media):
    response = _serve(stored(b"x", "evidence/7/0123456789abcdef"), "银行流水 2026.pdf", "application/pdf")
    headers = str(response.headers)
    assert "0123456789abcdef" not in headers
    assert str(private_media) not in headers
    assert "filename*=utf-8''%E9%93%B6" in response["Content-Disposition"]


def test_files_may_be_framed_only_by_our_own_pages_and_run_nothing(stored, owner_client, settings):
    from django.urls import path

    from cases.urls import urlpatterns

    fieldfile = stored(b"%PDF-1.4")
    view = lambda request: serve_private_file(request, fieldfile, "a.pdf", "application/pdf")  # noqa: E731
    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [*urlpatterns, path("t/file/", view)]})
    response = owner_client.get("/t/file/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "script-src" not in csp
    assert response["Cache-Control"] == "private, no-store"
    # A page keeps the site's policy; a file gets its own, which loads nothing.
    page = owner_client.get("/dashboard/")
    assert "default-src 'self'" in page["Content-Security-Policy"]


@pytest.mark.storage
def test_a_missing_file_is_a_404(stored, media):
    fieldfile = stored(b"x", "evidence/1/gone")
    media.remove("evidence/1/gone")
    with pytest.raises(Http404):
        _serve(fieldfile, "a.pdf", "application/pdf")


def test_an_empty_field_is_a_404(db):
    with pytest.raises(Http404):
        _serve(Evidence().file, "a.pdf", "application/pdf")
