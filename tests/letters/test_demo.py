import pytest

from cases import demo
from cases.demo.letters import add_letters
from cases.letters.kinds import CREDIT_REPORT_OBJECTION, COURT_DEFENCE, DOCUMENTS_REQUEST, KINDS, SLUGS
from cases.letters import versions
from cases.models import Letter

from ..letters_fixtures import make_letter_case

pytestmark = pytest.mark.django_db


def test_seed_demo_runs_twice_with_letters_part():
    demo.seed()
    demo.seed()


def test_demo_part_makes_every_kind_that_applies_and_approves_the_request_once(owner, django_capture_on_commit_callbacks):
    demo.ensure_user(demo.REVIEWER_USERNAME, demo.REVIEWER_PASSWORD, is_staff=True)
    case = make_letter_case(owner)
    # One lender, no lawsuit, no possibly time-barred debt, no wrong credit record: every kind but those three.
    expected = sorted(set(SLUGS) - {COURT_DEFENCE, DOCUMENTS_REQUEST, CREDIT_REPORT_OBJECTION})
    with django_capture_on_commit_callbacks(execute=True):  # seed_demo commits: what it queues then runs
        made = add_letters(case)
    assert sorted(letter.kind for letter in made) == expected
    assert add_letters(case) == []
    assert Letter.objects.filter(case=case).count() == len(expected)
    request = Letter.objects.get(case=case, kind="negotiation_request")
    assert request.status == Letter.Status.APPROVED
    assert versions.pdf_ready(request)  # its final PDF (no draft mark) queued on approval, as a reviewer's would be


def test_the_seeded_demo_has_two_lenders_a_lawsuit_and_every_kind_per_lender():
    demo.seed()
    case = Letter.objects.filter(kind=COURT_DEFENCE).first().case
    # The case-wide documents (the lawyer summary) once, with no lender; every other letter to one of two.
    case_wide = {slug for slug, kind in KINDS.items() if kind.case_wide}
    assert sorted(case.letters.filter(lender="").values_list("kind", flat=True)) == sorted(case_wide)
    lenders = {letter.lender for letter in case.letters.exclude(lender="")}
    assert len(lenders) == 2
    assert case.lawsuits.count() == 1 and case.lawsuits.get().plaintiff in lenders
    kinds = {letter.kind for letter in case.letters.all()}
    assert kinds == set(SLUGS)
    for lender in lenders:  # every kind but the three that apply to one lender only, for each lender
        mine = {letter.kind for letter in case.letters.filter(lender=lender)}
        assert set(SLUGS) - {COURT_DEFENCE, DOCUMENTS_REQUEST, CREDIT_REPORT_OBJECTION} - case_wide <= mine
        assert not mine & case_wide


def test_no_demo_letter_to_one_lender_names_the_others_products_or_claims_a_payment_not_recorded():
    """A practitioner read the demo's story in every letter: "花呗、借呗和信用卡" in the bank's letters, and "each
    of this year's overdue debts got a little every month" in Ant's, where no payment on its debts is recorded."""
    import re

    demo.seed()
    case = Letter.objects.filter(kind=COURT_DEFENCE).first().case
    others = {"招商银行股份有限公司信用卡中心": ("花呗", "借呗", "蚂蚁"), "重庆蚂蚁消费金融有限公司": ("信用卡", "招商")}
    for letter in case.letters.exclude(lender=""):
        text = re.sub(r"<[^>]+>", "", letter.html)
        for word in others[letter.lender]:
            assert word not in text, (letter.kind, letter.lender, word)
        assert "各还一点" not in text and "今年逾期" not in text
    paid = {debt.lender for debt in case.debts.all() if debt.last_payment_date}
    assert paid == {"招商银行股份有限公司信用卡中心"}  # the only lender a payment is recorded for
