"""Letters: the list of kinds, one kind's page (missing data, versions, preview,
PDF), generating a version, submitting it for review and downloading its PDF."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import audit, renders
from ..access import get_case_for, get_in_case
from ..files import serve_private_file
from ..letters import documents
from ..letters.context import letters_queryset
from ..letters.kinds import KINDS
from ..models import Letter

POLL_LIMIT = 60  # one poll a second; after a minute the page stops asking and says so


def _kind_or_404(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _letter_or_404(request, case_id: int, kind: str, version: int, *, content: bool = False):
    """The version without its frozen HTML and snapshot unless ``content`` (only the
    preview shows them; downloads, the status poll and submitting load them on use, if ever)."""
    _kind_or_404(kind)
    letters = Letter.objects.all() if content else Letter.objects.defer("html", "snapshot")
    return get_in_case(request, Letter, case_id, queryset=letters, kind=kind, version=version)


@require_GET
def letters_index(request, case_id: int):
    case = get_case_for(request, case_id, queryset=letters_queryset())
    latest = {}
    for letter in Letter.objects.filter(case=case).defer("html", "snapshot").order_by("kind", "-version"):
        latest.setdefault(letter.kind, letter)
    rows = [
        {"kind": kind, "missing": kind.missing(case), "letter": latest.get(slug)}
        for slug, kind in KINDS.items()
    ]
    return render(request, "cases/letters_index.html", {"case": case, "rows": rows})


@require_GET
def letter_kind(request, case_id: int, kind: str):
    letter_kind = _kind_or_404(kind)
    case = get_case_for(request, case_id, queryset=letters_queryset())
    versions = list(Letter.objects.filter(case=case, kind=kind).defer("html", "snapshot").order_by("-version"))
    letter = versions[0] if versions else None
    context = {
        "case": case,
        "kind": letter_kind,
        "missing": letter_kind.missing(case),
        "letter": letter,
        "versions": versions,
        "ready": letter is not None and documents.pdf_ready(letter),
        "refused": letter is not None and renders.failure(letter),
        "poll": 1,
    }
    return render(request, "cases/letter.html", context)


@require_POST
def letter_generate(request, case_id: int, kind: str):
    _kind_or_404(kind)
    case = get_case_for(request, case_id)
    try:
        letter = documents.generate(case, kind, by=request.user)
    except documents.MissingData:
        messages.error(request, _("Some information is still missing. Please fill it in first."))
        return redirect("letter_kind", case_id=case.pk, kind=kind)
    renders.pdf_or_queue(letter)
    messages.success(request, _("Your letter is ready to read. Check every detail before you send it."))
    return redirect("letter_kind", case_id=case.pk, kind=kind)


@require_GET
def letter_preview(request, case_id: int, kind: str, version: int):
    case, letter = _letter_or_404(request, case_id, kind, version, content=True)
    return HttpResponse(documents.html_for(letter))


@require_GET
def letter_status(request, case_id: int, kind: str, version: int):
    case, letter = _letter_or_404(request, case_id, kind, version)
    try:
        poll = min(int(request.GET.get("n", "1")), POLL_LIMIT) + 1
    except ValueError:
        poll = 1
    ready = documents.pdf_ready(letter)
    refused = "" if ready else renders.failure(letter)
    context = {"case": case, "kind": KINDS[kind], "letter": letter, "ready": ready, "refused": refused,
               "poll": poll, "gave_up": poll > POLL_LIMIT or bool(refused)}
    return render(request, "cases/letter.html#pdf-status", context)


def _pdf_response(request, case, letter, *, bundle: bool):
    name = renders.pdf_or_queue(letter, bundle=bundle)  # queued once however often it is asked for
    if name is None:
        refused = renders.failure(letter, bundle=bundle)
        if refused:
            messages.error(request, refused)
        else:  # a real worker renders it in the background
            messages.info(request, _("Your PDF is being prepared. It will be ready in a moment."))
        return redirect("letter_kind", case_id=case.pk, kind=letter.kind)
    title = KINDS[letter.kind].document_title
    filename = f"{title}-v{letter.version}{'-证据合订本' if bundle else ''}{'' if letter.is_final else '-草稿'}.pdf"
    return serve_private_file(request, name, filename, "application/pdf", inline=frozenset())


@require_GET
def letter_pdf(request, case_id: int, kind: str, version: int):
    case, letter = _letter_or_404(request, case_id, kind, version)
    return _pdf_response(request, case, letter, bundle=False)


@require_GET
def letter_bundle(request, case_id: int, kind: str, version: int):
    case, letter = _letter_or_404(request, case_id, kind, version)
    if not KINDS[kind].bundle:
        raise Http404
    return _pdf_response(request, case, letter, bundle=True)


@require_POST
def letter_submit(request, case_id: int, kind: str, version: int):
    case, letter = _letter_or_404(request, case_id, kind, version)
    try:
        letter.submit_for_review(by=request.user)
    except Letter.NotAllowed:
        messages.error(request, _("This version cannot be sent for review (it was already sent or decided)."))
    else:
        audit.record(request.user, "letter_submitted", case=case, target=f"letter:{letter.pk}")
        messages.success(request, _("Sent for review. A reviewer will read it and approve it or tell you what to change."))
    return redirect("letter_kind", case_id=case.pk, kind=kind)
