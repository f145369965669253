"""Letter versions, missing data and the review workflow around them."""

from decimal import Decimal

import pytest

from cases.letters import versions
from cases.letters.context import case_for_letters, case_lenders
from cases.letters.kinds import KINDS, SLUGS
from cases.models import BudgetLine, Contact, Debtor, Evidence, Letter, Proposal

from ..factories import make_case
from ..letters_fixtures import make_letter_case

pytestmark = pytest.mark.django_db


def missing_of(case, slug):
    loaded = case_for_letters(case.pk)
    lenders = case_lenders(loaded)
    return [str(gap.what) for gap in KINDS[slug].missing(loaded, lenders[0] if lenders else None)]


def test_an_empty_case_lists_what_each_kind_needs_with_links(owner):
    case = make_case(owner)
    for slug in SLUGS:
        gaps = KINDS[slug].missing(case_for_letters(case.pk))
        assert gaps, slug
        assert all(gap.url.startswith(f"/cases/{case.pk}/") for gap in gaps), slug
        with pytest.raises(versions.MissingData):
            versions.generate(case, slug)
    assert not Letter.objects.exists()


def test_a_complete_case_misses_nothing_for_any_kind_but_the_lawsuit_and_limitation_ones(owner, settings):
    settings.LANGUAGE_CODE = "en"
    case = make_letter_case(owner)
    everyday = [slug for slug in SLUGS if slug not in {"court_defence", "documents_request"}]
    assert {slug: missing_of(case, slug) for slug in everyday} == {slug: [] for slug in everyday}
    assert missing_of(case, "court_defence") == ["The lawsuit this lender filed (court, case number, date served, "
                                                 "what it claims)"]
    assert missing_of(case, "documents_request") == ["A debt with this lender that may be time-barred (this "
                                                     "request is only for such a debt)"]


@pytest.mark.parametrize(
    ("slug", "remove", "expected"),
    [
        ("negotiation_request", "proposal", "A repayment plan you have chosen"),
        ("negotiation_request", "hardship", "What happened, in your own words"),
        ("hardship_statement", "budget", "Your monthly income (write 0 if you have none)"),
        ("hardship_statement", "hardship", "Why you cannot pay as agreed (the reasons)"),
        ("regulator_complaint", "contacts", "At least one contact with this lender in your negotiation log"),
        ("collection_complaint", "misconduct",
         "At least one collection incident for this lender in your negotiation log (what happened, when, and the "
         "lender they collect for)"),
        ("demand_letter", "proposal", "A repayment plan you have chosen"),
        ("demand_letter", "debtor", "Your name, phone number and address"),
        ("court_defence", "debts", "At least one debt (lender, amounts, overdue date)"),
        ("court_defence", "lender", "The lender named on each contract"),
        ("evidence_index", "evidence", "At least one piece of evidence uploaded"),
    ],
)
def test_each_kind_names_the_missing_data(owner, settings, slug, remove, expected):
    settings.LANGUAGE_CODE = "en"
    case = make_letter_case(owner)
    if remove == "proposal":
        Proposal.objects.filter(case=case).delete()
    elif remove == "hardship":
        case.hardship_reasons = []
        case.hardship_what_happened = ""
        case.save()
    elif remove == "budget":
        BudgetLine.objects.filter(case=case, kind="income").delete()
    elif remove == "contacts":
        Contact.objects.filter(case=case).delete()
    elif remove == "misconduct":
        # Nothing reported, and no call the log itself flags (the 22:40 call is gone).
        Contact.objects.filter(case=case, channel="collector_call").delete()
    elif remove == "debtor":
        Debtor.objects.filter(case=case).delete()
    elif remove == "debts":
        Proposal.objects.filter(case=case).delete()
        case.debts.all().delete()
    elif remove == "lender":
        case.debts.update(lender="  ")
    elif remove == "evidence":
        Evidence.objects.filter(case=case).delete()
    from django.utils import translation

    with translation.override("en"):
        assert expected in missing_of(case, slug)


def test_regenerating_unchanged_content_keeps_the_same_version(owner):
    case = make_letter_case(owner)
    first = versions.generate(case, "negotiation_request")
    again = versions.generate(case, "negotiation_request")
    assert again.pk == first.pk and again.version == 1


def test_a_draft_is_refreshed_in_place_when_the_case_changes(owner):
    case = make_letter_case(owner)
    first = versions.generate(case, "hardship_statement")
    case.hardship_actions = "已申请失业保险金。"
    case.save()
    again = versions.generate(case, "hardship_statement")
    assert again.pk == first.pk and again.version == 1
    assert again.content_hash != first.content_hash
    assert "已申请失业保险金" in again.html


def test_an_approved_letter_is_never_changed_by_later_case_changes(owner, reviewer):
    case = make_letter_case(owner)
    letter = versions.generate(case, "negotiation_request")
    letter.submit_for_review()
    letter.approve(reviewer, "")
    frozen = Letter.objects.get(pk=letter.pk)
    snapshot, html, digest = frozen.snapshot, frozen.html, frozen.content_hash

    case.debtor.name = "李秀英改"
    case.debtor.save()
    case.debts.update(principal=Decimal("99999.00"))
    newer = versions.generate(case, "negotiation_request")

    assert newer.pk != letter.pk and newer.version == 2 and newer.status == Letter.Status.DRAFT
    frozen.refresh_from_db()
    assert (frozen.snapshot, frozen.html, frozen.content_hash) == (snapshot, html, digest)
    assert frozen.status == Letter.Status.APPROVED
    assert "李秀英改" not in versions.html_for(frozen)
    # One date: amounts stay the chosen proposal's until the user chooses a plan again.
    assert "99,999.00" not in newer.html
    assert newer.snapshot["as_of"] == case.proposals.latest().figures_date.isoformat()


def test_a_letter_sent_back_gets_a_new_version_when_updated(owner, reviewer):
    case = make_letter_case(owner)
    letter = versions.generate(case, "demand_letter")
    letter.submit_for_review()
    letter.request_changes(reviewer, "请补充收入证明")
    case.hardship_reasons = ["unemployment", "illness", "family"]
    case.save()
    newer = versions.generate(case, "demand_letter")
    assert newer.version == 2
    letter.refresh_from_db()
    assert letter.status == Letter.Status.CHANGES_REQUESTED


def test_the_watermark_depends_only_on_being_final(owner, reviewer):
    case = make_letter_case(owner)
    letter = versions.generate(case, "evidence_index")
    assert "草稿" in versions.html_for(letter)
    letter.submit_for_review()
    assert "草稿" in versions.html_for(letter)
    letter.approve(reviewer)
    final = versions.html_for(letter)
    assert 'class="watermark"' not in final
    assert final == versions.render_html(letter.snapshot, final=True)  # only the mark differs
    assert final.replace(versions.WATERMARK, "") == letter.html.replace(versions.WATERMARK, "")


def test_contract_numbers_are_masked_in_the_snapshot(owner):
    case = make_letter_case(owner)
    letter = versions.generate(case, "negotiation_request")
    accounts = [debt["account"] for debt in letter.snapshot["debts"]]
    assert accounts == ["**************5678", "**************5432"]
    assert "110101199003074512" not in str(letter.snapshot)


def test_a_night_call_the_log_flags_counts_as_an_incident_even_if_not_reported(owner):
    case = make_letter_case(owner)
    Contact.objects.filter(case=case, channel="collector_call").update(misconduct=[])  # still at 22:40
    assert missing_of(case, "collection_complaint") == []
    letter = versions.generate(case, "collection_complaint")
    assert [m["code"] for m in letter.snapshot["incidents"][0]["misconduct"]] == ["night_call"]
