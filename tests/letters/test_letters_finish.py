"""Letters read as a consumer-finance lawyer reads them (PRACTITIONER.md): each sentence struck in review
is tested here by reading the rendered PDF's text back, both ways where it depends on the case."""

import re
from decimal import Decimal

import pytest

from cases.letters import pdf, versions
from cases.models import Contact, Lawsuit

from ..letters_fixtures import choose_plan, make_letter_case
from ..letters_pdf import plain_text, read_pdf

pytestmark = pytest.mark.django_db

ANT = "重庆蚂蚁消费金融有限公司"
CAP_KINDS = ("negotiation_request", "demand_letter", "regulator_complaint")


def text(letter) -> str:
    with versions.storage().open(pdf.ensure_pdf(letter), "rb") as fh:
        return plain_text(read_pdf(fh.read()))


def flat(body: str) -> str:
    return re.sub(r"\s+", "", body)


def private_case(owner):
    """The same debts, lent privately: the cap is 4 × the one-year LPR (民间借贷规定), not 24 %."""
    case = make_letter_case(owner, with_proposal=False)
    case.debts.update(lender_type="private")
    choose_plan(case)
    return case


@pytest.mark.parametrize("slug", CAP_KINDS)
def test_a_licensed_lenders_excess_is_measured_against_24_percent(owner, slug):
    letter = versions.generate(make_letter_case(owner), slug)
    assert Decimal(letter.snapshot["totals"]["excess_over_cap"]) > 0
    body = flat(text(letter))
    assert "超过年利率24%的部分" in body and "法发〔2017〕22号" in body
    assert "民间借贷" not in body and "法定上限" not in body


@pytest.mark.parametrize("slug", CAP_KINDS)
def test_a_private_loans_excess_is_measured_against_its_own_rule(owner, slug):
    letter = versions.generate(private_case(owner), slug)
    over = [d for d in letter.snapshot["debts"] if Decimal(d["excess_over_cap"]) > 0]
    assert over and {d["ceiling_rule"] for d in over} == {"4xLPR"}
    rate = (Decimal(over[0]["ceiling_rate"]) * 100).quantize(Decimal("0.01"))
    body = flat(text(letter))
    assert f"超过一年期贷款市场报价利率四倍（年利率{rate}%）的部分" in body
    assert "民间借贷案件适用法律若干问题的规定" in body
    assert "24%" not in body and "法发〔2017〕22号" not in body and "法定上限" not in body


def sue(case, **claims):
    return Lawsuit.objects.create(case=case, court="深圳市南山区人民法院", case_number="（2026）粤0305民初7号",
                                  plaintiff=ANT, served_on=case.created_at.date(), **claims)


@pytest.mark.parametrize(("make", "words", "absent"), [
    (make_letter_case, "年利率24%", "一年期贷款市场报价利率四倍"),
    (private_case, "一年期贷款市场报价利率四倍", "24%"),
])
def test_the_defence_names_the_debts_own_cap(owner, make, words, absent):
    case = make(owner)
    sue(case, claim_principal=Decimal("25000.00"), claim_interest=Decimal("3000.00"),
        claim_penalty=Decimal("5000.00"), claim_fees=Decimal("300.00"))
    body = flat(text(versions.generate(case, "court_defence")))
    assert words in body and absent not in body


def test_the_defences_total_adds_up_and_the_cap_reason_is_stated_once(owner):
    case = make_letter_case(owner)
    sue(case, claim_principal=Decimal("25000.00"), claim_interest=Decimal("3000.00"),
        claim_penalty=Decimal("5000.00"), claim_fees=Decimal("300.00"), claim_lawyer_fees=Decimal("1000.00"),
        claim_total=Decimal("40000.00"))
    letter = versions.generate(case, "court_defence")
    body = flat(text(letter))
    found = re.search(r"超出年利率24%的费用([\d,]+\.\d\d)元请求调减；律师费1,000\.00元请原告举证（见上），"
                      r"相应减去后为([\d,]+\.\d\d)元", body)
    assert found, body
    reduced, rest = (Decimal(g.replace(",", "")) for g in found.groups())
    assert reduced == Decimal(letter.snapshot["lawsuit"]["over_cap"])
    assert reduced + Decimal("1000.00") + rest == Decimal("40000.00")  # every part disputed is subtracted
    assert body.count("请求对超出部分予以调减") == 2  # the first charge row and section 四, not every row
    assert body.count("理由同上") == 2


def test_the_defence_does_not_argue_hardship_or_conduct_as_reducing_damages(owner):
    case = make_letter_case(owner)
    sue(case, claim_principal=Decimal("25000.00"), claim_interest=Decimal("1.00"))
    body = flat(text(versions.generate(case, "court_defence")))
    assert "请法庭在认定违约金时予以考虑" not in body
    assert "请法庭在组织调解、确定履行期限时予以考虑" in body and "供法庭了解案件情况" in body


@pytest.mark.parametrize(("flags", "expected", "struck"), [
    (["threat_insult", "third_party"], "停止向与债务无关的第三人联系或透露", "不得向与债务无关的第三人联系或透露"),
    (["threat_insult"], "不得向与债务无关的第三人联系或透露", "停止向与债务无关的第三人联系或透露"),
])
def test_the_collection_complaint_says_stop_only_when_a_third_party_was_contacted(owner, flags, expected, struck):
    case = make_letter_case(owner)
    Contact.objects.filter(case=case, channel="collector_call").update(misconduct=flags)
    body = flat(text(versions.generate(case, "collection_complaint")))
    assert expected in body and struck not in body


@pytest.mark.parametrize("slug", ("negotiation_request", "demand_letter"))
def test_plan_letters_ask_for_no_third_party_contact_without_saying_it_happened(owner, slug):
    body = flat(text(versions.generate(make_letter_case(owner, with_misconduct=False), slug)))
    assert "不再向与债务无关的第三人" not in body and "停止向与债务无关的第三人" not in body
    assert "不向与债务无关的第三人" in body


def test_the_collection_complaint_encloses_no_hardship_proof(owner):
    case = make_letter_case(owner)
    assert "解除劳动合同通知书" in flat(text(versions.generate(case, "negotiation_request")))
    body = flat(text(versions.generate(case, "collection_complaint")))
    assert "解除劳动合同通知书" not in body and "住院费用清单" not in body


def test_the_regulator_complaint_speaks_as_the_complainant(owner):
    body = flat(text(versions.generate(make_letter_case(owner), "regulator_complaint")))
    assert "投诉人共1次主动联系被投诉机构" in body and "本人共" not in body


def test_hardship_reasons_assert_nothing_the_user_did_not_choose(owner):
    body = flat(text(versions.generate(make_letter_case(owner), "negotiation_request")))
    assert "患病或受伤" in body and "患病、受伤" not in body


def test_the_documents_request_asks_for_post_only_to_the_postal_address(owner):
    from datetime import date

    from ..factories import make_debt

    case = make_letter_case(owner)
    make_debt(case, product="jiebei", lender=ANT, account_number="JB2020000011112222",
              principal=Decimal("3000.00"), overdue_amount=Decimal("3000.00"),
              overdue_since=date(2021, 3, 1), last_due_date=date(2021, 3, 1))
    body = flat(text(versions.generate(case, "documents_request")))
    assert "以信函方式寄送至本人上述通讯地址" in body and "电子邮件" not in body


def test_the_court_answer_deadline_is_in_the_users_calendar_feed(client, owner):
    from datetime import timedelta

    import icalendar
    from django.urls import reverse
    from django.utils import timezone

    from cases.models import ReminderSettings

    case = make_letter_case(owner)
    served = timezone.localdate() - timedelta(days=2)
    suit = Lawsuit.objects.create(case=case, court="深圳市南山区人民法院", case_number="（2026）粤0305民初7号",
                                  plaintiff=ANT, served_on=served)
    token = ReminderSettings.for_user(owner).new_feed(by=owner)

    def court_events():
        cal = icalendar.Calendar.from_ical(client.get(reverse("calendar_feed", args=[token])).content)
        return [e for e in cal.walk("VEVENT") if str(e["uid"]).endswith(f"lawsuit-{suit.pk}@negotiator")]

    [event] = court_events()
    assert event.decoded("dtstart") == served + timedelta(days=15)
    assert [a.decoded("trigger") for a in event.walk("VALARM")] == [timedelta(days=-3)]
    suit.served_on = served - timedelta(days=1)  # the user corrects the date: the same event moves
    suit.save()
    [moved] = court_events()
    assert moved.decoded("dtstart") == served + timedelta(days=14) and str(moved["uid"]) == str(event["uid"])
    suit.served_on = None  # no date served yet: nothing to put in a calendar
    suit.save()
    assert court_events() == []


def test_staff_see_lawsuits_in_the_admin_as_read_only_rows(admin_client, owner):
    from django.urls import reverse

    case = make_letter_case(owner)
    suit = sue(case, claim_principal=Decimal("25000.00"), claim_total=Decimal("26000.00"))
    listing = admin_client.get(reverse("admin:cases_lawsuit_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "（2026）粤0305民初7号" in html and ANT in html
    assert reverse("admin:cases_lawsuit_add") not in html
    assert admin_client.get(reverse("admin:cases_lawsuit_add")).status_code == 403
    # A row opens on the case's review page (masked, audited; issue 16), never a form.
    page = admin_client.get(reverse("admin:cases_lawsuit_change", args=[suit.pk]))
    assert page.status_code == 302 and page.url == reverse("admin:cases_case_review", args=[case.pk])
    before = Lawsuit.objects.values().get(pk=suit.pk)
    response = admin_client.post(reverse("admin:cases_lawsuit_change", args=[suit.pk]),
                                 {"court": "别的法院", "plaintiff": "别人"})
    assert response.status_code == 302
    assert admin_client.post(reverse("admin:cases_lawsuit_delete", args=[suit.pk]), {"post": "yes"}).status_code == 403
    assert Lawsuit.objects.values().get(pk=suit.pk) == before


def test_the_defence_takes_one_position_on_the_charges_and_states_it_the_same_way_twice(owner):
    """The cap on the unpaid principal over the days charges ran, with its computation, stated once in the claims
    table and again in section 四 word for word; the total line subtracts the same figure. (A practitioner
    recomputed 574.74 as two caps on two bases, the debtor's own count 321.60 on a base the bank's bill did not
    use: a judge who recomputes finds both wrong.)"""
    case = make_letter_case(owner)
    sue(case, claim_principal=Decimal("25000.00"), claim_interest=Decimal("3000.00"),
        claim_penalty=Decimal("5000.00"), claim_total=Decimal("40000.00"))
    letter = versions.generate(case, "court_defence")
    suit = letter.snapshot["lawsuit"]
    body = flat(text(letter))
    position = flat(suit["charges_position"])
    assert body.count(position) == 2, position  # the claims table and section 四, word for word
    assert "按答辩人依合同核算" not in body and "应为" not in position
    found = re.search(r"以未还本金为基数计算（([^）]+)），截至[^，]+最多可收取([\d,]+\.\d\d)元，超出([\d,]+\.\d\d)元", position)
    assert found, position
    terms = re.findall(r"([\d,]+\.\d\d)元×24%×(\d+)天÷(365|360)", found.group(1))
    assert len(terms) == len(found.group(1).split("＋")) == 2  # one term per debt of this lender
    allowed, over = (Decimal(v.replace(",", "")) for v in found.groups()[1:])
    cent = Decimal("0.01")
    assert allowed == Decimal(suit["allowed"]) == sum(
        (Decimal(p.replace(",", "")) * Decimal("0.24") * int(d) / int(y)).quantize(cent) for p, d, y in terms)
    principal = sum(Decimal(p.replace(",", "")) for p, _d, _y in terms)
    assert principal == Decimal(suit["principal"])
    assert over == Decimal("8000.00") - allowed
    total = re.search(r"超出年利率24%的费用([\d,]+\.\d\d)元请求调减（见上），相应减去后为([\d,]+\.\d\d)元", body)
    assert total, body
    assert Decimal(total.group(1).replace(",", "")) == over
    assert Decimal(total.group(2).replace(",", "")) == Decimal("40000.00") - over - max(Decimal("25000.00") - principal, 0)
