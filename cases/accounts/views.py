from axes.utils import reset as reset_login_failures
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from ..lockout import signup_made, signup_paused
from .forms import LargeTextForm, SetPasswordUnderThePassword, SignupForm
from .recovery import issue_code_for, shown_code


@login_not_required
def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    # Asked before anything else, so a pause says nothing about the name typed.
    if request.method == "POST" and signup_paused(request):
        return render(request, "registration/signup_paused.html", status=429)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Whatever name was typed, the same work and the same answer (decision 025): first a log-in with it,
        # through django-axes like the log-in page (one password hash, Django's stand-in hash for a name nobody
        # has), so whoever typed their own full log-in name and password is let in; otherwise a new account.
        typed = form.cleaned_data["username"]
        existing = get_user_model().objects.filter(username__iexact=typed).first()
        user = authenticate(request, username=existing.get_username() if existing else typed,
                            password=form.cleaned_data["password1"])
        request.axes_locked_out = False  # a paused log-in here only means a new account, never axes's page
        if user is not None:
            login(request, user)
            messages.success(request, _("You already had an account with this username: you are logged in."))
            return redirect("dashboard")
        user = form.save()
        signup_made(request, user.get_username())
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        issue_code_for(request, user)
        messages.success(request, _("Welcome! Your account is ready. Your username is %(name)s: write it down "
                                    "with the recovery code below.") % {"name": user.get_username()})
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
