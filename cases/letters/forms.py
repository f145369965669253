"""The statements checklist (facts no log entry can show, printed only once the user ticks them) and
the lawsuit record the court defence is filled from."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..amounts import MoneyField
from ..lenders import lenders_of
from ..models import Lawsuit
from .rules import STATEMENTS


class StatementsForm(forms.Form):
    statements = forms.MultipleChoiceField(
        label=_("Statements that are true for you"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(code, label) for code, (label, _sentence) in STATEMENTS.items()],
        help_text=_("Tick only what is true. A letter prints a statement only if you ticked it; the rest are left out."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["statements"] = [code for code in case.statements or [] if code in STATEMENTS]


class LawsuitForm(forms.ModelForm):
    """A lender's suit as its complaint (起诉状) states it. The plaintiff is one of the case's lenders."""

    plaintiff = forms.ChoiceField(label=_("Plaintiff (the lender suing you)"))

    class Meta:
        model = Lawsuit
        fields = ["court", "case_number", "plaintiff", "served_on", "claim_principal", "claim_interest",
                  "claim_compound", "claim_penalty", "claim_fees", "claim_lawyer_fees", "claim_acceleration",
                  "claim_total"]
        widgets = {"served_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "served_on": _("The day you received the court papers. Your defence is due 15 days later."),
            "case_number": _("As printed on the court's notice, for example （2026）粤0305民初12345号."),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        names = [lender.name for lender in lenders_of(case.debts.all())]
        self.fields["plaintiff"].choices = [("", _("Choose…")), *((name, name) for name in names)]
        for name, field in list(self.fields.items()):
            if name.startswith("claim_") and name != "claim_acceleration":
                # Amounts as people type them (issue 17): "1,200", full-width digits, "1.2万" shown back.
                self.fields[name] = MoneyField(
                    label=field.label, required=False, min_value=Decimal("0"), max_digits=field.max_digits,
                    decimal_places=field.decimal_places,
                    help_text=_("Leave empty if the complaint does not claim it."))

    def clean_served_on(self):
        served = self.cleaned_data.get("served_on")
        if served and served > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future. Enter the day you received the papers."))
        return served

    def save_by(self, by) -> Lawsuit:
        created = self.instance.pk is None
        suit = super().save(commit=False)
        suit.case = self.case
        suit.save_by(by, created=created)
        return suit
