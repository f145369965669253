from cases.demo import seed
from cases.demo.review import put_a_letter_in_review
from cases.models import Letter

from ..review_fixtures import make_letter, reviewers_group  # noqa: F401


def test_seed_puts_the_demo_reviewer_in_the_reviewers_group(reviewers_group):
    reviewer = seed()["reviewer"]
    assert reviewer.is_staff
    assert reviewer.groups.filter(name="Reviewers").exists()
    assert reviewer.has_perm("cases.change_letter") and not reviewer.has_perm("cases.delete_case")


def test_demo_sends_one_letter_to_review_and_only_once(reviewers_group):
    case = seed()["case"]
    in_review = list(case.letters.filter(status=Letter.Status.IN_REVIEW))
    assert len(in_review) == 1
    seed()
    assert list(case.letters.filter(status=Letter.Status.IN_REVIEW)) == in_review


def test_demo_review_part_sends_the_newest_draft(case, reviewers_group):
    older = make_letter(case, kind="negotiation_request")
    newer = make_letter(case, kind="hardship_statement")
    assert put_a_letter_in_review(case) == newer
    assert put_a_letter_in_review(case) is None
    older.refresh_from_db()
    assert older.status == Letter.Status.DRAFT


def test_demo_review_part_without_letters_does_nothing(case):
    assert put_a_letter_in_review(case) is None
