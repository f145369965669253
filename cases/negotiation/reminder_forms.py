from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

HOURS = [(h, f"{h:02d}:00") for h in range(24)]


class ReminderForm(forms.Form):
    email_opt_in = forms.BooleanField(label=_("Send me an e-mail before a date that matters"), required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)
    quiet_from = forms.TypedChoiceField(label=_("No e-mail from"), choices=HOURS, coerce=int, initial=21)
    quiet_until = forms.TypedChoiceField(label=_("No e-mail until"), choices=HOURS, coerce=int, initial=8)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email_opt_in") and not cleaned.get("email"):
            self.add_error("email", _("Give the address the reminders should go to."))
        return cleaned
