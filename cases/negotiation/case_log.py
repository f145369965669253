"""What a case's log amounts to: per-contact computed misconduct flags and the
facts the escalation ladder reads. One query for the whole log, whatever its size."""

from collections import Counter
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.utils import timezone

from ..models import Agreement, Case, Contact
from ..roads.rules import bankruptcy_regime
from . import rules
from .agreement import affordability, available_for_creditors


# What counts as the lender's answer to a complaint: anything but silence or an agreement.
ANSWERS = frozenset({Contact.Outcome.REFUSED, Contact.Outcome.OFFER, Contact.Outcome.INFO})


class CaseLog:
    def __init__(self, case: Case, contacts: list[Contact] | None = None, recorded: set[int] | None = None):
        """``contacts``: the case's whole log, oldest first, if the caller has read it
        (the log page shows the entries too); otherwise the columns the rules need are read.
        ``recorded``: the entries already a lender's plan (``Agreement.contact``), if the caller has read them."""
        self.case = case
        self._recorded = recorded
        self.rows = contacts if contacts is not None else list(
            Contact.objects.filter(case=case)
            .order_by("occurred_at", "id")
            .values_list(
                "id", "occurred_at", "channel", "direction", "counterpart", "outcome", "event", "misconduct",
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
        if agreed:  # which of them are already a lender's plan (a query only if the caller has not read them)
            recorded = self._recorded if self._recorded is not None else set(
                Agreement.objects.filter(case=self.case, contact_id__in=agreed).values_list("contact_id", flat=True))
            agreed = [pk for pk in agreed if pk not in recorded]
        offer = self.latest_offer_monthly()
        unaffordable = offer is not None and affordability(offer, self.available)["affordable"] is False
        complaints = [i for i, r in enumerate(self.rows) if r.event == Contact.Event.COMPLAINT_FILED]
        arbitration = [rules.local(r.occurred_at).date() for r in self.rows
                       if r.event == Contact.Event.ARBITRATION_NOTICE]
        mediation_agreed = [rules.local(r.occurred_at).date() for r in self.rows
                            if r.channel == Contact.Channel.MEDIATION and r.outcome == Contact.Outcome.AGREED]
        return rules.LogFacts(
            no_answers=outcomes[Contact.Outcome.NO_ANSWER],
            refusals=outcomes[Contact.Outcome.REFUSED],
            unaffordable_offer=unaffordable,
            misconduct=self.has_misconduct,
            sued_on=sued[-1] if sued else None,
            agreed_contact_id=agreed[-1] if agreed else None,
            # Any lender ever agreed (an entry marked agreed, recorded as a plan or not): the other roads wait.
            case_agreed=self.case.status == Case.Status.AGREED or outcomes[Contact.Outcome.AGREED] > 0,
            contacts=len(self.rows),
            complaint_filed=bool(complaints),
            complaint_answered=bool(complaints) and any(
                r.outcome in ANSWERS for r in self.rows[complaints[0] + 1:]),
            mediation_centre_called=any(
                r.counterpart == Contact.Counterpart.MEDIATION_CENTRE and r.direction == Contact.Direction.INCOMING
                for r in self.rows
            ),
            arbitration_notice_on=arbitration[-1] if arbitration else None,
            mediation_agreed_on=mediation_agreed[-1] if mediation_agreed else None,
            today=timezone.localdate(),
            bankruptcy_regime=bankruptcy_regime(self.case.province, self.case.city),
        )

    def suggestions(self) -> list[rules.LadderRule]:
        return rules.ladder(self.facts)

    def defence_due(self) -> date | None:
        sued_on = self.facts.sued_on
        return rules.deadline_for(Contact.Event.LAWSUIT_SERVED, sued_on) if sued_on else None
