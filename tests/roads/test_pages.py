"""The other roads' information pages (issue 19): every statement with its source, unverified ones
marked in the UI, the scam warning, the bankruptcy self-check by region, and who may see them."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases.roads import rules
from cases.roads.pages import BANKRUPTCY_FACTS, ROADS

from ..factories import make_case


def page(client, case, slug, lang="en", **query) -> str:
    response = client.get(reverse("road", args=[case.pk, slug]), query, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_every_legal_statement_names_its_source_and_every_level_is_known():
    for fact in rules.FACTS:
        assert fact.level in {rules.H, rules.M, rules.U}
        if fact.level != rules.H:
            assert fact.source, fact.slug  # a doubt needs a source to be doubted
        assert "DOMAIN" not in fact.source  # the page shows it: a public source, in Chinese


def test_every_page_statement_exists_in_the_rules_table():
    for road in ROADS:
        road.all_facts()  # raises KeyError on an unknown slug
    for slugs in BANKRUPTCY_FACTS.values():
        rules.facts(*slugs)


@pytest.mark.parametrize("road", [road.slug for road in ROADS])
def test_each_page_shows_its_statements_with_their_sources(owner_client, case, road):
    html = page(owner_client, case, road)
    for section in next(r for r in ROADS if r.slug == road).sections:
        for fact in rules.facts(*section.facts):
            assert f'data-fact="{fact.slug}"' in html
            if fact.source:
                assert escape(fact.source) in html


def test_unverified_statements_say_so_on_the_page(owner_client, case):
    html = page(owner_client, case, "going-public")
    item = html.split('data-fact="public_risks"', 1)[1].split("</li>", 1)[0]
    assert "not yet checked" in item
    item = html.split('data-fact="public_defamation"', 1)[1].split("</li>", 1)[0]
    assert "not yet checked" not in item


def test_unverified_marker_is_translated(owner_client, case):
    html = page(owner_client, case, "going-public", lang="zh-hans")
    item = html.split('data-fact="public_risks"', 1)[1].split("</li>", 1)[0]
    assert "尚未核实" in item


def test_the_credit_report_page_warns_about_credit_repair_scams(owner_client, case):
    html = page(owner_client, case, "credit-report")
    assert "Nobody can lawfully delete a true record" in html
    for sign in rules.SCAM_SIGNS:
        assert escape(str(sign)) in html
    assert "within 20 days" in html


def test_the_mediation_page_says_court_confirmation_is_within_30_days(owner_client, case):
    assert "within 30 days of the agreement taking effect" in page(owner_client, case, "mediation")


def test_the_arbitration_page_marks_the_new_law_as_from_secondary_sources(owner_client, case):
    html = page(owner_client, case, "arbitration")
    item = html.split('data-fact="arbitration_challenge"', 1)[1].split("</li>", 1)[0]
    assert "three months" in item and "from secondary sources" in item


def test_the_index_lists_every_road(owner_client, case):
    html = owner_client.get(reverse("roads_index", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for road in ROADS:
        assert reverse("road", args=[case.pk, road.slug]) in html


def test_an_unknown_road_is_a_404(owner_client, case):
    assert owner_client.get(reverse("road", args=[case.pk, "no-such-road"])).status_code == 404


def test_a_stranger_gets_404_for_a_road_page(stranger_client, case):
    assert stranger_client.get(reverse("road", args=[case.pk, "mediation"])).status_code == 404
    assert stranger_client.get(reverse("roads_index", args=[case.pk])).status_code == 404


@pytest.mark.parametrize("slug", ["roads_index", "road"])
def test_road_pages_have_bounded_queries(owner_client, case, slug, django_assert_max_num_queries):
    args = [case.pk] if slug == "roads_index" else [case.pk, "bankruptcy"]
    with django_assert_max_num_queries(5):
        assert owner_client.get(reverse(slug, args=args)).status_code == 200


# --- Personal bankruptcy: by region, and the Shenzhen self-check's outcomes --------------------

YES_TO_ALL = {key: "yes" for key, _label in rules.SHENZHEN_QUESTIONS}


@pytest.mark.parametrize(("answers", "result"), [
    (YES_TO_ALL, rules.LIKELY),
    ({**YES_TO_ALL, "social_insurance": "no"}, rules.NOT_COVERED),
    ({**YES_TO_ALL, "lives_in_shenzhen": "no", "cannot_repay": "unsure"}, rules.NOT_COVERED),
    ({**YES_TO_ALL, "debt_origin": "unsure"}, rules.CHECK),
    ({}, rules.CHECK),
])
def test_the_shenzhen_self_check_is_honest(answers, result):
    assert rules.shenzhen_self_check(answers) == result


@pytest.mark.parametrize(("answers", "result", "words"), [
    (YES_TO_ALL, "likely", "You are likely to meet the conditions."),
    ({**YES_TO_ALL, "social_insurance": "no"}, "not_covered", "the regulation does not cover you"),
    ({**YES_TO_ALL, "cannot_repay": "unsure"}, "unsure", "Not sure yet."),
])
def test_the_self_check_shows_each_outcome_in_shenzhen(owner_client, case, answers, result, words):
    html = page(owner_client, case, "bankruptcy", check="1", **answers)
    assert f'data-result="{result}"' in html
    assert words in html


def test_an_incomplete_self_check_asks_for_every_answer_and_decides_nothing(owner_client, case):
    html = page(owner_client, case, "bankruptcy", check="1", lives_in_shenzhen="yes", social_insurance="maybe")
    assert "Answer every question." in html
    assert "data-result" not in html


@pytest.mark.parametrize(("province", "city", "shown", "absent"), [
    ("福建省", "厦门市", "bankruptcy_xiamen", "lives_in_shenzhen"),
    ("浙江省", "宁波市", "bankruptcy_zhejiang", "lives_in_shenzhen"),
    ("北京市", "北京市", "bankruptcy_elsewhere", "lives_in_shenzhen"),
])
def test_outside_shenzhen_the_page_says_one_thing_and_offers_no_self_check(owner_client, owner, province, city,
                                                                           shown, absent):
    case = make_case(owner, province=province, city=city)
    html = page(owner_client, case, "bankruptcy", check="1", **YES_TO_ALL)
    assert f'data-fact="{shown}"' in html
    assert f'name="{absent}"' not in html and "data-result" not in html


def test_xiamen_is_marked_as_not_yet_checked(owner_client, owner):
    case = make_case(owner, province="福建省", city="厦门市")
    item = page(owner_client, case, "bankruptcy").split('data-fact="bankruptcy_xiamen"', 1)[1].split("</li>", 1)[0]
    assert "not yet checked" in item


@pytest.mark.parametrize(("province", "city", "regime"), [
    ("广东省", "深圳市", "shenzhen"), ("广东省", "深圳", "shenzhen"), ("福建省", "厦门市", "xiamen"),
    ("浙江省", "温州市", "zhejiang"), ("广东省", "广州市", ""), ("", "", ""),
])
def test_the_region_decides_the_procedure(province, city, regime):
    assert rules.bankruptcy_regime(province, city) == regime


def test_the_hub_links_the_other_roads(owner_client, case):
    html = owner_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("roads_index", args=[case.pk]) in html
