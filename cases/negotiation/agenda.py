"""Every date that matters for a user's cases, from the one deadline table (``rules.DEADLINE_RULES``).

``due_dates`` is pure: it takes the dated facts of one case and applies the rules. ``agenda`` reads
those facts for several cases in a fixed number of queries (contacts, agreements, lawsuits,
proposals), whatever the number of cases, so the case page, the dashboard, the calendar feed and
the reminders all show the same dates.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from ..lenders import lender_slug
from ..models import Agreement, Case, CheckIn, Contact, Lawsuit, Proposal, choice_label
from . import rules

WINDOW_DAYS = 14  # "the next 14 days first" on the case page and the dashboard


@dataclass(frozen=True)
class Due:
    on: date
    rule: rules.DeadlineRule
    case_id: int
    what: str  # the counterpart: a lender, an organisation, a court
    key: str  # stable: the calendar's UID and the reminder's "sent once" key
    amount: Decimal | None = None
    contact_id: int | None = None
    agreement_id: int | None = None
    case_title: str = ""

    @property
    def label(self) -> str:
        return str(self.rule.label)


@dataclass
class CaseDates:
    """The dated facts of one case the deadline table reads."""

    case_id: int
    follow_ups: list[tuple[int, date, str, str]] = field(default_factory=list)  # contact, on, counterpart, event
    events: list[tuple[int, str, date, str]] = field(default_factory=list)  # contact, event, on, counterpart
    served: list[tuple[str, date, str]] = field(default_factory=list)  # key, served on, court or counterpart
    payments: list[tuple[int, date, Decimal, str]] = field(default_factory=list)  # agreement, due, amount, lender
    limitations: list[tuple[str, date, str]] = field(default_factory=list)  # debt id, last interruption, lender


def court_answer_due(served_on: date) -> date:
    """The defence is due 15 days from service (《民事诉讼法》第128条)."""
    return served_on + timedelta(days=rules.DEADLINE_BY_SLUG["court_answer"].days)


def due_dates(facts: CaseDates) -> list[Due]:
    """Every dated item of one case, in date order."""
    items: list[Due] = []
    rule = rules.DEADLINE_BY_SLUG
    for contact_id, on, counterpart, event in facts.follow_ups:
        if event and on == rules.deadline_for(event, _event_day(facts, contact_id)):
            continue  # the event's own rule below shows this date, with its source
        items.append(Due(on, rule["follow_up"], facts.case_id, counterpart, f"follow-up-{contact_id}",
                         contact_id=contact_id))
    for contact_id, event, on, counterpart in facts.events:
        for event_rule in rules.rules_started_by(event):
            if event_rule.days is not None:
                items.append(Due(on + timedelta(days=event_rule.days), event_rule, facts.case_id, counterpart,
                                 f"{event_rule.slug}-{contact_id}", contact_id=contact_id))
    for key, served_on, court in facts.served:
        items.append(Due(court_answer_due(served_on), rule["court_answer"], facts.case_id, court,
                         f"court-answer-{key}"))
    for agreement_id, on, amount, lender in facts.payments:
        items.append(Due(on, rule["plan_payment"], facts.case_id, lender, f"payment-{agreement_id}-{on:%Y%m%d}",
                         amount=amount, agreement_id=agreement_id))
    for debt_id, since, lender in facts.limitations:
        items.append(Due(rules.limitation_date(since), rule["limitation"], facts.case_id, lender,
                         f"limitation-{debt_id}-{since:%Y%m%d}"))
    return sorted(items, key=lambda d: (d.on, d.key))


def _event_day(facts: CaseDates, contact_id: int) -> date:
    return next((on for cid, _event, on, _c in facts.events if cid == contact_id), date.min)


def served_on_dates(case_ids: list[int], lawsuits: list[Lawsuit] | None = None,
                    ) -> tuple[dict[int, list[tuple[str, date, str]]], set[int]]:
    """Each case's recorded lawsuits as (key, served-on date, plaintiff), and the cases that have a
    lawsuit record at all (served date known or not). One query, none when the caller has already
    loaded the cases' ``lawsuits`` (the case page shows them too)."""
    found: dict[int, list[tuple[str, date, str]]] = {}
    recorded: set[int] = set()
    if lawsuits is None:
        rows = Lawsuit.objects.filter(case_id__in=case_ids).values_list("case_id", "id", "served_on", "plaintiff")
    else:
        rows = [(s.case_id, s.pk, s.served_on, s.plaintiff) for s in lawsuits]
    for case_id, lawsuit_id, served_on, plaintiff in rows:
        recorded.add(case_id)
        if served_on is not None:
            found.setdefault(case_id, []).append((f"lawsuit-{lawsuit_id}", served_on, plaintiff))
    return found, recorded


def agenda(case_ids: list[int], today: date, *, past_days: int = 0,
           lawsuits: list[Lawsuit] | None = None) -> dict[int, list[Due]]:
    """Per case, every item due from ``today - past_days`` on; open follow-ups also when overdue.
    Six queries whatever the number of cases."""
    facts = {case_id: CaseDates(case_id) for case_id in case_ids}
    served_by_case, recorded = served_on_dates(case_ids, lawsuits)
    for case_id, served in served_by_case.items():
        facts[case_id].served.extend(served)
    contacts = Contact.objects.filter(case_id__in=case_ids).values_list(
        "id", "case_id", "occurred_at", "organisation", "channel", "event", "follow_up_on", "follow_up_done")
    for contact_id, case_id, occurred_at, organisation, channel, event, follow_up_on, done in contacts:
        counterpart = organisation or choice_label(Contact.Channel, channel)
        if follow_up_on and not done:
            facts[case_id].follow_ups.append((contact_id, follow_up_on, counterpart, event))
        if event == Contact.Event.LAWSUIT_SERVED:
            # Until the user records the lawsuit itself, the day the log says papers were served counts;
            # once a Lawsuit row exists, it alone does (never twice).
            if case_id not in recorded:
                facts[case_id].served.append((f"contact-{contact_id}", rules.local(occurred_at).date(), organisation))
        elif event and rules.rules_started_by(event):
            facts[case_id].events.append((contact_id, event, rules.local(occurred_at).date(), counterpart))
    agreed_since: dict[tuple[int, str], date] = {}
    checked = set(CheckIn.objects.filter(agreement__case_id__in=case_ids).values_list("agreement_id", "due_on"))
    for agreement in Agreement.objects.filter(case_id__in=case_ids):
        for on, amount in agreement.schedule():
            if (agreement.pk, on) not in checked:
                facts[agreement.case_id].payments.append((agreement.pk, on, amount, agreement.lender))
        key = (agreement.case_id, agreement.lender_slug)
        agreed_since[key] = max(agreed_since.get(key, date.min), agreement.agreed_on)
    for case_id, output in _latest_snapshots(case_ids).items():
        for debt in output.get("debts", []):
            since = debt.get("limitation_from")
            if not since:
                continue
            since = date.fromisoformat(since)
            # An agreement after the snapshot restarted the period (诉讼时效规定 Art 14).
            since = max(since, agreed_since.get((case_id, lender_slug(debt["lender"])), date.min))
            facts[case_id].limitations.append((debt["id"], since, debt["lender"]))
    start = today - timedelta(days=past_days)
    return {
        case_id: [d for d in due_dates(case_facts)
                  if d.on >= start or (d.rule.slug == "follow_up")]
        for case_id, case_facts in facts.items()
    }


def _latest_snapshots(case_ids: list[int]) -> dict[int, dict]:
    """Each case's latest chosen quote (one query): the limitation dates it was computed with."""
    newest = Proposal.objects.filter(case_id=OuterRef("case_id")).order_by("-created_at", "-id").values("id")[:1]
    rows = Proposal.objects.filter(case_id__in=case_ids, id=Subquery(newest)).values_list("case_id", "engine_output")
    return dict(rows)


def split_window(items: list[Due], today: date, days: int = WINDOW_DAYS) -> tuple[list[Due], list[Due]]:
    """(due up to ``days`` from today, including overdue follow-ups; later)."""
    end = today + timedelta(days=days)
    return [d for d in items if d.on <= end], [d for d in items if d.on > end]


def case_agenda(case, today: date, lawsuits: list[Lawsuit] | None = None) -> tuple[list[Due], list[Due]]:
    """The case page's dates: (the next 14 days with overdue follow-ups, later). ``lawsuits``: all the
    case's lawsuits, when the caller has loaded them."""
    return split_window(agenda([case.pk], today, lawsuits=lawsuits)[case.pk], today)


def user_agenda(user, today: date, days: int = WINDOW_DAYS) -> list[Due]:
    """Every date of the user's own cases due within ``days`` (open follow-ups also when overdue),
    each with its case's title: the dashboard, the feed and the reminders read it."""
    titles = {case.pk: str(case) for case in Case.objects.owned_by(user).only("id", "title")}
    if not titles:
        return []
    items = [replace(d, case_title=titles[d.case_id]) for per_case in agenda(list(titles), today).values()
             for d in per_case]
    if days is not None:
        items = split_window(items, today, days)[0]
    return sorted(items, key=lambda d: (d.on, d.key))
