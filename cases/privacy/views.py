"""The user's privacy rights: consent per case, a copy of their data, deletion.

Only the owner may use these; staff reviewing a case get a 404 here.
"""

import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import personal_data as privacy
from ..access import Can, get_case_for
from ..files import serve_private_file
from .forms import ConsentForm, DeleteAccountForm, DeleteCaseForm


# Forms with errors answer 200 like the other forms here: a 4xx page makes the
# browser log a console error for what is an ordinary correction.
def _privacy_page(request, case, consent_form=None):
    return render(
        request,
        "cases/privacy/case_privacy.html",
        {"case": case, "consent_form": consent_form or ConsentForm(), "consent_version": settings.CONSENT_TEXT_VERSION},
    )


@require_GET
def case_privacy(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.OWNER, allow_withdrawn=True)
    return _privacy_page(request, case)


@require_POST
def case_consent_withdraw(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.OWNER, allow_withdrawn=True)
    if case.has_consent:
        case.withdraw_consent(by=request.user)
        messages.success(request, _("You withdrew your consent. We have stopped processing this case."))
    return redirect("case_privacy", case_id=case.pk)


@require_POST
def case_consent_give(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.OWNER, allow_withdrawn=True)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _privacy_page(request, case, consent_form=form)
    case.give_consent(settings.CONSENT_TEXT_VERSION, by=request.user, action="privacy.consent_given")
    messages.success(request, _("Thank you. Your consent is recorded and you can continue with this case."))
    return redirect("case_detail", case_id=case.pk)


def case_delete(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.OWNER, allow_withdrawn=True)
    form = DeleteCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy.delete_case(case, by=request.user)
        messages.success(request, _("The case and all its files have been deleted."))
        return redirect("dashboard")
    return render(
        request, "cases/privacy/case_delete.html", {"case": case, "form": form, "word": _("delete")}
    )


@require_POST
def account_export(request):
    # A temporary file, not memory: evidence can run to hundreds of megabytes.
    out = tempfile.TemporaryFile(prefix="negotiator-export-")
    privacy.write_export(request.user, out)
    out.seek(0)
    filename = f"negotiator-export-{timezone.localdate():%Y%m%d}.zip"
    return serve_private_file(request, out, filename, "application/zip", inline=frozenset())


def account_delete(request):
    form = DeleteAccountForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        privacy.delete_account(user)
        messages.success(request, _("Your account and everything in it have been deleted."))
        return redirect("landing")
    return render(request, "registration/account_delete.html", {"form": form})
