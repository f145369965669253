"""Admin registrations. The reviewers' workplace (queue, review page, decisions,
audit) is built here on top of these (issue 7)."""

from django.contrib import admin

from .models import (
    AuditEvent,
    BudgetLine,
    Case,
    Contact,
    Debt,
    Debtor,
    Evidence,
    Hotline,
    Letter,
    LprRate,
    Proposal,
    ReviewerNote,
)


class DebtorInline(admin.StackedInline):
    model = Debtor
    extra = 0
    exclude = ["id_number"]
    readonly_fields = ["id_number_masked"]


class DebtInline(admin.TabularInline):
    model = Debt
    extra = 0
    exclude = ["account_number"]
    readonly_fields = ["account_number_masked"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "owner", "status", "province", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["owner"]
    inlines = [DebtorInline, DebtInline, BudgetLineInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["id", "case", "kind", "original_name", "size", "uploaded_at"]
    exclude = ["file"]


admin.site.register([Contact, Proposal, Letter, ReviewerNote, LprRate, Hotline])


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "case_ref", "target"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
