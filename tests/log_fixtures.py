"""Helpers for the negotiation-log tests (issue 6)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from cases.models import Contact

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def make_contact(case, **fields) -> Contact:
    defaults = {
        "occurred_at": shanghai(2026, 10, 10),
        "channel": Contact.Channel.HOTLINE,
        "direction": Contact.Direction.OUTGOING,
        "organisation": "支付宝客服 95188",
        "outcome": Contact.Outcome.NO_ANSWER,
    }
    defaults.update(fields)
    debts = defaults.pop("debts", ())
    contact = Contact.objects.create(case=case, **defaults)
    if debts:
        contact.debts.set(debts)
    return contact


def quick_post(**fields) -> dict:
    data = {
        "occurred_at": "2026-10-10T10:00",
        "channel": "hotline",
        "direction": "outgoing",
        "organisation": "支付宝客服 95188",
        "phone_number": "95188",
        "outcome": "no_answer",
        "notes": "",
    }
    data.update(fields)
    return data
