"""What a case's log amounts to: per-contact computed misconduct flags and the
facts the escalation ladder reads. One query for the whole log, whatever its size."""

from collections import Counter
from datetime import date
from decimal import Decimal
from functools import cached_property

from ..models import Case, Contact
from . import rules
from .agreement import affordability, available_for_creditors


class CaseLog:
    def __init__(self, case: Case, contacts: list[Contact] | None = None):
        """``contacts``: the case's whole log, oldest first, if the caller has read it
        (the log page shows the entries too); otherwise the columns the rules need are read."""
        self.case = case
        self.rows = contacts if contacts is not None else list(
            Contact.objects.filter(case=case)
            .order_by("occurred_at", "id")
            .values_list(
                "id", "occurred_at", "channel", "direction", "outcome", "event", "misconduct",
                "phone_number", "offer_monthly", "organisation", "person_name", "staff_id", named=True,
            )
        )
        self._computed = rules.computed_flags(self.rows)
        self._reported = {
            row.id: [s for s in row.misconduct or [] if s in rules.MISCONDUCT_BY_SLUG] for row in self.rows
        }

    def flags(self, contact_id: int) -> list[rules.MisconductRule]:
        slugs = self._computed.get(contact_id, []) + self._reported.get(contact_id, [])
        return [rules.MISCONDUCT_BY_SLUG[s] for s in slugs]

    @property
    def has_misconduct(self) -> bool:
        return any(self._computed.values()) or any(self._reported.values())

    def last_logged(self):
        """The entry logged last (highest id), or None: the quick-add form repeats its counterpart."""
        return max(self.rows, key=lambda row: row.id, default=None)

    def latest_offer_monthly(self) -> Decimal | None:
        offers = [r.offer_monthly for r in self.rows
                  if r.outcome == Contact.Outcome.OFFER and r.offer_monthly is not None]
        return offers[-1] if offers else None

    @cached_property
    def available(self) -> Decimal | None:
        """What the budget leaves for creditors each month (the finance engine), or None."""
        return available_for_creditors(self.case)

    @cached_property
    def facts(self) -> rules.LogFacts:
        outcomes = Counter(r.outcome for r in self.rows)
        sued = [rules.local(r.occurred_at).date() for r in self.rows if r.event == Contact.Event.LAWSUIT_SERVED]
        agreed = [r.id for r in self.rows if r.outcome == Contact.Outcome.AGREED]
        offer = self.latest_offer_monthly()
        unaffordable = offer is not None and affordability(offer, self.available)["affordable"] is False
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
