"""The proposal page in Chinese shows no English: every part of it rendered (the floor applying, per-lender
parts, an own amount, the arrangement and the hold, a flagged debt, a plan chosen with a reason, the charges
page) in zh-Hans and zh-Hant, and any English word that is not a brand name or a unit fails."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.models import Case, Proposal
from cases.proposal.quote import engine_input_for, quote_dict, today_in_china

from ..factories import make_budget_line, make_case, make_debt

# Latin words a Chinese page may show: units, the LPR, the app's name in Latin letters, the yuan sign's code.
# "English" is the language switcher's own name for English, shown on every page.
ALLOWED = {"LPR", "Negotiator", "CNY", "English"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
SHOWN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "value", "data-year-word"}


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text outside script/style, and the attributes shown or read out."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            # a button's value is sent, not shown; a submit input's value is its caption
            shown_value = name == "value" and tag == "input" and ("type", "submit") in attrs
            if value and (name in SHOWN_ATTRIBUTES - {"value"} or shown_value):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return sorted({word for word in ENGLISH_WORD.findall(text) if word not in ALLOWED})


@pytest.fixture
def arrangement_case(owner):
    """Nothing fits in 60 months: the arrangement; two lenders; an own amount; a debt over three years
    old (flagged); charges billed without a period and over the ceiling; a plan chosen with a reason."""
    case = make_case(owner, city="深圳市", household_size=3)  # the floor 3 × 1365.00 is above the 3000 entered
    make_debt(case, principal=Decimal("90000.00"), overdue_amount=Decimal("90000.00"),
              overdue_since=today_in_china() - timedelta(days=200), billed_charges=Decimal("9000.00"))
    make_debt(case, product="jiebei", lender="某消费金融有限公司", principal=Decimal("80000.00"),
              overdue_amount=Decimal("20000.00"), annual_rate=Decimal("0.18"),
              overdue_since=today_in_china() - timedelta(days=100), lender_claimed_total=Decimal("90000.00"),
              billed_lines=[{"kind": "instalment_fee", "amount": "528.00", "from": "2026-01-01", "to": "2026-12-31"}])
    make_debt(case, product="credit_card", lender="某银行股份有限公司信用卡中心", principal=Decimal("5000.00"),
              overdue_amount=Decimal("5000.00"), annual_rate=Decimal("0.1825"), overdue_since=date(2021, 1, 5))
    make_budget_line(case, "income", "salary", "5200.00")
    make_budget_line(case, "expense", "housing", "1800.00")
    make_budget_line(case, "expense", "food", "1200.00")
    case.monthly_offer = Decimal("1500.00")
    case.save(update_fields=["monthly_offer"])
    case.set_status(Case.Status.READY)
    engine_input = engine_input_for(case, today_in_china())
    quote = quote_dict(engine_input)
    above = next(i for i, plan in enumerate(quote["plans"]) if plan["needs_reason"])
    Proposal.objects.choose(case, engine_input, quote, above, by=owner, reason="我哥哥每月帮我500元")
    return case


@pytest.fixture
def hold_case(owner):
    case = make_case(owner, city="深圳市", household_size=3)
    make_debt(case)
    make_budget_line(case, "income", "benefits", "1500.00")
    make_budget_line(case, "expense", "housing", "1600.00")
    case.set_status(Case.Status.READY)
    return case


def _pages(client, case) -> dict[str, str]:
    url = reverse("proposal", args=[case.pk])
    quote = quote_dict(engine_input_for(case, today_in_china()))
    pages = {"page": url, **{f"plan {i}": f"{url}?plan={i}" for i in range(len(quote["plans"]))}}
    debt = case.debts.first()
    pages["charges"] = reverse("debt_charges", args=[case.pk, debt.pk])
    return {name: client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            for name, path in pages.items() for language in [client.language]}


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_the_proposal_page_shows_no_english_in_chinese(owner_client, arrangement_case, hold_case, language):
    owner_client.cookies["django_language"] = language
    owner_client.language = language
    english = {}
    for case in (arrangement_case, hold_case):
        for name, html in _pages(owner_client, case).items():
            assert f'lang="{language}"' in html.lower() or language in html.lower()
            if words := english_words(html):
                english[f"case {case.pk} {name}"] = words
    assert english == {}


def test_the_cases_show_what_the_test_is_meant_to_cover(owner_client, arrangement_case, hold_case):
    page = owner_client.get(reverse("proposal", args=[arrangement_case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the floor, not your figure, is used" in page
    assert "What each lender is asked to accept" in page
    assert "My own monthly amount" in page and "¥1500.00" in page
    assert "with charges frozen, reviewed later" in page
    assert "May be time-barred" in page and "I have read the warning" in page
    assert "Where the money above your budget comes from, as you said:" in page
    assert "above the legal ceiling" in page and "period assumed" in page
    hold = owner_client.get(reverse("proposal", args=[hold_case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A pause with no payment, reviewed later" in hold


def test_english_words_are_found_and_brand_names_are_not():
    assert english_words("<p>还款 Each month ¥12.00</p><script>var x</script>") == ["Each", "month"]
    assert english_words('<a aria-label="Case sections">LPR 3.00%</a>') == ["Case", "sections"]
    assert english_words('<input type="hidden" name="plan" value="abc"><p>每月</p>') == []
