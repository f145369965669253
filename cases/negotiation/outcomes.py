"""What happened with each lender, derived from what is already recorded (no extra data entry):
the log says whether the debtor asked and whether the lender offered, the agreements say whether
it agreed and to which kind of plan, the check-ins whether the plan was kept.

``lender_table`` turns every case's outcomes into the reviewers' anonymous counts per lender: no
case, no debtor, no date; a count of 1 or 2 is shown only as "<3" (so nobody can be picked out of
a small number), and lenders seen in fewer than three cases are pooled into one row.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from ..lenders import concerned, lender_slug, lenders_of, normalise
from ..models import Agreement, Case, Contact, Debt

SMALL = 3  # counts below this are shown as "<3"; lenders in fewer cases are pooled

# The kind of plan a lender agreed to, read from the agreed terms (first match wins): a waiver
# first (the lender gave up part of the debt), then a pause before payments, then the term.
AGREEMENT_KINDS = {
    "waiver": _("Part of the debt waived"),
    "deferral": _("Payments paused first"),
    "up_to_12": _("Instalments, up to 12 months"),
    "up_to_36": _("Instalments, 13 to 36 months"),
    "longer": _("Instalments, more than 36 months"),
}
STAGES = ("asked", "offered", "agreed", "kept")


def agreement_kind(months: int, waiver: Decimal | None, deferral_months: int | None) -> str:
    if waiver:
        return "waiver"
    if deferral_months:
        return "deferral"
    if months <= 12:
        return "up_to_12"
    return "up_to_36" if months <= 36 else "longer"


@dataclass
class Outcome:
    """One debtor's dealings with one lender."""

    name: str
    asked: bool = False
    offered: bool = False
    agreed: bool = False
    kept: bool = False
    kinds: list[str] = field(default_factory=list)


def case_outcomes(case_ids) -> dict[int, dict[str, Outcome]]:
    """Per case, per lender slug: asked (an answered contact the debtor made or in which they
    asked for something), offered (the lender put terms forward), agreed (an agreed plan, or a
    log entry "Agreed"), kept (a plan checked in to the end). ``case_ids``: a list or a query of ids.
    Four queries whatever the number of cases."""
    debts: dict[int, list] = defaultdict(list)
    for pk, case_id, lender in Debt.objects.filter(case_id__in=case_ids).values_list("id", "case_id", "lender"):
        debts[case_id].append(SimpleNamespace(pk=pk, lender=lender))
    found: dict[int, dict[str, Outcome]] = defaultdict(dict)

    def outcome(case_id: int, name: str) -> Outcome:
        return found[case_id].setdefault(lender_slug(name), Outcome(name=name.strip()))

    named: dict[int, list[int]] = defaultdict(list)
    for contact_id, debt_id in Contact.debts.through.objects.filter(contact__case_id__in=case_ids).values_list(
            "contact_id", "debt_id"):
        named[contact_id].append(debt_id)
    contacts = Contact.objects.filter(case_id__in=case_ids).annotate(
        has_asked=ExpressionWrapper(~Q(asked=""), output_field=BooleanField()),
        has_offer_text=ExpressionWrapper(~Q(offer_text=""), output_field=BooleanField()),
    ).values_list("id", "case_id", "organisation", "collecting_for", "direction", "outcome", "has_asked", "has_offer_text",
                  "offer_monthly", "offer_months", "offer_waiver", "offer_deferral_months", named=True)
    lenders = {case_id: lenders_of(rows) for case_id, rows in debts.items()}
    for row in contacts:
        answered = row.outcome != Contact.Outcome.NO_ANSWER
        for lender in concerned(lenders.get(row.case_id, []), named.get(row.id), row.collecting_for, row.organisation):
            entry = outcome(row.case_id, lender.name)
            entry.asked |= answered and (row.direction == Contact.Direction.OUTGOING or row.has_asked)
            entry.offered |= row.has_offer_text or any(v is not None for v in (
                row.offer_monthly, row.offer_months, row.offer_waiver, row.offer_deferral_months))
            entry.agreed |= row.outcome == Contact.Outcome.AGREED
    for case_id, name, months, waiver, deferral, status in Agreement.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "lender", "months", "waiver", "contact__offer_deferral_months", "status"):
        entry = outcome(case_id, name)
        entry.agreed = True
        entry.kept |= status == Agreement.Status.KEPT
        entry.kinds.append(agreement_kind(months, waiver, deferral))
    return found


def shown(n: int) -> str:
    """A count as the reviewers see it: 1 and 2 only as "<3"."""
    return f"<{SMALL}" if 0 < n < SMALL else str(n)


@dataclass
class LenderRow:
    lender: str  # the name on the contracts, or the pooled row's label
    cases: int = 0
    stages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AGREEMENT_KINDS, 0))

    def add(self, entry: Outcome) -> None:
        self.cases += 1
        for stage in STAGES:
            self.stages[stage] += getattr(entry, stage)
        for kind in set(entry.kinds):  # a case counts once per kind, however many plans it had
            self.kinds[kind] += 1

    def cells(self) -> dict:
        return {"lender": self.lender, "cases": shown(self.cases),
                "stages": [shown(self.stages[s]) for s in STAGES],
                "kinds": [shown(self.kinds[k]) for k in AGREEMENT_KINDS]}


def lender_table() -> list[dict]:
    """The anonymous counts per lender over every case the debtor still consents to, largest
    first, lenders seen in fewer than three cases pooled last. Four queries."""
    case_ids = Case.objects.filter(consent_at__isnull=False, consent_withdrawn_at__isnull=True).values("id")
    rows: dict[str, LenderRow] = {}
    for per_case in case_outcomes(case_ids).values():
        for entry in per_case.values():
            rows.setdefault(normalise(entry.name), LenderRow(entry.name)).add(entry)
    pooled = LenderRow(str(_("Other lenders (fewer than 3 cases each)")))
    table = []
    for row in sorted(rows.values(), key=lambda r: (-r.cases, r.lender)):
        if row.cases >= SMALL:
            table.append(row.cells())
        else:
            pooled.cases += row.cases
            for stage in STAGES:
                pooled.stages[stage] += row.stages[stage]
            for kind in AGREEMENT_KINDS:
                pooled.kinds[kind] += row.kinds[kind]
    if pooled.cases:
        table.append(pooled.cells() | {"pooled": True})
    return table
