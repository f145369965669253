from cases.demo import seed
from cases.demo.review import put_a_letter_in_review
from cases.models import Letter

from .review_fixtures import make_letter, reviewers_group  # noqa: F401


def test_seed_puts_the_demo_reviewer_in_the_reviewers_group(reviewers_group):
    reviewer = seed()["reviewer"]
    assert reviewer.is_staff
    assert reviewer.groups.filter(name="Reviewers").exists()
    assert reviewer.has_perm("cases.change_letter") and not reviewer.has_perm("cases.delete_case")


def test_demo_sends_one_draft_to_review_once(reviewers_group):
    case = seed()["case"]
    first = make_letter(case, kind="negotiation_request")
    second = make_letter(case, kind="hardship_statement")
    seed()
    seed()
    statuses = dict(Letter.objects.values_list("pk", "status"))
    assert sorted(statuses.values()) == ["draft", "in_review"]
    assert statuses[second.pk] == "in_review" and statuses[first.pk] == "draft"


def test_demo_review_part_without_letters_does_nothing(case):
    assert put_a_letter_in_review(case) is None
