from ..models import Case
from . import DEMO_CASE_TITLE, review
from .contacts import add_demo_contacts


def build_demo_case(user) -> Case:
    case, _ = Case.objects.get_or_create(owner=user, title=DEMO_CASE_TITLE)
    # Each feature adds its part of the demo case here, in the order of the flow.
    from .proposal import add_proposal

    add_proposal(case)
    add_demo_contacts(case)
    review.put_a_letter_in_review(case)  # last: needs the letters built above
    return case
