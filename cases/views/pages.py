from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .. import limits
from ..access import get_case_for
from ..models import Case, Contact
from ..overview import overview


@login_not_required
def landing(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "cases/landing.html")


@require_GET
def dashboard(request):
    cases = (
        Case.objects.owned_by(request.user)
        .annotate(debt_count=Count("debts", distinct=True))
        .order_by("-updated_at")
    )
    today = timezone.localdate()
    follow_ups = Contact.objects.follow_ups_due(request.user, today)[:20]
    return render(request, "cases/dashboard.html", {"cases": cases, "follow_ups": follow_ups, "today": today})


@require_POST
def case_new(request):
    try:
        with transaction.atomic():
            limits.lock_user(request.user)  # two clicks at once count one after the other
            limits.check_case_allowed(request.user)
            case = Case.objects.create(owner=request.user)
    except limits.LimitReached as exc:
        messages.error(request, str(exc))
        return redirect("dashboard")
    return redirect("intake_start", case_id=case.pk)


@require_GET
def case_detail(request, case_id: int):
    case = get_case_for(request, case_id, allow_withdrawn=True)
    summary = None if case.consent_withdrawn else overview(case)
    return render(request, "cases/case_detail.html", {"case": case, "overview": summary})
