"""Forms of the intake wizard and the evidence vault. All validation is here,
server-side; the browser's checks are only a convenience."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..form_fields import FiniteDecimalField
from ..letters.labels import PROVES_SUGGESTIONS
from ..amounts import MoneyField, RateField
from ..letters.labels import EVIDENCE as EVIDENCE_LABELS
from .steps import BUDGET_GUIDANCE, PROVINCES
from .vault import Rejected, check_upload
from ..files import save_upload
from ..models import BudgetLine, Case, Debt, Debtor, Evidence, Product
from .usual_rates import RATE_NEEDS

# Ant Group quotes 年利率 = 日利率 × 360 on Huabei/Jiebei bills (DOMAIN.md, Charges).
DAYS_PER_RATE_YEAR = 360
DEFAULT_LENDERS = {
    Product.HUABEI: "重庆蚂蚁消费金融有限公司",
    Product.JIEBEI: "重庆蚂蚁消费金融有限公司",
    Product.WANGSHANGDAI: "浙江网商银行股份有限公司",
}
CENT = Decimal("0.01")
# ASCII digits only: str.isdigit() also accepts "²" and "١", which no letter or lender can use.
ID_NUMBER = re.compile(r"[0-9]{14}[0-9X]|[0-9]{17}[0-9X]")
PHONE = re.compile(r"\+?[0-9]{7,15}")
ID_NUMBER_MESSAGE = _("An ID card number has 18 characters: digits, the last one may be X.")


class PlainLabels:
    """Labels stand above their fields; no ":" after a label that already ends in "?" or "。"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionForm(forms.Form):
    """The case version the page was loaded with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future. Please check it."))
    return value


def money_field(label, required=True, help_text=""):
    return MoneyField(
        label=label, required=required, help_text=help_text, min_value=Decimal("0"),
        max_digits=12, decimal_places=2,
    )


class ConsentForm(PlainLabels, forms.Form):
    agree = forms.BooleanField(
        label=_("I agree that Negotiator processes the sensitive personal information described above for my case."),
        error_messages={"required": _("Without your consent we cannot store your debts and situation.")},
    )


class DebtorForm(PlainLabels, forms.ModelForm):
    id_number = forms.CharField(
        label=_("ID card number"), required=False, max_length=18, min_length=15,
        help_text=_("Used only in letters to the lender. Stored encrypted."),
        # The length checks must speak as clean_id_number does, not in Django's "确保该变量至少包含 15 字符".
        error_messages={"min_length": ID_NUMBER_MESSAGE, "max_length": ID_NUMBER_MESSAGE},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Debtor
        fields = ["name", "id_number", "phone", "address"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            # A helper without the owner's consent to sensitive data (issue 20) neither sees nor changes them.
            del self.fields["id_number"], self.fields["phone"]
            return
        # The stored number is never sent back to the browser: only its masked form.
        self.initial["id_number"] = ""
        if self.instance.pk and self.instance.id_number:
            self.fields["id_number"].help_text = _("Saved as %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.id_number_masked
            }

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        if not value:
            return self.instance.id_number if self.instance.pk else ""
        if not ID_NUMBER.fullmatch(value):
            raise forms.ValidationError(ID_NUMBER_MESSAGE)
        return value

    def clean_phone(self):
        phone = self.cleaned_data["phone"].replace(" ", "").replace("-", "")
        if not PHONE.fullmatch(phone):
            raise forms.ValidationError(_("Enter a phone number with digits only, e.g. 13800138000."))
        return phone


class CaseAboutForm(PlainLabels, forms.ModelForm):
    province = forms.ChoiceField(
        label=_("Province"), choices=[("", "—")] + [(p, p) for p in PROVINCES],
        help_text=_("Decides which court and local regulator are responsible."),
    )

    class Meta:
        model = Case
        fields = ["province", "city", "household_size", "dependants"]
        help_texts = {
            "household_size": _("Everyone who lives on the household's income, you included."),
            "dependants": _("Children and others who depend on you financially."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].required = True

    def clean(self):
        data = super().clean()
        size, deps = data.get("household_size"), data.get("dependants")
        if size is not None and deps is not None and deps >= size:
            self.add_error("dependants", _("Dependants must be fewer than the people in the household (you are one of them)."))
        return data


class DebtForm(PlainLabels, forms.ModelForm):
    RATE_PERIODS = [("year", _("% per year")), ("day", _("% per day"))]

    account_number = forms.CharField(
        label=_("Contract or account number"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    principal = money_field(_("Principal outstanding (yuan)"))
    overdue_amount = money_field(_("Overdue amount (yuan)"), help_text=_("What the bill shows as overdue now."))
    billed_charges = money_field(_("Interest, penalty and fees already billed (yuan)"), required=False)
    rate = RateField(
        label=_("Contract interest rate"), required=False, min_value=Decimal("0"), max_digits=9, decimal_places=4,
        help_text=_("Enter the rate the bill or contract shows, per year or per day. A daily rate is converted: daily × 360 = yearly."),
    )
    rate_period = forms.ChoiceField(label=_("Rate is"), choices=RATE_PERIODS, initial="year")
    accept_usual_rate = forms.BooleanField(label=_("Use the usual rate"), required=False)
    lender_claimed_total = money_field(
        _("Total the lender says you owe (yuan)"), required=False,
        help_text=_("Optional: the lender's own figure, if a bill, message or call gave one. A difference from our calculation is worth asking about."),
    )
    amount_received = money_field(
        _("Amount actually received (yuan)"), required=False,
        help_text=_("Only if interest or fees were taken off before the money reached you (砍头息)."),
    )
    penalty_rate = RateField(
        label=_("Penalty rate, % per day"), required=False, min_value=Decimal("0"), max_value=Decimal("1"),
        max_digits=7, decimal_places=4,
        help_text=_("Optional: only if the bill or contract states a daily penalty rate, e.g. 0.05. Leave empty to use the usual rule for this product."),
    )

    class Meta:
        model = Debt
        fields = ["product", "lender", "account_number", "principal", "overdue_amount", "overdue_since",
                  "billed_charges", "grace_days", "lender_claimed_total", "billed_through", "lender_type",
                  "contract_date", "day_count", "accelerated_on", "amount_received", "last_due_date",
                  "last_payment_date"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in (
            "overdue_since", "billed_through", "contract_date", "accelerated_on", "last_due_date", "last_payment_date")}
        help_texts = {
            "lender": _("The company named on the contract; for Huabei and Jiebei it can be a bank."),
            "grace_days": _("Days after the due date before charges start, if the contract gives any."),
            "billed_through": _("The last day the charges on your bill cover; we only add charges after it."),
            "day_count": _("Only if the contract says the yearly rate is the daily rate × 360."),
            "accelerated_on": _("Only if the lender told you the whole loan is now due (提前到期)."),
            "amount_received": _("Only if interest or fees were taken off before the money reached you (砍头息)."),
            "last_due_date": _("The due date of the last instalment that fell due. It decides the three-year time limit."),
            "last_payment_date": _("The last time you paid anything, or money was debited from your account."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rate_offer = None
        self.fields["lender"].required = False
        self.fields["lender"].widget.attrs["list"] = "lender-suggestions"
        self.fields["lender_type"].required = False
        self.initial["account_number"] = ""
        if self.instance.pk:
            self.initial["rate"] = (self.instance.annual_rate * 100).normalize()
            if self.instance.penalty_daily_rate is not None:
                self.initial["penalty_rate"] = (self.instance.penalty_daily_rate * 100).normalize()
            if self.instance.account_number:
                self.fields["account_number"].help_text = _("Saved as %(masked)s. Leave empty to keep it.") % {
                    "masked": self.instance.account_number_masked
                }

    def clean_account_number(self):
        value = self.cleaned_data["account_number"].strip()
        return value or (self.instance.account_number if self.instance.pk else "")

    def clean_overdue_since(self):
        return not_in_future(self.cleaned_data.get("overdue_since"))

    def clean_lender_type(self):
        return self.cleaned_data.get("lender_type") or Debt._meta.get_field("lender_type").default

    def clean_billed_through(self):
        return not_in_future(self.cleaned_data.get("billed_through"))

    def clean_last_payment_date(self):
        return not_in_future(self.cleaned_data.get("last_payment_date"))

    def clean_accelerated_on(self):
        return not_in_future(self.cleaned_data.get("accelerated_on"))

    def clean_billed_charges(self):
        return self.cleaned_data.get("billed_charges") or Decimal("0.00")

    def clean(self):
        data = super().clean()
        if not data.get("lender") and data.get("product"):
            default = DEFAULT_LENDERS.get(data["product"])
            if default:
                data["lender"] = default
            else:
                self.add_error("lender", _("Please enter the lender named on the contract."))
        principal, overdue = data.get("principal"), data.get("overdue_amount")
        charges = data.get("billed_charges") or Decimal("0")
        if principal is not None and overdue is not None and overdue > principal + charges:
            self.add_error(
                "overdue_amount",
                _("The overdue amount cannot be more than the principal plus charges (%(max)s yuan).")
                % {"max": f"{principal + charges:.2f}"},
            )
        self.rate_offer = None
        if data.get("rate") is None and "rate" not in self.errors:
            data["rate"], data["rate_period"] = self._rate_when_empty(data.get("product"), data.get("accept_usual_rate"))
        rate = data.get("rate") or Decimal("0")
        annual = rate / 100 * (DAYS_PER_RATE_YEAR if data.get("rate_period") == "day" else 1)
        annual = annual.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        if annual > 10:
            self.add_error("rate", _("This rate is above 1000 % a year. Please check it and whether it is per day or per year."))
        data["annual_rate"] = annual
        penalty = data.get("penalty_rate")
        data["penalty_daily_rate"] = None if penalty is None else (penalty / 100).quantize(Decimal("0.000001"))
        return data

    def _rate_when_empty(self, product, accepted) -> tuple[Decimal | None, str]:
        """An empty rate where the product needs one: asked for, with the usual figure (if any) offered as a
        box the user ticks (see usual_rates.py)."""
        need = RATE_NEEDS.get(product)
        if need is None:
            return None, "year"
        if need.usual_percent is not None:
            self.rate_offer = _("Use %(rate)s %% a year, a usual rate for this product (not your contract's figure)") % {
                "rate": need.usual_percent}
            message = _("Please enter the interest rate your statement shows, or tick the box below to use the usual rate.")
        else:
            self.rate_offer = _("I cannot find the rate: leave the penalty interest out for now")
            message = _("The penalty interest of this product is 1.5 times its contract rate, so we need the rate: the loan page shows it as 日利率 (per day). If you cannot find it, tick the box below.")
        self.fields["accept_usual_rate"].label = self.rate_offer
        if not accepted:
            self.add_error("rate", message)
            return None, "year"
        return (need.usual_percent or Decimal("0")), "year"

    def save(self, commit=True):
        self.instance.annual_rate = self.cleaned_data["annual_rate"]
        self.instance.penalty_daily_rate = self.cleaned_data["penalty_daily_rate"]
        return super().save(commit=commit)


class _LoadedDebtChoice(forms.ModelChoiceField):
    """The hidden debt id, checked against the case's debts already loaded by the formset:
    one query for all rows instead of one per row, and another case's debt is simply invalid."""

    def __init__(self, objects: dict, **kwargs):
        super().__init__(Debt.objects.none(), **kwargs)
        self.objects = objects

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.objects[int(value)]
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                _("This debt no longer exists; it may have been removed in another tab. Reload the page."),
                code="invalid_choice",
            ) from None


class BaseDebtFormSet(forms.BaseModelFormSet):
    def save_to(self, case: Case) -> None:
        """Write the rows as entered, in the order shown (``Debt.objects.write_rows``: a fixed number of queries)."""
        self.save(commit=False)
        deleted = {obj.pk for obj in self.deleted_objects}
        changed = {obj.pk for obj, _fields in self.changed_objects}
        kept = [f.instance for f in self.forms if f.instance.pk and f.instance.pk not in deleted and f.cleaned_data]
        Debt.objects.write_rows(case, [*kept, *self.new_objects], deleted=deleted, changed=changed)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        old = form.fields["id"]
        form.fields["id"] = _LoadedDebtChoice(
            self._existing_objects(), initial=old.initial, required=False, widget=old.widget
        )

    def row_label(self, index: int) -> str:
        """How the error summary names a row: the number the user sees counting down the page."""
        return _("Debt %(number)s") % {"number": index + 1}

    def _existing_objects(self) -> dict:
        if not hasattr(self, "_object_dict"):
            self._object_dict = {o.pk: o for o in self.get_queryset()}
        return self._object_dict

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if not self._should_delete_form(f) and f.cleaned_data]
        if not kept:
            raise forms.ValidationError(_("Add at least one debt."))


class BudgetForm(PlainLabels, forms.Form):
    """One amount per fixed category; an empty or zero amount means no line."""

    savings = money_field(
        _("Savings you could use (yuan)"), required=False,
        help_text=_("Money in the bank or Alipay you could use now. Lenders may ask about it."),
    )

    def __init__(self, *args, lines=(), case=None, **kwargs):
        super().__init__(*args, **kwargs)
        by_category = {ln.category: ln for ln in lines}
        if case is not None:
            self.initial.setdefault("savings", case.savings)
        self.income_fields, self.expense_fields = [], []
        for value, label in BudgetLine.Category.choices:
            line = by_category.get(value)
            self.fields[f"amount_{value}"] = money_field(label, required=False, help_text=BUDGET_GUIDANCE[value])
            self.fields[f"amount_{value}"].widget.attrs["data-budget"] = (
                "income" if value in BudgetLine.INCOME_CATEGORIES else "expense"
            )
            self.fields[f"label_{value}"] = forms.CharField(
                label=_("Details (optional)"), required=False, max_length=80,
            )
            if line:
                self.initial[f"amount_{value}"] = line.amount
                self.initial[f"label_{value}"] = line.label
            pair = (self[f"amount_{value}"], self[f"label_{value}"])
            (self.income_fields if value in BudgetLine.INCOME_CATEGORIES else self.expense_fields).append(pair)

    def clean(self):
        data = super().clean()
        if not any(data.get(f"amount_{value}") for value in BudgetLine.Category.values):
            raise forms.ValidationError(_("Enter at least one amount: your income or your main costs."))
        return data

    def entered(self) -> dict[str, tuple]:
        """category -> (amount, label) for every category with an amount above zero."""
        return {
            value: (self.cleaned_data[f"amount_{value}"].quantize(CENT), self.cleaned_data[f"label_{value}"])
            for value in BudgetLine.Category.values
            if self.cleaned_data.get(f"amount_{value}")
        }


NARRATIVE_FIELDS = ("hardship_what_happened", "hardship_income_change", "hardship_actions", "hardship_can_pay")
NARRATIVE_MAX = 2000


class HardshipForm(PlainLabels, forms.ModelForm):

    hardship_reasons = forms.MultipleChoiceField(
        label=_("What made it hard to pay? Choose all that apply."),
        choices=Case.Hardship.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one reason.")},
    )

    class Meta:
        model = Case
        fields = ["hardship_reasons", "hardship_since", *NARRATIVE_FIELDS]
        widgets = {
            "hardship_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{f: forms.Textarea(attrs={"rows": 4, "maxlength": NARRATIVE_MAX}) for f in NARRATIVE_FIELDS},
        }
        labels = {"hardship_since": _("Since when?")}
        help_texts = {
            "hardship_what_happened": _("In a few sentences: what happened, and when. Facts, not apologies."),
            "hardship_income_change": _("What you earned before and what comes in now, per month."),
            "hardship_actions": _("What you have done: looking for work, treatment, cutting costs, payments you still made."),
            "hardship_can_pay": _("What you could realistically pay each month, and from when."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hardship_since"].required = True
        self.fields["hardship_what_happened"].required = True
        for name in NARRATIVE_FIELDS:
            self.fields[name].validators.append(MaxLengthValidator(NARRATIVE_MAX))

    def clean_hardship_since(self):
        return not_in_future(self.cleaned_data.get("hardship_since"))


def proves_list_id(kind) -> str:
    """The id of the datalist with the "what it proves" suggestions for ``kind`` (none for no or a bad kind)."""
    return f"proves-{kind}" if kind in PROVES_SUGGESTIONS else "proves-none"


class EvidenceForm(PlainLabels, forms.ModelForm):
    file = forms.FileField(label=_("File"), allow_empty_file=True,
                           help_text=_("PDF, photo (JPEG, PNG, HEIC, WebP) or recording (MP3, M4A, AMR)."))

    class Meta:
        model = Evidence
        fields = ["kind", "debt", "supports_hardship", "proves", "note"]
        labels = {"debt": _("Which debt does it concern?"), "supports_hardship": _("It shows my hardship")}
        help_texts = {
            "proves": _("Printed in the evidence index, e.g. “my income fell from June 2026”. Left empty, the "
                        "usual wording for its kind is used."),
            "note": _("For you only: never printed in a letter."),
        }

    def __init__(self, *args, case, used_bytes=0, debts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.used_bytes = used_bytes
        self.fields["debt"].queryset = Debt.objects.filter(case=case)
        # The choices come from the debts the page already loaded (no query per render).
        self.fields["debt"].choices = [("", _("None / not about one debt"))] + [(d.pk, str(d)) for d in debts]
        # Suggestions for the chosen kind only (the browser offers them; any wording may be typed). Every kind's
        # list is on the page; static/js/intake.js points the field at the new kind's list when the kind changes.
        self.proves_suggestions = PROVES_SUGGESTIONS
        kind = self.data.get(self.add_prefix("kind")) if self.is_bound else self.initial.get("kind")
        self.fields["proves"].widget.attrs["list"] = proves_list_id(kind)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.heic,.heif,.webp,.mp3,.m4a,.amr"
        # Checked in the browser before the upload starts (intake.js), so a 30 MB file is refused at once, not
        # after minutes on a phone connection; the server's check (vault.check_upload) stays the rule.
        self.fields["file"].widget.attrs["data-max-bytes"] = str(settings.EVIDENCE_MAX_FILE_BYTES)
        self.fields["file"].widget.attrs["data-too-large"] = _(
            "This file is %(size)s MB; the most is %(max)s MB per file. Choose a smaller file, or take the photo again at a lower resolution."
        ) % {"size": "%SIZE%", "max": f"{settings.EVIDENCE_MAX_FILE_BYTES / 1048576:.0f}"}
        self.checked = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.checked = check_upload(upload, self.used_bytes)
        except Rejected as exc:
            raise forms.ValidationError(str(exc)) from None
        twin = Evidence.objects.filter(case=self.case, sha256=self.checked.sha256).first()
        if twin:
            raise forms.ValidationError(
                _("You already uploaded this file, as “%(name)s” on %(date)s.")
                % {"name": twin.original_name, "date": timezone.localtime(twin.uploaded_at).strftime("%Y-%m-%d")}
            )
        return upload

    def save(self, commit=True, by=None, inside=None):
        """``inside`` runs in the transaction that inserts the row (the view's lock and limits)."""
        evidence = super().save(commit=False)
        evidence.case = self.case
        evidence.original_name = self.checked.original_name
        evidence.size = self.checked.size
        evidence.content_type = self.checked.content_type
        evidence.sha256 = self.checked.sha256
        evidence.pages = self.checked.pages
        evidence.file = self.cleaned_data["file"]
        if commit:
            save_upload(evidence, "file", inside=inside)
            evidence.record_upload(by)
        return evidence


class EvidenceDetailsForm(PlainLabels, forms.ModelForm):
    """What a file is and what it shows, corrected after the upload (issue 17); the file itself never changes."""

    class Meta:
        model = Evidence
        fields = ["kind", "debt", "supports_hardship", "proves", "note"]
        labels = {"debt": _("Which debt does it concern?"), "supports_hardship": _("It shows my hardship")}

    def __init__(self, *args, debts=(), **kwargs):
        kwargs.setdefault("auto_id", f"id_evidence{kwargs['instance'].pk}_%s")
        super().__init__(*args, **kwargs)
        self.fields["debt"].queryset = Debt.objects.filter(case_id=self.instance.case_id)
        self.fields["debt"].choices = [("", _("None / not about one debt"))] + [(d.pk, str(d)) for d in debts]
        # The page's lists (rendered with the upload form), for the kind as sent or as saved.
        kind = self.data.get(self.add_prefix("kind")) if self.is_bound else self.instance.kind
        self.fields["proves"].widget.attrs["list"] = proves_list_id(kind)

    def save(self, commit=True, by=None):
        evidence = super().save(commit=False)
        if commit:
            evidence.save_details(by)
        return evidence


class ReadyForm(VersionForm):
    confirm = forms.BooleanField(
        label=_("What I entered is true and complete as far as I know."),
        error_messages={"required": _("Please confirm before marking the case ready.")},
    )

