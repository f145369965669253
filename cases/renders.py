"""Queueing letter renders once, and running them within limits (issue 16).

A PDF is asked for by the letter page, the download link, the admin and the
status poll; before it exists every one of them used to enqueue a render (one
generate + 15 GETs = 16 tasks). Here a ``LetterRender`` row per stored PDF name
(unique) says it is queued: only the request that creates the row enqueues. A
row queued ``RENDER_REQUEUE_AFTER`` ago and still not finished was lost (the
worker was killed with it), and the first request to notice queues it again.

In the worker (any backend but the immediate one, which is for development) the
render itself runs in a forked child with an address-space limit
(``RENDER_MEMORY_LIMIT``) and is killed after ``RENDER_TIME_LIMIT`` seconds: one
letter cannot take the worker's memory or time from everyone else's.
"""

import os
import pickle
import resource
import select
import signal
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .letters import documents
from .models import Letter, LetterRender

TOO_LONG = "too_long"
LIMIT = "limit"
FAILED = "failed"
# The draft was refreshed with new content before its render ran: nothing to render for this name.
SUPERSEDED = "superseded"


class RenderLimitExceeded(Exception):
    """The child render ran out of time or memory, or died."""


def _queue(letter: Letter, name: str, *, bundle: bool) -> None:
    from .tasks import render_letter_pdf

    now = timezone.now()
    try:
        with transaction.atomic():
            LetterRender.objects.create(name=name, letter=letter, bundle=bundle, queued_at=now)
        # The same draft's earlier content will never be asked for again: its unfinished render
        # (queued, or lost with a killed worker) is over, not pending for ever.
        LetterRender.objects.filter(letter=letter, bundle=bundle, finished_at__isnull=True).exclude(name=name).update(
            finished_at=now, renders=F("renders") + 1, error=SUPERSEDED)
    except IntegrityError:
        # Queued before: again only if that run was lost (its worker was killed), ended without
        # a file that should be there (a refreshed draft's PDFs are dropped, and its old content
        # may come back), or failed unexpectedly a while ago. A letter refused as too long or
        # over the limits stays refused: the same content would be refused again.
        stale = now - settings.RENDER_REQUEUE_AFTER
        row = LetterRender.objects.filter(name=name).values("queued_at", "started_at", "finished_at", "task_id").first()
        if row is None or (row["finished_at"] is None and not _lost(row, stale)):
            return  # still waiting in the queue, or rendering: asking again adds nothing
        gone = Q(finished_at__isnull=False, error__in=["", SUPERSEDED])
        failed = Q(finished_at__lt=stale, error=FAILED)
        # Conditional on the row as read: of two requests noticing at once, one queues it.
        again = LetterRender.objects.filter(Q(name=name, queued_at=row["queued_at"]) & (
            Q(finished_at__isnull=True) | gone | failed)).update(
            queued_at=now, started_at=None, finished_at=None, error="", letter=letter, renders=0)
        if not again:
            return
    result = render_letter_pdf.enqueue(letter.pk, bundle=bundle, name=name)
    LetterRender.objects.filter(name=name).update(task_id=str(result.id))


def _lost(row: dict, stale) -> bool:
    """An unfinished render is lost when its run started long ago (the worker was killed while
    rendering), or when it was queued long ago and its task is no longer waiting (killed before
    it marked the row). A task still waiting behind others is not lost, however long the queue."""
    if row["started_at"] is not None:
        return row["started_at"] < stale
    if row["queued_at"] >= stale:
        return False
    from django.tasks import default_task_backend
    from django.tasks.base import TaskResultStatus

    try:
        status = default_task_backend.get_result(row["task_id"]).status
    except Exception:  # noqa: BLE001 - no such task (pruned, another backend): nothing will run it
        return True
    return status != TaskResultStatus.READY


def pdf_or_queue(letter: Letter, *, bundle: bool = False) -> str | None:
    """The stored PDF's name if it exists; otherwise its render is queued (once) and None,
    unless the immediate backend rendered it on the spot."""
    name = documents.pdf_name(letter, bundle=bundle)
    storage = documents.storage()
    if storage.exists(name):
        return name
    _queue(letter, name, bundle=bundle)
    return name if storage.exists(name) else None


def failure(letter: Letter, *, bundle: bool = False) -> str:
    """Why this version's PDF was not made, in words for the user; "" if it was not refused."""
    row = (LetterRender.objects.filter(name=documents.pdf_name(letter, bundle=bundle))
           .exclude(error="").values("error").first())
    if row is None:
        return ""
    code, _sep, detail = row["error"].partition(":")
    if code == TOO_LONG:
        pages = int(detail or 0)
        return ngettext(
            "This letter would run to %(pages)d page, more than the %(limit)d pages we print.",
            "This letter would run to %(pages)d pages, more than the %(limit)d pages we print.", pages,
        ) % {"pages": pages, "limit": settings.LETTER_MAX_PAGES} + " " + _(
            "Keep the letter to the main facts and list the rest in the evidence index "
            "(the “Evidence index” letter), which can carry the documents themselves.")
    if code == LIMIT:
        return _("This letter took too long or too much memory to print. Shorten the log or the "
                 "evidence it lists, or try again later.")
    return _("The PDF could not be made. Please try again later.")


def run_render(letter_id: int, bundle: bool = False, name: str = "") -> str:
    """The task's body: render (unless another run already did) and record the outcome.
    ``name`` is the PDF the task was queued for; a draft refreshed since then has a new one."""
    letter = Letter.objects.get(pk=letter_id)
    current = documents.pdf_name(letter, bundle=bundle)
    if name and name != current:
        LetterRender.objects.filter(name=name, finished_at__isnull=True).update(
            finished_at=timezone.now(), renders=F("renders") + 1, error=SUPERSEDED)
        return ""
    name = current
    rows = LetterRender.objects.filter(name=name)
    if rows.filter(finished_at__isnull=False).exists() and documents.storage().exists(name):
        return name  # a lost run queued again, while the first one finished after all
    rows.update(started_at=timezone.now(), attempts=F("attempts") + 1)
    error = ""
    try:
        return documents.ensure_pdf(letter, bundle=bundle, render=limited_render)
    except Letter.DoesNotExist:
        error = SUPERSEDED  # the draft was refreshed (or deleted) while this rendered
        return ""
    except documents.LetterTooLong as exc:
        error = f"{TOO_LONG}:{exc.pages}"
        raise
    except RenderLimitExceeded:
        error = LIMIT
        raise
    except Exception:
        error = FAILED
        raise
    finally:
        # Counted only by the run that finishes the row, so a row rendered twice would show 2.
        rows.filter(finished_at__isnull=True).update(finished_at=timezone.now(), renders=F("renders") + 1,
                                                     error=error)


def limited_render(html: str) -> bytes:
    """``documents.render_pdf`` in a forked child under the time and memory limits; with the
    immediate backend (development, tests) in this process."""
    if settings.TASK_BACKEND == "immediate" and not getattr(settings, "RENDER_IN_CHILD", False):
        return documents.render_pdf(html)
    return _in_child(documents.render_pdf, html)


def _in_child(func, *args):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never touches the database
        os.close(read_end)
        code = 0
        try:
            signal.alarm(settings.RENDER_TIME_LIMIT + 1)
            limit = settings.RENDER_MEMORY_LIMIT
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            try:
                payload = pickle.dumps((True, func(*args)))
            except BaseException as exc:  # noqa: BLE001 - handed to the parent
                payload = pickle.dumps((False, exc if _picklable(exc) else RuntimeError(repr(exc))))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    deadline = time.monotonic() + settings.RENDER_TIME_LIMIT
    chunks = []
    try:
        with os.fdopen(read_end, "rb") as source:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    os.kill(pid, signal.SIGKILL)
                    raise RenderLimitExceeded("time")
                ready, _w, _x = select.select([source], [], [], left)
                if not ready:
                    continue
                chunk = os.read(source.fileno(), 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        _pid, status = os.waitpid(pid, 0)
    if not chunks or os.waitstatus_to_exitcode(status) != 0:
        raise RenderLimitExceeded("memory or crash")
    ok, value = pickle.loads(b"".join(chunks))
    if ok:
        return value
    if isinstance(value, MemoryError):
        raise RenderLimitExceeded("memory")
    raise value


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001
        return False
    return True
