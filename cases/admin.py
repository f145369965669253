"""The admin registrations of the reviewers' workplace (issue 7): the review
queue, the cases with their filters, search and bulk actions, the audit trail.
The review page and its actions are in review/admin_views.py, the logic in
review/workplace.py, the forms in review/forms.py. Reviewers are staff in the "Reviewers" group (migration 0003); what
they may do follows from that group's permissions, superusers may do all."""

from datetime import timedelta
from io import StringIO

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .django_words import permission_label
from .form_fields import FiniteDecimalField
from .intake.steps import PROVINCES
from .negotiation import rules as log_rules
from .audit_words import ACTIONS, action_label
from .review import audit_trail
from .review import desk as review_desk
from .models import (
    AuditEvent,
    Lawsuit,
    RegulatorOffice,
    Case,
    CaseInReview,
    Contact,
    Evidence,
    Hotline,
    Letter,
    LivingCostFloor,
    LenderOutcome,
    LprRate,
    Membership,
    Organisation,
    Product,
    Proposal,
    ReviewerNote,
)
from .negotiation import outcomes
from .review import workplace as review
from .review.paging import EstimatedCountPaginator
from .review.admin_views import CaseReviewViews
from .review_access import reviewable
from .tasks import TASK_TITLES
from .review.forms import AssignForm, CaseActionForm

admin.site.site_header = _("Negotiator · review")
admin.site.site_title = _("Negotiator review")
admin.site.index_title = _("Reviewers' workplace")


def row_id(text: str | None) -> int | None:
    """A primary key typed into an admin URL or filter, or None: ASCII digits, and short
    ("²".isdigit() is true but int("²") fails, "١" reads as 1, and int() refuses 4300+ digits)."""
    if text and text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None

# --- Filters -----------------------------------------------------------------


class ProductFilter(admin.SimpleListFilter):
    title = _("product")
    parameter_name = "product"

    def lookups(self, request, model_admin):
        return Product.choices

    def queryset(self, request, queryset):
        if self.value() in Product.values:
            return review.with_debt_product(queryset, self.value())
        return queryset


class ProvinceFilter(admin.SimpleListFilter):
    """The 31 provinces as a fixed list: Django's filter for a plain field lists the values the table holds,
    a DISTINCT over every case on every page."""

    title = _("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return [(province, province) for province in PROVINCES]

    def queryset(self, request, queryset):
        if self.value() in PROVINCES:
            return queryset.filter(province=self.value())
        return queryset


class HardshipFilter(admin.SimpleListFilter):
    """Hardship reasons are a JSON list; see review.with_hardship_reason for
    how this works on both SQLite and PostgreSQL."""

    title = _("hardship reason")
    parameter_name = "hardship"

    def lookups(self, request, model_admin):
        return Case.Hardship.choices

    def queryset(self, request, queryset):
        if self.value() in Case.Hardship.values:
            return review.with_hardship_reason(queryset, self.value())
        return queryset


class ReviewerFilter(admin.SimpleListFilter):
    title = _("assigned reviewer")
    parameter_name = "reviewer"

    def lookups(self, request, model_admin):
        choices = [("me", _("Assigned to me")), ("none", _("Not assigned"))]
        return choices + [(str(user.pk), user.get_username()) for user in review.reviewers()]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assigned_reviewer=request.user)
        if value == "none":
            return queryset.filter(assigned_reviewer__isnull=True)
        if (reviewer_id := row_id(value)) is not None:
            return queryset.filter(assigned_reviewer_id=reviewer_id)
        return queryset


class AgeInQueueFilter(admin.SimpleListFilter):
    """How long the oldest letter of the case has waited (queue only)."""

    title = _("waiting for")
    parameter_name = "waiting"
    BANDS = {
        "lt1": (None, 1),
        "1to3": (1, 3),
        "3to7": (3, 7),
        "gt7": (7, None),
    }

    def lookups(self, request, model_admin):
        return [
            ("lt1", _("less than a day")),
            ("1to3", _("1 to 3 days")),
            ("3to7", _("3 to 7 days")),
            ("gt7", _("more than 7 days")),
        ]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        if band is None:
            return queryset
        now = timezone.now()
        least, most = band
        if least is not None:
            queryset = queryset.filter(waiting_since__lte=now - timedelta(days=least))
        if most is not None:
            queryset = queryset.filter(waiting_since__gt=now - timedelta(days=most))
        return queryset


# --- Cases and the review page ----------------------------------------------------


# "sNaN" in an amount must be "Enter a number", not a 500 from the form's has_changed() (see FiniteDecimalField).
FINITE_DECIMALS = {models.DecimalField: {"form_class": FiniteDecimalField}}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, edits or deletes these rows in the admin; changes go through model methods.

    These lists grow with the users: their page count is estimated above 1,000 rows and filters show no
    per-choice counts (each would count the table), see review/paging.py."""

    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Staff are reviewers, not owners: nobody edits a debtor's case in the admin (the raw form
# showed the phone and address unmasked and unaudited), and deleting a case is the owner's
# right (cases.privacy removes its files too). Everyone works on the review page.
class CaseAdmin(CaseReviewViews, ReadOnlyAdmin):
    list_display = ["id", "review_link", "debtor_name", "status", "province", "assigned_reviewer", "updated_at"]
    list_display_links = None
    list_filter = ["status", ProductFilter, ProvinceFilter, HardshipFilter, ReviewerFilter]
    list_select_related = ["debtor", "assigned_reviewer"]
    # What the search box matches is review.search (each an indexed lookup); these name it for the admin.
    search_fields = ["=id", "=debtor__phone", "^debtor__name"]
    search_help_text = _("Case number, the full phone number, or the debtor's name (in full or its beginning).")
    # Sorting a million cases needs an index per order; these two have one (case_recent_first, the key).
    sortable_by = ["id", "updated_at"]
    actions = ["assign_to_reviewer", "export_as_csv"]
    action_form = CaseActionForm
    list_per_page = 50

    @admin.display(description=_("case"), ordering="title")
    def review_link(self, case):
        return format_html('<a href="{}">{}</a>', reverse("admin:cases_case_review", args=[case.pk]), str(case))

    @admin.display(description=_("debtor"), ordering="debtor__name")
    def debtor_name(self, case):
        debtor = getattr(case, "debtor", None)
        return debtor.name if debtor else "—"

    def has_assign_permission(self, request) -> bool:
        return request.user.has_perm("cases.assign_case")

    @admin.action(description=_("Assign the selected cases to the chosen reviewer"), permissions=["assign"])
    def assign_to_reviewer(self, request, queryset):
        form = AssignForm(request.POST)
        if not form.is_valid():
            self.message_user(request, gettext("Choose a reviewer in the list next to the action first."), messages.ERROR)
            return None
        reviewer = form.cleaned_data["reviewer"]
        count = review.assign(queryset, reviewer, by=request.user)
        self.message_user(request, ngettext(
            "%(count)d case assigned to %(reviewer)s.", "%(count)d cases assigned to %(reviewer)s.", count
        ) % {"count": count, "reviewer": reviewer.get_username()}, messages.SUCCESS)
        return None

    @admin.action(description=_("Export the selected cases as CSV"), permissions=["view"])
    def export_as_csv(self, request, queryset):
        sensitive = request.user.has_perm("cases.export_sensitive")
        out = StringIO()
        review.export_csv(Case.objects.filter(pk__in=queryset.values("pk")), out, sensitive=sensitive, by=request.user)
        # A BOM so spreadsheet programs read the Chinese text as UTF-8.
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
        return response

    def get_queryset(self, request):
        return reviewable(request.user, super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        return review.search(queryset, search_term), False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if (case_id := row_id(object_id)) is None:
            raise Http404
        return redirect("admin:cases_case_review", case_id)


admin.site.register(Case, CaseAdmin)


class QueueChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        self.result_list = review_desk.attach_waiting_letters(review.attach_summary(list(self.result_list)))


@admin.register(CaseInReview)
class CaseInReviewAdmin(ReadOnlyAdmin):
    """The review queue: oldest waiting letter first, with a summary per case."""

    list_display = ["id", "review_link", "letters_waiting", "waiting_for", "total_owed", "surplus", "hardship",
                    "contact_count", "status", "province", "assigned_reviewer"]
    list_display_links = None
    list_filter = [AgeInQueueFilter, "status", ProductFilter, ProvinceFilter, HardshipFilter, ReviewerFilter]
    list_select_related = ["assigned_reviewer"]
    search_fields = CaseAdmin.search_fields
    search_help_text = CaseAdmin.search_help_text
    sortable_by = ["id", "waiting_for"]
    actions = ["assign_to_reviewer", "export_as_csv"]
    action_form = CaseActionForm
    list_per_page = 50

    def get_queryset(self, request):
        return review.review_queue(reviewable(request.user, self.model._default_manager.get_queryset()))

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_ordering(self, request):
        return ["waiting_since", "pk"]

    def has_assign_permission(self, request) -> bool:
        return request.user.has_perm("cases.assign_case")

    assign_to_reviewer = CaseAdmin.assign_to_reviewer
    export_as_csv = CaseAdmin.export_as_csv
    get_search_results = CaseAdmin.get_search_results

    change_view = CaseAdmin.change_view

    @admin.display(description=_("case"))
    def review_link(self, case):
        return format_html('<a href="{}">{}</a>', reverse("admin:cases_case_review", args=[case.pk]),
                           gettext("Review %(case)s") % {"case": case})

    @admin.display(description=_("letters waiting"))
    def letters_waiting(self, case):
        return "；".join(case.waiting_letters) or "—"

    @admin.display(description=_("waiting for"), ordering="waiting_since")
    def waiting_for(self, case):
        return timesince(case.waiting_since) if case.waiting_since else "—"

    @admin.display(description=_("total owed"))
    def total_owed(self, case):
        return f"¥{case.total_owed:,.2f}"

    @admin.display(description=_("monthly surplus"))
    def surplus(self, case):
        return f"¥{case.surplus:,.2f}"

    @admin.display(description=_("hardship"))
    def hardship(self, case):
        return "、".join(review.hardship_labels(case)) or "—"

    @admin.display(description=_("contacts"))
    def contact_count(self, case):
        return case.contact_count


@admin.register(LenderOutcome)
class LenderOutcomeAdmin(ReadOnlyAdmin):
    """Beside the review queue: how often each lender agreed to which kind of plan, as anonymous
    counts (cases/negotiation/outcomes.py). One page and no rows to open, for whoever may see the queue."""

    def has_module_permission(self, request):
        return request.user.has_perm("cases.view_caseinreview")

    def has_view_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("cases.view_caseinreview")

    def get_urls(self):
        return [path("", self.admin_site.admin_view(self.changelist_view), name="cases_lenderoutcome_changelist")]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Outcomes per lender"),
            "stages": [_("Asked"), _("Offered"), _("Agreed"), _("Kept to the end")],
            "kinds": list(outcomes.AGREEMENT_KINDS.values()),
            "table": outcomes.lender_table(),
            "small": outcomes.SMALL,
        }
        return TemplateResponse(request, "admin/cases/lender_outcomes.html", context)


# --- Everything else ----------------------------------------------------------


class CaseRowAdmin(ReadOnlyAdmin):
    """Rows of a debtor's case: listed for the cases the user may review, never edited here,
    and opened on the case's review page (audited, sensitive fields masked), not a raw form."""

    def get_queryset(self, request):
        return reviewable(request.user, super().get_queryset(request), case_field="case")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if (pk := row_id(object_id)) is None:
            raise Http404
        row = self.get_queryset(request).filter(pk=pk).values("case_id").first()
        if row is None or not self.has_view_permission(request):
            raise Http404
        return redirect("admin:cases_case_review", row["case_id"])


@admin.register(Evidence)
class EvidenceAdmin(CaseRowAdmin):
    list_display = ["id", "case", "kind", "original_name", "size", "uploaded_at"]
    list_select_related = ["case"]
    exclude = ["file"]
    raw_id_fields = ["case", "debt"]


@admin.register(Letter)
class LetterAdmin(CaseRowAdmin):
    """Letters are read-only here: decisions go through the review page, and a
    letter's frozen content is never edited."""

    list_display = ["id", "case", "title", "version", "status", "submitted_at", "reviewed_by", "reviewed_at"]
    list_filter = ["status", "kind"]  # the kinds by their titles (Letter.Kind choices)
    list_select_related = ["case", "reviewed_by"]
    # The frozen content is read on the review page (rendered), never as raw JSON here.
    exclude = ["html", "pdf", "snapshot", "kind", "lender_slug"]  # the slug is an internal code
    readonly_fields = ["title"]

    @admin.display(description=_("kind"), ordering="kind")
    def title(self, letter):
        return letter.kind_title

    def get_queryset(self, request):
        return super().get_queryset(request).defer("snapshot", "html")


@admin.register(ReviewerNote)
class ReviewerNoteAdmin(CaseRowAdmin):
    """Notes are written on the review page, signed by their author."""

    list_display = ["created_at", "case", "author", "text"]
    list_select_related = ["case", "author"]


@admin.register(Contact)
class ContactAdmin(CaseRowAdmin):
    list_display = ["occurred_at", "case", "channel", "direction", "outcome"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "debts", "evidence"]
    # The reported misconduct is a list of rule codes: shown by the rules' names, never as raw JSON (issue 17);
    # the user reports it in the log.
    exclude = ["misconduct"]
    readonly_fields = ["misconduct_reported"]

    @admin.display(description=_("collection misconduct"))
    def misconduct_reported(self, contact):
        labels = {rule.slug: rule.label for rule in log_rules.MISCONDUCT_RULES}
        return "、".join(str(labels.get(slug, slug)) for slug in contact.misconduct or []) or "—"


@admin.register(Lawsuit)
class LawsuitAdmin(CaseRowAdmin):
    """Read-only rows for staff: the user records the lawsuit on the case (``Lawsuit.save_by`` writes its audit
    entry); the defence and the answer deadline are computed from it, so it is never edited here."""

    list_display = ["id", "case", "court", "case_number", "plaintiff", "served_on", "answer_due", "claim_total"]
    list_select_related = ["case"]
    list_filter = ["served_on"]

    @admin.display(description=_("answer due"))
    def answer_due(self, suit):
        return suit.answer_due


@admin.register(Proposal)
class ProposalAdmin(CaseRowAdmin):
    """Read-only: a proposal is what letters cite (DESIGN.md), made by the debtor's choice on the proposal page."""

    list_display = ["id", "case", "plan_chosen", "created_at"]
    list_select_related = ["case"]
    raw_id_fields = ["case"]
    # The engine's input and output are what letters cite: shown as the plan in words, never as raw JSON.
    exclude = ["engine_input", "engine_output", "chosen_plan"]
    readonly_fields = ["plan_chosen"]

    @admin.display(description=_("chosen plan"))
    def plan_chosen(self, proposal):
        plan = review_desk.chosen_plan_of(proposal)
        if plan is None:
            return "—"
        return gettext("%(label)s: %(months)s months × %(monthly)s, total %(total)s") % {
            "label": plan["label"], "months": plan.get("months", "—"), "monthly": plan.get("monthly_payment", "—"),
            "total": plan.get("total", "—")}


admin.site.register(LprRate, formfield_overrides=FINITE_DECIMALS)
admin.site.register(Hotline)


@admin.register(LivingCostFloor)
class LivingCostFloorAdmin(admin.ModelAdmin):
    # DOMAIN.md "Living-cost floor": every figure is unverified until checked against the local notice.
    list_display = ["region", "per_person", "verified", "where_from"]
    list_filter = ["verified"]
    search_fields = ["region"]
    formfield_overrides = FINITE_DECIMALS

    @admin.display(description=_("source"), ordering="source")
    def where_from(self, floor):
        # The figures migration 0006 seeded carry this English note; staff replace it when they check a figure.
        if floor.source == "unverified default (DOMAIN.md)":
            return gettext("Default from our research notes, not yet checked against the local notice")
        return floor.source


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Advisers' organisations (issue 20): staff create them and name their advisers; debtors share cases with them."""

    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(RegulatorOffice)
class RegulatorOfficeAdmin(admin.ModelAdmin):
    # DOMAIN.md "Complaint and escalation channels": the naming pattern is sure, each entry unverified until checked.
    list_display = ["region", "name", "verified", "source"]
    list_filter = ["verified"]
    search_fields = ["region", "name"]


class AuditActionFilter(admin.SimpleListFilter):
    """The actions by their words (``audit_words.ACTIONS``), not their codes."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return sorted(((code, label) for code, label in ACTIONS.items()), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Superusers only, never editable (reviewers must not see who looked at what). Shown in words
    (``review/audit_trail.py``); the codes stay what is stored and searched."""

    list_display = ["at", "actor", "what", "case", "about", "details"]
    fields = ["at", "actor", "what", "case", "about", "details", "actor_pseudonym"]
    readonly_fields = fields

    @admin.display(description=_("action"), ordering="action")
    def what(self, event):
        return action_label(event.action)

    @admin.display(description=_("case reference"))
    def case(self, event):
        return audit_trail.reference(event.case_ref.partition(":")[2]) if event.case_ref else "—"

    @admin.display(description=_("actor reference"))
    def actor_pseudonym(self, event):
        return audit_trail.reference(event.actor_ref.partition(":")[2]) if event.actor_ref else "—"

    @admin.display(description=_("target"))
    def about(self, event):
        return audit_trail.target(event.target)

    @admin.display(description=_("detail"))
    def details(self, event):
        return audit_trail.details(event)

    list_filter = [AuditActionFilter]
    list_select_related = ["actor"]
    search_fields = ["case_ref__exact", "actor_ref__exact", "action"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


# --- Django's and the other apps' admin in our words (issue 17) -------------------------------------------------

class PermissionsInWords:
    """Permission lists as app | model | what it allows, translated (Django stores "Can add debt" in English)."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            # Each label names its model: one query with the permissions, not one per permission.
            kwargs["queryset"] = Permission.objects.select_related("content_type")
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class GroupInWordsAdmin(PermissionsInWords, GroupAdmin):
    pass


class UserInWordsAdmin(PermissionsInWords, UserAdmin):
    pass


admin.site.unregister(Group)
admin.site.register(Group, GroupInWordsAdmin)
admin.site.unregister(User)
admin.site.register(User, UserInWordsAdmin)


class TaskResultInWordsAdmin(DBTaskResultAdmin):
    """The background tasks by what they do; the function's path stays on the task's own page."""

    list_display = ("task", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name")
    # Not the arguments: a task's arguments can hold an e-mail address (send_password_reset).
    shown = ["task", "status", "enqueued_at", "started_at", "finished_at", "display_run_after", "priority",
             "queue_name", "worker_ids", "return_value", "exception_class_path", "formatted_traceback"]

    def get_readonly_fields(self, request, obj=None):
        return self.shown

    def get_fields(self, request, obj=None):
        return self.shown

    @admin.display(description=_("task"))
    def task(self, result):
        return TASK_TITLES.get(result.task_path.rpartition(".")[2], result.task_path)

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, result):
        return super().formatted_traceback(result)

    @admin.display(description=_("run after"))
    def display_run_after(self, result):
        return super().display_run_after(result)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultInWordsAdmin)
