from django import forms
from django.utils.translation import gettext_lazy


class ChoosePlanForm(forms.Form):
    plan = forms.IntegerField(min_value=0)
    fingerprint = forms.CharField(max_length=64)

    def __init__(self, *args, plan_count: int, fingerprint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_count = plan_count
        self.expected_fingerprint = fingerprint

    def clean_plan(self) -> int:
        plan = self.cleaned_data["plan"]
        if plan >= self.plan_count:
            raise forms.ValidationError(gettext_lazy("Choose one of the plans shown."))
        return plan

    def clean_fingerprint(self) -> str:
        if self.cleaned_data["fingerprint"] != self.expected_fingerprint:
            raise forms.ValidationError(
                gettext_lazy(
                    "Your figures changed after this page was opened (a debt or budget line was edited, or a day "
                    "passed). Please look at the plans again, then choose."
                )
            )
        return self.cleaned_data["fingerprint"]
