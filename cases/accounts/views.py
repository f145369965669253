from axes.utils import reset as reset_login_failures
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from .forms import LargeTextForm, SetPasswordUnderThePassword, SignupForm
from .recovery import issue_code_for, shown_code


@login_not_required
def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        issue_code_for(request, user)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})


def account(request):
    return render(request, "registration/account.html", {
        "recovery_code": shown_code(request),
        "large_text_form": LargeTextForm(initial={"large_text": request.session.get("large_text", False)}),
    })


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The stock view, except that a new password also lifts a login lockout:
    whoever can read the account's mailbox may log in again at once."""

    form_class = SetPasswordUnderThePassword

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_login_failures(username=form.user.get_username())
        return response
