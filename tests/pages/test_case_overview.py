"""The case hub says where the case stands and what to do next."""

import pytest
from django.urls import reverse

from cases.models import Case, Contact

from ..factories import make_full_case
from ..log_fixtures import make_contact, shanghai
from ..privacy_fixtures import add_letter, add_proposal


def hub(client, case) -> str:
    return client.get(reverse("case_detail", args=[case.pk])).content.decode()


def next_steps(page: str) -> str:
    """Only the "What to do next" card: the case's navigation links every page anyway."""
    return page.split('id="next-title"', 1)[1].split("</section>", 1)[0]


def ready_case(owner) -> Case:
    case = make_full_case(owner)
    case.completed_steps = ["about", "debts", "budget", "hardship", "evidence", "review"]
    case.save(update_fields=["completed_steps"])
    case.set_status(Case.Status.READY)
    return case


def test_a_draft_case_says_to_finish_the_wizard_at_the_first_missing_step(owner_client, owner):
    case = make_full_case(owner)
    page = hub(owner_client, case)
    assert "先把您的情况填写完整" in page
    assert reverse("intake_start", args=[case.pk]) in page


def test_a_ready_case_without_a_plan_says_to_choose_one(owner_client, owner):
    case = ready_case(owner)
    page = hub(owner_client, case)
    assert f'href="{reverse("proposal", args=[case.pk])}"' in next_steps(page)
    assert reverse("letter_kind", args=[case.pk, "negotiation_request"]) not in page
    assert "¥32000.00" in page  # principal of both debts, to the fen


def test_with_a_plan_it_says_to_write_and_to_log_contacts(owner_client, owner):
    case = ready_case(owner)
    add_proposal(case)
    page = hub(owner_client, case)
    assert reverse("letter_kind", args=[case.pk, "negotiation_request"]) in page
    assert f'href="{reverse("log", args=[case.pk])}"' in next_steps(page)


def test_once_contacts_are_logged_the_escalation_ladder_speaks(owner_client, owner):
    case = ready_case(owner)
    add_letter(case, add_proposal(case))
    make_contact(case, occurred_at=shanghai(2026, 11, 20, 22, 40), channel=Contact.Channel.COLLECTOR_CALL,
                 direction=Contact.Direction.INCOMING, phone_number="17000000000", outcome=Contact.Outcome.INFO)
    page = hub(owner_client, case)
    assert reverse("letter_kind", args=[case.pk, "collection_complaint"]) in page
    assert reverse("letter_kind", args=[case.pk, "negotiation_request"]) not in page


def test_a_withdrawn_case_shows_no_summary(owner_client, owner):
    case = ready_case(owner)
    case.withdraw_consent()
    page = hub(owner_client, case)
    assert 'id="next-title"' not in page


@pytest.mark.parametrize("contacts", [1, 30])
def test_the_hub_runs_a_fixed_number_of_queries(owner_client, owner, contacts, django_assert_max_num_queries):
    case = ready_case(owner)
    add_letter(case, add_proposal(case))
    for n in range(contacts):
        make_contact(case, occurred_at=shanghai(2026, 11, 1 + n % 20), outcome=Contact.Outcome.NO_ANSWER)
    with django_assert_max_num_queries(16):
        assert owner_client.get(reverse("case_detail", args=[case.pk])).status_code == 200
