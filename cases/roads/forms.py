from django import forms
from django.utils.translation import gettext_lazy as _

from ..lenders import lenders_of
from ..models import CreditRecordError
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


class CreditRecordErrorForm(forms.Form):
    """What is wrong in one lender's credit-report record: the objection letter prints it."""

    lender = forms.ChoiceField(label=_("Whose record is wrong"))
    problem = forms.ChoiceField(label=_("What is wrong"), choices=CreditRecordError.Problem.choices,
                                widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("What the report says, and what is true"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: the report says 8,000 yuan overdue since March; I repaid it in full on 5 April."))
    account = forms.CharField(label=_("Account shown on the report (last four digits are enough)"), max_length=40,
                              required=False)
    addressee = forms.ChoiceField(label=_("Send the objection to"), choices=CreditRecordError.Addressee.choices,
                                  initial=CreditRecordError.Addressee.LENDER, widget=forms.RadioSelect)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.lenders = {lender.slug: lender for lender in lenders_of(case.debts.all())}
        self.fields["lender"].choices = [(slug, lender.name) for slug, lender in self.lenders.items()]

    def clean_details(self):
        details = self.cleaned_data["details"].strip()
        if not details:
            raise forms.ValidationError(_("Say what the report shows and what is true."))
        return details

    def save(self, case, by) -> CreditRecordError:
        data = self.cleaned_data
        return CreditRecordError.record(case, self.lenders[data["lender"]], problem=data["problem"],
                                        details=data["details"], account=data["account"],
                                        addressee=data["addressee"], by=by)
