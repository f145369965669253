from django.shortcuts import redirect

from ..access import get_case_for


def intake_start(request, case_id: int):
    case = get_case_for(request, case_id)
    return redirect("case_detail", case_id=case.pk)
