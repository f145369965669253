"""Follow-ups as iCalendar (RFC 5545) events, made with the ``icalendar`` package."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from ..models import Contact
from .rules import DEADLINES

PRODID = "-//Negotiator//Negotiation log//ZH"


def follow_up_ics(contact: Contact, url: str) -> bytes:
    """An all-day event on the follow-up date; a court deadline also alarms 3 days ahead."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"contact-{contact.pk}-follow-up@negotiator")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", contact.follow_up_on)
    event.add("dtend", contact.follow_up_on + timedelta(days=1))
    deadline = DEADLINES.get(contact.event)
    title = str(deadline.label) if deadline and contact.follow_up_on == contact.deadline else _("Follow up")
    counterpart = contact.organisation or contact.get_channel_display()
    event.add("summary", f"{title}: {counterpart}")
    lines = [
        _("Contact on %(when)s via %(channel)s.")
        % {"when": timezone.localtime(contact.occurred_at).strftime("%Y-%m-%d %H:%M"),
           "channel": contact.get_channel_display()},
    ]
    if contact.notes:
        lines.append(contact.notes)
    if deadline:
        lines.append(_("Deadline source: %(source)s") % {"source": deadline.source})
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    if contact.event == Contact.Event.LAWSUIT_SERVED:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", timedelta(days=-3))
        event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()
