import operator
import secrets
from functools import reduce

from django import forms
from django.core.validators import MaxLengthValidator
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import (AuthenticationForm, BaseUserCreationForm, PasswordChangeForm, PasswordResetForm,
                                       SetPasswordForm)
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import AccountSettings
from ..tasks import send_password_reset, send_signup_notice



class PasswordErrorsUnderThePassword:
    """Django puts "too short" or "too common" under the confirmation field; they concern the password itself,
    so they go under it (issue 17). "The two passwords didn't match" stays under the confirmation."""

    new_password_field = "password1"

    def validate_password_for_user(self, user, password_field_name=None, **kwargs):
        return super().validate_password_for_user(user, password_field_name=self.new_password_field, **kwargs)


class SetPasswordUnderThePassword(PasswordErrorsUnderThePassword, SetPasswordForm):
    new_password_field = "new_password1"


class PasswordChangeUnderThePassword(PasswordErrorsUnderThePassword, PasswordChangeForm):
    new_password_field = "new_password1"


class SignupForm(PasswordErrorsUnderThePassword, BaseUserCreationForm):
    """Sign-up that never says whether a name or an address has an account (issue 16, decision 025).

    The name typed is not the log-in name: four digits are always added to it
    (``new_log_in_name``: "xiaoming" becomes "xiaoming-4821"), so no name is ever refused
    as taken and the answer is the same whatever was typed. An e-mail address that has an
    account is not refused either: the new account is made without it and the address's
    owner is told by mail.
    """

    STEM_LENGTH = 140  # with "-" and the digits, within the username's 150

    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional. Only used to reset your password."),
    )

    class Meta(BaseUserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.max_length = self.STEM_LENGTH
        field.widget.attrs["maxlength"] = str(self.STEM_LENGTH)
        field.validators.append(MaxLengthValidator(self.STEM_LENGTH))
        field.help_text = _(
            "We add four digits to the name you choose (for example xiaoming-4821): that is the username you "
            "log in with. So it is yours alone, and nobody can learn from this page which names are in use. "
            "Letters, digits and @ . + - _ only; better not your real name or phone number.")

    def validate_unique(self):
        # The name typed is only the start of the log-in name (``save``): never refused as taken.
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"username"})
        except forms.ValidationError as error:
            self._update_errors(error)

    def clean_email(self):
        # An address that already has an account is not refused: saying so would tell anyone
        # who has an account here (issue 16). The new account is made without it, and the
        # address's owner is told by mail (cases.tasks.send_signup_notice).
        email = self.cleaned_data.get("email", "").strip()
        self.email_taken = bool(email) and get_user_model().objects.filter(email__iexact=email).exists()
        return email

    def save(self, commit=True):
        """The new account, under the typed name with four digits added that nobody has."""
        user = super().save(commit=False)
        if self.email_taken:
            user.email = ""
        if commit:
            for attempt in range(3):
                user.username = new_log_in_name(self.cleaned_data["username"])
                try:
                    with transaction.atomic():  # a savepoint: a lost race leaves the transaction usable
                        user.save()
                    break
                except IntegrityError:  # the same name made by another sign-up a moment ago
                    if attempt == 2:
                        raise
            if self.email_taken:
                send_signup_notice.enqueue(self.cleaned_data["email"], get_language())
        return user


def new_log_in_name(stem: str) -> str:
    """``stem`` with four random digits added that no account has (one query for eight tries), else eight hex
    digits."""
    candidates = [f"{stem}-{1000 + secrets.randbelow(9000)}" for _ in range(8)]
    any_of = reduce(operator.or_, (Q(username__iexact=name) for name in candidates))
    taken = {name.lower() for name in get_user_model().objects.filter(any_of).values_list("username", flat=True)}
    return next((name for name in candidates if name.lower() not in taken), f"{stem}-{secrets.token_hex(4)}")


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, except that the request only queues the work: looking the address up and
    sending the mail happen in the worker, so a known and an unknown address get the same
    answer after the same work (issue 16: 0.13 s against 0.05 s let anyone test addresses)."""

    def save(self, domain_override=None, use_https=False, request=None, **kwargs):
        domain = domain_override or (request.get_host() if request is not None else "localhost")
        send_password_reset.enqueue(self.cleaned_data["email"], domain, use_https, get_language())


# Since decision 025 a new username is the name typed at sign-up with four digits added: someone who remembers
# only the name they typed is told where the rest is.
USERNAME_AS_SHOWN = _("The username shown when you signed up, with the digits at its end (for example "
                      "xiaoming-4821). It is also written next to your recovery code.")


class LoginForm(AuthenticationForm):
    """The stock form, named here so templates and tests have one import, plus a length check: the stock form
    sets ``max_length`` on the username field only after it was built, so no validator enforces it; an over-long
    name then reached authenticate(), and django-axes failed to store it (a 500 on PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
        field.help_text = USERNAME_AS_SHOWN



class RecoveryForm(forms.Form):
    """A new password with the recovery code written down at sign-up: no e-mail, no SMS (issue 17).
    ``wrong_code`` after validation: a code was checked and did not match (the view counts it)."""

    username = forms.CharField(label=_("Username"), max_length=150, help_text=USERNAME_AS_SHOWN)
    code = forms.CharField(
        label=_("Recovery code"), max_length=40,
        help_text=_("The 16 characters you wrote down when you signed up, e.g. ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    new_password1 = forms.CharField(label=_("New password"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("New password again"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    WRONG = _("This username and recovery code do not match. Check both; a code works only once.")

    def clean(self):
        data = super().clean()
        self.user = None
        username, code = data.get("username"), data.get("code")
        self.code_checked = bool(username and code)
        if self.code_checked:
            user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
            found = AccountSettings.objects.filter(user=user).first() if user else None
            if found is None:
                make_password(code)  # the same time as a real check: no hint whether the name exists
                self.add_error("code", self.WRONG)
            elif not found.recovery_code_matches(code):
                self.add_error("code", self.WRONG)
            else:
                self.user = user
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", _("The two passwords do not match."))
        elif one and self.user is not None:
            try:
                password_validation.validate_password(one, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data

    @property
    def wrong_code(self) -> bool:
        return getattr(self, "code_checked", False) and self.user is None


class LargeTextForm(forms.Form):
    large_text = forms.BooleanField(label=_("Large text and buttons"), required=False)
