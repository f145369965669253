from ..models import Case
from .accounts import DEMO_CASE_TITLE
from .contacts import add_demo_contacts
from .intake import add_intake
from .lawsuit import add_lawsuit
from .letters import add_letters
from .privacy import add_consent
from .proposal import add_proposal
from .review import put_a_letter_in_review


def build_demo_case(user) -> Case:
    """The demo case, built in the order of the flow; each part fills in only what is missing."""
    case, _ = Case.objects.get_or_create(owner=user, title=DEMO_CASE_TITLE)
    add_consent(case)
    add_intake(case)
    add_demo_contacts(case)  # links contacts to the debts
    add_proposal(case)  # needs the debts, budget and the log (its limitation events)
    add_lawsuit(case)  # one lender sues
    add_letters(case)  # made from everything above
    put_a_letter_in_review(case)  # needs the letters
    return case
