"""The lawyer summary letter (issue 19): what it needs, and what its PDF says (read back)."""

from datetime import date

import pytest

from cases.letters import pdf, versions
from cases.letters.kinds import KINDS, LAWYER_SUMMARY
from cases.letters.labels import LETTER_TITLES
from cases.models import Debtor

from ..letters_fixtures import make_letter_case
from ..letters_pdf import CJK_FACES, fonts_of, is_embedded, plain_text, read_pdf
from ..log_fixtures import make_contact

pytestmark = pytest.mark.django_db


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
