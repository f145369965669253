from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ..finance.charges import plain_figure_kind
from ..finance.codec import MAX_AMOUNT, MAX_CHARGE_LINES
from ..finance.rules import CHARGE_KINDS as BILLED_KINDS, OVERDUE_KINDS
from ..amounts import MoneyField
from ..form_fields import FiniteDecimalField
from ..models import Debt
from .quote import CHARGE_KINDS as CHARGE_KIND_LABELS


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
        max_value=MAX_AMOUNT, max_digits=12, decimal_places=2,
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


# --- The charges on a debt's bill (issue 14) ----------------------------------------------------------------

# A bill's dates: consumer credit in its present form postdates 2000; an instalment fee may cover months ahead
# (at most the 60 months a plan of ours runs), never more.
EARLIEST_BILL_DATE = date(2000, 1, 1)
BILL_DAYS_AHEAD = timedelta(days=5 * 366)


def _bill_kinds() -> list[tuple[str, str]]:
    return [("", "—"), *((kind, CHARGE_KIND_LABELS[kind]) for kind in BILLED_KINDS)]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BilledLineForm(forms.Form):
    """One charge as the lender's bill shows it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    kind = forms.ChoiceField(label=gettext_lazy("Kind of charge"), choices=_bill_kinds)
    # As people type amounts (issue 17): "1,200", full-width digits, "1.2万" shown back for confirmation.
    amount = MoneyField(
        label=gettext_lazy("Amount on the bill (yuan)"), min_value=Decimal("0"), max_value=MAX_AMOUNT,
        max_digits=12, decimal_places=2)
    start = forms.DateField(label=gettext_lazy("Covers from"), required=False, widget=_date_input())
    end = forms.DateField(label=gettext_lazy("Covers to"), required=False, widget=_date_input())
    base = MoneyField(
        label=gettext_lazy("Charged on (yuan, optional)"), required=False, min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT, max_digits=12, decimal_places=2,
        help_text=gettext_lazy("The amount the charge runs on, if the bill says. Leave it empty: the overdue "
                               "amount for a penalty or an overdue fee, the principal outstanding otherwise."))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        latest = timezone.localdate() + BILL_DAYS_AHEAD
        for name in ("start", "end"):
            value = data.get(name)
            if value is not None and value < EARLIEST_BILL_DATE:
                self.add_error(name, gettext_lazy("This date is before 2000. Please check it."))
            elif value is not None and value > latest:
                self.add_error(name, gettext_lazy("This date is more than five years ahead. Please check it."))
        if start is not None and start > timezone.localdate():
            self.add_error("start", gettext_lazy("A charge on your bill cannot start in the future. Please check "
                                                 "the date."))
        if (start is None) != (end is None):
            self.add_error("end" if end is None else "start", gettext_lazy(
                "Give both dates of the period, or neither: without them we assume the charge covers the days "
                "since you fell behind."))
        elif start is not None and end is not None and end < start:
            self.add_error("end", gettext_lazy("The period ends before it starts. Please check the dates."))
        return data

    def line(self) -> dict:
        """The line as the engine reads it (``docs/quote.md``: ``billed_charges`` as a list)."""
        data = self.cleaned_data
        line = {"kind": data["kind"], "amount": f"{data['amount']:.2f}"}
        if data.get("start") is not None:
            line["from"], line["to"] = data["start"].isoformat(), data["end"].isoformat()
        if data.get("base") is not None:
            line["base"] = f"{data['base']:.2f}"
        return line


class BaseBilledLineFormSet(forms.BaseFormSet):
    def row_label(self, index: int) -> str:
        """What the error summary calls a line: as its legend on the page."""
        return gettext("Charge %(number)s") % {"number": index + 1}


BilledLineFormSet = forms.formset_factory(
    BilledLineForm, formset=BaseBilledLineFormSet, extra=2, can_delete=True, max_num=MAX_CHARGE_LINES, validate_max=True,
    absolute_max=MAX_CHARGE_LINES)


class BillSettingsForm(forms.Form):
    billed_through = forms.DateField(
        label=gettext_lazy("Charges billed through"), required=False, widget=_date_input(),
        help_text=gettext_lazy("The last day your bill counts penalty or overdue fees for (often the day before "
                               "the bill's date). We add those charges only for the days after it, so nothing is "
                               "counted twice. Leave it empty if the bill does not say."))
    penalty_multiplier = FiniteDecimalField(
        label=gettext_lazy("Penalty rate as a multiple of the contract rate (optional)"), required=False,
        min_value=Decimal("0"), max_value=Decimal("10"), max_digits=5, decimal_places=2,
        help_text=gettext_lazy("Only if your contract says so, e.g. 1.5 when the penalty rate is the contract rate "
                               "plus 50 %. Leave it empty for the usual rule: 1.5 for Jiebei, 1 otherwise."),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}))
    overdue_interest = MoneyField(
        label=gettext_lazy("Overdue interest on the bill (yuan)"), required=False, min_value=Decimal("0"),
        max_value=MAX_AMOUNT, max_digits=12, decimal_places=2,
        help_text=gettext_lazy("Interest that fell due and is still unpaid, if the bill shows it: the lender may "
                               "charge penalty interest on it too."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_billed_through(self):
        value = self.cleaned_data.get("billed_through")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(gettext_lazy("This date is in the future. Please check it."))
        if value is not None and value < EARLIEST_BILL_DATE:
            raise forms.ValidationError(gettext_lazy("This date is before 2000. Please check it."))
        return value


def _initial_lines(debt: Debt) -> list[dict]:
    """The debt's lines for the formset; a plain figure from the debts step shows as one line of the product's
    after-default charge, without a period (as the engine reads it)."""
    if debt.billed_lines:
        return [{"kind": line["kind"], "amount": Decimal(line["amount"]),
                 "start": date.fromisoformat(line["from"]) if line.get("from") else None,
                 "end": date.fromisoformat(line["to"]) if line.get("to") else None,
                 "base": Decimal(line["base"]) if line.get("base") else None} for line in debt.billed_lines]
    if debt.billed_charges:
        return [{"kind": plain_figure_kind(debt.product), "amount": debt.billed_charges}]
    return []


class BillForm:
    """The page "charges on your bill": the settings and the lines, validated together."""

    def __init__(self, data=None, *, debt: Debt):
        self.debt = debt
        self.settings = BillSettingsForm(data, prefix="bill", initial={
            "billed_through": debt.billed_through, "penalty_multiplier": debt.penalty_multiplier,
            "overdue_interest": debt.overdue_interest or None})
        self.lines = BilledLineFormSet(data, prefix="line", initial=_initial_lines(debt))

    def summary_parts(self) -> tuple:
        return (self.settings, self.lines)

    def is_valid(self) -> bool:
        valid = self.settings.is_valid() & self.lines.is_valid()
        if not valid:
            return False
        through = self.settings.cleaned_data.get("billed_through")
        for form in self._kept():
            end = form.cleaned_data.get("end")
            # A penalty billed past "billed through" would be counted again by our own computation after it.
            if through is not None and end is not None and end > through and form.cleaned_data["kind"] in OVERDUE_KINDS:
                form.add_error("end", gettext_lazy(
                    "This penalty or overdue fee runs past the “billed through” date, so it would be counted twice. "
                    "Check both dates against the bill."))
                valid = False
        return valid

    def _kept(self) -> list[BilledLineForm]:
        # An untouched empty row has no cleaned data; a line shown from the debt has it even when unchanged.
        deleted = self.lines.deleted_forms
        return [form for form in self.lines.forms if form.cleaned_data and form not in deleted]

    def cleaned(self) -> dict:
        data = self.settings.cleaned_data
        return {"lines": [form.line() for form in self._kept()], "billed_through": data.get("billed_through"),
                "penalty_multiplier": data.get("penalty_multiplier"),
                "overdue_interest": data.get("overdue_interest") or Decimal("0.00")}
