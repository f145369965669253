"""A crash while uploading or rendering leaves no half-written file and no row
naming a missing file. Failures are injected where the outside world would fail:
the disk (a write that stops half-way with ENOSPC), the source of a file (a
connection that drops half-way), the database (a statement that errors) and the
PDF renderer (WeasyPrint raising). Tests marked ``storage`` run on the file system
and on object storage (tests/storage_fixtures.py)."""

import errno
import io
import os
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.core.files.storage import filesystem
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse

from cases.files import dangling_rows, orphaned_files
from cases.letters import pdf, versions
from cases.management.commands import check_storage
from cases.models import Evidence, Letter
from cases.uploads import upload_folder

from ..factories import make_debt, make_debtor
from ..intake_fixtures import pdf_bytes, png_bytes, upload
from ..letters_fixtures import make_letter_case
from ..storage_fixtures import BucketMedia


def files_in(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def assert_consistent():
    assert orphaned_files() == []
    assert dangling_rows() == []


class _HalfWrite:
    """A file on a disk that fills up half-way through the write."""

    def __init__(self, real):
        self.real = real

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self):
        self.real.close()


class _DiskFillsUp:
    def __getattr__(self, name):
        return getattr(os, name)

    def fdopen(self, fd, mode):
        return _HalfWrite(os.fdopen(fd, mode))


@pytest.fixture
def disk_full(monkeypatch):
    """Every write through the file-system storage stops half-way with ENOSPC."""
    monkeypatch.setattr(filesystem, "os", _DiskFillsUp())


class _SourceDrops(io.BytesIO):
    """A file whose source fails after ``good`` bytes: a connection that drops half-way."""

    def __init__(self, data: bytes, good: int):
        super().__init__(data)
        self.good = good

    def read(self, size=-1):
        if size is None or size < 0 or self.tell() + size > self.good:
            raise ConnectionResetError(errno.ECONNRESET, "the upload's source went away")
        return super().read(size)


@contextmanager
def failing_sql(prefix: str, error: Exception):
    """The database refuses statements that start with ``prefix`` (after the file was written)."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(prefix):
            raise error
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def debt(case):
    make_debtor(case)
    return make_debt(case)


def post_file(client, case, file):
    return client.post(reverse("evidence_upload", args=[case.pk]), {"kind": "bill", "note": "", "file": file},
                       HTTP_ACCEPT_LANGUAGE="en")


# --- the storage --------------------------------------------------------------

def test_a_write_that_fails_half_way_leaves_no_file(disk_full, private_media):
    with pytest.raises(OSError):
        storages["private"].save("letters/1/x.pdf", ContentFile(b"%PDF-" + b"x" * 10_000))
    assert files_in(private_media) == []


@pytest.mark.storage
@pytest.mark.parametrize("size", [200_000, 9 * 1024 * 1024], ids=["one-part", "multipart"])
def test_a_file_whose_source_fails_half_way_is_not_stored_at_all(media, size):
    # One part: past Django's 64 KiB chunk, so the first chunk is written before the source fails (10,000 bytes
    # failed on the first read: nothing was ever half-written). 9 MiB is past boto3's 8 MiB multipart threshold:
    # the first part is sent before the source fails.
    content = File(_SourceDrops(b"%PDF-" + b"x" * size, good=size - 100_000), name="x.pdf")
    with pytest.raises(OSError):
        storages["private"].save("letters/1/x.pdf", content)
    assert media.names() == []
    if isinstance(media, BucketMedia):
        assert media.unfinished_uploads() == []  # the parts sent were discarded, not left to pile up


@pytest.mark.storage
def test_a_stored_file_appears_whole_under_its_name_and_never_replaces_another(media):
    storage = storages["private"]
    first = storage.save("evidence/1/a", ContentFile(b"first"))
    second = storage.save("evidence/1/a", ContentFile(b"second"))
    assert first == "evidence/1/a" and second != first
    assert media.read(first) == b"first"
    assert media.read(second) == b"second"
    assert media.names() == sorted([first, second])  # no partial file left beside them


def test_a_stored_file_is_readable_by_its_owner_only(private_media):
    name = storages["private"].save("evidence/1/a", ContentFile(b"first"))
    assert oct((private_media / name).stat().st_mode & 0o777) == "0o600"


@pytest.mark.storage
def test_private_files_have_no_url(media):  # decision 002: files leave only through views that check who asks
    name = storages["private"].save("evidence/1/a", ContentFile(b"first"))
    with pytest.raises(ValueError, match="not accessible via a URL"):
        storages["private"].url(name)


# --- evidence upload ------------------------------------------------------------

def test_an_upload_on_a_full_disk_says_so_and_keeps_nothing(owner_client, case, debt, disk_full, private_media):
    response = post_file(owner_client, case, upload("bill.pdf", pdf_bytes()))
    assert response.status_code == 503
    assert "could not be stored" in response.content.decode()
    assert not Evidence.objects.exists()
    assert files_in(private_media) == []


@pytest.mark.storage
def test_an_upload_whose_row_cannot_be_saved_removes_the_written_file(owner_client, case, debt, media):
    # The double-click race: the twin's row wins after this file was already written.
    with failing_sql("INSERT INTO \"CASES_EVIDENCE\"", IntegrityError("UNIQUE constraint failed")):
        response = post_file(owner_client, case, upload("bill.png", png_bytes()))
    assert response.status_code == 400
    assert "already uploaded" in response.content.decode()
    assert not Evidence.objects.exists()
    assert media.names() == []


@pytest.mark.storage
def test_a_database_failure_during_upload_removes_the_written_file(owner_client, case, debt, media):
    with failing_sql("INSERT INTO \"CASES_EVIDENCE\"", OperationalError("server closed the connection")):
        with pytest.raises(OperationalError):
            post_file(owner_client, case, upload("bill.pdf", pdf_bytes()))
    assert not Evidence.objects.exists()
    assert media.names() == []
    # And the next try works.
    assert post_file(owner_client, case, upload("bill.pdf", pdf_bytes())).status_code == 302
    assert media.names() == [Evidence.objects.get().file.name]
    assert media.read(Evidence.objects.get().file.name) == pdf_bytes()
    assert_consistent()


@pytest.mark.storage
def test_an_upload_the_storage_refuses_says_so_and_keeps_nothing(owner_client, case, debt, media, settings):
    if isinstance(media, BucketMedia):
        missing = {**settings.STORAGES["private"]["OPTIONS"], "bucket_name": "neg-test-no-such-bucket"}
        private = {**settings.STORAGES["private"], "OPTIONS": missing}
    else:
        blocked = media.root.parent / "not-a-folder"
        blocked.write_bytes(b"")
        private = {**settings.STORAGES["private"], "OPTIONS": {"location": blocked, "base_url": None}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    response = post_file(owner_client, case, upload("bill.pdf", pdf_bytes()))
    assert response.status_code == 503
    assert "could not be stored" in response.content.decode()
    assert not Evidence.objects.exists()
    assert media.names() == []


@pytest.mark.storage("s3")
def test_an_upload_while_object_storage_is_unreachable_says_so_and_keeps_nothing(owner_client, case, debt, settings):
    unreachable = {**settings.STORAGES["private"]["OPTIONS"], "endpoint_url": "http://127.0.0.1:1"}  # nothing listens
    settings.STORAGES = {**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": unreachable}}
    response = post_file(owner_client, case, upload("bill.pdf", pdf_bytes()))
    assert response.status_code == 503
    assert "could not be stored" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.storage
def test_deleting_evidence_whose_row_cannot_be_deleted_keeps_the_file(owner_client, case, debt, media):
    post_file(owner_client, case, upload("bill.png", png_bytes()))
    evidence = Evidence.objects.get()
    with failing_sql("DELETE FROM \"CASES_EVIDENCE\"", OperationalError("deadlock detected")):
        with pytest.raises(OperationalError):
            owner_client.post(reverse("evidence_delete", args=[case.pk, evidence.pk]))
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert_consistent()


# --- letter PDFs ------------------------------------------------------------------

@pytest.fixture
def letter(owner):
    case = make_letter_case(owner, with_evidence=False)
    return versions.generate(case, "hardship_statement")


@pytest.mark.storage
def test_a_renderer_crash_stores_nothing_and_names_nothing(letter, monkeypatch, media):
    from weasyprint import Document

    def crash(*args, **kwargs):
        raise RuntimeError("renderer died")

    monkeypatch.setattr(Document, "write_pdf", crash)
    with pytest.raises(RuntimeError):
        pdf.ensure_pdf(letter)
    letter.refresh_from_db()
    assert letter.pdf.name == ""
    assert media.names() == []
    assert not versions.pdf_ready(letter)


def test_a_pdf_cut_short_by_a_full_disk_is_never_cached_or_served(letter, disk_full, monkeypatch, private_media):
    with pytest.raises(OSError):
        pdf.ensure_pdf(letter)
    letter.refresh_from_db()
    assert letter.pdf.name == ""
    assert files_in(private_media) == []
    assert not versions.pdf_ready(letter)

    monkeypatch.undo()  # space again: the next render stores a whole PDF
    name = pdf.ensure_pdf(letter)
    letter.refresh_from_db()
    assert letter.pdf.name == name
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(letter.pdf.read())).pages) >= 1
    assert_consistent()


@pytest.mark.storage
def test_a_database_failure_after_the_pdf_is_stored_leaves_a_usable_cache(letter, media):
    with failing_sql("UPDATE \"CASES_LETTER\"", OperationalError("server closed the connection")):
        with pytest.raises(OperationalError), transaction.atomic():  # the worker's own transaction
            pdf.ensure_pdf(letter)
    letter.refresh_from_db()
    assert letter.pdf.name == ""
    assert media.names() == [versions.pdf_name(letter)]
    # The stored PDF belongs to the version by its content: not an orphan, and reused without rendering again.
    assert_consistent()
    before = pdf.RENDER_COUNT
    assert pdf.ensure_pdf(letter) == versions.pdf_name(letter)
    assert pdf.RENDER_COUNT == before
    letter.refresh_from_db()
    assert letter.pdf.name == versions.pdf_name(letter)


@pytest.mark.storage
def test_a_letter_deleted_while_its_pdf_renders_leaves_no_file(letter, media):
    stale = Letter.objects.get(pk=letter.pk)  # what the worker loaded
    Letter.objects.filter(pk=letter.pk).delete()
    with pytest.raises(Letter.DoesNotExist):
        pdf.ensure_pdf(stale)
    assert media.names() == []


@pytest.mark.storage
def test_refreshing_a_draft_removes_the_pdfs_of_its_old_content(letter, media,
                                                                 django_capture_on_commit_callbacks):
    old = pdf.ensure_pdf(letter)
    case = letter.case
    case.debtor.name = "王小明"
    case.debtor.save()
    with django_capture_on_commit_callbacks(execute=True):
        refreshed = versions.generate(case, "hardship_statement")
    assert refreshed.pk == letter.pk and refreshed.content_hash != letter.content_hash
    assert media.exists(old) is False
    assert_consistent()


@pytest.mark.storage
def test_a_submitted_version_keeps_its_pdf_when_a_new_version_follows(letter, media,
                                                                      django_capture_on_commit_callbacks):
    old = pdf.ensure_pdf(letter)
    letter.submit_for_review()
    case = letter.case
    case.debtor.name = "王小明"
    case.debtor.save()
    with django_capture_on_commit_callbacks(execute=True):
        newer = versions.generate(case, "hardship_statement")
    assert newer.version == letter.version + 1
    assert media.exists(old)
    assert_consistent()


# --- the consistency checks themselves ------------------------------------------------

@pytest.mark.storage
def test_the_checks_find_orphans_partial_writes_and_rows_without_files(owner_client, case, debt, media):
    post_file(owner_client, case, upload("bill.png", png_bytes()))
    evidence = Evidence.objects.get()
    assert_consistent()
    media.put(f"evidence/{case.pk}/stray", b"x")
    media.put("letters/9/.partial-0123", b"%PDF")
    media.remove(evidence.file.name)
    assert orphaned_files() == [f"evidence/{case.pk}/stray", "letters/9/.partial-0123"]
    assert dangling_rows() == [f"evidence:{evidence.pk} {evidence.file.name}"]


@pytest.mark.storage
def test_check_storage_command_reports_problems_and_fails(case, debt, media, capsys):
    call_command("check_storage")
    assert "consistent" in capsys.readouterr().out
    media.put("evidence/stray", b"x")
    with pytest.raises(CommandError) as error:
        call_command("check_storage")
    assert error.value.returncode == 1
    assert "evidence/stray" in capsys.readouterr().out


def test_check_storage_deletes_only_orphans_old_enough_to_be_no_upload_in_progress(case, private_media, capsys):
    folder = private_media / "evidence" / str(case.pk)
    folder.mkdir(parents=True)
    (folder / "old").write_bytes(b"x")
    (folder / "new").write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(folder / "old", (two_hours_ago, two_hours_ago))
    with pytest.raises(CommandError):
        call_command("check_storage", "--delete-orphans")
    out = capsys.readouterr().out
    assert f"deleted orphaned file: evidence/{case.pk}/old" in out
    assert f"orphaned file: evidence/{case.pk}/new" in out
    assert files_in(private_media) == [f"evidence/{case.pk}/new"]


@pytest.mark.storage("s3")  # the test above, for a bucket
def test_check_storage_deletes_only_objects_old_enough_to_be_no_upload_in_progress(case, media, monkeypatch, capsys):
    # An object's time is the server's and cannot be set back: the age limit is brought forward
    # instead, with seconds to spare for the command's own run (object times have whole seconds).
    monkeypatch.setattr(check_storage, "ORPHAN_MIN_AGE", timedelta(seconds=4))
    media.put(f"evidence/{case.pk}/old", b"x")
    time.sleep(5.5)
    media.put(f"evidence/{case.pk}/new", b"x")
    with pytest.raises(CommandError):
        call_command("check_storage", "--delete-orphans")
    out = capsys.readouterr().out
    assert f"deleted orphaned file: evidence/{case.pk}/old" in out
    assert f"orphaned file: evidence/{case.pk}/new" in out
    assert media.names() == [f"evidence/{case.pk}/new"]


@pytest.mark.storage
def test_large_uploads_spool_beside_a_folder_or_to_the_machines_temporary_folder(media, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    if isinstance(media, BucketMedia):  # never a relative ".uploads" in whatever folder the server started in
        assert upload_folder() == settings.FILE_UPLOAD_TEMP_DIR
    else:
        assert upload_folder() == str(media.root / ".uploads")


@pytest.mark.storage
def test_a_large_upload_spooled_to_a_temporary_file_is_stored_whole(owner_client, case, debt, media):
    content = pdf_bytes() + b"\n%" + b"x" * (3 * 1024 * 1024)  # over FILE_UPLOAD_MAX_MEMORY_SIZE: a temporary file
    assert post_file(owner_client, case, upload("statement.pdf", content)).status_code == 302
    evidence = Evidence.objects.get()
    assert media.names() == [evidence.file.name]
    assert media.read(evidence.file.name) == content
    assert_consistent()
