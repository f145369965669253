"""Account preferences of issue 17: large text (适老化), remembered per account, and the recovery code that
resets a password without e-mail or SMS."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..lockout import recovery_failed, recovery_paused, recovery_succeeded
from ..models import AccountSettings
from .forms import LargeTextForm, RecoveryForm
from .recovery import show_once


@require_POST
def large_text(request):
    form = LargeTextForm(request.POST)
    on = form.is_valid() and form.cleaned_data["large_text"]
    AccountSettings.of(request.user).set_large_text(on)
    request.session["large_text"] = on
    messages.success(request, _("Large text is on.") if on else _("Large text is off."))
    return redirect("account")


@require_POST
def recovery_code_new(request):
    show_once(request, AccountSettings.of(request.user).replace_recovery_code(request.user))
    return redirect("account")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def recover(request):
    form = RecoveryForm(request.POST or None)
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        # Checked before the code is: a paused address costs no password hash either.
        if username and recovery_paused(request, username):
            return render(request, "registration/recover_paused.html", status=429)
        if form.is_valid():
            user = form.user
            code = AccountSettings.recover_password(user, form.cleaned_data["new_password1"])
            recovery_succeeded(user.get_username())
            return render(request, "registration/recover_done.html", {"recovery_code": code,
                                                                    "login_name": user.get_username()})
        if form.wrong_code:
            recovery_failed(request, username)
        return render(request, "registration/recover.html", {"form": form}, status=400)
    return render(request, "registration/recover.html", {"form": form})
