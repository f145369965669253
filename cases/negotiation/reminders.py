"""The user's dates outside the app: the calendar feed and opt-in e-mail reminders.

Both read ``agenda.user_agenda``, so they show the dates the case pages show. An e-mail goes
at most once a day, never in the user's quiet hours, and names each due item once only
(``ReminderSent``); it is written in the language the user chose.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from ..models import ReminderSent, ReminderSettings
from . import rules
from .agenda import Due, user_agenda

PRODID = "-//Negotiator//Dates that matter//ZH"
REMIND_DAYS_AHEAD = 3  # an item is reminded when it is due within three days (or overdue)
FEED_DAYS = 400  # the feed carries a little over a year ahead


def item_url(item: Due) -> str:
    if item.contact_id:
        return reverse("log", args=[item.case_id]) + f"#contact-{item.contact_id}"
    return reverse("case_detail", args=[item.case_id])


def feed_ics(items: list[Due], base_url: str) -> bytes:
    """All-day events with stable UIDs; the court answer and plan payments alarm ahead."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Negotiator: dates that matter"))
    stamp = timezone.now()
    for item in items:
        event = Event()
        event.add("uid", f"{item.key}@negotiator")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        summary = f"{item.rule.label}: {item.what}" if item.what else str(item.rule.label)
        if item.amount is not None:
            summary += f" ¥{item.amount}"
        event.add("summary", summary)
        lines = [item.case_title] if item.case_title else []
        if item.rule.note:
            lines.append(str(item.rule.note))
        lines.append(_("Source: %(source)s") % {"source": item.rule.source})
        url = base_url + item_url(item)
        lines.append(url)
        event.add("description", "\n".join(lines))
        event.add("url", url)
        if item.rule.slug in ("court_answer", "plan_payment"):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", timedelta(days=-3 if item.rule.slug == "court_answer" else -1))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def feed_for_token(token: str) -> ReminderSettings | None:
    if not token or len(token) > 64:
        return None
    return ReminderSettings.objects.select_related("user").filter(feed_token=token, user__is_active=True).first()


def in_quiet_hours(prefs: ReminderSettings, moment: datetime) -> bool:
    hour = rules.local(moment).hour
    start, end = prefs.quiet_from, prefs.quiet_until
    if start == end:
        return False
    return start <= hour or hour < end if start > end else start <= hour < end


@dataclass
class Reminder:
    prefs: ReminderSettings
    items: list[Due]
    subject: str
    body: str


def pending(now: datetime | None = None) -> tuple[list[Reminder], list[str]]:
    """(the e-mails due now, why the others wait): opted-in users with an e-mail address, not in
    quiet hours, none sent today, with items due within three days not reminded before."""
    now = now or timezone.now()
    today = rules.local(now).date()
    reminders, skipped = [], []
    for prefs in ReminderSettings.objects.select_related("user").filter(email_opt_in=True, user__is_active=True):
        user = prefs.user
        if not user.email:
            skipped.append(f"user {user.pk}: no e-mail address")
            continue
        if prefs.last_sent_on == today:
            skipped.append(f"user {user.pk}: already sent today")
            continue
        if in_quiet_hours(prefs, now):
            skipped.append(f"user {user.pk}: quiet hours")
            continue
        sent = set(ReminderSent.objects.filter(user=user).values_list("key", flat=True))
        items = [d for d in user_agenda(user, today, days=REMIND_DAYS_AHEAD) if d.key not in sent]
        if not items:
            continue
        reminders.append(compose(prefs, items, today))
    return reminders, skipped


def compose(prefs: ReminderSettings, items: list[Due], today: date) -> Reminder:
    with translation.override(prefs.language):
        context = {
            "items": [{"item": d, "url": settings.SITE_URL + item_url(d)} for d in items],
            "today": today,
            "unsubscribe": settings.SITE_URL + reverse("reminders_unsubscribe", args=[prefs.unsubscribe_token]),
            "settings_url": settings.SITE_URL + reverse("reminders"),
        }
        subject = _("Negotiator: %(n)s date(s) coming up") % {"n": len(items)}
        body = render_to_string("cases/negotiation/email/reminder.txt", context)
    return Reminder(prefs, items, subject, body)


def send(reminder: Reminder, now: datetime | None = None) -> bool:
    """Send one e-mail and record its items as reminded; False if another run sent them first."""
    now = now or timezone.now()
    prefs = reminder.prefs
    with transaction.atomic():
        locked = ReminderSettings.objects.select_for_update().get(pk=prefs.pk)
        if not locked.email_opt_in or locked.last_sent_on == rules.local(now).date():
            return False
        message = EmailMessage(reminder.subject, reminder.body, to=[prefs.user.email],
                               headers={"List-Unsubscribe": f"<{settings.SITE_URL}"
                                        f"{reverse('reminders_unsubscribe', args=[locked.unsubscribe_token])}>"})
        ReminderSent.objects.bulk_create([ReminderSent(user=prefs.user, key=d.key, sent_at=now)
                                          for d in reminder.items], ignore_conflicts=True)
        locked.last_sent_on = rules.local(now).date()
        locked.save(update_fields=["last_sent_on"])
        message.send()
    return True


def send_due(now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """What the command prints: one line per e-mail sent (or that would be sent)."""
    reminders, skipped = pending(now)
    lines = []
    for reminder in reminders:
        done = True if dry_run else send(reminder, now)
        verb = "would send" if dry_run else ("sent" if done else "skipped (sent meanwhile)")
        keys = ", ".join(d.key for d in reminder.items)
        lines.append(f"{verb}: user {reminder.prefs.user_id} <{reminder.prefs.user.email}> "
                     f"[{reminder.prefs.language}] {len(reminder.items)} item(s): {keys}")
    lines.extend(f"waiting: {why}" for why in skipped)
    return lines
