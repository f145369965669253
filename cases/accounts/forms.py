from django import forms
from django.core.validators import MaxLengthValidator
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..tasks import send_password_reset, send_signup_notice


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional. Only used to reset your password."),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        # An address that already has an account is not refused: saying so would tell anyone
        # who has an account here (issue 16). The new account is made without it, and the
        # address's owner is told by mail (cases.tasks.send_signup_notice).
        email = self.cleaned_data.get("email", "").strip()
        self.email_taken = bool(email) and get_user_model().objects.filter(email__iexact=email).exists()
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.email_taken:
            user.email = ""
        if commit:
            user.save()
            if self.email_taken:
                send_signup_notice.enqueue(self.cleaned_data["email"], get_language())
        return user


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, except that the request only queues the work: looking the address up and
    sending the mail happen in the worker, so a known and an unknown address get the same
    answer after the same work (issue 16: 0.13 s against 0.05 s let anyone test addresses)."""

    def save(self, domain_override=None, use_https=False, request=None, **kwargs):
        domain = domain_override or (request.get_host() if request is not None else "localhost")
        send_password_reset.enqueue(self.cleaned_data["email"], domain, use_https, get_language())


class LoginForm(AuthenticationForm):
    """The stock form, named here so templates and tests have one import, plus a length check: the stock form
    sets ``max_length`` on the username field only after it was built, so no validator enforces it; an over-long
    name then reached authenticate(), and django-axes failed to store it (a 500 on PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
