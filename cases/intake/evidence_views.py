"""The evidence vault: upload, download and delete, each through the case's owner check."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import limits
from ..access import Can, get_case_for, get_in_case
from ..files import IMAGE_TYPES, serve_private_file
from .forms import EvidenceDetailsForm, EvidenceForm, VersionForm
from ..models import Debt, Evidence
from .vault import named_by_type
from .views import evidence_panel_context, render_step

PANEL = "cases/intake/evidence.html#panel"


def _panel_or_redirect(request, case, form=None, status=200, notice: str = "", notice_at: str = "upload",
                       edit_form=None):
    """The panel again; the notice stands where the user is looking: by the upload form after an upload, by
    the list of files after a change or a deletion (issue 17)."""
    panel = {**evidence_panel_context(case, form, edit_form), "notice": notice, "notice_at": notice_at,
             "details_form": edit_form}  # the page's error summary finds it here
    if request.htmx:
        # htmx swaps only 2xx answers, so a form with errors comes back as 200 to be shown in place.
        return render(request, PANEL, panel, status=200)
    if form is not None or edit_form is not None:
        return render_step(request, "cases/intake/evidence.html", case, "evidence", {
            "version_form": VersionForm(initial={"version": case.version}), **panel,
        }, status=status)
    anchor = "#files-title" if notice_at == "files" else "#upload-title"
    return redirect(reverse("intake_evidence", args=[case.pk]) + anchor)


@require_POST
def evidence_upload(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.EDIT)
    if not case.has_consent:
        return redirect("intake_about", case_id=case.pk)
    used = Evidence.objects.filter(case=case).aggregate(total=Sum("size"))["total"] or 0
    debts = list(Debt.objects.filter(case=case))
    form = EvidenceForm(request.POST, request.FILES, case=case, debts=debts, used_bytes=used)
    if not form.is_valid():
        return _panel_or_redirect(request, case, form, status=400)
    def lock_and_count():
        # The file was checked above, outside the lock; counting and inserting happen under
        # the case's row lock, so parallel uploads cannot all pass the quota (issue 16).
        limits.lock_case(case)
        limits.check_evidence_allowed(case, form.checked.size)

    try:
        # The stored file is removed again if the row cannot be saved; a killed worker leaves it
        # named in the upload journal (files.save_upload), for check_storage.
        evidence = form.save(by=request.user, inside=lock_and_count)
    except limits.LimitReached as exc:
        form.add_error("file", str(exc))
        return _panel_or_redirect(request, case, form, status=400)
    except IntegrityError:
        # The same file arrived twice at once (double click): the first one is kept.
        form.add_error("file", _("You already uploaded this file."))
        return _panel_or_redirect(request, case, form, status=400)
    except OSError:  # the disk is full or failing; nothing was kept
        form.add_error("file", _("The file could not be stored just now. Nothing was saved; please try again later."))
        return _panel_or_redirect(request, case, form, status=503)
    notice = _("File saved: %(name)s") % {"name": evidence.original_name}
    if not request.htmx:
        messages.success(request, notice)
    return _panel_or_redirect(request, case, notice=notice)


@require_GET
def evidence_download(request, case_id: int, evidence_id: int):
    _case, evidence = get_in_case(request, Evidence, case_id, evidence_id, need=Can.SENSITIVE)
    # Photos are shown; PDFs are downloaded too: they can carry scripts, and a
    # browser's PDF viewer cannot run inside the sandbox every other file gets.
    # Only the owner gets here: staff open evidence on the review page, audited there.
    return serve_private_file(request, evidence.file, named_by_type(evidence.original_name, evidence.content_type),
                              evidence.content_type, inline=IMAGE_TYPES)


@require_POST
def evidence_delete(request, case_id: int, evidence_id: int):
    case, evidence = get_in_case(request, Evidence, case_id, evidence_id, need=Can.OWNER)
    name = evidence.original_name
    evidence.remove(by=request.user)
    notice = _("File deleted: %(name)s") % {"name": name}
    if not request.htmx:
        messages.success(request, notice)
    return _panel_or_redirect(request, case, notice=notice, notice_at="files")


@require_POST
def evidence_edit(request, case_id: int, evidence_id: int):
    """Correct a file's type, debt, hardship mark or note after the upload."""
    case, evidence = get_in_case(request, Evidence, case_id, evidence_id, need=Can.EDIT)
    form = EvidenceDetailsForm(request.POST, instance=evidence, debts=list(Debt.objects.filter(case=case)))
    if not form.is_valid():
        return _panel_or_redirect(request, case, status=400, notice_at="files", edit_form=form)
    form.save(by=request.user)
    notice = _("Saved: %(name)s is now “%(kind)s”.") % {"name": evidence.original_name,
                                                       "kind": evidence.get_kind_display()}
    if not request.htmx:
        messages.success(request, notice)
    return _panel_or_redirect(request, case, notice=notice, notice_at="files")
