"""Letters: one row per lender and kind, one letter's page (missing data, versions, preview,
PDF), generating a version, submitting it for review and downloading its PDF; the statements
the user confirms for letters. Every letter is addressed to one lender (issue 15)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import Can, get_case_for, get_in_case, read_or_edit
from ..files import serve_private_file
from ..lenders import CASE_WIDE
from ..models import Case, Lawsuit, Letter
from .context import case_lenders, chosen_proposal, letters_queryset, limitation_flags, pending_lawsuit
from .downloads import download_name, prepare_pdf
from .forms import LawsuitForm, StatementsForm
from .freshness import proposal_is_stale
from .kinds import KINDS
from .renders import failure, pdf_states
from .versions import MissingData, generate, html_for, pdf_name, pdf_ready

POLL_LIMIT = 60  # one poll a second; after a minute the page stops asking and says so


def _kind_or_404(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _lender_or_404(case, slug: str, kind):
    """The addressee ``slug`` names: one of the case's lenders, or "-" for a case-wide document only."""
    if kind.case_wide:
        if slug != "-":
            raise Http404
        return CASE_WIDE
    lender = next((item for item in case_lenders(case) if item.slug == slug), None)
    if lender is None:
        raise Http404
    return lender


def _stored_slug(lender: str) -> str:
    return "" if lender == "-" else lender  # "-": a letter from before letters had one addressee


def _letter_or_404(request, case_id: int, kind: str, lender: str, version: int, *, need: Can, content: bool = False):
    """The version without its frozen HTML and snapshot unless ``content`` (only the
    preview shows them; downloads, the status poll and submitting load them on use, if ever)."""
    _kind_or_404(kind)
    letters = Letter.objects.all() if content else Letter.objects.defer("html", "snapshot")
    return get_in_case(request, Letter, case_id, queryset=letters, kind=kind, lender_slug=_stored_slug(lender),
                       version=version, need=need)


def _flagged_by_lender(case, lenders) -> dict[str, list]:
    """Per lender slug, its debts that may be time-barred: the page warns before any letter to it."""
    flags = limitation_flags(case)
    debts = {debt.pk: debt for debt in case.debts.all()}
    return {lender.slug: [debts[i] for i in lender.debt_ids if i in flags] for lender in lenders}


def _poll_count(request) -> int:
    """The next poll's number (``?n=``), from 1; after POLL_LIMIT the page stops asking."""
    try:
        return max(1, min(int(request.GET.get("n", "1")), POLL_LIMIT) + 1)  # a negative count would never give up
    except ValueError:
        return 1


@require_GET
def letters_index(request, case_id: int):
    """The letters of the case, each with where its PDF stands; while some are being prepared, htmx
    asks for the list again every second (the ``letter-lists`` partial), and stops once none is."""
    case = get_case_for(request, case_id, queryset=letters_queryset(), need=Can.READ)
    lenders = case_lenders(case)
    latest = {}
    for letter in Letter.objects.filter(case=case).defer("html", "snapshot").order_by("kind", "lender_slug",
                                                                                     "-version"):
        latest.setdefault((letter.kind, letter.lender_slug), letter)
    # Only the poll queues a version's PDF that was never queued: the page itself never renders.
    states = pdf_states(list(latest.values()), queue_unqueued=bool(request.htmx))
    flagged = _flagged_by_lender(case, lenders)

    def row(kind, slug, lender_slug, lender, lawsuit=None):
        letter = latest.get((slug, lender_slug))
        return {"kind": kind, "missing": kind.missing(case, lender), "letter": letter,
                "pdf": states[letter.pk] if letter else None,
                "answer_court_first": kind.answer_court_first and lawsuit is not None}

    groups = []
    for lender in lenders:
        lawsuit = pending_lawsuit(case, lender)  # once per lender, for its warning and its rows' badges
        rows = [row(kind, slug, lender.slug, lender, lawsuit)
                for slug, kind in KINDS.items() if not kind.case_wide and kind.applies(case, lender)]
        groups.append({"lender": lender, "rows": rows, "flagged": flagged[lender.slug], "lawsuit": lawsuit})
    # Documents for the whole case (the lawyer summary): listed once, addressed to no lender.
    case_rows = [row(kind, slug, "", None) for slug, kind in KINDS.items() if kind.case_wide]
    shown = [item["pdf"] for rows in [*(group["rows"] for group in groups), case_rows] for item in rows if item["pdf"]]
    poll = _poll_count(request) if request.htmx else 1
    context = {
        "case": case,
        "groups": groups,
        "case_rows": case_rows,
        "pdfs_ready": sum(state.ready for state in shown),
        "pdfs_shown": len(shown),
        "preparing": any(state.preparing for state in shown),
        "poll": poll,
        "gave_up": poll > POLL_LIMIT,
    }
    if request.htmx:
        return render(request, "cases/letters/index.html#letter-lists", context)
    proposal = chosen_proposal(case)
    context.update({
        "proposal": proposal,
        "stale": proposal is not None and proposal_is_stale(case, proposal),
        "statements_form": StatementsForm(case=case),
    })
    return render(request, "cases/letters/index.html", context)


@require_GET
def letter_kind(request, case_id: int, kind: str):
    """A kind without a lender (links from the log and the case page): the one lender's letter,
    else the list, where each lender has its own row."""
    letter_kind = _kind_or_404(kind)
    case = get_case_for(request, case_id, queryset=letters_queryset(), need=Can.READ)
    if letter_kind.case_wide:
        return redirect("letter_page", case_id=case.pk, kind=kind, lender=CASE_WIDE.url_slug)
    lenders = [lender for lender in case_lenders(case) if letter_kind.applies(case, lender)]
    if len(lenders) == 1:
        return redirect("letter_page", case_id=case.pk, kind=kind, lender=lenders[0].slug)
    return redirect(reverse("letters_index", args=[case.pk]) + f"#kind-{kind}")


@require_GET
def letter_page(request, case_id: int, kind: str, lender: str):
    letter_kind = _kind_or_404(kind)
    case = get_case_for(request, case_id, queryset=letters_queryset(), need=Can.READ)
    addressee = _lender_or_404(case, lender, letter_kind)
    versions = list(Letter.objects.filter(case=case, kind=kind, lender_slug=addressee.slug)
                    .defer("html", "snapshot").order_by("-version"))
    letter = versions[0] if versions else None
    proposal = chosen_proposal(case)
    ready = letter is not None and pdf_ready(letter)
    context = {
        "case": case,
        "kind": letter_kind,
        "lender": addressee,
        "missing": letter_kind.missing(case, None if letter_kind.case_wide else addressee),
        "flagged": _flagged_by_lender(case, [addressee])[addressee.slug],
        "lawsuit": letter_kind.pending_lawsuit(case, None if letter_kind.case_wide else addressee),
        "before_sending": letter_kind.steps_before_sending(case, None if letter_kind.case_wide else addressee),
        "letter": letter,
        "versions": versions,
        "ready": ready,
        "refused": "" if letter is None or ready else failure(letter),
        "poll": 1,
        "proposal": proposal,
        "stale": proposal is not None and proposal_is_stale(case, proposal),
    }
    return render(request, "cases/letters/letter.html", context)


@require_POST
def letter_generate(request, case_id: int, kind: str, lender: str):
    letter_kind = _kind_or_404(kind)
    case = get_case_for(request, case_id, queryset=letters_queryset(), need=Can.EDIT)
    addressee = _lender_or_404(case, lender, letter_kind)
    try:
        letter = generate(case, kind, addressee, by=request.user)
    except MissingData:
        messages.error(request, _("Some information is still missing. Please fill it in first."))
        return redirect("letter_page", case_id=case.pk, kind=kind, lender=addressee.url_slug)
    # generate() queued its PDF: the page shows it being prepared and polls, never waits for it here.
    messages.success(request, _("Your letter is ready to read. Check every detail before you send it."))
    return redirect("letter_page", case_id=case.pk, kind=kind, lender=addressee.url_slug)


@require_GET
def letter_preview(request, case_id: int, kind: str, lender: str, version: int):
    _case, letter = _letter_or_404(request, case_id, kind, lender, version, content=True, need=Can.SENSITIVE)
    return HttpResponse(html_for(letter))


@require_GET
def letter_status(request, case_id: int, kind: str, lender: str, version: int):
    case, letter = _letter_or_404(request, case_id, kind, lender, version, need=Can.READ)
    poll = _poll_count(request)
    ready = pdf_ready(letter)
    refused = "" if ready else failure(letter)
    context = {"case": case, "kind": KINDS[kind], "letter": letter, "ready": ready, "refused": refused,
               "poll": poll, "gave_up": poll > POLL_LIMIT or bool(refused)}
    return render(request, "cases/letters/letter.html#pdf-status", context)


def _back_to(letter):
    if letter.lender_slug or (letter.kind in KINDS and KINDS[letter.kind].case_wide):
        return redirect("letter_page", case_id=letter.case_id, kind=letter.kind, lender=letter.lender_slug or "-")
    return redirect("letters_index", case_id=letter.case_id)


def _pdf_response(request, case, letter, *, bundle: bool):
    if not prepare_pdf(letter, bundle=bundle):  # queued once however often it is asked for
        refused = failure(letter, bundle=bundle)
        if refused:
            messages.error(request, refused)
        else:  # a real worker renders it in the background
            messages.info(request, _("Your PDF is being prepared. It will be ready in a moment."))
        return _back_to(letter)
    return serve_private_file(request, pdf_name(letter, bundle=bundle), download_name(letter, bundle=bundle),
                              "application/pdf", inline=frozenset())


@require_GET
def letter_pdf(request, case_id: int, kind: str, lender: str, version: int):
    case, letter = _letter_or_404(request, case_id, kind, lender, version, need=Can.SENSITIVE)
    return _pdf_response(request, case, letter, bundle=False)


@require_GET
def letter_bundle(request, case_id: int, kind: str, lender: str, version: int):
    case, letter = _letter_or_404(request, case_id, kind, lender, version, need=Can.SENSITIVE)
    if not KINDS[kind].bundle:
        raise Http404
    return _pdf_response(request, case, letter, bundle=True)


@require_POST
def letter_submit(request, case_id: int, kind: str, lender: str, version: int):
    case, letter = _letter_or_404(request, case_id, kind, lender, version, need=Can.SUBMIT)
    try:
        letter.submit_for_review(by=request.user)
    except Letter.NotAllowed:
        messages.error(request, _("This version cannot be sent for review (it was already sent or decided)."))
    else:
        messages.success(request, _("Sent for review. A reviewer will read it and approve it or tell you what to change."))
    return _back_to(letter)


@require_POST
def letter_statements(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.OWNER)
    form = StatementsForm(request.POST, case=case)
    if form.is_valid():
        case.confirm_statements(form.cleaned_data["statements"], by=request.user)
        messages.success(request, _("Saved. Letters you write or update from now on print only what you ticked."))
    else:
        messages.error(request, _("That choice is not on the list. Nothing was changed."))
    return redirect("letters_index", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def lawsuits(request, case_id: int):
    case = get_case_for(request, case_id, queryset=Case.objects.prefetch_related("debts", "lawsuits"), need=read_or_edit(request))
    return _lawsuit_page(request, case)


@require_http_methods(["GET", "POST"])
def lawsuit_edit(request, case_id: int, pk: int):
    case, suit = get_in_case(request, Lawsuit, case_id, pk, need=read_or_edit(request))
    return _lawsuit_page(request, case, suit)


def _lawsuit_page(request, case: Case, suit: Lawsuit | None = None):
    """The lawsuits page: its list, and the form for a new lawsuit or for ``suit``."""
    form = LawsuitForm(request.POST or None, instance=suit, case=case)
    if request.method == "POST":
        if form.is_valid():
            form.save_by(request.user)
            messages.success(request, _("Lawsuit saved. Its answer deadline is on your case page."))
            return redirect("lawsuits", case_id=case.pk)
        messages.error(request, _("Please correct the fields marked below. Nothing was saved."))
    return render(request, "cases/letters/lawsuits.html", {"case": case, "form": form, "editing": suit,
                                                            "lawsuits": list(case.lawsuits.all())})


@require_POST
def lawsuit_delete(request, case_id: int, pk: int):
    case, suit = get_in_case(request, Lawsuit, case_id, pk, need=Can.EDIT)
    suit.remove(by=request.user)
    messages.success(request, _("Lawsuit deleted."))
    return redirect("lawsuits", case_id=case.pk)
