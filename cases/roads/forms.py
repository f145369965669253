from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules

ANSWERS = [(rules.YES, _("Yes")), (rules.NO, _("No")), (rules.UNSURE, _("Not sure"))]


class ShenzhenSelfCheckForm(forms.Form):
    """The Shenzhen personal-bankruptcy self-check: one yes / no / not sure per condition."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in rules.SHENZHEN_QUESTIONS:
            self.fields[key] = forms.ChoiceField(label=question, choices=ANSWERS, widget=forms.RadioSelect)

    def result(self) -> str:
        return rules.shenzhen_self_check(self.cleaned_data)
