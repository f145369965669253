"""Issue 16, items 2 and 3: limits that keep one user from hurting others, and writes under concurrency.

Each test names the finding of the issue it reproduces.
"""

import contextlib
import ctypes
import io
import os
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.tasks import default_task_backend
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from cases.lenders import lender_slug
from cases.letters import pdf, render_worker, renders, versions
from cases.models import Case, Contact, Evidence, LetterRender

from ..factories import make_case, make_debt, make_user
from ..letters_fixtures import add_evidence, make_letter_case
from ..intake.test_evidence import post_file, upload

LENDER = lender_slug("重庆蚂蚁消费金融有限公司")  # make_letter_case's one lender


@pytest.fixture
def background_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "letters"]}}
    default_task_backend.clear()
    return default_task_backend


# --- Renders ------------------------------------------------------------------------------


def test_one_generate_and_fifteen_downloads_queue_one_render(owner_client, owner, background_tasks):
    """Finding: "1 generate + 15 GETs = 16 queued tasks"."""
    case = make_letter_case(owner)
    owner_client.post(reverse("letter_generate", args=[case.pk, "hardship_statement", LENDER]))
    letter = case.letters.get()
    for _ in range(15):
        response = owner_client.get(reverse("letter_pdf", args=[case.pk, "hardship_statement", LENDER, letter.version]))
        assert response.status_code == 302
    assert len(background_tasks.results) == 1
    assert LetterRender.objects.get().renders == 0
    from cases.tasks import render_letter_pdf

    render_letter_pdf.call(letter.pk)
    row = LetterRender.objects.get()
    assert row.renders == 1 and row.finished_at and row.error == ""
    assert owner_client.get(reverse("letter_pdf", args=[case.pk, "hardship_statement", LENDER, letter.version])).status_code == 200
    assert len(background_tasks.results) == 1


def test_a_render_lost_with_its_worker_is_queued_again_once(owner, background_tasks, settings):
    from datetime import timedelta

    case = make_letter_case(owner)
    letter = versions.generate(case, "hardship_statement")
    assert renders.pdf_or_queue(letter) is None
    an_hour_ago = LetterRender.objects.get().queued_at - timedelta(hours=1)
    # Still waiting behind other tasks an hour later: not lost, not queued twice.
    LetterRender.objects.update(queued_at=an_hour_ago)
    assert renders.pdf_or_queue(letter) is None
    assert len(background_tasks.results) == 1
    # Its run started an hour ago and never finished: the worker died with it.
    LetterRender.objects.update(started_at=an_hour_ago)
    assert renders.pdf_or_queue(letter) is None
    assert renders.pdf_or_queue(letter) is None
    assert len(background_tasks.results) == 2
    assert LetterRender.objects.get().task_id == str(background_tasks.results[1].id)


def test_a_render_queued_for_a_draft_refreshed_since_finishes_as_superseded(owner, background_tasks):
    from cases.tasks import render_letter_pdf

    case = make_letter_case(owner)
    letter = versions.generate(case, "hardship_statement")
    renders.pdf_or_queue(letter)
    case.hardship_actions += "另外已申请公益法律援助。"
    case.save()
    letter = versions.generate(case, "hardship_statement")  # the same draft, refreshed in place
    renders.pdf_or_queue(letter)
    for result in background_tasks.results:
        render_letter_pdf.call(*result.args, **result.kwargs)
    rows = {row.error: row for row in LetterRender.objects.all()}
    assert set(rows) == {"", "superseded"}
    assert all(row.finished_at and row.renders == 1 for row in rows.values())
    assert rows[""].attempts == 1 and rows["superseded"].attempts == 0
    assert versions.pdf_ready(letter)


def test_a_letter_over_the_page_limit_is_not_printed_and_says_why(owner_client, owner, settings,
                                                                    django_capture_on_commit_callbacks):
    """Finding: "1,003 entries: a collection complaint of 410 pages in 50 s and 495 MB"."""
    settings.LETTER_MAX_PAGES = 1
    case = make_letter_case(owner, what_happened="失业。" * 900)  # two pages and more
    with django_capture_on_commit_callbacks(execute=True):  # the request commits: its render is queued
        owner_client.post(reverse("letter_generate", args=[case.pk, "hardship_statement", LENDER]))
    letter = case.letters.get()
    assert not versions.pdf_ready(letter)
    assert LetterRender.objects.get().error.startswith("too_long:")
    response = owner_client.get(reverse("letter_pdf", args=[case.pk, "hardship_statement", LENDER, letter.version]),
                                HTTP_ACCEPT_LANGUAGE="en", follow=True)
    page = response.content.decode()
    assert "more than the 1 pages we print" in page and "evidence index" in page


def test_the_worker_renders_in_a_child_within_time_and_memory(owner, settings):
    settings.RENDER_IN_CHILD = True
    case = make_letter_case(owner)
    letter = versions.generate(case, "hardship_statement")
    data = render_worker.within_limits(pdf.render_pdf, versions.html_for(letter))
    assert data.startswith(b"%PDF")
    settings.RENDER_TIME_LIMIT = 1
    started = time.monotonic()
    with pytest.raises(render_worker.RenderLimitExceeded):
        render_worker._in_child(time.sleep, 30)
    assert time.monotonic() - started < 20  # cut at the 1 s limit, not after the 30 s sleep
    settings.RENDER_TIME_LIMIT = 60
    settings.RENDER_MEMORY_LIMIT = 300 * 1024 * 1024
    with pytest.raises(render_worker.RenderLimitExceeded):
        render_worker._in_child(bytearray, 600 * 1024 * 1024)


def _address_space() -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))


@contextlib.contextmanager
def _free_heap_taken():
    """Hold, until the block ends, the memory this process has freed but still maps.

    The forked child inherits that free heap inside its address space and can allocate from
    it without mapping more, so "this process's address space + 60 MB" would let it use
    60 MB plus whatever earlier tests in the run left free (CI: enough for the whole decode,
    the bundle was made). Taking the free chunks first leaves the child its 60 MB only.
    glibc's allocator: the sizes are reserved, not written, so this costs no memory."""
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in
                    "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]

    libc.mallinfo2.restype = MallInfo2
    held = []
    try:
        for size in (64 << 20, 16 << 20, 4 << 20, 1 << 20, 256 << 10, 64 << 10):
            while libc.mallinfo2().fordblks >= size:
                before, vm_before = libc.mallinfo2().fordblks, _address_space()
                block = libc.malloc(size)
                if _address_space() > vm_before or libc.mallinfo2().fordblks >= before:
                    libc.free(block)  # newly mapped, not taken from a free chunk: next size
                    break
                held.append(block)
        yield
    finally:
        for block in held:
            libc.free(block)


def _bundle_url(case, letter):
    return reverse("letter_bundle", args=[case.pk, letter.kind, LENDER, letter.version])


def test_the_evidence_bundle_is_merged_in_the_limited_child(owner_client, owner, settings):
    settings.RENDER_IN_CHILD = True
    case = make_letter_case(owner)
    index = versions.generate(case, "evidence_index")
    response = owner_client.get(_bundle_url(case, index))
    assert response.status_code == 200
    bundle = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    index_pages = len(PdfReader(versions.storage().open(pdf.ensure_pdf(index), "rb")).pages)
    assert len(bundle.pages) == index_pages + 2 + 1  # a two-page PDF and an image
    assert LetterRender.objects.get(bundle=True).error == ""


def test_a_bundle_over_the_memory_limit_fails_cleanly_and_stores_nothing(owner_client, owner, settings):
    """Finding: "four [80-megapixel PNGs] made a 5.4 s, 519 MB bundle" outside the render's limits."""
    settings.RENDER_IN_CHILD = True
    case = make_letter_case(owner)
    scan = io.BytesIO()
    Image.new("RGB", (6000, 6000), "white").save(scan, "PNG")  # 108 MB once decoded, a few hundred KB stored
    add_evidence(case, "medical", "病历扫描.png", scan.getvalue(), "image/png", pages=1)
    index = versions.generate(case, "evidence_index")
    pdf.ensure_pdf(index)  # the index alone renders within any limit
    with _free_heap_taken():
        settings.RENDER_MEMORY_LIMIT = _address_space() + 60 * 1024 * 1024
        response = owner_client.get(_bundle_url(case, index), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "The evidence bundle took too long or too much memory to make" in response.content.decode()
    assert not versions.pdf_ready(index, bundle=True)
    assert LetterRender.objects.get(bundle=True).error == "limit"
    stored = {path.name for path in settings.PRIVATE_MEDIA_ROOT.rglob("*") if path.is_file()}
    assert not any("bundle" in name for name in stored), stored
    assert versions.pdf_ready(index)  # the index itself is still there to download


def test_the_deploy_check_warns_about_the_immediate_backend_in_production(settings):
    from cases.checks import check_task_backend

    settings.DEBUG, settings.TASK_BACKEND = False, "immediate"
    assert [w.id for w in check_task_backend(None)] == ["cases.W007"]
    settings.TASK_BACKEND = "database"
    assert check_task_backend(None) == []


# --- Limits ------------------------------------------------------------------------------


def test_the_log_refuses_entries_past_the_limit(owner_client, owner, settings):
    """Finding: "no cap on log entries"."""
    settings.CASE_MAX_CONTACTS = 2
    case = make_case(owner)
    data = {"occurred_at": "2026-10-01T10:00", "channel": "hotline", "direction": "outgoing", "outcome": "info"}
    for n in range(3):
        response = owner_client.post(reverse("contact_add", args=[case.pk]), {**data, "notes": f"第{n}次"},
                                     HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "already has 2 entries" in response.content.decode()
    assert Contact.objects.filter(case=case).count() == 2


def _png(size, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def _noise_png() -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (330, 330), os.urandom(330 * 330 * 3)).save(out, format="PNG")
    return out.getvalue()


def test_a_one_bit_image_of_many_pixels_is_refused(owner_client, owner):
    """Finding: "80-megapixel 1-bit PNGs of ~10 KB are accepted"."""
    case = make_case(owner)
    make_debt(case)
    data = _png((9000, 9000), mode="1")  # 81 million pixels in a few kilobytes
    assert len(data) < 100_000
    response = post_file(owner_client, case, upload("scan.png", data))
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_evidence_files_are_limited_per_case_and_per_user(owner_client, owner, settings):
    """Finding: "the count of files is unlimited under the 200 MB quota"."""
    settings.CASE_MAX_EVIDENCE_FILES, settings.USER_MAX_EVIDENCE_FILES = 2, 3
    first, second = make_case(owner), make_case(owner)
    for case in (first, second):
        make_debt(case)
    for n in range(3):
        response = post_file(owner_client, first, upload(f"{n}.png", _png((10 + n, 10))))
    assert response.status_code == 400 and "already has 2 files" in response.content.decode()
    assert post_file(owner_client, second, upload("a.png", _png((20, 20)))).status_code == 302
    response = post_file(owner_client, second, upload("b.png", _png((21, 20))))
    assert response.status_code == 400 and "already hold 3 files" in response.content.decode()
    assert Evidence.objects.count() == 3


def test_cases_are_limited_per_user_and_per_hour(owner_client, owner, settings):
    """Finding: "POST /cases/new/ has no limit (30 cases in 1.3 s)"."""
    settings.USER_MAX_CASES, settings.USER_MAX_CASES_PER_HOUR = 5, 2
    for _ in range(3):
        response = owner_client.post(reverse("case_new"), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "You opened 2 cases in the last hour" in response.content.decode()
    assert Case.objects.filter(owner=owner).count() == 2
    Case.objects.update(created_at="2020-01-01T00:00:00Z")
    settings.USER_MAX_CASES_PER_HOUR = 10
    for _ in range(4):
        response = owner_client.post(reverse("case_new"), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "You already have 5 cases" in response.content.decode()
    assert Case.objects.filter(owner=owner).count() == 5


def test_a_huge_total_forms_is_refused_before_forms_are_built(owner_client, owner, settings):
    """Finding: "a debts formset with TOTAL_FORMS=10000 is refused only after ~4 s of CPU"."""
    case = make_case(owner, completed_steps=["about"])
    make_debt(case)
    response = owner_client.post(reverse("intake_debts", args=[case.pk]), {
        "version": case.version, "debts-TOTAL_FORMS": "10000", "debts-INITIAL_FORMS": "0",
        "debts-MIN_NUM_FORMS": "0", "debts-MAX_NUM_FORMS": "30"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    # Built forms, not seconds, are what the refusal saves (no timed assertion: the machine's load varies).
    assert len(response.context["formset"].forms) <= settings.FORMSET_MAX_FORMS
    assert "at most" in response.content.decode()
    assert case.debts.count() == 1


# --- Concurrency -------------------------------------------------------------------------


def test_a_stale_log_edit_is_refused_with_409_and_keeps_the_input(owner_client, owner):
    """Finding: "two tabs editing one log entry both succeed and the first edit is silently lost"."""
    case = make_case(owner)
    contact = Contact.objects.create(case=case, channel="hotline", direction="outgoing", outcome="info", notes="原来")
    url = reverse("contact_edit", args=[case.pk, contact.pk])
    data = {"occurred_at": "2026-10-01T10:00", "channel": "hotline", "direction": "outgoing", "outcome": "info",
            "version": contact.version}
    assert owner_client.post(url, {**data, "notes": "第一个标签页"}).status_code == 302
    response = owner_client.post(url, {**data, "notes": "第二个标签页"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    page = response.content.decode()
    assert "第二个标签页" in page and "changed in another tab" in page
    assert f'name="version" value="{contact.version + 1}"' in page
    contact.refresh_from_db()
    assert contact.notes == "第一个标签页"


def test_a_double_submit_makes_one_log_entry(owner_client, owner):
    """Finding: "a double submit creates two entries" (and feeds the repeated-calls flag)."""
    case = make_case(owner)
    page = owner_client.get(reverse("log", args=[case.pk])).content.decode()
    token = page.split('name="form_token" value="', 1)[1][:32]
    data = {"occurred_at": "2026-10-01T10:00", "channel": "collector_call", "direction": "incoming",
            "outcome": "info", "phone_number": "02112345678", "form_token": token}
    for _ in range(2):
        assert owner_client.post(reverse("contact_add", args=[case.pk]), data).status_code == 302
    assert Contact.objects.filter(case=case).count() == 1
    assert owner_client.post(reverse("contact_add", args=[case.pk]), {**data, "form_token": ""}).status_code == 302
    assert Contact.objects.filter(case=case).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: run with DATABASE_URL on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_stay_within_the_quota(settings, live_server):
    """Finding: "with a 1 MB quota, 10 parallel 327 KB uploads were all accepted (3.27 MB stored)"."""
    from django.test import Client

    settings.EVIDENCE_CASE_QUOTA_BYTES = 1024 * 1024
    owner = make_user("racer")
    case = make_case(owner)
    files = [_noise_png() for _ in range(10)]  # ~327 KB each: three fit in 1 MB
    barrier = threading.Barrier(10)
    statuses = []

    def one(data: bytes) -> None:
        client = Client()
        client.force_login(owner)
        barrier.wait()
        response = client.post(reverse("evidence_upload", args=[case.pk]),
                               {"kind": "bill", "file": upload("s.png", data)})
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=one, args=(data,)) for data in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = sum(Evidence.objects.filter(case=case).values_list("size", flat=True))
    assert stored <= settings.EVIDENCE_CASE_QUOTA_BYTES
    assert statuses.count(302) == Evidence.objects.filter(case=case).count() == 3


# --- Storage -----------------------------------------------------------------------------


def test_a_large_upload_spools_to_the_private_storage_and_check_storage_finds_leftovers(
        owner_client, owner, settings, private_media):
    """Finding: "a kill during an upload leaves the partial file in the system's temporary folder …
    and check_storage does not see it"."""
    from django.core.files.uploadhandler import load_handler
    from django.test import RequestFactory

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    handler = load_handler(settings.FILE_UPLOAD_HANDLERS[-1], RequestFactory().post("/"))
    handler.new_file("file", "x.pdf", "application/pdf", 5000)
    spooled = handler.file.temporary_file_path()
    assert os.path.dirname(spooled) == str(private_media / ".uploads")
    assert oct(os.stat(spooled).st_mode & 0o777) == "0o600"
    handler.file.close()  # a finished request's spooled file goes with it
    assert not os.path.exists(spooled)
    leftover = private_media / ".uploads" / "upload-killed.part"  # what a killed worker leaves
    leftover.write_bytes(b"half a file")
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_storage", stdout=out)
    assert failure.value.returncode == 1
    assert out.getvalue().strip() == "orphaned file: .uploads/upload-killed.part"


def test_an_upload_killed_between_file_and_row_is_journaled_and_cleaned(owner, private_media):
    """Found by bench/chaos.py: a gunicorn worker killed after storing an evidence file and before its
    row was inserted left a file no row named (2 in 5 minutes). The journal row names it now."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from cases.files import orphaned_files, save_upload
    from cases.models import PendingUpload

    case = make_case(owner)
    evidence = Evidence(case=case, kind="bill", original_name="a.png", size=3, content_type="image/png",
                        sha256="1" * 64)
    evidence.file = ContentFile(b"png", name="a.png")

    class Killed(BaseException):
        pass

    def die():
        raise Killed

    with pytest.raises(Killed):
        save_upload(evidence, "file", inside=die)
    assert not PendingUpload.objects.exists() and not Evidence.objects.exists()
    assert [p for p in private_media.rglob("*") if p.is_file()] == []  # an exception cleans up
    # What SIGKILL leaves (no exception handler runs): the journal row and its file.
    PendingUpload.objects.create(name=f"evidence/{case.pk}/killed", created_at=timezone.now() - timedelta(hours=2))
    (private_media / "evidence" / str(case.pk)).mkdir(parents=True, exist_ok=True)
    (private_media / "evidence" / str(case.pk) / "killed").write_bytes(b"half")
    assert orphaned_files() == []
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_storage", stdout=out)
    assert f"interrupted upload: evidence/{case.pk}/killed" in out.getvalue()
    call_command("check_storage", "--delete-orphans", stdout=io.StringIO())
    assert not PendingUpload.objects.exists()
    assert not (private_media / "evidence" / str(case.pk) / "killed").exists()
