"""The owner names a case (issue 17): "案件 2" says nothing on a list of cases."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import get_case_for
from ..forms import CaseNameForm
from ..overview import overview


@require_POST
def case_rename(request, case_id: int):
    case = get_case_for(request, case_id)
    form = CaseNameForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/case_detail.html", {
            "case": case, "overview": overview(case), "name_form": form,
        }, status=400)
    case.rename(form.cleaned_data["title"])
    messages.success(request, _("The case is now called “%(title)s”.") % {"title": case.title})
    return redirect("case_detail", case_id=case.pk)
