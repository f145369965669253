"""The data of a debtor's case. Models stay thin: fields, constraints and small
derived properties; computation lives in ``cases.finance`` (pure Python)."""

import functools
import hashlib
import hmac
import secrets
import unicodedata
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.dispatch import receiver
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .audit_words import action_label
from .crypto import EncryptedCharField, mask
from .lenders import lender_slug, normalise
from .letters.choices import LetterKind
from .negotiation import rules as log_rules

MONEY = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0.00"))]


@functools.cache
def _labels(choices: type[models.Choices]) -> dict:
    return dict(choices.choices)


def choice_label(choices: type[models.Choices], value):
    """What ``get_FOO_display()`` gives for a stored value (its label, or the value itself if it
    is not a choice), from a dict made once per choices class. Django's own rebuilds that dict
    from all the choices on every call, and the log page makes dozens of calls (docs/performance.md)."""
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

    def update_waiting_since(self) -> int:
        """Set each case's ``waiting_since`` from its letters: when the oldest letter waiting for review was
        sent, None when none waits. Every change of a letter's review status calls it in its transaction
        (``Letter.submit_for_review``, ``Letter._decide``); the review queue reads only this column, so it
        walks one small index instead of testing a million cases for a waiting letter (decision 019)."""
        oldest = (Letter.objects.filter(case=OuterRef("pk"), status=Letter.Status.IN_REVIEW).order_by()
                  .values("case").annotate(first=models.Min("submitted_at")).values("first"))
        return self.update(waiting_since=Subquery(oldest))
    def shared_with(self, user):
        """Cases someone shared with ``user`` or their organisation (issue 20); never staff's (reviewers)."""
        if user.is_staff:
            return self.none()
        return self.filter(Exists(Share.objects.reaching(user).filter(case=OuterRef("pk")))).exclude(owner=user)


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
    monthly_offer = models.DecimalField(
        _("my own monthly amount"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    completed_steps = models.JSONField(_("completed wizard steps"), default=list, blank=True)
    # The statements the user confirmed as true (letters.rules.STATEMENTS): a letter prints a
    # statement of fact the log cannot show only when its code is here (issue 15).
    statements = models.JSONField(_("statements I confirm"), default=list, blank=True)
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned reviewer"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When the oldest of its letters waiting for review was sent; None when none waits (update_waiting_since).
    waiting_since = models.DateTimeField(_("waiting for review since"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # The workplace lists a million cases newest first, filtered by each of these (decision 019); the
        # hardship reasons have a GIN index on PostgreSQL (migration 0014, PostgreSQL only).
        indexes = [
            models.Index(fields=["owner", "-updated_at"]),
            models.Index(fields=["-updated_at", "-id"], name="case_recent_first"),
            models.Index(fields=["status", "-updated_at", "-id"], name="case_status_recent"),
            models.Index(fields=["province", "-updated_at", "-id"], name="case_province_recent"),
            models.Index(fields=["assigned_reviewer", "-updated_at", "-id"], name="case_reviewer_recent"),
            models.Index(fields=["waiting_since", "id"], name="case_review_queue",
                         condition=models.Q(waiting_since__isnull=False)),
        ]
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
        newer = Letter.objects.filter(case=OuterRef("case"), kind=OuterRef("kind"), lender_slug=OuterRef("lender_slug"),
                                      version__gt=OuterRef("version"))
        return (
            self.letters.filter(status=Letter.Status.CHANGES_REQUESTED)
            .exclude(Exists(newer))
            .only("id", "case_id", "kind", "lender", "lender_slug", "version", "status", "review_note", "reviewed_at")
            .order_by("-reviewed_at", "-id")
        )

    def hardship_story(self) -> dict[str, str]:
        """The user's own words about the hardship, as the export and the letters name them."""
        return {
            "what_happened": self.hardship_what_happened,
            "income_change": self.hardship_income_change,
            "actions": self.hardship_actions,
            "can_pay": self.hardship_can_pay,
        }

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None

    @property
    def consent_withdrawn(self) -> bool:
        return self.consent_withdrawn_at is not None

    def give_consent(self, version: str, by=None, *, action: str = "consent_given") -> None:
        """Record explicit consent to process the sensitive data (PIPL art. 29).

        ``action`` names where it was given in the audit trail: the intake wizard
        (``consent_given``) or the privacy page (``privacy.consent_given``)."""
        self.consent_at = timezone.now()
        self.consent_version = version
        self.consent_withdrawn_at = None
        with transaction.atomic():
            Case.objects.filter(pk=self.pk).update(
                consent_at=self.consent_at, consent_version=version, consent_withdrawn_at=None,
                version=F("version") + 1, updated_at=timezone.now(),
            )
            AuditEvent.objects.record(by, action, case=self, version=version)
        self.refresh_from_db(fields=["version", "updated_at"])

    def withdraw_consent(self, by=None) -> None:
        """Stop processing (PIPL art. 15): the case is frozen until consent is given again or it is deleted."""
        self.consent_at = None
        self.consent_withdrawn_at = timezone.now()
        with transaction.atomic():
            Case.objects.filter(pk=self.pk).update(
                consent_at=None, consent_withdrawn_at=self.consent_withdrawn_at,
                version=F("version") + 1, updated_at=timezone.now(),
            )
            AuditEvent.objects.record(by, "privacy.consent_withdrawn", case=self)
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

    def set_monthly_offer(self, amount: Decimal | None, by) -> None:
        """The user's own monthly amount for plans (None removes it), with its audit entry."""
        with transaction.atomic():
            self.monthly_offer = amount
            Case.objects.filter(pk=self.pk).update(monthly_offer=amount)
            AuditEvent.objects.record(by, "monthly_offer_set", case=self, amount=None if amount is None else f"{amount:.2f}")

    def confirm_statements(self, codes: list[str], by) -> None:
        """The statements the user ticks as true; the rest are left out of every letter."""
        with transaction.atomic():
            self.statements = list(codes)
            Case.objects.filter(pk=self.pk).update(statements=self.statements)
            AuditEvent.objects.record(by, "statements_confirmed", case=self, codes=self.statements)

    def mark_ready(self, by) -> None:
        """The user finished the intake wizard: a draft case becomes ready (a later status stays)."""
        if self.status == Case.Status.DRAFT:
            self.set_status(Case.Status.READY, by=by)

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
        # The workplace's search (review.workplace.search): the full phone number, and the name from its
        # first character (LIKE '王%' needs the pattern operator class on a database that is not in the C locale).
        indexes = [
            models.Index(fields=["phone"], name="debtor_phone"),
            models.Index(fields=["name"], name="debtor_name_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask(self.phone)


class Product(models.TextChoices):
    HUABEI = "huabei", pgettext_lazy("product", "Huabei (花呗)")
    JIEBEI = "jiebei", pgettext_lazy("product", "Jiebei (借呗)")
    WANGSHANGDAI = "wangshangdai", pgettext_lazy("product", "MYbank loan (网商贷)")
    CREDIT_CARD = "credit_card", pgettext_lazy("product", "Credit card")
    OTHER = "other", pgettext_lazy("product", "Other")


class LenderType(models.TextChoices):
    # 24 % for licensed lenders, 4 × LPR for private lending (DOMAIN.md "Which cap").
    LICENSED = "licensed", _("A bank, consumer-finance or microloan company (licensed)")
    PRIVATE = "private", _("A person or an ordinary company (private lending)")


class DebtManager(models.Manager):
    def write_rows(self, case: Case, rows: list["Debt"], *, deleted=frozenset(), changed=frozenset()) -> None:
        """Save the case's debts as ``rows`` (kept ones and new unsaved ones, in the order
        shown) and delete the ``deleted`` ids, in a fixed number of queries whatever the
        number of debts. A kept row is written only if it moved or is in ``changed``."""
        if deleted:
            self.filter(case=case, pk__in=deleted).delete()
        updates, new = [], []
        for position, debt in enumerate(rows):
            moved = debt.position != position
            debt.position = position
            debt.case = case
            if debt.pk is None:
                new.append(debt)
            elif moved or debt.pk in changed:
                updates.append(debt)
        if updates:
            fields = [f.name for f in Debt._meta.concrete_fields if f.name not in ("id", "case", "created_at")]
            self.bulk_update(updates, fields)
        if new:
            self.bulk_create(new)


    def keep_valid_rows(self, case: Case, expected_version: int, rows: list["Debt"]) -> None:
        """Write the rows of a debts page that were right while another row had an error (issue 17), each
        at the position it has on the page; the case's version moves on, as for any change to its rows.
        Raises StaleCaseError (nothing written) when the case changed in another tab."""
        with transaction.atomic():
            case.touch(expected_version)
            for debt in rows:
                debt.case = case
                debt.save()


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
    # Finance v2 (issue 14): what the ceiling test and limitation need; see docs/quote.md.
    lender_type = models.CharField(
        _("kind of lender"), max_length=10, choices=LenderType.choices, default=LenderType.LICENSED
    )
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    day_count = models.PositiveSmallIntegerField(
        _("days in the contract's year"), null=True, blank=True, choices=[(360, "360"), (365, "365")]
    )
    billed_through = models.DateField(_("charges billed up to"), null=True, blank=True)
    billed_lines = models.JSONField(_("billed charges by kind and period"), default=list, blank=True)
    overdue_interest = models.DecimalField(
        _("overdue interest"), default=Decimal("0.00"), validators=NON_NEGATIVE, **MONEY
    )
    penalty_multiplier = models.DecimalField(
        _("penalty multiplier"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    accelerated_on = models.DateField(_("whole loan declared due on"), null=True, blank=True)
    amount_received = models.DecimalField(
        _("amount actually received"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )
    last_due_date = models.DateField(_("last due date"), null=True, blank=True)
    last_payment_date = models.DateField(_("last payment"), null=True, blank=True)
    include_despite_limitation = models.BooleanField(_("included in plans despite the limitation warning"),
                                                     default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DebtManager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("debt")
        verbose_name_plural = _("debts")
        indexes = [models.Index(fields=["product", "case"], name="debt_product_case")]  # the product filter

    def __str__(self) -> str:
        return f"{self.get_product_display()} · {self.lender}"

    def get_product_display(self):  # every list of debts shows it (see choice_label)
        return choice_label(Product, self.product)

    @property
    def account_number_masked(self) -> str:
        return mask(self.account_number)

    def set_billed_charges(self, lines: list[dict], billed_through, penalty_multiplier, overdue_interest,
                           by) -> None:
        """The charges copied from the lender's bill, by kind and period (``lines`` as the engine reads
        them: ``{"kind", "amount", "from"?, "to"?, "base"?}``, strings), the date they are billed
        through, the penalty multiplier and the overdue interest, with their audit entry. The single
        ``billed_charges`` figure becomes the lines' sum (0 without lines: the page shows that figure as a
        line, so a user who removes every line means nothing is billed), so every page shows one total."""
        total = sum((Decimal(line["amount"]) for line in lines), Decimal("0.00"))
        fields = {"billed_lines": lines, "billed_charges": total, "billed_through": billed_through,
                  "penalty_multiplier": penalty_multiplier, "overdue_interest": overdue_interest}
        with transaction.atomic():
            Debt.objects.filter(pk=self.pk).update(**fields)
            for name, value in fields.items():
                setattr(self, name, value)
            AuditEvent.objects.record(by, "debt_billed_charges_changed", case=self.case, target=f"debt:{self.pk}",
                                      lines=len(lines))

    def set_included_despite_limitation(self, include: bool, by) -> None:
        """The user's deliberate choice, after the limitation warning, to put this debt in plans."""
        with transaction.atomic():
            self.include_despite_limitation = include
            Debt.objects.filter(pk=self.pk).update(include_despite_limitation=include)
            AuditEvent.objects.record(by, "debt_included_despite_limitation" if include else "debt_left_out_for_limitation",
                         case=self.case, target=f"debt:{self.pk}")


class BudgetLineManager(models.Manager):
    def replace_for(self, case: Case, lines: dict[str, tuple]) -> None:
        """Replace the case's budget lines with ``{category: (amount, label)}`` (two queries)."""
        self.filter(case=case).delete()
        order = BudgetLine.Category.values
        self.bulk_create([
            BudgetLine(
                case=case, category=category, label=label, amount=amount, position=order.index(category),
                kind=BudgetLine.Kind.INCOME if category in BudgetLine.INCOME_CATEGORIES else BudgetLine.Kind.EXPENSE,
            )
            for category, (amount, label) in lines.items()
        ])


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

    objects = BudgetLineManager()

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
    # What the file shows, as printed in the evidence index (证明内容); the note is the user's own.
    proves = models.CharField(_("what it proves"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="evidence_unique_file_per_case")]

    def __str__(self) -> str:
        return self.original_name

    def record_upload(self, by) -> None:
        """The audit entry for a new upload (the row and its file are saved by ``files.save_upload``)."""
        AuditEvent.objects.record(by, "evidence_uploaded", case=self.case, target=f"evidence:{self.pk}",
                                  content_type=self.content_type, size=self.size)

    def save_details(self, by) -> None:
        """What the file is and shows, corrected after the upload (issue 17); the file itself never changes."""
        with transaction.atomic():
            self.save(update_fields=["kind", "debt", "supports_hardship", "proves", "note"])
            AuditEvent.objects.record(by, "evidence_changed", case=self.case, target=f"evidence:{self.pk}")

    def remove(self, by) -> None:
        """Delete the row, then its file, once the row is gone for good: a failed delete
        leaves both, never a row without its file."""
        case, pk, stored = self.case, self.pk, self.file.name
        with transaction.atomic():
            self.delete()
        self.file.storage.delete(stored)
        AuditEvent.objects.record(by, "evidence_deleted", case=case, target=f"evidence:{pk}")


class ProposalManager(models.Manager):
    def choose(self, case: Case, engine_input: dict, engine_output: dict, chosen_plan: int, by,
               reason: str = "") -> "Proposal":
        """Save the quote the user chose plan ``chosen_plan`` from, with its audit entry. ``reason``
        (where money above the available amount comes from) is kept only for a plan that needs one."""
        if not engine_output["plans"][chosen_plan].get("needs_reason"):
            reason = ""
        with transaction.atomic():
            proposal = self.create(case=case, engine_input=engine_input, engine_output=engine_output,
                                   chosen_plan=chosen_plan, as_of=date.fromisoformat(engine_output["as_of"]),
                                   reason=reason.strip())
            AuditEvent.objects.record(by, "proposal_chosen", case=case, target=f"proposal:{proposal.pk}",
                                      kind=proposal.plan["kind"])
        return proposal


class Proposal(models.Model):
    """A finance-engine result the user chose a plan from; letters cite it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="proposals")
    engine_input = models.JSONField(_("figures entered"))
    engine_output = models.JSONField(_("figures computed"))
    chosen_plan = models.PositiveSmallIntegerField(_("chosen plan"))
    # The one date of everything shown from this proposal (pages and letters read the snapshot).
    as_of = models.DateField(_("figures as of"), null=True, blank=True)
    # Where the money above the available amount comes from, in the user's words (shown to the reviewer).
    reason = models.TextField(_("where the difference comes from"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ProposalManager()

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

    @property
    def figures_date(self) -> date:
        return self.as_of or date.fromisoformat(self.engine_output["as_of"])

    def for_lender(self, lender: str) -> dict:
        """One lender's view of the snapshot, for a letter to that lender only (docs/quote.md)."""
        output = self.engine_output
        key = normalise(lender)  # one lender however its name was spaced on each debt (cases/lenders.py)
        debts = [d for d in output["debts"] if normalise(d["lender"]) == key]
        plan = self.plan
        parts = [p for p in plan.get("parts", []) if normalise(p["lender"]) == key]
        part = parts[0] if parts else None
        others = [d for d in output["debts"] if normalise(d["lender"]) != key and d.get("in_plans", True)]
        return {
            "as_of": self.figures_date.isoformat(),
            "lender": lender,
            "debts": debts,
            "part": part,
            "plan": {key: plan.get(key) for key in ("kind", "months", "deferral_months", "monthly_payment", "total",
                                                    "affordable", "needs_reason", "review_on", "freeze_charges")},
            "reason": self.reason,
            "budget": output["budget"],
            "others": {"count": len({normalise(d["lender"]) for d in others}),
                       "total": f'{sum((Decimal(d["balance"]) for d in others), Decimal("0.00")):.2f}'},
        }


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
        MEDIATION = "mediation", _("Mediation session")

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
        REGULATOR_COMPLAINT = "regulator_complaint", _("I reported the lender to the regulator")
        CREDIT_OBJECTION = "credit_objection", _("I objected to my credit report")
        ARBITRATION_NOTICE = "arbitration_notice", _("I received an arbitration notice")

    class Counterpart(models.TextChoices):
        # Who the user dealt with; "mediation centre" and "arbitration" lead to their page of the
        # other roads (issue 19), where a collector calling itself a 调解中心 is checked.
        NONE = "", _("Not said")
        LENDER = "lender", _("The lender")
        COLLECTOR = "collector", _("A collection agency")
        REGULATOR = "regulator", _("A regulator")
        COURT = "court", _("A court")
        MEDIATION_CENTRE = "mediation_centre", _("A \"mediation centre\"")
        ARBITRATION = "arbitration", _("An arbitration commission")
        OTHER = "other", _("Someone else")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="contacts")
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    counterpart = models.CharField(_("who they were"), max_length=20, choices=Counterpart.choices, blank=True,
                                   default="")
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    person_name = models.CharField(_("person's name"), max_length=60, blank=True)
    staff_id = models.CharField(_("staff ID"), max_length=40, blank=True)
    phone_number = models.CharField(_("their phone number"), max_length=30, blank=True)
    debts = models.ManyToManyField(Debt, blank=True, related_name="contacts", verbose_name=_("debts concerned"))
    # Where the debt is not known (a collector's call): the lender the caller said they collect for.
    collecting_for = models.CharField(_("collecting for (lender)"), max_length=100, blank=True)
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
    # Optimistic locking like Case.version: an edit made from a stale form is refused (409).
    version = models.PositiveIntegerField(default=1, editable=False)
    # The add form's one-time token: the same form submitted twice makes one entry.
    form_token = models.CharField(max_length=32, blank=True, default="", editable=False)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["case", "-occurred_at"]), models.Index(fields=["case", "follow_up_on"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "form_token"], condition=~models.Q(form_token=""),
                                    name="contact_unique_form_token"),
        ]

    class Stale(Exception):
        """Someone saved this entry after the form was loaded."""

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

    def get_counterpart_display(self):
        return choice_label(self.Counterpart, self.counterpart)

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

    def save_from_log(self, by, *, created: bool, save_m2m=None, expected_version: int | None = None) -> None:
        """Save the contact as the log's form filled it in, with its audit entry. With
        ``expected_version`` (an edit) only if nobody saved the entry since that version was
        read; otherwise ``Contact.Stale`` and nothing is written."""
        with transaction.atomic():
            if expected_version is not None:
                bumped = Contact.objects.filter(pk=self.pk, version=expected_version).update(version=F("version") + 1)
                if not bumped:
                    raise Contact.Stale
                self.version = expected_version + 1
            self.save()
            if save_m2m:
                save_m2m()
            AuditEvent.objects.record(by, "contact.add" if created else "contact.edit", case=self.case,
                                      target=f"contact:{self.pk}")

    def mark_follow_up_done(self, by) -> None:
        with transaction.atomic():
            self.follow_up_done = True
            self.save(update_fields=["follow_up_done"])
            AuditEvent.objects.record(by, "contact.follow_up_done", case=self.case, target=f"contact:{self.pk}")

    def remove(self, by) -> None:
        """Delete the contact from the log, with its audit entry."""
        case, pk = self.case, self.pk
        with transaction.atomic():
            self.delete()
            AuditEvent.objects.record(by, "contact.delete", case=case, target=f"contact:{pk}")


class AgreementManager(models.Manager):
    def accept(self, contact: "Contact", lender: str, lender_slug: str, first_due: date, by) -> "Agreement":
        """Record the offer in ``contact`` as agreed with ``lender``, with its audit entry. Agreeing
        restarts the limitation period of this lender's debts (诉讼时效规定 Art 14): the quote
        adapter reads the agreement as the debtor's promise on ``agreed_on``."""
        if contact.offer_monthly is None or not contact.offer_months:
            raise ValueError("an agreement needs the offered monthly amount and months")
        with transaction.atomic():
            Contact.objects.select_for_update().filter(pk=contact.pk).exists()  # two taps make one plan
            if self.filter(contact=contact).exists():
                raise ValueError("this log entry is already an agreed plan")
            agreement = self.create(
                case=contact.case, contact=contact, lender=lender, lender_slug=lender_slug,
                monthly=contact.offer_monthly, months=contact.offer_months,
                waiver=contact.offer_waiver, first_due=first_due,
                agreed_on=log_rules.local(timezone.now()).date(),
            )
            if contact.outcome != Contact.Outcome.AGREED:
                contact.outcome = Contact.Outcome.AGREED
                contact.save(update_fields=["outcome"])
            AuditEvent.objects.record(by, "agreement.accept", case=contact.case, target=f"agreement:{agreement.pk}",
                                      lender=lender_slug)
            if contact.case.status not in (Case.Status.AGREED, Case.Status.CLOSED):
                contact.case.set_status(Case.Status.AGREED, by=by)
        return agreement


class Agreement(models.Model):
    """An offer the user accepted from one lender: the plan they now keep to."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        KEPT = "kept", _("Kept to the end")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="agreements")
    contact = models.ForeignKey("Contact", on_delete=models.SET_NULL, verbose_name=_("log entry"), null=True,
                                blank=True, related_name="agreements")
    lender = models.CharField(_("lender on the contract"), max_length=100)
    lender_slug = models.CharField(_("lender code"), max_length=20, db_index=True)
    monthly = models.DecimalField(_("monthly amount"), validators=NON_NEGATIVE, **MONEY)
    months = models.PositiveSmallIntegerField(_("months"), validators=[MinValueValidator(1), MaxValueValidator(120)])
    waiver = models.DecimalField(_("waived"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY)
    first_due = models.DateField(_("first payment due"))
    agreed_on = models.DateField(_("agreed on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ON_TRACK)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AgreementManager()

    class Meta:
        ordering = ["-agreed_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.lender}: {self.monthly} × {self.months}"

    @property
    def total(self) -> Decimal:
        return self.monthly * self.months

    def schedule(self) -> list[tuple[date, Decimal]]:
        """The due dates, one a month from ``first_due``, each ``monthly``: they sum to ``total``."""
        return [(log_rules.add_months(self.first_due, i), self.monthly) for i in range(self.months)]

    def check_in(self, due_on: date, result: str, paid: Decimal | None, by) -> "CheckIn":
        """Record one month's payment; a short or missed payment puts the plan at risk."""
        if due_on not in {d for d, _amount in self.schedule()}:
            raise ValueError("not a due date of this agreement")
        with transaction.atomic():
            check_in, _created = CheckIn.objects.update_or_create(
                agreement=self, due_on=due_on, defaults={"result": result, "paid": paid})
            results = list(self.check_ins.values_list("result", flat=True))
            if CheckIn.Result.MISSED in results or CheckIn.Result.SHORT in results:
                status = self.Status.AT_RISK
            elif len(results) == self.months:
                status = self.Status.KEPT
            else:
                status = self.Status.ON_TRACK
            if status != self.status:
                self.status = status
                self.save(update_fields=["status"])
            AuditEvent.objects.record(by, "agreement.check_in", case=self.case, target=f"agreement:{self.pk}",
                                      result=result)
        return check_in


class LenderOutcome(Agreement):
    """The reviewers' anonymous counts per lender (admin only; ``negotiation/outcomes.py``)."""

    class Meta:
        proxy = True
        verbose_name = _("outcome per lender")
        verbose_name_plural = _("outcomes per lender")


class CheckIn(models.Model):
    """The user's own word on one month's payment under an agreement."""

    class Result(models.TextChoices):
        PAID = "paid", _("Paid in full")
        SHORT = "short", _("Paid less")
        MISSED = "missed", _("Missed")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, verbose_name=_("agreement"),
                                  related_name="check_ins")
    due_on = models.DateField(_("due on"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    paid = models.DecimalField(_("amount paid"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [models.UniqueConstraint(fields=["agreement", "due_on"], name="one_check_in_per_due_date")]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class ReminderSettings(models.Model):
    """A user's calendar feed and e-mail reminders. The feed token is unguessable (256 bits) and
    replaced when revoked; the unsubscribe token works without a login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user"),
                                related_name="reminders")
    feed_token = models.CharField(_("calendar feed key"), max_length=64, unique=True, null=True, blank=True)
    email_opt_in = models.BooleanField(_("send me e-mail reminders"), default=False)
    unsubscribe_token = models.CharField(_("unsubscribe key"), max_length=64, unique=True, default=_new_token)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    quiet_from = models.PositiveSmallIntegerField(_("no e-mail from (hour)"), default=21,
                                                  validators=[MaxValueValidator(23)])
    quiet_until = models.PositiveSmallIntegerField(_("no e-mail until (hour)"), default=8,
                                                   validators=[MaxValueValidator(23)])
    last_sent_on = models.DateField(_("last reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    @classmethod
    def for_user(cls, user) -> "ReminderSettings":
        return cls.objects.get_or_create(user=user)[0]

    def new_feed(self, by) -> str:
        """A fresh feed URL token; the old one stops working at once."""
        with transaction.atomic():
            self.feed_token = _new_token()
            self.save(update_fields=["feed_token"])
            AuditEvent.objects.record(by, "calendar_feed.new")
        return self.feed_token

    def revoke_feed(self, by) -> None:
        with transaction.atomic():
            self.feed_token = None
            self.save(update_fields=["feed_token"])
            AuditEvent.objects.record(by, "calendar_feed.revoke")

    def set_email(self, opt_in: bool, language: str, email: str, quiet: tuple[int, int], by) -> None:
        with transaction.atomic():
            self.email_opt_in, self.language = opt_in, language
            self.quiet_from, self.quiet_until = quiet
            self.save(update_fields=["email_opt_in", "language", "quiet_from", "quiet_until"])
            if email != self.user.email:
                self.user.email = email
                self.user.save(update_fields=["email"])
            AuditEvent.objects.record(by, "reminders.opt_in" if opt_in else "reminders.opt_out")

    def unsubscribe(self) -> None:
        """From the e-mail's link, without a login: the token is replaced so the link works once."""
        with transaction.atomic():
            self.email_opt_in = False
            self.unsubscribe_token = _new_token()
            self.save(update_fields=["email_opt_in", "unsubscribe_token"])
            AuditEvent.objects.record(None, "reminders.unsubscribe", target=pseudonym("user", self.user_id))


class ReminderSent(models.Model):
    """One due item reminded by e-mail: never twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user"),
                             related_name="+")
    key = models.CharField(_("reminded item"), max_length=120)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_reminder_per_item")]


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

    Kind = LetterKind  # defined in a leaf module, so the rules tables can name kinds without importing models

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="letters")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    # One addressee per letter (issue 15): the lender's name as printed and its stable slug (cases/lenders.py).
    lender = models.CharField(_("lender"), max_length=100, blank=True)
    lender_slug = models.CharField(_("lender code"), max_length=20, blank=True)
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
    # Separation of duties: who made this version's content and who sent it for review
    # may not decide on it (Letter.ConflictOfInterest).
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_channel = models.CharField(_("sent by"), max_length=20, blank=True)

    class Meta:
        ordering = ["case", "kind", "-version"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [models.UniqueConstraint(fields=["case", "kind", "lender_slug", "version"],
                                               name="letter_unique_version_per_lender")]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            # The review queue: each case's letters waiting and the oldest of them (review.workplace.review_queue).
            models.Index(fields=["case", "submitted_at"], name="letter_waiting_by_case",
                         condition=models.Q(status="in_review")),
        ]

    def __str__(self) -> str:
        return _("%(title)s, version %(version)s") % {"title": self.kind_title, "version": self.version}

    @property
    def url_args(self) -> tuple:
        return (self.case_id, self.kind, self.lender_slug or "-", self.version)

    @property
    def kind_title(self) -> str:
        return str(choice_label(Letter.Kind, self.kind))

    @property
    def is_final(self) -> bool:
        """Approved or sent: frozen, printed without the draft watermark."""
        return self.status in {Letter.Status.APPROVED, Letter.Status.SENT}

    class NotAllowed(Exception):
        """The letter's status does not allow this step."""

    class ConflictOfInterest(NotAllowed):
        """The reviewer owns the case, generated this version or sent it for review."""

    def submit_for_review(self, by=None) -> None:
        if self.status not in {Letter.Status.DRAFT, Letter.Status.CHANGES_REQUESTED}:
            raise Letter.NotAllowed(self.status)
        self.status = Letter.Status.IN_REVIEW
        self.submitted_at = timezone.now()
        self.submitted_by = by
        with transaction.atomic():
            self.save(update_fields=["status", "submitted_at", "submitted_by"])
            Case.objects.filter(pk=self.case_id).update_waiting_since()
            AuditEvent.objects.record(by, "letter_submitted", case=self.case, target=f"letter:{self.pk}")

    def is_own_work_of(self, user) -> bool:
        """Did ``user`` write, make or submit this version? Then they may not review it."""
        ids = {self.case.owner_id, self.generated_by_id, self.submitted_by_id} - {None}
        return user.pk in ids

    def approve(self, reviewer, note: str = "") -> "LetterReview":
        return self._decide(reviewer, LetterReview.Decision.APPROVED, note)

    def request_changes(self, reviewer, note: str) -> "LetterReview":
        return self._decide(reviewer, LetterReview.Decision.CHANGES_REQUESTED, note)

    def _decide(self, reviewer, decision: str, note: str) -> "LetterReview":
        if self.status != Letter.Status.IN_REVIEW:
            raise Letter.NotAllowed(self.status)
        if self.is_own_work_of(reviewer):
            raise Letter.ConflictOfInterest(self.status)
        with transaction.atomic():
            self.status = decision  # the Decision values are Status values
            self.reviewed_by = reviewer
            self.reviewed_at = timezone.now()
            self.review_note = note
            self.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
            Case.objects.filter(pk=self.case_id).update_waiting_since()
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


class ReviewerNoteManager(models.Manager):
    def add(self, case: Case, author, text: str) -> "ReviewerNote":
        with transaction.atomic():
            note = self.create(case=case, author=author, text=text)
            AuditEvent.objects.record(author, "admin.note_added", case=case, target=f"note:{note.pk}")
        return note


class ReviewerNote(models.Model):
    """Internal note on a case by staff; never shown to the user."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="reviewer_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, verbose_name=_("author"), null=True)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ReviewerNoteManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reviewer note")
        verbose_name_plural = _("reviewer notes")


def pseudonym(kind: str, pk) -> str:
    """A keyed hash standing for ``kind:pk``: an audit entry still says "the same case
    as entry X" after the case and its owner are deleted, without keeping who they were."""
    if pk is None:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:16]}"


class AuditEventManager(models.Manager):
    def entry(self, actor, action: str, case=None, target: str = "", **detail) -> "AuditEvent":
        """An unsaved entry: ``record`` saves one, ``bulk_create`` many."""
        actor_id = getattr(actor, "pk", None)
        return self.model(
            actor=actor if actor_id else None,
            actor_ref=pseudonym("user", actor_id),
            case_ref=pseudonym("case", getattr(case, "pk", None)),
            action=action,
            target=target,
            detail=detail,
        )

    def record(self, actor, action: str, case=None, target: str = "", **detail) -> "AuditEvent":
        """Write one entry; the method making a change calls it in the change's transaction."""
        entry = self.entry(actor, action, case=case, target=target, **detail)
        entry.save(force_insert=True)
        return entry


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

    objects = AuditEventManager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} · {action_label(self.action)}"


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


class LivingCostFloor(models.Model):
    """The local minimum living standard (低保) per person per month, by city or province;
    the row with no region is the national default. Unverified until checked against the
    local civil-affairs bureau's notice (DOMAIN.md "Living-cost floor", U)."""

    region = models.CharField(_("city or province"), max_length=40, unique=True, blank=True)
    per_person = models.DecimalField(_("per person per month"), validators=NON_NEGATIVE, **MONEY)
    verified = models.BooleanField(_("checked against the local notice"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["region"]
        verbose_name = _("living-cost floor")
        verbose_name_plural = _("living-cost floors")

    def __str__(self) -> str:
        return f"{self.region or '—'}: {self.per_person}"

    @classmethod
    def for_region(cls, city: str, province: str) -> "LivingCostFloor | None":
        """The city's figure, else the province's, else the national default (one query)."""
        rows = {row.region: row for row in cls.objects.filter(region__in={city, province, ""})}
        return rows.get(city) if city in rows else rows.get(province) if province in rows else rows.get("")


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

    def replace_recovery_code(self, by) -> str:
        """A new code asked for on the account page, with its audit entry; shown once."""
        with transaction.atomic():
            code = self.new_recovery_code()
            AuditEvent.objects.record(by, "account.recovery_code_made")
        return code

    @classmethod
    def recover_password(cls, user, password: str) -> str:
        """Set the new password given with a matching recovery code; the used code stops working and the
        new one (returned, to be shown once) replaces it."""
        with transaction.atomic():
            user.set_password(password)
            user.save(update_fields=["password"])
            code = cls.of(user).new_recovery_code()
            AuditEvent.objects.record(user, "account.password_recovered")
        return code

    @staticmethod
    def normalise_code(typed: str) -> str:
        text = unicodedata.normalize("NFKC", typed).upper()
        return "".join(ch for ch in text if ch.isalnum())

    def recovery_code_matches(self, typed: str) -> bool:
        return bool(self.recovery_code_hash) and check_password(self.normalise_code(typed), self.recovery_code_hash)

    def set_large_text(self, on: bool) -> None:
        self.large_text = on
        self.save(update_fields=["large_text"])


class Lawsuit(models.Model):
    """A lender's suit against the debtor, as its complaint (起诉状) states it: the court defence is
    filled from it, and its service date starts the answer deadline (民事诉讼法 Art 128)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"), related_name="lawsuits")
    court = models.CharField(_("court"), max_length=100)
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    plaintiff = models.CharField(_("plaintiff (the lender suing)"), max_length=100)
    served_on = models.DateField(_("papers served on"), null=True, blank=True)
    claim_principal = models.DecimalField(_("principal claimed"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY)
    claim_interest = models.DecimalField(_("interest claimed"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY)
    claim_compound = models.DecimalField(_("compound interest claimed"), null=True, blank=True,
                                         validators=NON_NEGATIVE, **MONEY)
    claim_penalty = models.DecimalField(_("penalty interest or liquidated damages claimed"), null=True, blank=True,
                                        validators=NON_NEGATIVE, **MONEY)
    claim_fees = models.DecimalField(_("other fees claimed"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY)
    claim_lawyer_fees = models.DecimalField(_("lawyer's fees claimed"), null=True, blank=True,
                                            validators=NON_NEGATIVE, **MONEY)
    claim_acceleration = models.BooleanField(_("asks to declare the whole loan due or end the contract"),
                                             default=False)
    claim_total = models.DecimalField(_("total claimed"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("lawsuit")
        verbose_name_plural = _("lawsuits")

    def __str__(self) -> str:
        return f"{self.court} {self.case_number}".strip()

    @property
    def plaintiff_slug(self) -> str:
        return lender_slug(self.plaintiff)

    @property
    def answer_days(self) -> int:
        """Days from service to the answer's due date (the log's deadline table holds the number)."""
        return log_rules.DEADLINES["lawsuit_served"].days

    @property
    def answer_due(self) -> date | None:
        """15 days from service (民事诉讼法 Art 128; the log's deadline table holds the number)."""
        return log_rules.deadline_for("lawsuit_served", self.served_on) if self.served_on else None

    def save_by(self, by, *, created: bool) -> None:
        with transaction.atomic():
            self.save()
            AuditEvent.objects.record(by, "lawsuit.add" if created else "lawsuit.edit", case=self.case,
                                      target=f"lawsuit:{self.pk}")

    def remove(self, by) -> None:
        case, pk = self.case, self.pk
        with transaction.atomic():
            self.delete()
            AuditEvent.objects.record(by, "lawsuit.delete", case=case, target=f"lawsuit:{pk}")


class RegulatorOffice(models.Model):
    """A local bureau of 国家金融监督管理总局 (NFRA) by region: one per province-level region and one for
    each separately planned city (DOMAIN.md "Complaint and escalation channels": H for the naming pattern,
    M for each entry until staff check it)."""

    region = models.CharField(_("province or city"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    verified = models.BooleanField(_("checked against the regulator's site"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["region"]
        verbose_name = _("regulator's local office")
        verbose_name_plural = _("regulator's local offices")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def for_region(cls, city: str, province: str) -> "RegulatorOffice | None":
        """The city's own bureau (大连、宁波、厦门、青岛、深圳), else the province's (one query)."""
        rows = {row.region: row for row in cls.objects.filter(region__in={city, province} - {""})}
        return rows.get(city) or rows.get(province)


class CreditRecordError(models.Model):
    """What the user says is wrong in one lender's record on their credit report (issue 19): the
    credit-report objection letter prints it. Only a record that is actually wrong can be objected
    to (征信业管理条例 Art 25); a true record stays its five years (Art 16). One per lender."""

    class Problem(models.TextChoices):
        WRONG_AMOUNT = "wrong_amount", _("The amount is wrong")
        WRONG_DATES = "wrong_dates", _("The dates are wrong (when it was overdue or repaid)")
        NOT_MINE = "not_mine", _("It is not my debt")
        NO_NOTICE = "no_notice", _("It was reported without telling me first")

    class Addressee(models.TextChoices):
        LENDER = "lender", _("The lender that reported it")
        BUREAU = "bureau", _("The credit reference centre of the People's Bank of China")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="credit_record_errors")
    lender = models.CharField(_("lender"), max_length=100)
    lender_slug = models.CharField(max_length=20)
    problem = models.CharField(_("what is wrong"), max_length=20, choices=Problem.choices)
    details = models.TextField(
        _("what the report says, and what is true"), max_length=1000,
        help_text=_("For example: the report says 8,000 yuan overdue since March; I repaid it in full on 5 April."))
    account = models.CharField(_("account shown on the report (last four digits are enough)"), max_length=40,
                               blank=True)
    addressee = models.CharField(_("send the objection to"), max_length=10, choices=Addressee.choices,
                                 default=Addressee.LENDER)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "lender_slug"], name="one_credit_error_per_lender")]
        verbose_name = _("wrong credit record")
        verbose_name_plural = _("wrong credit records")

    def __str__(self) -> str:
        return f"{self.lender}: {self.get_problem_display()}"

    def get_problem_display(self):
        return choice_label(self.Problem, self.problem)

    @classmethod
    def record(cls, case: Case, lender, *, problem: str, details: str, account: str, addressee: str,
               by) -> "CreditRecordError":
        """Save what is wrong in ``lender``'s record (a lenders.Lender of the case), replacing what was said before."""
        account = "".join(account.split())[-4:]  # the last four only: enough to find the record, nothing more kept
        with transaction.atomic():
            row, created = cls.objects.update_or_create(
                case=case, lender_slug=lender.slug,
                defaults={"lender": lender.name, "problem": problem, "details": details, "account": account,
                          "addressee": addressee})
            AuditEvent.objects.record(by, "credit_error.add" if created else "credit_error.edit", case=case,
                                      target=f"credit_error:{row.pk}")
        return row


class LetterRender(models.Model):
    """One queued render of one stored PDF (a letter version's draft or final variant, with or
    without its evidence bundle): however many times the PDF is asked for before it exists,
    the worker is given it once (issue 16). ``renders`` counts the runs that finished the row: 1."""

    name = models.CharField(max_length=200, unique=True)
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="renders")
    bundle = models.BooleanField(default=False)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    renders = models.PositiveIntegerField(default=0)
    # Runs that started rendering: more than 1 when a run was lost (worker killed) and queued again.
    attempts = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    # Why it produced no PDF ("too_long:<pages>", "limit", "failed"), empty when it did.
    error = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("queued letter PDF")
        verbose_name_plural = _("queued letter PDFs")

    def __str__(self) -> str:
        return self.name


class PendingUpload(models.Model):
    """A file being stored for a row not committed yet: written (and committed) before the file,
    deleted in the transaction that inserts the row (``files.save_upload``). A process killed
    in between leaves this row naming the file, so the leftover is known, not an orphan, and
    ``check_storage --delete-orphans`` removes both (issue 16)."""

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("upload being stored")
        verbose_name_plural = _("uploads being stored")

    def __str__(self) -> str:
        return self.name


# --- Sharing a case (issue 20): helpers, advisers' organisations ------------------------------


class Organisation(models.Model):
    """An advisers' organisation (legal aid, a debt charity), created by staff in the admin. Its members see the
    cases debtors shared with it (their caseload); they are never reviewers through it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organisations",
                                     verbose_name=_("advisers"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("advisers' organisation")
        verbose_name_plural = _("advisers' organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, verbose_name=_("organisation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("adviser"))
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("adviser")
        verbose_name_plural = _("advisers")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


class ShareRole(models.TextChoices):
    VIEW = "view", _("View only")
    HELP = "help", _("Help with the case")
    ADVISER = "adviser", _("Adviser")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationError(Exception):
    """An invitation link that cannot be accepted; the message says why, in the user's words."""


class ShareInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(used_at=None, revoked_at=None, expires_at__gt=timezone.now())


class ShareInvitation(models.Model):
    """A single-use link the owner gives a helper (or an advisers' organisation). Only the token's
    SHA-256 is stored: the link is shown once, to the owner, and a database copy opens nothing."""

    VALID_FOR = timedelta(days=7)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="share_invitations", verbose_name=_("case"))
    role = models.CharField(_("role"), max_length=10, choices=ShareRole.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="invitations", verbose_name=_("organisation"))
    sensitive_consent = models.BooleanField(_("may see sensitive personal information"), default=False)
    sensitive_consent_version = models.CharField(_("sensitive data consent text version"), max_length=20, blank=True)
    label = models.CharField(_("who it is for"), max_length=60, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ShareInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sharing invitation")
        verbose_name_plural = _("sharing invitations")

    def __str__(self) -> str:
        return f"{self.case_id} · {self.role}"

    @property
    def is_pending(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @classmethod
    def create_for(cls, case: Case, *, role: str, by, label: str = "", organisation=None,
                   sensitive_consent: bool = False, consent_version: str = "") -> tuple["ShareInvitation", str]:
        """A new invitation and its token (shown once). Consent to sensitive data is recorded in the audit trail
        with the text version the owner saw; the share copies it when the link is used."""
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            invitation = cls.objects.create(
                case=case, role=ShareRole.ADVISER if organisation else role, organisation=organisation,
                sensitive_consent=sensitive_consent, label=label, token_hash=_token_hash(token),
                sensitive_consent_version=consent_version if sensitive_consent else "",
                expires_at=timezone.now() + cls.VALID_FOR,
            )
            AuditEvent.objects.record(by, "sharing.invited", case=case, target=f"invitation:{invitation.pk}",
                                      role=invitation.role, organisation=getattr(organisation, "pk", None),
                                      sensitive_consent=sensitive_consent,
                                      consent_version=consent_version if sensitive_consent else "")
        return invitation, token

    @classmethod
    def find(cls, token: str) -> "ShareInvitation | None":
        return cls.objects.select_related("case", "organisation").filter(token_hash=_token_hash(token)).first()

    def revoke(self, by) -> None:
        with transaction.atomic():
            updated = ShareInvitation.objects.filter(pk=self.pk, used_at=None, revoked_at=None).update(
                revoked_at=timezone.now())
            if updated:
                AuditEvent.objects.record(by, "sharing.invitation_revoked", case=self.case,
                                          target=f"invitation:{self.pk}")

    def accept(self, user) -> "Share":
        """The signed-in user takes the invitation: a share for them (or their organisation). Single use:
        the conditional UPDATE lets only one request win. The owner, staff and, for an organisation's
        invitation, anyone not its adviser are refused."""
        if user.pk == self.case.owner_id:
            raise InvitationError(_("This is your own case: you already have it."))
        if user.is_staff:
            raise InvitationError(_("Staff accounts cannot be helpers: reviewers see cases only in the review workplace."))
        if self.organisation_id and not Membership.objects.filter(organisation_id=self.organisation_id, user=user).exists():
            raise InvitationError(_("This invitation is for the advisers of %(organisation)s.")
                                  % {"organisation": self.organisation.name})
        with transaction.atomic():
            used = ShareInvitation.objects.filter(pk=self.pk, used_at=None, revoked_at=None,
                                                  expires_at__gt=timezone.now()).update(used_at=timezone.now())
            if not used:
                raise InvitationError(_("This invitation has been used, withdrawn or has expired. Ask for a new link."))
            existing = Share.objects.active().filter(case=self.case)
            existing = (existing.filter(organisation=self.organisation) if self.organisation_id
                        else existing.filter(helper=user, organisation=None))
            for old in existing:
                old.end(by=user, reason="replaced")
            share = Share.objects.create(
                case=self.case, role=self.role, helper=None if self.organisation_id else user,
                organisation=self.organisation, invitation=self, accepted_by=user,
                sensitive_consent_at=timezone.now() if self.sensitive_consent else None,
                sensitive_consent_version=self.sensitive_consent_version,
            )
            AuditEvent.objects.record(user, "sharing.accepted", case=self.case, target=f"share:{share.pk}",
                                      role=share.role)
        return share


class ShareQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at=None)

    def reaching(self, user):
        """The active shares through which ``user`` reaches a case: their own, or their organisation's."""
        return self.active().filter(models.Q(helper=user) | models.Q(organisation__membership__user=user))


class Share(models.Model):
    """Someone other than the owner working on one case: a helper (view or help) or an advisers'
    organisation. Ended, never deleted while the case lives: the sharing page and the export show the history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares", verbose_name=_("case"))
    role = models.CharField(_("role"), max_length=10, choices=ShareRole.choices)
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="shares", verbose_name=_("helper"))
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="shares", verbose_name=_("organisation"))
    invitation = models.OneToOneField(ShareInvitation, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="share", verbose_name=_("invitation"))
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("accepted by"))
    granted_at = models.DateTimeField(_("since"), default=timezone.now)
    # The owner's separate consent (PIPL Art. 29) to this helper seeing the ID number, phone and evidence files.
    sensitive_consent_at = models.DateTimeField(_("sensitive data consent given at"), null=True, blank=True)
    sensitive_consent_version = models.CharField(_("sensitive data consent text version"), max_length=20, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=20, blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        indexes = [models.Index(fields=["helper", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.role}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    @property
    def who(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return self.helper.get_username() if self.helper_id else str(_("a deleted account"))

    def end(self, by, reason: str = "revoked") -> None:
        """Access stops at once: every later request of the helper is a 404."""
        with transaction.atomic():
            if Share.objects.filter(pk=self.pk, ended_at=None).update(ended_at=timezone.now(), end_reason=reason):
                AuditEvent.objects.record(by, "sharing.ended", case=self.case, target=f"share:{self.pk}",
                                          reason=reason)
        self.refresh_from_db(fields=["ended_at", "end_reason"])

    def set_role(self, role: str, by) -> bool:
        """View only or help, for a person's share (an organisation's stays the advisers'). Made view-only, the
        share also loses the consent to sensitive data: helping again never brings it back unasked.
        False when nothing changed (the same role, an ended share, an organisation's)."""
        fields = {"role": role}
        if role == ShareRole.VIEW:
            fields.update(sensitive_consent_at=None, sensitive_consent_version="")
        with transaction.atomic():
            # A person's share (an organisation's is always ADVISER), still active, not already in this role.
            changed = (Share.objects.filter(pk=self.pk, ended_at=None, role__in=[ShareRole.VIEW, ShareRole.HELP])
                       .exclude(role=role).update(**fields))
            if changed:
                AuditEvent.objects.record(by, "sharing.role_changed", case=self.case, target=f"share:{self.pk}",
                                          role=role)
        self.refresh_from_db(fields=["role", "sensitive_consent_at", "sensitive_consent_version"])
        return bool(changed)

    def set_sensitive_consent(self, given: bool, version: str, by) -> None:
        with transaction.atomic():
            self.sensitive_consent_at = timezone.now() if given else None
            self.sensitive_consent_version = version if given else ""
            self.save(update_fields=["sensitive_consent_at", "sensitive_consent_version"])
            AuditEvent.objects.record(by, "sharing.sensitive_consent_given" if given else "sharing.sensitive_consent_withdrawn",
                                      case=self.case, target=f"share:{self.pk}", version=self.sensitive_consent_version)


class AdviserNote(models.Model):
    """A note an adviser writes on a shared case; the debtor sees it on the case's hub."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="adviser_notes", verbose_name=_("case"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("author"))
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("organisation"))
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("adviser's note")
        verbose_name_plural = _("advisers' notes")

    @classmethod
    def write(cls, case: Case, *, author, organisation, text: str) -> "AdviserNote":
        with transaction.atomic():
            note = cls.objects.create(case=case, author=author, organisation=organisation, text=text)
            AuditEvent.objects.record(author, "sharing.adviser_note", case=case, target=f"adviser_note:{note.pk}")
        return note
