from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import limits
from ..access import Can, get_case_for
from ..models import Case, Contact
from ..sharing.forms import AdviserNoteForm
from ..accounts.recovery import shown_code
from ..negotiation.agenda import case_agenda, user_agenda
from ..negotiation.coach import open_check_ins
from .forms import CaseNameForm
from .overview import overview


@login_not_required
def landing(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "cases/pages/landing.html")


@require_GET
def dashboard(request):
    return render(request, "cases/pages/dashboard.html", dashboard_context(request))


def dashboard_context(request) -> dict:
    """The dashboard's content; a check-in refused on it is shown on it again (``coach_views.check_in``)."""
    cases = (
        Case.objects.owned_by(request.user)
        .annotate(debt_count=Count("debts", distinct=True))
        .order_by("-updated_at")
    )
    today = timezone.localdate()
    follow_ups = Contact.objects.follow_ups_due(request.user, today)[:20]
    # The follow-ups due today or earlier are listed above with their buttons.
    soon = [d for d in user_agenda(request.user, today) if not (d.rule.slug == "follow_up" and d.on <= today)]
    shared = Case.objects.shared_with(request.user).select_related("owner").order_by("-updated_at")
    return {"cases": cases, "follow_ups": follow_ups, "today": today, "soon": soon, "shared": shared,
            "check_ins": open_check_ins(request.user), "recovery_code": shown_code(request)}


@require_POST
def case_new(request):
    try:
        case = limits.open_case(request.user)
    except limits.LimitReached as exc:
        messages.error(request, str(exc))
        return redirect("dashboard")
    return redirect("intake_start", case_id=case.pk)


@require_GET
def case_detail(request, case_id: int):
    case = get_case_for(request, case_id, allow_withdrawn=True, need=Can.READ)
    return render(request, "cases/pages/case_detail.html",
                  case_page_context(case, CaseNameForm(initial={"title": case.title})))


def case_page_context(case, name_form) -> dict:
    today = timezone.localdate()
    summary, soon, later, lawsuits = None, [], [], []
    if not case.consent_withdrawn:  # a withdrawn case's page is frozen: no summary, no dates
        summary = overview(case)
        every_lawsuit = list(case.lawsuits.all())
        soon, later = case_agenda(case, today, lawsuits=every_lawsuit)
        lawsuits = [suit for suit in every_lawsuit if suit.served_on is not None]
    # Advisers' notes are the debtor's to read (and their organisation's): newest first, a page of them.
    notes = list(case.adviser_notes.select_related("author", "organisation")[:20])
    return {"case": case, "overview": summary, "soon": soon, "later": later, "today": today, "lawsuits": lawsuits,
            "name_form": name_form, "access": case.access, "adviser_notes": notes,
            "note_form": AdviserNoteForm() if case.access.can(Can.NOTE) else None}


@require_POST
def case_rename(request, case_id: int):
    """The owner names a case (issue 17): "案件 2" says nothing on a list of cases."""
    case = get_case_for(request, case_id, need=Can.OWNER)
    form = CaseNameForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/pages/case_detail.html", case_page_context(case, form), status=400)
    case.rename(form.cleaned_data["title"])
    messages.success(request, _("The case is now called “%(title)s”.") % {"title": case.title})
    return redirect("case_detail", case_id=case.pk)
