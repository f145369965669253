"""The error summary every page with a form shows first inside <main> (the GOV.UK pattern): one link per
error, in the order the fields stand on the page, so a failed save on a long page can never look like nothing
happened. ``base.html`` calls it; it finds the page's bound forms and formsets in the context by itself."""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    href: str
    label: str
    message: str


def _first_field_id(form: BaseForm) -> str:
    for bound in form.visible_fields():
        return bound.id_for_label or bound.auto_id or ""
    return ""


def form_errors(form: BaseForm, row: str = "") -> list[SummaryError]:
    """The form's errors as summary entries: errors that belong to no field (or to a hidden one) link to the
    form's first visible field. ``row`` names the form inside a formset ("Debt 3")."""
    if not form.is_bound or not form.errors:
        return []
    entries = []
    first = _first_field_id(form)
    for message in form.non_field_errors():
        entries.append(SummaryError(f"#{first}" if first else "#main", row, message))
    for name, field in form.fields.items():
        if name not in form.errors:
            continue
        bound = form[name]
        target = (bound.id_for_label or bound.auto_id or first) if not field.widget.is_hidden else first
        label = "" if field.widget.is_hidden else str(bound.label or "")
        label = f"{row} · {label}" if row and label else (row or label)
        for message in form.errors[name]:
            entries.append(SummaryError(f"#{target}" if target else "#main", label, message))
    return entries


def row_label(formset: BaseFormSet, index: int) -> str:
    """What the summary calls a formset's row: the formset's own ``row_label`` if it has one, else "Row N"."""
    if hasattr(formset, "row_label"):
        return str(formset.row_label(index))
    return _("Row %(number)s") % {"number": index + 1}


def formset_errors(formset: BaseFormSet) -> list[SummaryError]:
    if not formset.is_bound:
        return []
    entries = []
    forms = list(formset.forms)
    first = _first_field_id(forms[0]) if forms else ""
    for message in formset.non_form_errors():
        entries.append(SummaryError(f"#{first}" if first else "#main", "", message))
    for index, form in enumerate(forms):
        entries.extend(form_errors(form, row_label(formset, index)))
    return entries


def page_errors(values) -> list[SummaryError]:
    """Every error of every bound form or formset among ``values``, each form once."""
    entries, seen = [], set()
    for value in values:
        if id(value) in seen:
            continue
        if isinstance(value, BaseFormSet):
            seen.add(id(value))
            seen.update(id(form) for form in value.forms)
            entries.extend(formset_errors(value))
        elif isinstance(value, BaseForm):
            seen.add(id(value))
            entries.extend(form_errors(value))
        elif hasattr(value, "summary_parts"):  # a page's forms validated together (e.g. the bill's settings and lines)
            seen.add(id(value))
            entries.extend(page_errors([part for part in value.summary_parts() if id(part) not in seen]))
            seen.update(id(part) for part in value.summary_parts())
    return entries


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    if "error_summary_entries" in context:
        entries = context["error_summary_entries"]
    else:
        entries = page_errors(context.flatten().values())
    return {"entries": entries}


@register.simple_tag(takes_context=True)
def draft_owner(context) -> str:
    """A key of the signed-in account for the drafts ``app.js`` keeps in the tab (issue 17): a draft typed by
    one account is never offered to another on a shared device. Keyed with the secret, so it says nothing of
    the account to anyone reading the tab's storage; empty when nobody is signed in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("negotiator.draft-owner", str(user.pk), algorithm="sha256").hexdigest()[:20]
