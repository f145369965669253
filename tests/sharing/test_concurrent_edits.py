"""The owner and a helper editing the same wizard step (issue 20): optimistic locking
(docs/decisions/004-optimistic-locking.md) works across accounts, so no update is lost."""

import threading

import pytest
from django.db import connection
from django.test import Client

from cases.models import Case, ShareRole

from ..factories import make_case, make_user
from ..intake.test_wizard import EN, done, hardship_data, url
from ..sharing_fixtures import share_with


def _clients(case):
    helper = make_user("helper")
    share_with(case, helper, ShareRole.HELP)
    owner_client, helper_client = Client(), Client()
    owner_client.force_login(case.owner)
    helper_client.force_login(helper)
    return owner_client, helper_client


@pytest.mark.parametrize("first_is_owner", [True, False])
def test_the_second_of_owner_and_helper_gets_409_with_their_input_kept(case, first_is_owner):
    done(case, "about", "debts", "budget")
    owner_client, helper_client = _clients(case)
    first, second = (owner_client, helper_client) if first_is_owner else (helper_client, owner_client)
    loaded = case.version  # both opened the step at this version
    assert first.post(url("intake_hardship", case), hardship_data(case, hardship_can_pay="一个月500")).status_code == 302
    response = second.post(url("intake_hardship", case),
                           hardship_data(case, version=loaded, hardship_can_pay="每月1000元"), **EN)
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed in another tab" in body and "每月1000元" in body
    case.refresh_from_db()
    assert case.hardship_can_pay == "一个月500"
    # Saving again on the fresh version keeps the second person's words too: nothing is lost.
    assert second.post(url("intake_hardship", case), hardship_data(case, hardship_can_pay="每月1000元")).status_code == 302
    case.refresh_from_db()
    assert case.hardship_can_pay == "每月1000元"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_by_owner_and_helper_one_wins_one_gets_409(owner):
    """Both requests really run at once (two threads, two connections): exactly one is saved."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    case = done(make_case(owner), "about", "debts", "budget")
    owner_client, helper_client = _clients(case)
    loaded, barrier, statuses = case.version, threading.Barrier(2), {}

    def save(name, client, words):
        barrier.wait()
        try:
            statuses[name] = client.post(url("intake_hardship", case),
                                         hardship_data(case, version=loaded, hardship_can_pay=words)).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=("owner", owner_client, "甲")),
               threading.Thread(target=save, args=("helper", helper_client, "乙"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [302, 409]
    winner = "甲" if statuses["owner"] == 302 else "乙"
    assert Case.objects.get(pk=case.pk).hardship_can_pay == winner
