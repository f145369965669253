"""The case hub's summary: where the case stands and the next thing to do.

The next step follows the flow of a case (describe it, choose a plan, write to
the lender, log the contacts); once contacts are logged the escalation ladder
(cases/negotiation/rules.py) takes over. A fixed number of queries, whatever the
size of the case.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..intake.steps import STEP_TITLES, first_incomplete_step
from ..letters.kinds import NEGOTIATION_REQUEST, TITLES
from ..models import Case, Letter
from ..negotiation.case_log import CaseLog


@dataclass(frozen=True)
class Step:
    advice: str
    url: str
    button: str
    reason: str = ""
    letters: tuple[tuple[str, str], ...] = ()  # (url, title)


@dataclass
class CaseOverview:
    case: Case
    debt_count: int = 0
    principal: Decimal = Decimal("0.00")
    letters_by_status: dict = field(default_factory=dict)
    contact_count: int = 0
    proposal_plan: dict | None = None
    steps: list[Step] = field(default_factory=list)


def overview(case: Case) -> CaseOverview:
    debts = case.debts.aggregate(n=Count("id"), principal=Sum("principal"))
    letters, has_request = {}, False
    for kind, status, n in case.letters.values_list("kind", "status").annotate(n=Count("id")).order_by():
        letters[status] = letters.get(status, 0) + n
        has_request = has_request or kind == NEGOTIATION_REQUEST
    proposal = case.proposals.only("engine_output", "chosen_plan").first()
    log = CaseLog(case)
    result = CaseOverview(
        case=case,
        debt_count=debts["n"],
        principal=(debts["principal"] or Decimal("0")).quantize(Decimal("0.01")),
        letters_by_status={Letter.Status(k).label: v for k, v in letters.items()},
        contact_count=len(log.rows),
        proposal_plan=proposal.plan if proposal else None,
    )
    result.steps = _next_steps(case, log, has_proposal=proposal is not None, has_request=has_request)
    return result


def _next_steps(case: Case, log: CaseLog, *, has_proposal: bool, has_request: bool) -> list[Step]:
    pk = case.pk
    if case.status == Case.Status.DRAFT:
        step = first_incomplete_step(case)
        return [Step(
            _("Finish describing your situation: %(step)s.") % {"step": STEP_TITLES[step]},
            reverse("intake_start", args=[pk]), _("Continue"),
            _("Your debts, budget and hardship are what every plan and letter is built from."),
        )]
    if not has_proposal:
        return [Step(
            _("Choose the repayment plan you will ask for."),
            reverse("proposal", args=[pk]), _("See the plans"),
            _("We work out what you owe and what you can afford, and suggest a plan you can keep."),
        )]
    steps = []
    if not has_request:
        steps.append(Step(
            _("Put your request in writing."),
            reverse("letter_kind", args=[pk, NEGOTIATION_REQUEST]), _("Prepare the letter"),
            _("A written request leaves a record the lender has to deal with."),
        ))
    if not log.rows:
        steps.append(Step(
            _("Contact the lender and write down what was said."),
            reverse("log", args=[pk]), _("Open the log"),
            _("Note every call and message: who, when, what was offered. It becomes your evidence."),
        ))
    for rule in log.suggestions():
        steps.append(Step(
            rule.advice, reverse("log", args=[pk]), _("Open the log"), rule.reason,
            tuple((reverse("letter_kind", args=[pk, slug]), TITLES[slug]) for slug in rule.letters),
        ))
    return steps
