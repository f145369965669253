"""The filters that print snapshot values in the letters."""

import pytest

from cases.templatetags.letter_tags import account_tail, cndate, cnnum, yuan


@pytest.mark.parametrize(("masked", "shown"), [
    ("**************7812", "尾号7812"),
    ("****", "****"),  # a number of four characters or fewer is masked whole: nothing to show
    ("", "—"),
    (None, "—"),
])
def test_account_tail_shows_only_the_visible_last_digits(masked, shown):
    assert account_tail(masked) == shown


def test_amounts_and_dates_print_in_formal_chinese():
    assert yuan("12000.5") == "12,000.50"
    assert yuan("") == ""
    assert yuan("not a number") == "not a number"
    assert cndate("2026-11-02") == "2026年11月2日"


@pytest.mark.parametrize(("n", "words"), [
    (0, "〇"), (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九"), (100, "一百"), (101, "一百零一"),
    (110, "一百一十"), (1010, "一千零一十"), (2006, "二千零六"), (10000, "10000"),
])
def test_incident_numbers_are_written_in_chinese_numerals_however_many(n, words):
    assert cnnum(n) == words
