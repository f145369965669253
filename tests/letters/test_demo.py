import pytest

from cases import demo
from cases.demo.letters import add_letters
from cases.letters.kinds import SLUGS
from cases.models import Letter

from ..letters_fixtures import make_letter_case

pytestmark = pytest.mark.django_db


def test_seed_demo_runs_twice_with_letters_part():
    demo.seed()
    demo.seed()


def test_demo_part_makes_every_kind_and_approves_the_request_once(owner):
    demo.ensure_user(demo.REVIEWER_USERNAME, demo.REVIEWER_PASSWORD, is_staff=True)
    case = make_letter_case(owner)
    assert sorted(letter.kind for letter in add_letters(case)) == sorted(SLUGS)
    assert add_letters(case) == []
    assert Letter.objects.filter(case=case).count() == len(SLUGS)
    assert Letter.objects.get(case=case, kind="negotiation_request").status == Letter.Status.APPROVED
