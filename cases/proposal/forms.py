from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from ..amounts import MoneyField


class ChoosePlanForm(forms.Form):
    # Labelled for the error summary (issue 17); the fingerprint is hidden, its error names no field.
    plan = forms.IntegerField(label=gettext_lazy("Plan"), min_value=0, widget=forms.HiddenInput)
    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Where the money above what your budget leaves comes from"), required=False,
        max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: my brother will give me 500 yuan a month from March; I start a new job "
                               "on 1 March at 6,000 yuan a month. The reviewer sees this."),
    )

    def __init__(self, *args, plans: list[dict], fingerprint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = plans
        self.expected_fingerprint = fingerprint

    def clean_plan(self) -> int:
        plan = self.cleaned_data["plan"]
        if plan >= len(self.plans):
            raise forms.ValidationError(gettext_lazy("Choose one of the plans shown."))
        return plan

    def clean(self):
        data = super().clean()
        plan = data.get("plan")
        # A plan above the available amount reaches a letter only with where the difference comes from.
        if plan is not None and self.plans[plan].get("needs_reason") and not data.get("reason", "").strip():
            self.add_error("reason", gettext_lazy(
                "This plan asks more each month than your budget leaves. Say where the difference will come from, "
                "or choose a plan within your budget."))
        return data

    def clean_fingerprint(self) -> str:
        if self.cleaned_data["fingerprint"] != self.expected_fingerprint:
            raise forms.ValidationError(
                gettext_lazy(
                    "Your figures changed after this page was opened (a debt or budget line was edited, or a day "
                    "passed). Please look at the plans again, then choose."
                )
            )
        return self.cleaned_data["fingerprint"]


class OwnAmountForm(forms.Form):
    # As people type amounts (issue 17): "1,200", full-width digits, "1.2万" shown back for confirmation.
    monthly_offer = MoneyField(
        label=gettext_lazy("My own monthly amount (yuan)"), required=False, min_value=Decimal("0.01"),
        max_value=Decimal("9999999999.99"), max_digits=12, decimal_places=2,
        help_text=gettext_lazy("Leave empty to remove it. Above what your budget leaves, the plan needs a reason."),
    )


class IncludeDebtForm(forms.Form):
    debt = forms.IntegerField(min_value=1)
    include = forms.BooleanField(required=False)
    understood = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("include") and not data.get("understood"):
            raise forms.ValidationError(gettext_lazy(
                "Tick that you have read the warning before including this debt in a plan."))
        return data
