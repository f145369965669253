"""The data of a debtor's case. Models stay thin: fields, constraints and small
derived properties; computation lives in ``cases.finance`` (pure Python)."""

import functools
import secrets
import unicodedata
import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef
from django.dispatch import receiver
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .crypto import EncryptedCharField, mask
from .negotiation import rules as log_rules

MONEY = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0.00"))]


@functools.cache
def _labels(choices: type[models.Choices]) -> dict:
    return dict(choices.choices)


def choice_label(choices: type[models.Choices], value):
    """What ``get_FOO_display()`` gives for a stored value (its label, or the value itself if it
    is not a choice), from a dict made once per choices class. Django's own rebuilds that dict
    from all the choices on every call: ~90 µs, 5 % of the log page with its thirty calls."""
    return force_str(_labels(choices).get(value, value), strings_only=True)


class _PrivateStorage(LazyObject):
    """``storages["private"]``, looked up when first used and again after the
    STORAGES setting changes (tests), like Django's own ``default_storage``."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    return _private


class StaleCaseError(Exception):
    """Another tab or device saved the case after this form was loaded."""


class CaseQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)


class Case(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        READY = "ready", _("Ready")
        NEGOTIATING = "negotiating", _("Negotiating")
        AGREED = "agreed", _("Agreed")
        ESCALATED = "escalated", _("Escalated")
        CLOSED = "closed", _("Closed")

    class Hardship(models.TextChoices):
        UNEMPLOYMENT = "unemployment", _("Lost my job")
        ILLNESS = "illness", _("Illness or injury")
        BUSINESS = "business", _("Business failure")
        INCOME_CUT = "income_cut", _("Income cut")
        FAMILY = "family", _("Family emergency")
        DISASTER = "disaster", _("Natural disaster or accident")
        OTHER = "other", _("Other")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("owner"), related_name="cases")
    title = models.CharField(_("title"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    province = models.CharField(_("province"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    household_size = models.PositiveSmallIntegerField(
        _("people in household"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    dependants = models.PositiveSmallIntegerField(
        _("dependants"), default=0, validators=[MaxValueValidator(30)]
    )
    hardship_reasons = models.JSONField(_("hardship reasons"), default=list, blank=True)
    hardship_since = models.DateField(_("hardship since"), null=True, blank=True)
    hardship_what_happened = models.TextField(_("what happened"), blank=True)
    hardship_income_change = models.TextField(_("how my income changed"), blank=True)
    hardship_actions = models.TextField(_("what I have done"), blank=True)
    hardship_can_pay = models.TextField(_("what I can pay"), blank=True)
    savings = models.DecimalField(_("savings available"), default=Decimal("0.00"), validators=NON_NEGATIVE, **MONEY)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    completed_steps = models.JSONField(_("completed wizard steps"), default=list, blank=True)
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned reviewer"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["owner", "-updated_at"]), models.Index(fields=["status"])]
        permissions = [
            ("assign_case", _("Can assign cases to reviewers")),
            ("export_sensitive", _("Can export sensitive debtor fields")),
        ]

    def __str__(self) -> str:
        return self.title or _("Case %(id)s") % {"id": self.pk}

    def rename(self, title: str) -> None:
        """The name the owner gives the case (e.g. "花呗和信用卡"); shown on the dashboard, never in a letter."""
        self.title = title
        self.save(update_fields=["title", "updated_at"])

    def letters_needing_changes(self):
        """The newest version of each letter kind on which a reviewer asked for changes."""
        newer = Letter.objects.filter(case=OuterRef("case"), kind=OuterRef("kind"), version__gt=OuterRef("version"))
        return (
            self.letters.filter(status=Letter.Status.CHANGES_REQUESTED)
            .exclude(Exists(newer))
            .only("id", "case_id", "kind", "version", "status", "review_note", "reviewed_at")
            .order_by("-reviewed_at", "-id")
        )

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None

    @property
    def consent_withdrawn(self) -> bool:
        return self.consent_withdrawn_at is not None

    def give_consent(self, version: str) -> None:
        """Record explicit consent to process the sensitive data (PIPL art. 29)."""
        self.consent_at = timezone.now()
        self.consent_version = version
        self.consent_withdrawn_at = None
        Case.objects.filter(pk=self.pk).update(
            consent_at=self.consent_at, consent_version=version, consent_withdrawn_at=None,
            version=F("version") + 1, updated_at=timezone.now(),
        )
        self.refresh_from_db(fields=["version", "updated_at"])

    def withdraw_consent(self) -> None:
        """Stop processing (PIPL art. 15): the case is frozen until consent is given again or it is deleted."""
        self.consent_at = None
        self.consent_withdrawn_at = timezone.now()
        Case.objects.filter(pk=self.pk).update(
            consent_at=None, consent_withdrawn_at=self.consent_withdrawn_at,
            version=F("version") + 1, updated_at=timezone.now(),
        )
        self.refresh_from_db(fields=["version", "updated_at"])

    def save_if_current(self, expected_version: int, update_fields=None) -> None:
        """Save only if nobody saved since ``expected_version`` was read.

        Optimistic locking: a single conditional UPDATE bumps the version, so two
        tabs cannot silently overwrite each other; the loser gets StaleCaseError
        and nothing of its form is written.
        """
        with transaction.atomic():
            updated = Case.objects.filter(pk=self.pk, version=expected_version).update(version=F("version") + 1)
            if not updated:
                raise StaleCaseError
            self.version = expected_version + 1
            fields = None if update_fields is None else [*update_fields, "version", "updated_at"]
            self.save(update_fields=fields)

    def touch(self, expected_version: int) -> None:
        """Bump the version for a change to the case's rows (debts, lines...)."""
        self.save_if_current(expected_version, update_fields=[])

    def set_status(self, status: str, by=None) -> None:
        if status == self.status:
            return
        CaseStatusChange.objects.create(case=self, from_status=self.status, to_status=status, by=by)
        self.status = status
        self.closed_at = timezone.now() if status == Case.Status.CLOSED else None
        Case.objects.filter(pk=self.pk).update(
            status=status, closed_at=self.closed_at, version=F("version") + 1, updated_at=timezone.now()
        )
        self.refresh_from_db(fields=["version", "updated_at"])


class CaseInReview(Case):
    """The review queue: cases with a letter waiting for a reviewer (admin only)."""

    class Meta:
        proxy = True
        verbose_name = _("case waiting for review")
        verbose_name_plural = _("review queue")


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="status_changes")
    from_status = models.CharField(_("from status"), max_length=20, choices=Case.Status.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=Case.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, verbose_name=_("changed by"), null=True, blank=True)
    at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Debtor(models.Model):
    """Only what letters need to identify the debtor."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="debtor")
    name = models.CharField(_("full name"), max_length=60)
    id_number = EncryptedCharField(_("ID number"), blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    address = models.CharField(_("address for letters"), max_length=200)

    class Meta:
        verbose_name = _("debtor")
        verbose_name_plural = _("debtors")

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number)


class Product(models.TextChoices):
    HUABEI = "huabei", pgettext_lazy("product", "Huabei (花呗)")
    JIEBEI = "jiebei", pgettext_lazy("product", "Jiebei (借呗)")
    WANGSHANGDAI = "wangshangdai", pgettext_lazy("product", "MYbank loan (网商贷)")
    CREDIT_CARD = "credit_card", pgettext_lazy("product", "Credit card")
    OTHER = "other", pgettext_lazy("product", "Other")


class Debt(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="debts")
    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    lender = models.CharField(_("lender on the contract"), max_length=100)
    account_number = EncryptedCharField(_("contract or account number"), blank=True)
    principal = models.DecimalField(_("principal outstanding"), validators=NON_NEGATIVE, **MONEY)
    overdue_amount = models.DecimalField(_("overdue amount"), validators=NON_NEGATIVE, **MONEY)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    # Stored as a fraction (0.1825 = 18.25 % a year). Ant quotes 年利率 = 日利率 × 360.
    annual_rate = models.DecimalField(
        _("contract annual rate"), max_digits=8, decimal_places=6, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    # For products without a built-in rule: the daily penalty rate the bill shows.
    penalty_daily_rate = models.DecimalField(
        _("penalty rate per day"), max_digits=8, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    billed_charges = models.DecimalField(
        _("charges already billed"), default=Decimal("0.00"), validators=NON_NEGATIVE, **MONEY
    )
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=0, validators=[MaxValueValidator(365)])
    lender_claimed_total = models.DecimalField(
        _("total the lender claims"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("debt")
        verbose_name_plural = _("debts")

    def __str__(self) -> str:
        return f"{self.get_product_display()} · {self.lender}"

    def get_product_display(self):  # every list of debts shows it (see choice_label)
        return choice_label(Product, self.product)

    @property
    def account_number_masked(self) -> str:
        return mask(self.account_number)


class BudgetLine(models.Model):
    class Kind(models.TextChoices):
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    class Category(models.TextChoices):
        SALARY = "salary", _("Wages and salary")
        BUSINESS = "business", _("Business or freelance income")
        BENEFITS = "benefits", _("Benefits, pension, allowances")
        FAMILY_SUPPORT = "family_support", _("Support from family")
        OTHER_INCOME = "other_income", _("Other income")
        HOUSING = "housing", _("Rent or mortgage")
        UTILITIES = "utilities", _("Water, power, gas, property fees")
        FOOD = "food", _("Food and household goods")
        TRANSPORT = "transport", _("Transport")
        CHILDREN = "children", _("Children and education")
        MEDICAL = "medical", _("Medical costs")
        INSURANCE = "insurance", _("Insurance")
        COMMUNICATION = "communication", _("Phone and internet")
        OTHER_ESSENTIAL = "other_essential", _("Other essential costs")
        SAVINGS = "savings", _("Emergency savings")

    INCOME_CATEGORIES = ("salary", "business", "benefits", "family_support", "other_income")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="budget_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    label = models.CharField(_("description"), max_length=80, blank=True)
    amount = models.DecimalField(_("monthly amount"), validators=NON_NEGATIVE, **MONEY)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The user's filename never becomes part of the path.
    return f"evidence/{instance.case_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PAY_SLIP = "pay_slip", _("Pay slip")
        BANK_STATEMENT = "bank_statement", _("Bank statement")
        MEDICAL = "medical", _("Medical record")
        UNEMPLOYMENT = "unemployment", _("Proof of job loss")
        CONTRACT = "contract", _("Loan contract")
        BILL = "bill", _("Bill or statement")
        TRANSFER = "transfer", _("Transfer record")
        CALL_RECORDING = "call_recording", _("Call recording")
        CHAT_SCREENSHOT = "chat_screenshot", _("Chat screenshot")
        MISCONDUCT = "misconduct", _("Collection misconduct")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    debt = models.ForeignKey(
        Debt, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence",
        verbose_name=_("supports debt"),
    )
    supports_hardship = models.BooleanField(_("supports the hardship"), default=False)
    file = models.FileField(_("file"), storage=private_storage, upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="evidence_unique_file_per_case")]

    def __str__(self) -> str:
        return self.original_name


class Proposal(models.Model):
    """A finance-engine result the user chose a plan from; letters cite it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="proposals")
    engine_input = models.JSONField(_("figures entered"), )
    engine_output = models.JSONField(_("figures computed"), )
    chosen_plan = models.PositiveSmallIntegerField(_("chosen plan"), )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return _("Proposal of %(date)s") % {"date": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")}

    @property
    def plan(self) -> dict:
        return self.engine_output["plans"][self.chosen_plan]


class ContactQuerySet(models.QuerySet):
    def follow_ups_due(self, user, today):
        """Open follow-ups of the user's cases due today or earlier, oldest first."""
        return (
            self.filter(case__owner=user, follow_up_done=False, follow_up_on__lte=today)
            .select_related("case")
            .order_by("follow_up_on", "id")
        )


class Contact(models.Model):
    """One entry of the negotiation log: a call, message, letter or meeting."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app customer service")
        HOTLINE = "hotline", _("95188 phone line")
        COLLECTOR_CALL = "collector_call", _("Collector's call")
        SMS = "sms", _("SMS")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        IN_PERSON = "in_person", _("In person")
        COURT = "court", _("Court or mediator")

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("I contacted them")
        INCOMING = "incoming", _("They contacted me")

    class Outcome(models.TextChoices):
        NO_ANSWER = "no_answer", _("No answer")
        REFUSED = "refused", _("Refused")
        OFFER = "offer", _("Offer made")
        AGREED = "agreed", _("Agreed")
        CALLBACK = "callback", _("Promised to call back")
        INFO = "info", _("Information only")

    class Event(models.TextChoices):
        NONE = "", _("Nothing special")
        COMPLAINT_FILED = "complaint_filed", _("I filed a complaint")
        LAWSUIT_SERVED = "lawsuit_served", _("I was served court papers")
        MEDIATION = "mediation", _("Mediation started")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="contacts")
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    person_name = models.CharField(_("person's name"), max_length=60, blank=True)
    staff_id = models.CharField(_("staff ID"), max_length=40, blank=True)
    phone_number = models.CharField(_("their phone number"), max_length=30, blank=True)
    debts = models.ManyToManyField(Debt, blank=True, related_name="contacts", verbose_name=_("debts concerned"))
    asked = models.TextField(_("what I asked"), blank=True)
    offer_months = models.PositiveSmallIntegerField(_("offered months"), null=True, blank=True)
    offer_monthly = models.DecimalField(_("offered monthly amount"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY)
    offer_waiver = models.DecimalField(_("offered waiver"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY)
    offer_deferral_months = models.PositiveSmallIntegerField(_("offered deferral months"), null=True, blank=True)
    offer_text = models.TextField(_("what they offered"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    event = models.CharField(_("event"), max_length=20, choices=Event.choices, blank=True, default="")
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    misconduct = models.JSONField(_("collection misconduct"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="contacts", verbose_name=_("evidence"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["case", "-occurred_at"]), models.Index(fields=["case", "follow_up_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_channel_display()}"

    # The log shows these for every entry (see choice_label).
    def get_channel_display(self):
        return choice_label(self.Channel, self.channel)

    def get_direction_display(self):
        return choice_label(self.Direction, self.direction)

    def get_outcome_display(self):
        return choice_label(self.Outcome, self.outcome)

    def get_event_display(self):
        return choice_label(self.Event, self.event)

    @property
    def deadline(self) -> date | None:
        """The lender's or court's deadline this contact's event starts, if any."""
        return log_rules.deadline_for(self.event, log_rules.local(self.occurred_at).date())

    def apply_deadline(self) -> None:
        """A logged complaint or lawsuit starts a deadline: it becomes the follow-up
        unless the user already chose an earlier date."""
        due = self.deadline
        if due and (self.follow_up_on is None or self.follow_up_on > due):
            self.follow_up_on = due
            self.follow_up_done = False

    @property
    def has_offer(self) -> bool:
        return any(v is not None for v in (self.offer_months, self.offer_monthly, self.offer_waiver,
                                             self.offer_deferral_months))

    def agree(self, by) -> None:
        """Mark the case agreed on the terms recorded in this contact."""
        self.case.set_status(Case.Status.AGREED, by=by)


def letter_pdf_path(instance: "Letter", filename: str) -> str:
    return f"letters/{instance.case_id}/{instance.content_hash}.pdf"


class Letter(models.Model):
    """One version of one letter kind for a case, frozen when generated."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        SENT = "sent", _("Sent")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="letters")
    kind = models.CharField(_("kind"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, verbose_name=_("proposal"), null=True, blank=True, related_name="letters")
    snapshot = models.JSONField(_("content"), default=dict)
    content_hash = models.CharField(_("content check code"), max_length=64)
    html = models.TextField(_("letter text (HTML)"), blank=True)
    pdf = models.FileField(_("PDF file"), storage=private_storage, upload_to=letter_pdf_path, max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("sent for review at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, verbose_name=_("reviewed by"), null=True, blank=True, related_name="reviewed_letters"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_channel = models.CharField(_("sent by"), max_length=20, blank=True)

    class Meta:
        ordering = ["case", "kind", "-version"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [models.UniqueConstraint(fields=["case", "kind", "version"], name="letter_unique_version")]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return _("%(title)s, version %(version)s") % {"title": self.kind_title, "version": self.version}

    @property
    def kind_title(self) -> str:
        from .letters.kinds import TITLES

        return str(TITLES.get(self.kind, self.kind))

    @property
    def is_final(self) -> bool:
        """Approved or sent: frozen, printed without the draft watermark."""
        return self.status in {Letter.Status.APPROVED, Letter.Status.SENT}

    class NotAllowed(Exception):
        """The letter's status does not allow this step."""

    def submit_for_review(self) -> None:
        if self.status not in {Letter.Status.DRAFT, Letter.Status.CHANGES_REQUESTED}:
            raise Letter.NotAllowed(self.status)
        self.status = Letter.Status.IN_REVIEW
        self.submitted_at = timezone.now()
        self.save(update_fields=["status", "submitted_at"])

    def approve(self, reviewer, note: str = "") -> "LetterReview":
        return self._decide(reviewer, LetterReview.Decision.APPROVED, note)

    def request_changes(self, reviewer, note: str) -> "LetterReview":
        return self._decide(reviewer, LetterReview.Decision.CHANGES_REQUESTED, note)

    def _decide(self, reviewer, decision: str, note: str) -> "LetterReview":
        if self.status != Letter.Status.IN_REVIEW:
            raise Letter.NotAllowed(self.status)
        with transaction.atomic():
            self.status = decision  # the Decision values are Status values
            self.reviewed_by = reviewer
            self.reviewed_at = timezone.now()
            self.review_note = note
            self.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
            return LetterReview.objects.create(letter=self, reviewer=reviewer, decision=decision, note=note)


class LetterReview(models.Model):
    """A reviewer's decision on a letter version."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, verbose_name=_("letter"), related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, verbose_name=_("reviewer"), null=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class ReviewerNote(models.Model):
    """Internal note on a case by staff; never shown to the user."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="reviewer_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, verbose_name=_("author"), null=True)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reviewer note")
        verbose_name_plural = _("reviewer notes")


class AuditEvent(models.Model):
    """Who viewed or changed what, when. Append-only; survives deletions with
    pseudonymous references only (no names, no case content)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, verbose_name=_("actor"), null=True, blank=True)
    actor_ref = models.CharField(_("actor reference"), max_length=64, blank=True)
    case_ref = models.CharField(_("case reference"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=40)
    target = models.CharField(_("target"), max_length=120, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} · {self.action}"


class LprRate(models.Model):
    """One-year Loan Prime Rate by effective date (source: PBOC/NIFC announcements, DOMAIN.md)."""

    effective_from = models.DateField(_("effective from"), unique=True)
    one_year = models.DecimalField(_("one-year LPR"), max_digits=6, decimal_places=4)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("LPR rate")
        verbose_name_plural = _("LPR rates")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.one_year:%}"


class Hotline(models.Model):
    """Complaint and service channels shown to users; staff keep them current."""

    name = models.CharField(_("name"), max_length=100)
    number = models.CharField(_("number"), max_length=40)
    hours = models.CharField(_("hours"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")

    def __str__(self) -> str:
        return f"{self.name} {self.number}"


# Recovery codes: 16 characters from 31 that cannot be mistaken for each other (no 0/O, 1/I/L): about 79 bits,
# written down at sign-up; only a hash is stored, as for a password.
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class AccountSettings(models.Model):
    """What an account remembers beyond Django's user: large text (适老化) and the recovery code that resets a
    password without e-mail or SMS (issue 17)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user"),
                                related_name="account_settings")
    large_text = models.BooleanField(_("large text"), default=False)
    recovery_code_hash = models.CharField(_("recovery code (hashed)"), max_length=200, blank=True)
    recovery_code_at = models.DateTimeField(_("recovery code made at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account settings")
        verbose_name_plural = _("account settings")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def of(cls, user) -> "AccountSettings":
        return cls.objects.get_or_create(user=user)[0]

    def new_recovery_code(self) -> str:
        """A fresh code, shown once; the old one stops working."""
        code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(16))
        self.recovery_code_hash = make_password(code)
        self.recovery_code_at = timezone.now()
        self.save(update_fields=["recovery_code_hash", "recovery_code_at"])
        return "-".join(code[i:i + 4] for i in range(0, 16, 4))

    @staticmethod
    def normalise_code(typed: str) -> str:
        text = unicodedata.normalize("NFKC", typed).upper()
        return "".join(ch for ch in text if ch.isalnum())

    def recovery_code_matches(self, typed: str) -> bool:
        return bool(self.recovery_code_hash) and check_password(self.normalise_code(typed), self.recovery_code_hash)

    def set_large_text(self, on: bool) -> None:
        self.large_text = on
        self.save(update_fields=["large_text"])
