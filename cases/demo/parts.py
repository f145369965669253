from ..models import Case
from . import DEMO_CASE_TITLE
from .contacts import add_demo_contacts
from .intake import add_intake
from .privacy import add_consent


def build_demo_case(user) -> Case:
    case, _ = Case.objects.get_or_create(owner=user, title=DEMO_CASE_TITLE)
    # Each feature adds its part of the demo case here, in the order of the flow.
    add_consent(case)
    add_intake(case)
    from .proposal import add_proposal

    add_proposal(case)
    add_demo_contacts(case)
    from .letters import add_letters

    add_letters(case)  # last: letters are made from everything above
    return case
