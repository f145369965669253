"""Queueing letter renders once (issue 16; the worker's side: ``letters.render_worker``).

A render is queued when a version is written or approved (``queue_render``, issue 21)
on the task queue ``letters`` (``tasks.LETTERS_QUEUE``), which has workers of its
own in production so that renders never hold up other tasks (docs/deploy.md §5).

A PDF is asked for by the letter page, the download link, the admin and the
status poll; before it exists every one of them used to enqueue a render (one
generate + 15 GETs = 16 tasks). Here a ``LetterRender`` row per stored PDF name
(unique) says it is queued: only the request that creates the row enqueues. A
row queued ``RENDER_REQUEUE_AFTER`` ago and still not finished was lost (the
worker was killed with it), and the first request to notice queues it again.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import default_task_backend
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Letter, LetterRender
from ..tasks import render_letter_pdf
from .render_worker import FAILED, LIMIT, SUPERSEDED, TOO_LONG
from .stored import pdf_name, pdf_recorded, storage


def _queue(letter: Letter, name: str, *, bundle: bool) -> None:
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
    try:
        status = default_task_backend.get_result(row["task_id"]).status
    except Exception:  # noqa: BLE001 - no such task (pruned, another backend): nothing will run it
        return True
    return status != TaskResultStatus.READY


def queue_render(letter: Letter) -> None:
    """Queue this version's PDF (draft or final, whichever it prints as now) unless it is stored
    or queued already: called as soon as a version is written or approved (issue 21), so the PDF
    is ready before anyone asks for it. The immediate backend (development) renders it here."""
    pdf_or_queue(letter)


def pdf_or_queue(letter: Letter, *, bundle: bool = False) -> str | None:
    """The stored PDF's name if it exists; otherwise its render is queued (once) and None,
    unless the immediate backend rendered it on the spot."""
    name = pdf_name(letter, bundle=bundle)
    if storage().exists(name):
        return name
    _queue(letter, name, bundle=bundle)
    return name if storage().exists(name) else None


@dataclass(frozen=True)
class PdfState:
    """Where a version's PDF stands, for a list of letters: ready, refused (``refused``: why, in
    words for the user), or being prepared."""

    ready: bool
    refused: str = ""

    @property
    def preparing(self) -> bool:
        return not self.ready and not self.refused


def pdf_states(letters: list[Letter], *, queue_unqueued: bool = False) -> dict[int, PdfState]:
    """Per letter id, its PDF's state, in one query however many letters (the row names its stored
    PDF: ``stored.pdf_recorded``, no storage lookups). With ``queue_unqueued`` (the page's poll), a PDF
    neither stored nor ever queued (a version from before renders were queued on writing) is queued
    now, and one whose render looks lost (``RENDER_REQUEUE_AFTER``) is queued again if it was."""
    waiting = {pdf_name(letter): letter for letter in letters if not pdf_recorded(letter)}
    rows = {row["name"]: row for row in LetterRender.objects.filter(name__in=list(waiting)).values(
        "name", "error", "queued_at", "started_at", "finished_at")} if waiting else {}
    states = {letter.pk: PdfState(ready=True) for letter in letters}
    stale = timezone.now() - settings.RENDER_REQUEUE_AFTER
    for name, letter in waiting.items():
        row = rows.get(name)
        error = row["error"] if row else ""
        refused = _failure_text(error) if error and error != SUPERSEDED else ""
        # Never queued, or perhaps lost with a killed worker (``_queue`` decides): queued (or rendered,
        # by the immediate backend) now.
        ready = queue_unqueued and not refused and _may_need_queueing(row, stale) and pdf_or_queue(letter) is not None
        states[letter.pk] = PdfState(ready=ready, refused=refused)
    return states


def _may_need_queueing(row: dict | None, stale) -> bool:
    if row is None:
        return True
    if row["finished_at"] is not None:  # finished without the file the row should name (dropped since)
        return True
    return (row["started_at"] or row["queued_at"]) < stale


def failure(letter: Letter, *, bundle: bool = False) -> str:
    """Why this version's PDF was not made, in words for the user; "" if it was not refused."""
    row = (LetterRender.objects.filter(name=pdf_name(letter, bundle=bundle))
           .exclude(error="").values("error").first())
    if row is None:
        return ""
    return _failure_text(row["error"], bundle=bundle)


def _failure_text(error: str, *, bundle: bool = False) -> str:
    code, _sep, detail = error.partition(":")
    if code == TOO_LONG:
        pages = int(detail or 0)
        return ngettext(
            "This letter would run to %(pages)d page, more than the %(limit)d pages we print.",
            "This letter would run to %(pages)d pages, more than the %(limit)d pages we print.", pages,
        ) % {"pages": pages, "limit": settings.LETTER_MAX_PAGES} + " " + _(
            "Keep the letter to the main facts and list the rest in the evidence index "
            "(the “Evidence index” letter), which can carry the documents themselves.")
    if code == LIMIT and bundle:
        return _("The evidence bundle took too long or too much memory to make. Download the evidence index "
                 "alone and bring the files themselves, or leave very large scans out of the index.")
    if code == LIMIT:
        return _("This letter took too long or too much memory to print. Shorten the log or the "
                 "evidence it lists, or try again later.")
    return _("The PDF could not be made. Please try again later.")
