"""The lawyer summary letter (issue 19): what it needs, and what its PDF says (read back)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cases.lenders import lender_slug
from cases.letters import pdf, versions
from cases.letters.context import case_for_letters, case_lenders
from cases.letters.kinds import CREDIT_REPORT_OBJECTION, KINDS, LAWYER_SUMMARY, MEDIATION_APPLICATION
from cases.letters.labels import LETTER_TITLES
from cases.models import AuditEvent, CreditRecordError, Debtor, Letter
from cases.negotiation.rules import LADDER

from ..factories import make_debt
from ..letters_fixtures import choose_plan, make_letter_case
from ..letters_pdf import CJK_FACES, fonts_of, is_embedded, plain_text, read_pdf
from ..log_fixtures import make_contact

pytestmark = pytest.mark.django_db

ANT = "重庆蚂蚁消费金融有限公司"
CMB = "招商银行股份有限公司信用卡中心"


def pdf_text(letter) -> tuple[str, object]:
    with versions.storage().open(pdf.ensure_pdf(letter), "rb") as fh:
        reader = read_pdf(fh.read())
    return plain_text(reader), reader


def test_the_printed_titles_match_the_kinds_registry():
    assert LETTER_TITLES == {slug: kind.document_title for slug, kind in KINDS.items()}


def test_the_lawyer_summary_needs_the_debtor_and_the_debts(owner):
    case = make_letter_case(owner)
    Debtor.objects.filter(case=case).delete()
    with pytest.raises(versions.MissingData) as missing:
        versions.generate(case, LAWYER_SUMMARY)
    assert "您的姓名、电话和通讯地址" in str(missing.value)
    assert not case.letters.filter(kind=LAWYER_SUMMARY).exists()


def test_the_lawyer_summary_prints_debts_ceiling_limitation_log_letters_and_dates(owner):
    case = make_letter_case(owner)
    versions.generate(case, "negotiation_request")
    make_contact(case, channel="letter", direction="incoming", counterpart="arbitration", outcome="info",
                 event="arbitration_notice", organisation="某仲裁委员会", follow_up_on=date(2026, 12, 20))
    text, reader = pdf_text(versions.generate(case, LAWYER_SUMMARY))
    assert "案情摘要（供律师咨询）" in text and "李秀英" in text
    assert "32,000.00" in text and "法发〔2017〕22号" in text
    assert "在诉讼时效期间内" in text or "需核对日期" in text
    assert "协商还款申请书（致重庆蚂蚁消费金融有限公司，第1版，草稿）" in text
    assert "2026年12月20日：仲裁答辩期限（某仲裁委员会）" in text
    assert "HB2024000012345678" not in text  # contract numbers by their last four digits only
    fonts = fonts_of(reader)
    assert fonts and all(is_embedded(f) for f in fonts.values())
    assert all(any(face in name for face in CJK_FACES) for name in fonts)


def test_the_lawyer_summary_gives_its_figures_on_the_chosen_plans_date(owner):
    """One date for every figure (PRACTITIONER.md): the plan's, printed once at the top."""
    case = make_letter_case(owner)
    proposal = case.proposals.first()
    proposal.as_of = timezone.localdate() - timedelta(days=10)  # a plan chosen before today, as a real one is
    proposal.save(update_fields=["as_of"])
    letter = versions.generate(case, LAWYER_SUMMARY)
    d = proposal.figures_date
    assert letter.snapshot["plan"]["as_of"] == letter.snapshot["as_of"] == d.isoformat()
    text, _reader = pdf_text(letter)
    flat = "".join(text.split())
    assert f"金额截至{d.year}年{d.month}月{d.day}日" in flat and "可能不同" not in flat


# --- The lawyer summary is one document for the whole case --------------------------------------

def test_the_lawyer_summary_is_one_case_wide_document_with_no_lender(owner):
    case = make_letter_case(owner)
    make_debt(case, lender=CMB, product="credit_card", account_number="6225880000001111")
    letter = versions.generate(case, LAWYER_SUMMARY)
    assert (letter.lender, letter.lender_slug) == ("", "")
    assert versions.generate(case, LAWYER_SUMMARY, "-") == letter  # same content: the same version
    text, _ = pdf_text(letter)
    assert ANT in text and CMB in text and "尾号1111" in text  # every lender's debts: it goes to no lender
    with pytest.raises(versions.UnknownLender):
        versions.generate(case, LAWYER_SUMMARY, CMB)


def test_the_lawyer_summary_page_uses_dash_and_no_lender_slug(owner_client, owner):
    case = make_letter_case(owner)
    slug = lender_slug(ANT)
    assert owner_client.get(reverse("letter_page", args=[case.pk, LAWYER_SUMMARY, slug])).status_code == 404
    assert owner_client.post(reverse("letter_generate", args=[case.pk, LAWYER_SUMMARY, slug])).status_code == 404
    assert owner_client.get(reverse("letter_page", args=[case.pk, "negotiation_request", "-"])).status_code == 404
    assert not Letter.objects.exists()
    response = owner_client.get(reverse("letter_kind", args=[case.pk, LAWYER_SUMMARY]))
    assert response["Location"] == reverse("letter_page", args=[case.pk, LAWYER_SUMMARY, "-"])
    response = owner_client.post(reverse("letter_generate", args=[case.pk, LAWYER_SUMMARY, "-"]))
    assert response["Location"] == reverse("letter_page", args=[case.pk, LAWYER_SUMMARY, "-"])
    letter = Letter.objects.get(kind=LAWYER_SUMMARY)
    page = owner_client.get(reverse("letter_page", args=[case.pk, LAWYER_SUMMARY, "-"])).content.decode()
    assert reverse("letter_pdf", args=[case.pk, LAWYER_SUMMARY, "-", letter.version]) in page
    assert owner_client.get(reverse("letter_pdf", args=[case.pk, LAWYER_SUMMARY, "-", 1])).status_code == 200
    response = owner_client.post(reverse("letter_submit", args=[case.pk, LAWYER_SUMMARY, "-", 1]))
    assert response["Location"] == reverse("letter_page", args=[case.pk, LAWYER_SUMMARY, "-"])


def test_a_stranger_cannot_see_or_make_the_lawyer_summary(stranger_client, owner):
    case = make_letter_case(owner)
    assert stranger_client.get(reverse("letter_page", args=[case.pk, LAWYER_SUMMARY, "-"])).status_code == 404
    assert stranger_client.post(reverse("letter_generate", args=[case.pk, LAWYER_SUMMARY, "-"])).status_code == 404
    assert not Letter.objects.exists()


def test_render_letter_makes_the_lawyer_summary_without_a_lender_and_refuses_one(owner, tmp_path):
    case = make_letter_case(owner)
    make_debt(case, lender=CMB, product="credit_card", account_number="6225880000001111")
    with pytest.raises(CommandError) as exc:
        call_command("render_letter", str(case.pk), LAWYER_SUMMARY, "-o", str(tmp_path / "x.pdf"), "--lender", CMB)
    assert exc.value.returncode == 2 and "leave out --lender" in str(exc.value)
    out = tmp_path / "summary.pdf"
    call_command("render_letter", str(case.pk), LAWYER_SUMMARY, "-o", str(out))
    text = plain_text(read_pdf(out.read_bytes()))
    assert ANT in text and CMB in text


# --- The mediation application ------------------------------------------------------------------

def test_the_mediation_application_needs_a_chosen_plan(owner):
    case = make_letter_case(owner, with_proposal=False)
    with pytest.raises(versions.MissingData) as missing:
        versions.generate(case, MEDIATION_APPLICATION)
    assert "您选择的还款方案" in str(missing.value) or "还款方案" in str(missing.value)
    assert not Letter.objects.exists()


def test_the_mediation_application_offers_nothing_on_a_possibly_time_barred_debt(owner):
    case = make_letter_case(owner)
    old = make_debt(case, lender=CMB, product="credit_card", account_number="6225880000002222",
                    principal=Decimal("3000.00"), overdue_amount=Decimal("3000.00"), overdue_since=date(2021, 3, 1),
                    last_due_date=date(2021, 3, 1))
    choose_plan(case)
    loaded = case_for_letters(case.pk)
    cmb = next(item for item in case_lenders(loaded) if item.name == CMB)
    assert old.pk in cmb.debt_ids
    assert KINDS[MEDIATION_APPLICATION].missing(loaded, cmb)  # its only debt may be time-barred: no application
    with pytest.raises(versions.MissingData):
        versions.generate(case, MEDIATION_APPLICATION, CMB)
    assert KINDS[MEDIATION_APPLICATION].offers_payment


def test_the_mediation_application_pdf_names_the_respondent_the_request_and_the_evidence(owner, tmp_path):
    case = make_letter_case(owner)
    make_debt(case, lender=CMB, product="credit_card", account_number="6225880000001111")
    choose_plan(case)
    out = tmp_path / "mediation.pdf"
    call_command("render_letter", str(case.pk), MEDIATION_APPLICATION, "-o", str(out), "--lender", ANT)
    reader = read_pdf(out.read_bytes())
    text = plain_text(reader)
    assert "调解申请书" in text and "申请人：李秀英" in text and f"被申请人：{ANT}" in text
    assert CMB not in text and "1111" not in text  # the other lender only as a count and a total
    assert "另有1家债权人" in text
    part = case.proposals.latest().for_lender(ANT)["part"]
    assert f"{Decimal(part['total']):,.2f}" in text and f"{Decimal(part['monthly_payment']):,.2f}" in text
    assert "三、证据清单" in text and "司法确认" in text
    assert "（调解组织名称）" in text  # the organisation is the user's to fill in: we do not guess it
    fonts = fonts_of(reader)
    assert fonts and all(is_embedded(f) for f in fonts.values())
    assert all(any(face in name for face in CJK_FACES) for name in fonts)


def test_the_stalled_rung_offers_the_mediation_application():
    rule = next(rule for rule in LADDER if rule.slug == "mediation")
    assert MEDIATION_APPLICATION in rule.letters and rule.road == "mediation"


# --- The credit-report objection ----------------------------------------------------------------

def test_the_objection_needs_what_is_wrong_and_links_to_the_credit_report_page(owner, settings):
    settings.LANGUAGE_CODE = "en"
    case = make_letter_case(owner)
    with pytest.raises(versions.MissingData) as missing:
        versions.generate(case, CREDIT_REPORT_OBJECTION)
    assert [str(gap.what) for gap in missing.value.missing] == [
        "What is wrong in this lender's record on your credit report"]
    assert missing.value.missing[0].url == reverse("road", args=[case.pk, "credit-report"]) + "#wrong-record"
    assert not Letter.objects.exists()


def test_the_credit_report_page_saves_what_is_wrong_and_offers_the_letter(owner_client, owner):
    case = make_letter_case(owner)
    url = reverse("credit_record_error", args=[case.pk])
    response = owner_client.post(url, {"lender": lender_slug(ANT), "problem": "wrong_amount",
                                       "details": "报告显示逾期8,000元，实际逾期5,000元。",
                                       "account": "HB 2024 0000 1234 5678", "addressee": "bureau"})
    assert response["Location"] == reverse("letter_page", args=[case.pk, CREDIT_REPORT_OBJECTION, lender_slug(ANT)])
    row = CreditRecordError.objects.get(case=case)
    assert (row.lender, row.problem, row.account, row.addressee) == (ANT, "wrong_amount", "5678", "bureau")
    assert AuditEvent.objects.filter(action="credit_error.add").exists()
    page = owner_client.get(reverse("road", args=[case.pk, "credit-report"])).content.decode()
    assert reverse("letter_page", args=[case.pk, CREDIT_REPORT_OBJECTION, lender_slug(ANT)]) in page


@pytest.mark.parametrize("data", [
    {"lender": "lnotalender", "problem": "wrong_amount", "details": "x", "addressee": "lender"},
    {"lender": "__ANT__", "problem": "erase_it", "details": "x", "addressee": "lender"},
    {"lender": "__ANT__", "problem": "wrong_amount", "details": "   ", "addressee": "lender"},
    {"lender": "__ANT__", "problem": "wrong_amount", "details": "x" * 1001, "addressee": "lender"},
    {"lender": "__ANT__", "problem": "wrong_amount", "details": "x", "addressee": "the_press"},
])
def test_a_bad_wrong_record_is_refused_and_changes_nothing(owner_client, owner, data):
    case = make_letter_case(owner)
    data = {**data, "lender": lender_slug(ANT) if data["lender"] == "__ANT__" else data["lender"]}
    response = owner_client.post(reverse("credit_record_error", args=[case.pk]), data)
    assert response.status_code == 400
    assert not CreditRecordError.objects.exists()


def test_a_stranger_cannot_record_a_wrong_record(stranger_client, owner):
    case = make_letter_case(owner)
    response = stranger_client.post(reverse("credit_record_error", args=[case.pk]),
                                    {"lender": lender_slug(ANT), "problem": "not_mine", "details": "x",
                                     "addressee": "lender"})
    assert response.status_code == 404
    assert not CreditRecordError.objects.exists()


@pytest.mark.parametrize("to_bureau", [False, True])
def test_the_objection_pdf_states_what_is_wrong_the_20_days_and_offers_nothing(owner, tmp_path, to_bureau):
    case = make_letter_case(owner)
    lender = case_lenders(case_for_letters(case.pk))[0]
    CreditRecordError.record(case, lender, problem="no_notice", details="本人从未收到报送前的告知。",
                             account="5678", addressee="bureau" if to_bureau else "lender", by=owner)
    out = tmp_path / "objection.pdf"
    call_command("render_letter", str(case.pk), CREDIT_REPORT_OBJECTION, "-o", str(out))
    reader = read_pdf(out.read_bytes())
    text = plain_text(reader)
    assert "征信异议申请书" in text and "异议人：李秀英" in text
    assert ("致：中国人民银行征信中心" in text) is to_bureau and (f"致：{ANT}" in text) is not to_bureau
    assert "报送不良信息前未事先告知本人" in text and "第十五条" in text and "本人从未收到报送前的告知。" in text
    assert "20日内" in text and "第二十五条" in text and "尾号5678" in text
    assert "不因异议而删除" in text  # a true record stays
    for offer in ("分期", "每期", "还款方案", "减免"):
        assert offer not in text, offer
    assert not KINDS[CREDIT_REPORT_OBJECTION].offers_payment
    fonts = fonts_of(reader)
    assert fonts and all(is_embedded(f) for f in fonts.values())
    assert all(any(face in name for face in CJK_FACES) for name in fonts)
