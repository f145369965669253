import uuid
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import limits
from ..amounts import MoneyField
from ..models import Case, Contact
from . import rules

QUICK_FIELDS = ("occurred_at", "channel", "direction", "counterpart", "organisation", "phone_number", "outcome", "notes")
DETAIL_FIELDS = (
    "person_name", "staff_id", "debts", "collecting_for", "asked", "offer_months", "offer_monthly", "offer_waiver",
    "offer_deferral_months", "offer_text", "event", "follow_up_on", "misconduct", "evidence",
)
MAX_MONEY = Decimal("99999999.99")


class ContactForm(forms.ModelForm):
    """Quick add needs only QUICK_FIELDS; the details are optional."""

    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("China time (Beijing)."),
    )
    misconduct = forms.MultipleChoiceField(
        label=_("Collection misconduct in this contact"),
        choices=[(r.slug, r.label) for r in rules.REPORTED_MISCONDUCT],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Calls at night and repeated calls are flagged automatically from the time and number."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Logging a complaint, a lawsuit or a credit-report objection sets its deadline for you. "
                    "For an arbitration notice, enter the answer deadline written in the notice."),
    )

    offer_months = forms.IntegerField(label=_("Offered months"), required=False, min_value=1, max_value=120)
    offer_deferral_months = forms.IntegerField(
        label=_("Offered deferral months"), required=False, min_value=1, max_value=120
    )
    offer_monthly = MoneyField(
        label=_("Offered monthly amount (yuan)"), required=False, min_value=Decimal("0.01"), max_value=MAX_MONEY,
        decimal_places=2,
    )
    offer_waiver = MoneyField(
        label=_("Offered waiver (yuan)"), required=False, min_value=Decimal("0.00"), max_value=MAX_MONEY,
        decimal_places=2,
    )

    # A new entry's one-time token (a double submit makes one entry) and an edited entry's
    # version (an edit from a stale tab is refused with 409): issue 16.
    form_token = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    class Meta:
        model = Contact
        fields = QUICK_FIELDS + DETAIL_FIELDS
        widgets = {
            "debts": forms.CheckboxSelectMultiple,
            "evidence": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "asked": forms.Textarea(attrs={"rows": 2}),
            "offer_text": forms.Textarea(attrs={"rows": 2}),
            "phone_number": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, case: Case, last_logged=None, repeat_last: bool = False, prefill: dict | None = None,
                 **kwargs):
        """``last_logged``: the case's last entry if the caller has it (CaseLog.last_logged), saving a query.
        ``repeat_last``: fill in the last entry's channel and counterpart, when the user asks for it ("same as
        last time"); by default the form is empty but for the time, so nothing of the last call is logged again
        by mistake (issue 17). ``prefill``: from a call card, the lender, its debts, the round."""
        super().__init__(*args, **kwargs)
        self.case = case
        # Only what the choices show (Debt.__str__, Evidence.__str__): no account number to decrypt.
        self.fields["debts"].queryset = case.debts.only("id", "case_id", "product", "lender")
        self.fields["evidence"].queryset = case.evidence.only("id", "case_id", "original_name")
        # Where the debt is not known: the lender the caller collects for, one of the case's (issue 15).
        names = list(dict.fromkeys(debt.lender.strip() for debt in self.fields["debts"].queryset if debt.lender.strip()))
        self.fields["collecting_for"] = forms.ChoiceField(
            label=_("Collecting for (if you do not know which debt)"), required=False,
            choices=[("", _("Not known")), *((name, name) for name in names)],
            help_text=_("Collection complaints include an incident only for the lender its debt or caller belongs to."),
        )
        for name, choices in (("channel", Contact.Channel.choices), ("direction", Contact.Direction.choices),
                              ("outcome", Contact.Outcome.choices)):
            self.fields[name].choices = [("", _("Choose…")), *choices]
        self.fields["event"].required = False
        if not self.is_bound and self.instance.pk is None:
            self.initial.update(self.quick_defaults(case, last_logged, repeat=repeat_last))
            self.initial.update(prefill or {})  # from a call card: the lender, its debts, the round
            self.initial["form_token"] = uuid.uuid4().hex
        if self.instance.pk is not None:
            self.initial["version"] = self.instance.version

    @staticmethod
    def quick_defaults(case: Case, last=None, repeat: bool = True) -> dict:
        """Now, and (``repeat``) the channel and counterpart of the entry logged last: many calls repeat."""
        initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        if not repeat:
            return initial
        last = last or case.contacts.order_by("-id").first()
        if last:
            initial.update(channel=last.channel, direction=last.direction, counterpart=last.counterpart,
                           organisation=last.organisation,
                           person_name=last.person_name, staff_id=last.staff_id, phone_number=last.phone_number)
        return initial

    def clean_occurred_at(self):
        when = self.cleaned_data["occurred_at"]
        if when > timezone.now() + timedelta(minutes=10):
            raise forms.ValidationError(_("This is in the future. Log contacts after they happen."))
        if when.year < 2000:
            raise forms.ValidationError(_("Please check the year."))
        return when

    def clean_phone_number(self):
        phone = self.cleaned_data["phone_number"].strip()
        if phone and not all(c in "0123456789+-() " for c in phone):
            raise forms.ValidationError(_("Use digits only, for example 95188 or 021-12345678."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Contact.Outcome.AGREED and not (
            (cleaned.get("offer_months") and cleaned.get("offer_monthly") is not None)
            or cleaned.get("offer_deferral_months")
        ):
            self.add_error(
                "offer_months",
                _("For an agreement, write down the months and monthly amount (or the months of deferral) you agreed."),
            )
        when, follow_up = cleaned.get("occurred_at"), cleaned.get("follow_up_on")
        if cleaned.get("event") == Contact.Event.ARBITRATION_NOTICE and not follow_up:
            # The answer deadline comes from the commission's rules and is printed on the notice
            # (DOMAIN.md "Other roads", M): only the user can give it, and it must reach the calendar.
            self.add_error("follow_up_on", _("Enter the answer deadline written in the arbitration notice."))
        if when and follow_up and follow_up < rules.local(when).date():
            self.add_error("follow_up_on", _("The follow-up date cannot be before the contact."))
        return cleaned

    class AlreadySaved(Exception):
        """The same add form came again (a double click, a resent request): its entry exists."""

    def save(self, commit: bool = True, by=None) -> Contact:
        """A new entry carries the form's token and is counted against ``CASE_MAX_CONTACTS``
        under the case's row lock (``limits.LimitReached``; ``AlreadySaved`` when its token was
        saved before). An edit is saved only if the entry is still at the version the form was
        loaded with (``Contact.Stale`` otherwise, nothing written)."""
        created = self.instance.pk is None
        contact = super().save(commit=False)
        contact.case = self.case
        contact.event = contact.event or ""
        contact.apply_deadline()
        if created:
            contact.form_token = self.cleaned_data.get("form_token") or ""
        if commit:
            with transaction.atomic():
                if created:
                    limits.lock_case(self.case)  # counting and inserting one after the other
                    if contact.form_token and Contact.objects.filter(case=self.case,
                                                                     form_token=contact.form_token).exists():
                        raise ContactForm.AlreadySaved
                    limits.check_contact_allowed(self.case)
                contact.save_from_log(by, created=created, save_m2m=self.save_m2m,
                                      expected_version=None if created else self.cleaned_data.get("version") or 0)
        return contact

    def refresh_version(self) -> None:
        """After a refused stale edit: the form keeps the user's input but now carries the current
        version, so saving again is a deliberate choice to overwrite."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(Contact.objects.filter(pk=self.instance.pk).values_list(
            "version", flat=True).first() or "")
        self.data = data

    def quick_fields(self):
        return [self[name] for name in QUICK_FIELDS]

    def detail_fields(self):
        return [self[name] for name in DETAIL_FIELDS]

    @property
    def has_detail_errors(self) -> bool:
        return any(name in self.errors for name in DETAIL_FIELDS)
