from axes.utils import reset as reset_login_failures
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from ..lockout import signup_paused, signup_refused
from .forms import LargeTextForm, SetPasswordUnderThePassword, SignupForm
from .recovery import issue_code_for, shown_code


@login_not_required
def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    # Asked before any name is looked up, so a pause says nothing about the name typed.
    if request.method == "POST" and signup_paused(request):
        return render(request, "registration/signup_paused.html", status=429)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.existing is not None:
            # A taken name: its own password lets its owner in (through django-axes, like the log-in page);
            # anyone else is refused in words that do not say the name exists (SignupForm.TAKEN).
            user = authenticate(request, username=form.existing.get_username(), password=form.cleaned_data["password1"])
            if user is not None:
                login(request, user)
                messages.success(request, _("You already had an account with this username: you are logged in."))
                return redirect("dashboard")
            signup_refused(request, form.cleaned_data["username"])
            form.refuse_taken_name()
        else:
            try:
                user = form.save()
            except IntegrityError:  # the same name signed up a moment ago
                signup_refused(request, form.cleaned_data["username"])
                form.refuse_taken_name()
            else:
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
