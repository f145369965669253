"""Letters v2 (issue 15): limitation safety, citations, the lawsuit-filled defence, the regulator's
local office, evidence 'what it proves', and render_letter --lender."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cases.letters import pdf, rules, versions
from cases.lenders import lender_slug
from cases.models import Lawsuit, Letter, RegulatorOffice

from ..factories import make_debt
from ..letters_fixtures import make_letter_case
from ..letters_pdf import plain_text, read_pdf

pytestmark = pytest.mark.django_db

ANT = "重庆蚂蚁消费金融有限公司"
CMB = "招商银行股份有限公司信用卡中心"


def text(letter) -> str:
    with versions.storage().open(pdf.ensure_pdf(letter), "rb") as fh:
        return plain_text(read_pdf(fh.read()))


def add_old_loan(case, lender=ANT):
    return make_debt(case, product="jiebei", lender=lender, account_number="JB2020000011112222",
                     principal=Decimal("3000.00"), overdue_amount=Decimal("3000.00"),
                     overdue_since=date(2021, 3, 1), last_due_date=date(2021, 3, 1))


def test_the_documents_request_is_neutral(owner):
    case = make_letter_case(owner)
    add_old_loan(case)
    body = text(versions.generate(case, "documents_request"))
    assert rules.NOT_AN_ACKNOWLEDGEMENT in body
    assert "第四十五条" in body
    for word in rules.NEUTRAL_FORBIDDEN_WORDS:
        assert word not in body, word
    assert "元" not in body.replace("单元", "")  # no amounts
    assert "2222" not in body


def test_no_letter_offers_payment_on_a_possibly_time_barred_debt(owner):
    case = make_letter_case(owner)
    old = add_old_loan(case)
    for slug in ("negotiation_request", "demand_letter", "hardship_statement", "regulator_complaint"):
        letter = versions.generate(case, slug)
        assert str(old.pk) not in {d["id"] for d in letter.snapshot["debts"]}
        assert "2222" not in text(letter), slug


def test_a_plan_including_a_flagged_debt_is_refused_for_offering_letters(owner, settings):
    from django.utils import translation

    case = make_letter_case(owner)
    old = add_old_loan(case)
    old.set_included_despite_limitation(True, by=owner)
    from ..letters_fixtures import choose_plan

    choose_plan(case)
    with pytest.raises(versions.MissingData) as exc, translation.override("en"):
        versions.generate(case, "negotiation_request")
    with translation.override("en"):
        assert any("time-barred" in str(gap.what) for gap in exc.value.missing)


def test_the_demand_letter_has_no_self_contradicting_limitation_sentence_and_no_wrong_citations(owner):
    case = make_letter_case(owner)
    add_old_loan(case)
    for slug in ("demand_letter", "negotiation_request", "regulator_complaint", "collection_complaint"):
        body = text(versions.generate(case, slug))
        assert "不构成对超过诉讼时效债务的同意履行" not in body
        assert "第六百七十六条" not in body and "第六百七十八条" not in body, slug
        assert "双方应当重新协商" not in body, slug
        assert "第十三条" not in body, slug  # the complaint rules' deadline: no article number


def test_533_is_only_a_request_to_consider_negotiating(owner):
    body = text(versions.generate(make_letter_case(owner), "demand_letter"))
    assert "第五百三十三条" in body and "请求贵司考虑" in body


def test_1032_and_1033_each_say_their_own_content(owner):
    body = text(versions.generate(make_letter_case(owner), "collection_complaint"))
    assert "第一千零三十二条规定：自然人享有隐私权" in body
    assert "第一千零三十三条规定：除法律另有规定或者权利人明确同意外" in body


def test_citations_table_has_source_and_text_and_no_lender_side_articles():
    for key, row in rules.CITATIONS.items():
        assert row["source"] and row["text"], key
    assert not any("第六百七十六条" in row["source"] or "第六百七十八条" in row["source"]
                   for row in rules.CITATIONS.values())
    assert "第十三条" not in rules.COMPLAINT_DEADLINE["source"]
    assert "cc192" in rules.CITATIONS and "spc_contract_65" in rules.CITATIONS


def sue(case, **claims):
    return Lawsuit.objects.create(case=case, court="深圳市南山区人民法院", case_number="（2026）粤0305民初7号",
                                  plaintiff=ANT, served_on=date(2026, 11, 25), **claims)


def test_the_defence_objects_to_charges_above_the_cap_with_the_computed_figure(owner):
    case = make_letter_case(owner)
    sue(case, claim_principal=Decimal("32000.00"), claim_interest=Decimal("3000.00"),
        claim_penalty=Decimal("5000.00"), claim_lawyer_fees=Decimal("800.00"))
    letter = versions.generate(case, "court_defence")
    suit = letter.snapshot["lawsuit"]
    over = Decimal(suit["over_cap"])
    assert over == Decimal("8000.00") - Decimal(suit["allowed"]) > 0
    body = text(letter)
    assert f"超出{over:,.2f}元" in body and "请求对超出部分予以调减" in body
    assert "（2026）粤0305民初7号" in body and "深圳市南山区人民法院" in body
    assert [c["objection"] for c in suit["claims"]] == [False, True, True, True]


def test_the_defence_has_no_objection_to_charges_within_the_cap(owner):
    case = make_letter_case(owner)
    sue(case, claim_principal=Decimal("32000.00"), claim_interest=Decimal("1.00"))
    suit = versions.generate(case, "court_defence").snapshot["lawsuit"]
    assert [c["objection"] for c in suit["claims"]] == [False, False]
    assert Decimal(suit["over_cap"]) == 0


def test_the_defence_raises_limitation_for_a_time_barred_debt(owner):
    case = make_letter_case(owner)
    add_old_loan(case)
    sue(case, claim_principal=Decimal("3000.00"))
    body = text(versions.generate(case, "court_defence"))
    assert "诉讼时效抗辩" in body and "第一百九十二条" in body and "第一百九十三条" in body
    assert "如调解，答辩人可以提出的方案" not in body  # no offer beside a limitation defence


def test_the_answer_deadline_is_on_the_case_page(owner_client, owner):
    case = make_letter_case(owner)
    sue(case)
    page = owner_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "2026-12-10" in page


def test_the_lawsuit_form_saves_and_refuses_a_future_date_and_another_lender(owner_client, owner):
    case = make_letter_case(owner)
    url = reverse("lawsuits", args=[case.pk])
    good = {"court": "深圳市南山区人民法院", "case_number": "（2026）粤0305民初9号", "plaintiff": ANT,
            "served_on": "2026-11-30", "claim_principal": "32000.00"}
    assert owner_client.post(url, {**good, "served_on": "2099-01-01"}).status_code == 200
    assert owner_client.post(url, {**good, "plaintiff": "某不相关公司"}).status_code == 200
    assert not Lawsuit.objects.exists()
    assert owner_client.post(url, good).status_code == 302
    assert Lawsuit.objects.get().answer_due == date(2026, 12, 15)


def test_a_stranger_cannot_see_or_change_a_lawsuit(stranger_client, owner):
    case = make_letter_case(owner)
    suit = sue(case)
    assert stranger_client.get(reverse("lawsuits", args=[case.pk])).status_code == 404
    assert stranger_client.post(reverse("lawsuit_delete", args=[case.pk, suit.pk])).status_code == 404
    assert Lawsuit.objects.filter(pk=suit.pk).exists()


def test_the_regulator_complaint_goes_to_the_debtors_regions_bureau(owner):
    case = make_letter_case(owner)  # 深圳市: a separately planned city with its own bureau
    assert RegulatorOffice.objects.count() == 36
    body = text(versions.generate(case, "regulator_complaint"))
    assert "国家金融监督管理总局深圳监管局" in body
    # No call to the hotline is asserted: nothing in the case shows one (the page suggests it as a to-do).
    assert "12378" not in body
    assert "派出机构" not in body


def test_evidence_prints_what_it_proves_not_the_note(owner):
    case = make_letter_case(owner)
    case.evidence.filter(kind="unemployment").update(proves="本人于2026年6月失业", note="私人备注")
    body = text(versions.generate(case, "evidence_index"))
    assert "本人于2026年6月失业" in body and "私人备注" not in body


def test_a_letter_to_one_lender_encloses_none_of_another_lenders_evidence(owner):
    from ..letters_fixtures import add_evidence, tiny_png

    case = make_letter_case(owner)
    card = make_debt(case, lender=CMB, product="credit_card", account_number="6225880000001111")
    item = add_evidence(case, "bill", "招行账单.png", tiny_png()[:-1] + b"\x01", "image/png")
    item.debt = card
    item.save()
    snapshot = versions.generate(case, "evidence_index", ANT).snapshot
    assert not any("招行账单" in row["name"] for row in snapshot["evidence"])
    assert any("招行账单" in row["name"] for row in versions.generate(case, "evidence_index", CMB).snapshot["evidence"])
    assert CMB not in text(Letter.objects.get(pk=versions.generate(case, "negotiation_request", ANT).pk))


def test_render_letter_needs_a_valid_lender_when_there_are_several(owner, tmp_path, capsys):
    case = make_letter_case(owner)
    make_debt(case, lender=CMB, product="credit_card", account_number="6225880000001111")
    with pytest.raises(CommandError) as exc:
        call_command("render_letter", str(case.pk), "hardship_statement", "-o", str(tmp_path / "x.pdf"),
                     "--lender", "某不存在的银行")
    assert exc.value.returncode == 2 and ANT in str(exc.value) and CMB in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("render_letter", str(case.pk), "hardship_statement", "-o", str(tmp_path / "x.pdf"))
    assert exc.value.returncode == 2 and lender_slug(CMB) in str(exc.value)
    out = tmp_path / "ant.pdf"
    call_command("render_letter", str(case.pk), "hardship_statement", "-o", str(out), "--lender", ANT)
    assert ANT in plain_text(read_pdf(out.read_bytes()))


def test_statements_are_saved_from_the_letters_page_and_bad_codes_change_nothing(owner_client, owner):
    case = make_letter_case(owner)
    url = reverse("letter_statements", args=[case.pk])
    owner_client.post(url, {"statements": ["never_refused"]})
    case.refresh_from_db()
    assert case.statements == ["never_refused"]
    owner_client.post(url, {"statements": ["never_refused", "i_am_rich"]})
    case.refresh_from_db()
    assert case.statements == ["never_refused"]


def test_the_letters_page_says_when_the_case_changed_since_the_plan(owner_client, owner):
    case = make_letter_case(owner)
    url = reverse("letters_index", args=[case.pk])
    assert 'class="notice warning stale"' not in owner_client.get(url).content.decode()
    case.debts.update(principal=Decimal("99999.00"))
    body = owner_client.get(url).content.decode()
    assert reverse("proposal", args=[case.pk]) in body and 'class="notice warning stale"' in body
