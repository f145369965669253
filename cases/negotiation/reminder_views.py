"""The calendar feed and the e-mail reminders' settings (issue 18). HTTP only: the writes are
``ReminderSettings`` methods; the dates come from ``agenda``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..models import ReminderSettings
from .agenda import user_agenda
from .reminder_forms import ReminderForm
from .reminders import FEED_DAYS, feed_for_token, feed_ics


def reminders(request):
    prefs = ReminderSettings.for_user(request.user)
    if request.method == "POST":
        form = ReminderForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            prefs.set_email(data["email_opt_in"], data["language"], data["email"],
                            (data["quiet_from"], data["quiet_until"]), by=request.user)
            messages.success(request, _("Your reminder settings are saved."))
            return redirect("reminders")
    else:
        form = ReminderForm(initial={"email_opt_in": prefs.email_opt_in, "email": request.user.email,
                                     "language": prefs.language, "quiet_from": prefs.quiet_from,
                                     "quiet_until": prefs.quiet_until})
    feed_url = (request.build_absolute_uri(reverse("calendar_feed", args=[prefs.feed_token]))
                if prefs.feed_token else None)
    return render(request, "cases/negotiation/reminders.html", {"form": form, "feed_url": feed_url})


@require_POST
def reminders_feed_new(request):
    ReminderSettings.for_user(request.user).new_feed(by=request.user)
    messages.success(request, _("Your new calendar address is ready. Any older address no longer works."))
    return redirect("reminders")


@require_POST
def reminders_feed_revoke(request):
    ReminderSettings.for_user(request.user).revoke_feed(by=request.user)
    messages.success(request, _("The calendar address no longer works."))
    return redirect("reminders")


@login_not_required
def calendar_feed(request, token: str):
    prefs = feed_for_token(token)
    if prefs is None:
        raise Http404
    items = user_agenda(prefs.user, timezone.localdate(), days=FEED_DAYS)
    response = HttpResponse(feed_ics(items, request.build_absolute_uri("/").rstrip("/")),
                            content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def reminders_unsubscribe(request, token: str):
    prefs = ReminderSettings.objects.filter(unsubscribe_token=token).first() if len(token) <= 64 else None
    if prefs is None:
        raise Http404
    if request.method == "POST":
        prefs.unsubscribe()
        return render(request, "cases/negotiation/unsubscribed.html")
    # A click confirms: mail scanners that open links must not unsubscribe anyone.
    return render(request, "cases/negotiation/unsubscribe.html", {"token": token})
