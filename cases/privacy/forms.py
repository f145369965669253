from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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
