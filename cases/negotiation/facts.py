"""What a case's log amounts to: per-contact computed misconduct flags and the
facts the escalation ladder reads. One query for the whole log, whatever its size."""

from collections import Counter
from functools import cached_property
from datetime import date
from decimal import Decimal

from ..models import Case, Contact
from . import rules
from .agreement import available_for_creditors


class CaseLog:
    def __init__(self, case: Case):
        self.case = case
        rows = list(
            Contact.objects.filter(case=case)
            .order_by("occurred_at", "id")
            .values_list(
                "id", "occurred_at", "channel", "direction", "outcome", "event", "misconduct",
                "phone_number", "offer_monthly",
            )
        )
        per_number_day = Counter(
            (phone.strip(), rules.local(at).date())
            for _id, at, channel, direction, *_rest, phone, _m in rows
            if phone.strip() and direction == Contact.Direction.INCOMING and channel in rules.CALL_CHANNELS
        )
        self._computed: dict[int, list[str]] = {}
        self._reported: dict[int, list[str]] = {}
        for pk, at, channel, direction, _o, _e, misconduct, phone, _m in rows:
            calls = per_number_day[(phone.strip(), rules.local(at).date())] if phone.strip() else 0
            self._computed[pk] = rules.computed_misconduct(channel, direction, at, calls)
            self._reported[pk] = [slug for slug in misconduct or [] if slug in rules.MISCONDUCT_BY_SLUG]
        self._rows = rows

    def flags(self, contact_id: int) -> list[rules.MisconductRule]:
        slugs = self._computed.get(contact_id, []) + self._reported.get(contact_id, [])
        return [rules.MISCONDUCT_BY_SLUG[s] for s in slugs]

    @property
    def has_misconduct(self) -> bool:
        return any(self._computed.values()) or any(self._reported.values())

    @property
    def misconduct_count(self) -> int:
        return sum(1 for pk in self._computed if self._computed[pk] or self._reported[pk])

    def latest_offer_monthly(self) -> Decimal | None:
        offers = [m for _i, _a, _c, _d, outcome, _e, _mc, _p, m in self._rows
                  if outcome == Contact.Outcome.OFFER and m is not None]
        return offers[-1] if offers else None

    @cached_property
    def facts(self) -> rules.LogFacts:
        outcomes = Counter(row[4] for row in self._rows)
        sued = [rules.local(at).date() for _i, at, _c, _d, _o, event, *_ in self._rows
                if event == Contact.Event.LAWSUIT_SERVED]
        agreed = [pk for pk, _a, _c, _d, outcome, *_ in self._rows if outcome == Contact.Outcome.AGREED]
        offer = self.latest_offer_monthly()
        unaffordable = False
        if offer is not None:
            available = available_for_creditors(self.case)
            unaffordable = available is not None and offer > available
        return rules.LogFacts(
            no_answers=outcomes[Contact.Outcome.NO_ANSWER],
            refusals=outcomes[Contact.Outcome.REFUSED],
            unaffordable_offer=unaffordable,
            misconduct=self.has_misconduct,
            sued_on=sued[-1] if sued else None,
            agreed_contact_id=agreed[-1] if agreed else None,
            case_agreed=self.case.status == Case.Status.AGREED,
        )

    def suggestions(self) -> list[rules.LadderRule]:
        return rules.ladder(self.facts)

    def defence_due(self) -> date | None:
        sued_on = self.facts.sued_on
        return rules.deadline_for(Contact.Event.LAWSUIT_SERVED, sued_on) if sued_on else None
