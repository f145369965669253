"""The dashboard lists my cases in a bounded number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import make_case, make_debt


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_number_of_cases(owner_client, owner, django_assert_max_num_queries):
    make_debt(make_case(owner, title="第一个案件"))
    one = dashboard_queries(owner_client)
    for n in range(10):
        case = make_case(owner, title=f"案件{n}")
        make_debt(case)
        make_debt(case, product="jiebei")
    assert dashboard_queries(owner_client) == one
    with django_assert_max_num_queries(10):  # + the dates that matter (issue 18)
        owner_client.get(reverse("dashboard"))


def test_dashboard_shows_each_case_with_its_debt_count(owner_client, owner):
    case = make_case(owner, title="花呗和借呗")
    make_debt(case)
    make_debt(case, product="jiebei")
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert "花呗和借呗" in html
    assert "2 笔债务" in html
    assert "再建一个案件" in html
