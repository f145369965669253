from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..access import get_case_for
from ..forms import CaseNameForm
from ..models import Case, Contact
from ..overview import overview
from .preferences import shown_code


@login_not_required
def landing(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "cases/landing.html")


def dashboard(request):
    cases = (
        Case.objects.owned_by(request.user)
        .annotate(debt_count=Count("debts", distinct=True))
        .order_by("-updated_at")
    )
    today = timezone.localdate()
    follow_ups = Contact.objects.follow_ups_due(request.user, today)[:20]
    return render(request, "cases/dashboard.html", {
        "cases": cases, "follow_ups": follow_ups, "today": today, "recovery_code": shown_code(request),
    })


@require_POST
def case_new(request):
    case = Case.objects.create(owner=request.user)
    return redirect("intake_start", case_id=case.pk)


def case_detail(request, case_id: int):
    case = get_case_for(request, case_id, allow_withdrawn=True)
    summary = None if case.consent_withdrawn else overview(case)
    return render(request, "cases/case_detail.html", {
        "case": case, "overview": summary, "name_form": CaseNameForm(initial={"title": case.title}),
    })
