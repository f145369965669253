"""Account preferences of issue 17: large text (适老化), remembered per account, and the recovery code that
resets a password without e-mail or SMS."""

from axes.utils import reset as reset_login_failures
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .. import audit
from ..forms import LargeTextForm, RecoveryForm
from ..models import AccountSettings

NEW_CODE_KEY = "new_recovery_code"


def remember_display(sender, request, user, **kwargs) -> None:
    """At log-in, the account's large-text setting goes into the session, so pages read it for free."""
    request.session["large_text"] = AccountSettings.objects.filter(user=user, large_text=True).exists()


def issue_code_for(request, user) -> None:
    """A new recovery code, to be shown once on the next page (``shown_code``)."""
    request.session[NEW_CODE_KEY] = AccountSettings.of(user).new_recovery_code()


def shown_code(request) -> str | None:
    return request.session.pop(NEW_CODE_KEY, None)


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
    issue_code_for(request, request.user)
    audit.record(request.user, "account.recovery_code_made")
    return redirect("account")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def recover(request):
    form = RecoveryForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.user
            user.set_password(form.cleaned_data["new_password1"])
            user.save(update_fields=["password"])
            code = AccountSettings.of(user).new_recovery_code()  # the used one stops working
            reset_login_failures(username=user.get_username())
            audit.record(user, "account.password_recovered")
            return render(request, "registration/recover_done.html", {"recovery_code": code})
        return render(request, "registration/recover.html", {"form": form}, status=400)
    return render(request, "registration/recover.html", {"form": form})
