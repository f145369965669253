"""The case page's own form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CaseNameForm(forms.Form):
    title = forms.CharField(
        label=_("Name of this case"), max_length=120,
        help_text=_("Only you see it, on your list of cases; for example “花呗和招行信用卡”."),
        error_messages={"required": _("Enter a name, or leave the page without saving.")},
    )
