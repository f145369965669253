"""Running a letter render in the worker within limits, once per queued ``LetterRender``
(issue 16; queueing: ``letters.renders``).

In the worker (any backend but the immediate one, which is for development) the
render itself, and an evidence bundle's merge, runs in a forked child with an address-space limit
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
from django.db.models import F
from django.utils import timezone

from ..models import Letter, LetterRender
from .pdf import LetterTooLong, ensure_pdf
from .stored import pdf_name, storage

TOO_LONG = "too_long"
LIMIT = "limit"
FAILED = "failed"
# The draft was refreshed with new content before its render ran: nothing to render for this name.
SUPERSEDED = "superseded"


class RenderLimitExceeded(Exception):
    """The child render ran out of time or memory, or died."""


def run_render(letter_id: int, bundle: bool = False, name: str = "") -> str:
    """The task's body: render (unless another run already did) and record the outcome.
    ``name`` is the PDF the task was queued for; a draft refreshed since then has a new one."""
    letter = Letter.objects.get(pk=letter_id)
    current = pdf_name(letter, bundle=bundle)
    if name and name != current:
        LetterRender.objects.filter(name=name, finished_at__isnull=True).update(
            finished_at=timezone.now(), renders=F("renders") + 1, error=SUPERSEDED)
        return ""
    name = current
    rows = LetterRender.objects.filter(name=name)
    if rows.filter(finished_at__isnull=False).exists() and storage().exists(name):
        return name  # a lost run queued again, while the first one finished after all
    rows.update(started_at=timezone.now(), attempts=F("attempts") + 1)
    error = ""
    try:
        return ensure_pdf(letter, bundle=bundle, within=within_limits)
    except Letter.DoesNotExist:
        error = SUPERSEDED  # the draft was refreshed (or deleted) while this rendered
        return ""
    except LetterTooLong as exc:
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


def within_limits(func, *args):
    """``func(*args)`` (a letter's render, a bundle's merge) in a forked child under the time
    and memory limits; with the immediate backend (development, tests) in this process."""
    if settings.TASK_BACKEND == "immediate" and not getattr(settings, "RENDER_IN_CHILD", False):
        return func(*args)
    return _in_child(func, *args)


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
