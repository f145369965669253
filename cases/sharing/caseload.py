"""An adviser's caseload: the cases debtors shared with the adviser's organisations (issue 20)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from ..models import Case, Letter, Share
from ..negotiation.agenda import Due, agenda


@dataclass(frozen=True)
class CaseloadRow:
    share: Share
    case: Case
    next_due: Due | None
    in_review: int
    changes_requested: int

    @property
    def frozen(self) -> bool:
        """The owner withdrew (or never gave) consent: nothing of the case is processed, nor shown."""
        return not self.case.has_consent


def caseload_for(user, today: date | None = None) -> list[CaseloadRow]:
    """Every active organisation share reaching ``user``, with its case's status, next date and letters waiting;
    a fixed number of queries however many cases (one for the shares, one for the letters, the agenda's)."""
    today = today or timezone.localdate()
    shares = list(Share.objects.reaching(user).filter(organisation__isnull=False)
                  .select_related("case", "organisation").order_by("case__title", "case_id"))
    shares = list({share.case_id: share for share in shares}.values())  # two organisations, one row
    live = [share.case_id for share in shares if share.case.has_consent]
    letters = {}
    for row in (Letter.objects.filter(case_id__in=live, status__in=[Letter.Status.IN_REVIEW,
                                                                     Letter.Status.CHANGES_REQUESTED])
                .values("case_id", "status").annotate(n=Count("id"))):
        letters[(row["case_id"], row["status"])] = row["n"]
    dates = agenda(live, today) if live else {}
    rows = []
    for share in shares:
        due = sorted(dates.get(share.case_id, []), key=lambda d: (d.on, d.key))
        rows.append(CaseloadRow(
            share=share, case=share.case, next_due=due[0] if due else None,
            in_review=letters.get((share.case_id, Letter.Status.IN_REVIEW), 0),
            changes_requested=letters.get((share.case_id, Letter.Status.CHANGES_REQUESTED), 0),
        ))
    return rows
