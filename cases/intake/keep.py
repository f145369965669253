"""The debts step keeps the rows that are right when another row has an error (issue 17).

Saving the step was all-or-nothing: one empty lender field in the third debt sent the whole page back, and a
user who gave up then lost the two debts that were fine. Now the valid rows are written at once (the step is
still not marked done), and the page comes back with the same rows in the same order, the saved ones now
carrying their ids, so saving again after the correction neither loses nor duplicates anything."""

import re

from django.http import QueryDict

from ..models import Case, Debt, StaleCaseError


def _rows(data: QueryDict, prefix: str, total: int) -> list[dict[str, list[str]]]:
    rows = []
    for index in range(total):
        start = f"{prefix}-{index}-"
        rows.append({key[len(start):]: data.getlist(key) for key in data if key.startswith(start)})
    return rows


def save_valid_debt_rows(case: Case, formset, version: int) -> tuple[int, QueryDict] | None:
    """Write the formset's valid new or changed rows (deletions wait for a save without errors).

    Returns the number of rows written and the page's data re-ordered as Django's formset needs it (rows with
    an id first; only a new row that still has an error can move below the saved ones) with the new case
    version, or None when nothing was written: no valid row, or the case changed in another tab."""
    forms = formset.forms
    initial = formset.initial_form_count()
    valid = [
        form for form in forms
        if not form.errors and form.cleaned_data and form.has_changed()
        and not formset._should_delete_form(form)
    ]
    if not valid:
        return None
    rows = []
    for position, form in enumerate(forms):
        if form in valid:
            debt = form.save(commit=False)
            debt.position = position
            rows.append(debt)
    try:
        Debt.objects.keep_valid_rows(case, version, rows)
    except StaleCaseError:
        return None

    prefix = formset.prefix
    rows = _rows(formset.data, prefix, formset.total_form_count())
    saved_new = [i for i in range(initial, len(forms)) if forms[i] in valid]
    for i in saved_new:
        rows[i]["id"] = [str(forms[i].instance.pk)]
    order = [*range(initial), *saved_new, *(i for i in range(initial, len(forms)) if i not in saved_new)]
    data = QueryDict(mutable=True)
    row_key = re.compile(rf"{re.escape(prefix)}-[0-9]+-")
    for key, values in formset.data.lists():
        if not row_key.match(key):
            data.setlist(key, values)
    for new_index, old_index in enumerate(order):
        for name, values in rows[old_index].items():
            data.setlist(f"{prefix}-{new_index}-{name}", values)
    data[f"{prefix}-INITIAL_FORMS"] = str(initial + len(saved_new))
    data[f"{prefix}-TOTAL_FORMS"] = str(len(order))
    data["version"] = str(case.version)
    return len(valid), data
