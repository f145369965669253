"""The user's privacy rights: consent per case, a copy of their data, deletion.

Only the owner may use these; staff reviewing a case get a 404 here.
"""

import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .. import privacy
from ..access import get_case_for
from ..files import serve_private_file
from ..audit import record


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=gettext_lazy("I agree that Negotiator processes the sensitive information in this case as described above."),
        error_messages={"required": gettext_lazy("Tick the box to give your consent.")},
    )


class DeleteCaseForm(forms.Form):
    confirm = forms.CharField(label=gettext_lazy("Type the word shown above to confirm"), max_length=20)

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"].strip().lower()
        if typed not in {_("delete").lower(), "delete"}:
            raise forms.ValidationError(_("Type “%(word)s” exactly to confirm.") % {"word": _("delete")})
        return typed


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Through authenticate(), so django-axes counts the failures: a stolen
        # session cannot be used to guess the password here either.
        user = authenticate(self.request, username=self.request.user.get_username(), password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(_("That is not your password. Nothing was deleted."))
        return password


# Forms with errors answer 200 like the other forms here: a 4xx page makes the
# browser log a console error for what is an ordinary correction.
def _privacy_page(request, case, consent_form=None):
    return render(
        request,
        "cases/case_privacy.html",
        {"case": case, "consent_form": consent_form or ConsentForm(), "consent_version": settings.CONSENT_TEXT_VERSION},
    )


@require_GET
def case_privacy(request, case_id: int):
    case = get_case_for(request, case_id, owner_only=True, allow_withdrawn=True)
    return _privacy_page(request, case)


@require_POST
def case_consent_withdraw(request, case_id: int):
    case = get_case_for(request, case_id, owner_only=True, allow_withdrawn=True)
    if case.has_consent:
        case.withdraw_consent()
        record(request.user, "privacy.consent_withdrawn", case=case)
        messages.success(request, _("You withdrew your consent. We have stopped processing this case."))
    return redirect("case_privacy", case_id=case.pk)


@require_POST
def case_consent_give(request, case_id: int):
    case = get_case_for(request, case_id, owner_only=True, allow_withdrawn=True)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _privacy_page(request, case, consent_form=form)
    case.give_consent(settings.CONSENT_TEXT_VERSION)
    record(request.user, "privacy.consent_given", case=case, version=settings.CONSENT_TEXT_VERSION)
    messages.success(request, _("Thank you. Your consent is recorded and you can continue with this case."))
    return redirect("case_detail", case_id=case.pk)


def case_delete(request, case_id: int):
    case = get_case_for(request, case_id, owner_only=True, allow_withdrawn=True)
    form = DeleteCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy.delete_case(case, by=request.user)
        messages.success(request, _("The case and all its files have been deleted."))
        return redirect("dashboard")
    return render(
        request, "cases/case_delete.html", {"case": case, "form": form, "word": _("delete")}
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
