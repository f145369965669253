from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..amounts import MoneyField
from ..models import CheckIn

MAX_MONEY = Decimal("99999999.99")


class AcceptForm(forms.Form):
    first_due = forms.DateField(label=_("First payment due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_first_due(self):
        first_due = self.cleaned_data["first_due"]
        if first_due.year < 2000 or first_due.year > 2100:
            raise forms.ValidationError(_("Please check the year."))
        return first_due


class CheckInForm(forms.Form):
    due_on = forms.ChoiceField(label=_("Payment due on"), widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("What happened"), choices=CheckIn.Result.choices, widget=forms.RadioSelect)
    paid = MoneyField(label=_("Amount paid (yuan)"), required=False, min_value=Decimal("0.00"),
                      max_value=MAX_MONEY, decimal_places=2)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["due_on"].choices = [(d.isoformat(), d.isoformat()) for d, _amount in agreement.schedule()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == CheckIn.Result.SHORT:
            paid = cleaned.get("paid")
            if "paid" in self.errors:
                pass  # an unreadable figure already says what to write
            elif paid is None:
                self.add_error("paid", _("Write down how much you paid."))
            elif paid >= self.agreement.monthly:
                self.add_error("paid", _("That is the full amount: choose “Paid in full”."))
        return cleaned
