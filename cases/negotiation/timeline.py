"""The case's history in one list: contacts, letters, evidence and status changes.

Paging a union of four tables: first one narrow query per table for (time, id)
only, merged and sliced in Python; then one query per table for the rows on the
page. The number of queries does not grow with the number of entries.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ..models import Case, CaseStatusChange, Contact, Debt, Evidence, Letter

KINDS = {
    "contact": _("Contacts"),
    "letter": _("Letters"),
    "evidence": _("Evidence"),
    "status": _("Status changes"),
}
PAGE_SIZE = 50


@dataclass
class Entry:
    kind: str
    at: datetime
    pk: int
    obj: object = None


def _sources(case: Case, debt: Debt | None) -> dict:
    contacts = Contact.objects.filter(case=case)
    evidence = Evidence.objects.filter(case=case)
    if debt is not None:
        # Letters and status changes concern the whole case, not one debt.
        return {
            "contact": (contacts.filter(debts=debt), "occurred_at"),
            "evidence": (evidence.filter(debt=debt), "uploaded_at"),
        }
    return {
        "contact": (contacts, "occurred_at"),
        "letter": (Letter.objects.filter(case=case), "created_at"),
        "evidence": (evidence, "uploaded_at"),
        "status": (CaseStatusChange.objects.filter(case=case), "at"),
    }


def timeline_page(case: Case, *, kind: str = "", debt: Debt | None = None, page: int | str = 1) -> Page:
    sources = _sources(case, debt)
    if kind:
        sources = {k: v for k, v in sources.items() if k == kind}
    entries = [
        Entry(name, at, pk)
        for name, (qs, field) in sources.items()
        for at, pk in qs.values_list(field, "id")
    ]
    entries.sort(key=lambda e: (e.at, e.pk), reverse=True)
    page_obj = Paginator(entries, PAGE_SIZE).get_page(page)
    _load(page_obj.object_list, sources)
    return page_obj


def _load(entries: list[Entry], sources: dict) -> None:
    wanted: dict[str, list[int]] = {}
    for e in entries:
        wanted.setdefault(e.kind, []).append(e.pk)
    loaders = {
        "contact": lambda ids: Contact.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("debts", queryset=Debt.objects.only("id", "product", "lender"))
        ),
        "letter": lambda ids: Letter.objects.filter(pk__in=ids).defer("html", "snapshot"),
        "evidence": lambda ids: Evidence.objects.filter(pk__in=ids).select_related("debt"),
        "status": lambda ids: CaseStatusChange.objects.filter(pk__in=ids).select_related("by"),
    }
    objects = {kind: {o.pk: o for o in loaders[kind](ids)} for kind, ids in wanted.items()}
    for e in entries:
        e.obj = objects[e.kind][e.pk]
