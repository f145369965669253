"""Every letter kind renders from a realistic case into a PDF that says what it must."""

import io
import subprocess
from decimal import Decimal

import pytest

from cases.letters import compact_fonts, pdf, versions
from cases.letters.kinds import KINDS, SLUGS
from cases.models import Letter

from ..conftest import pdftotext
from ..letters_fixtures import make_letter_case
from ..letters_pdf import CJK_FACES, fonts_of, is_embedded, plain_text, read_pdf, uses_notdef

pytestmark = pytest.mark.django_db

needs_compact_fonts = pytest.mark.skipif(
    not compact_fonts.enabled(),
    reason="tests the compact font subsetting, which is off (LETTERS_COMPACT_FONTS=0 or a WeasyPrint it refuses)",
)

# Figures every kind that cites the debts or the plan must carry, as printed.
EXPECTED = {
    "negotiation_request": ["32,000.00", "24%", "法发〔2017〕22号", "尾号5678", "尾号5432"],
    "hardship_statement": ["6,800.00", "5,350.00", "1,305.00", "32,000.00"],
    "regulator_complaint": ["国家金融监督管理总局", "32,000.00", "重庆蚂蚁消费金融有限公司", "15日"],
    "collection_complaint": ["夜间或非合理时间催收", "威胁、恐吓或侮辱", "联系与债务无关的第三人", "02188886666",
                             "第41条"],
    "demand_letter": ["法发〔2017〕22号", "第五百八十五条", "第五百三十三条", "请求调减", "15日内"],
    "court_defence": ["金融借款合同纠纷", "（2026）粤0305民初100号", "有异议", "12,000.00", "20,000.00",
                      "愿意调解", "诉讼时效抗辩", "第一百九十二条", "深圳市南山区人民法院"],
    "evidence_index": ["解除劳动合同通知书", "住院费用清单", "1-2", "3"],
    "lawyer_summary": ["35,000.00", "24%",  # every debt, the old loan too (for the debtor's own lawyer)
                        "法发〔2017〕22号", "诉讼时效", "协商经过", "需要注意的期限"],
    "mediation_application": ["调解申请书", "被申请人：重庆蚂蚁消费金融有限公司", "调解请求", "证据清单",
                              "司法确认", "解除劳动合同通知书"],
    "credit_report_objection": ["征信异议申请书", "第二十五条", "20日内", "逾期或还款日期记载错误", "尾号5678",
                                "不因异议而删除"],
    "documents_request": ["个人信息保护法", "第四十五条", "贵司主张的与本人有关的账户/合同",
                          "不构成对任何债务存在或金额的确认"],
}


# Kinds that print the chosen plan's figures.
PLAN_KINDS = {"negotiation_request", "demand_letter", "mediation_application"}


def render(letter: Letter) -> bytes:
    name = pdf.ensure_pdf(letter)
    with versions.storage().open(name, "rb") as fh:
        return fh.read()


@pytest.fixture
def letter_case(owner):
    return make_letter_case(owner)


@pytest.fixture
def sued_case(owner):
    """The letter case with an old loan that may be time-barred and a lawsuit from the same lender."""
    from datetime import date

    from cases.models import Lawsuit

    from ..factories import make_debt

    case = make_letter_case(owner)
    make_debt(case, product="jiebei", account_number="JB2020000011112222", principal=Decimal("3000.00"),
              overdue_amount=Decimal("3000.00"), overdue_since=date(2021, 3, 1), last_due_date=date(2021, 3, 1))
    Lawsuit.objects.create(case=case, court="深圳市南山区人民法院", case_number="（2026）粤0305民初100号",
                           plaintiff="重庆蚂蚁消费金融有限公司", served_on=date(2026, 11, 20),
                           claim_principal=Decimal("35000.00"), claim_penalty=Decimal("4000.00"))
    from cases.lenders import lenders_of
    from cases.models import CreditRecordError

    CreditRecordError.record(case, lenders_of(case.debts.all())[0], problem="wrong_dates",
                             details="报告显示2026年3月1日起逾期，实际到期日为3月25日。", account="HB2024000012345678",
                             addressee="lender", by=owner)
    return case


def test_every_kind_renders_a_pdf_with_the_debtors_name_figures_and_embedded_fonts(sued_case, tmp_path):
    letter_case = sued_case
    assert set(EXPECTED) == set(SLUGS)
    for slug in SLUGS:
        letter = versions.generate(letter_case, slug)
        data = render(letter)
        reader = read_pdf(data)
        path = tmp_path / f"{slug}.pdf"
        path.write_bytes(data)
        text = pdftotext(path)
        flat = plain_text(reader)
        assert "李秀英" in text, slug
        assert KINDS[slug].document_title in flat, slug
        for figure in EXPECTED[slug]:
            assert figure in flat, (slug, figure)
        if slug in PLAN_KINDS:
            plan = letter_case.proposals.latest().plan
            for figure in (f"{Decimal(plan['monthly_payment']):,.2f}", f"{Decimal(plan['total']):,.2f}",
                           f"分{plan['months']}期"):
                assert figure in flat, (slug, figure)
        assert 1 <= len(reader.pages) <= 6, (slug, len(reader.pages))
        fonts = fonts_of(reader)
        assert fonts and all(is_embedded(f) for f in fonts.values()), slug
        assert all(any(face in name for face in CJK_FACES) for name in fonts), (slug, list(fonts))
        assert len(fonts) <= 2, (slug, list(fonts))
        assert not any(uses_notdef(f) for f in fonts.values()), slug
        assert reader.metadata["/Title"] == KINDS[slug].document_title
        assert reader.metadata["/Author"] == "李秀英"
        assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
        if slug not in {"hardship_statement", "evidence_index", "documents_request", "collection_complaint"}:
            assert "5678" in flat, slug  # contract numbers only by their last four digits
        assert "HB2024000012345678" not in flat
        if slug not in {"court_defence", "lawyer_summary"}:  # the possibly time-barred loan: never offered payment, never listed (the lawyer summary, for the debtor's own lawyer, lists it with its limitation status)
            assert "2222" not in flat, slug


def test_traditional_script_name_and_story_print_without_missing_glyphs(owner):
    story = "去年公司裁員，我失業了；母親住院開刀，醫藥費由我負擔。銀行帳戶餘額不足，無法繼續還款。"
    case = make_letter_case(owner, name="陳曉龍", what_happened=story)
    reader = read_pdf(render(versions.generate(case, "hardship_statement")))
    flat = plain_text(reader)
    assert "陳曉龍" in flat
    assert story in flat
    fonts = fonts_of(reader)
    assert not any(uses_notdef(f) for f in fonts.values())
    assert all(any(face in name for face in CJK_FACES) for name in fonts)


def test_the_missing_glyph_check_catches_a_character_no_font_has():
    reader = read_pdf(pdf.render_pdf('<html lang="zh-CN"><body><p style="font-family: \'Noto Serif CJK SC\'">\U000f0000</p></body></html>'))
    assert any(uses_notdef(f) for f in fonts_of(reader).values())


def test_html_in_user_text_is_shown_as_text_in_preview_and_pdf(owner):
    payload = '<script>alert(1)</script><b>粗体</b><img src="file:///etc/passwd">'
    case = make_letter_case(owner, what_happened=payload)
    letter = versions.generate(case, "hardship_statement")
    html = versions.html_for(letter)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    flat = plain_text(read_pdf(render(letter)))
    assert "<script>alert(1)</script><b>粗体</b>" in flat


@pytest.mark.storage
def test_the_same_content_is_rendered_once(letter_case, media):
    letter = versions.generate(letter_case, "hardship_statement")
    before = pdf.RENDER_COUNT
    first = pdf.ensure_pdf(letter)
    assert pdf.RENDER_COUNT == before + 1
    again = versions.generate(letter_case, "hardship_statement")
    assert again.pk == letter.pk
    assert pdf.ensure_pdf(again) == first
    assert pdf.RENDER_COUNT == before + 1
    assert [name for name in media.names() if name.startswith("letters/")] == [first]
    assert media.read(first).startswith(b"%PDF")


def test_approving_serves_a_final_pdf_without_the_draft_mark(letter_case, reviewer):
    letter = versions.generate(letter_case, "hardship_statement")
    assert "草稿" in plain_text(read_pdf(render(letter)))
    letter.submit_for_review()
    letter.approve(reviewer, "可以寄出")
    final = plain_text(read_pdf(render(letter)))
    assert "草稿" not in final
    assert "李秀英" in final
    assert versions.pdf_name(letter).endswith("-final.pdf")


@pytest.mark.storage
def test_evidence_bundle_appends_pdf_pages_and_images_after_the_index(letter_case, media):
    letter = versions.generate(letter_case, "evidence_index")
    index_pages = len(read_pdf(render(letter)).pages)
    name = pdf.ensure_pdf(letter, bundle=True)
    bundle = read_pdf(media.read(name))
    assert len(bundle.pages) == index_pages + 2 + 1
    assert bundle.metadata["/Author"] == "李秀英"
    assert bundle.trailer["/Root"]["/Lang"] == "zh-CN"


def test_a_changed_evidence_file_is_left_out_of_the_bundle(letter_case):
    letter = versions.generate(letter_case, "evidence_index")
    index_pages = len(read_pdf(render(letter)).pages)
    letter_case.evidence.filter(content_type="image/png").update(sha256="0" * 64)
    with versions.storage().open(pdf.ensure_pdf(letter, bundle=True), "rb") as fh:
        assert len(read_pdf(fh.read()).pages) == index_pages + 2


def test_charges_above_the_ceiling_are_claimed_with_their_source(letter_case):
    letter = versions.generate(letter_case, "negotiation_request")
    excess = Decimal(letter.snapshot["totals"]["excess_over_cap"])
    assert excess > 0
    assert f"{excess:,.2f}" in letter.html
    assert "法发〔2017〕22号" in letter.html


def _raster(data: bytes, tmp_path, name: str) -> list:
    from PIL import Image

    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / name)], check=True)
    return [Image.open(png).convert("RGB") for png in sorted(tmp_path.glob(f"{name}-*.png"))]


@needs_compact_fonts
def test_compact_fonts_draw_exactly_what_weasyprints_own_subsetting_draws(owner, tmp_path):
    from PIL import ImageChops
    from weasyprint import HTML

    case = make_letter_case(owner, name="陳曉龍", what_happened="去年公司裁員，我失業了；母親住院開刀，醫藥費由我負擔。")
    html = versions.html_for(versions.generate(case, "hardship_statement"))
    compact = pdf.render_pdf(html)
    plain = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf._fetcher()).write_pdf(
        font_config=pdf.font_config()
    )
    assert len(compact) < 200 * 1024 < len(plain)
    assert plain_text(read_pdf(compact)) == plain_text(read_pdf(plain))
    ours, theirs = _raster(compact, tmp_path, "compact"), _raster(plain, tmp_path, "plain")
    assert len(ours) == len(theirs) == 2
    assert all(ImageChops.difference(a, b).getbbox() is None for a, b in zip(ours, theirs))


@needs_compact_fonts
def test_compact_subsets_number_cids_like_glyphs_and_keep_valid_checksums(letter_case):
    """Each embedded face holds only the glyphs drawn, CID n at glyph n, and its
    OpenType checksums are right after the charset was rewritten in place."""
    from fontTools.ttLib import TTFont

    data = render(versions.generate(letter_case, "hardship_statement"))
    faces = {name: font for name, font in fonts_of(read_pdf(data)).items() if any(f in name for f in CJK_FACES)}
    assert len(faces) == 2
    for font in faces.values():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        file = descriptor["/FontFile3"].get_object().get_data()
        face = TTFont(io.BytesIO(file), checkChecksums=2)  # raises on a wrong table checksum
        order = face.getGlyphOrder()
        assert 50 < len(order) < 1000
        assert order == [".notdef", *(f"cid{n:05d}" for n in range(1, len(order)))]
        assert face["head"].checkSumAdjustment == _font_checksum_adjustment(file)


def _font_checksum_adjustment(file: bytes) -> int:
    import struct

    head = next(offset for tag, _, offset, _ in (struct.unpack_from(">4sIII", file, 12 + 16 * i)
                                                 for i in range(struct.unpack_from(">H", file, 4)[0]))
                if tag == b"head")
    zeroed = file[:head + 8] + b"\0\0\0\0" + file[head + 12:]
    zeroed += b"\0" * (-len(zeroed) % 4)
    total = sum(struct.unpack(f">{len(zeroed) // 4}I", zeroed)) & 0xFFFFFFFF
    return (0xB1B0AFBA - total) & 0xFFFFFFFF


@needs_compact_fonts
def test_a_render_never_copies_a_whole_font_face_into_python(letter_case):
    """WeasyPrint copies each whole face (a whole CJK collection) into Python; with
    compact fonts only the subsets are ever read out."""
    import tracemalloc

    html = versions.html_for(versions.generate(letter_case, "negotiation_request"))
    pdf.render_pdf(html)  # fonts loaded
    tracemalloc.start()
    try:
        pdf.render_pdf(html)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 15 * 1024 * 1024


def test_the_renderer_applies_our_stylesheet_and_fetches_nothing_else(letter_case, caplog):
    """Our own stylesheet link is applied (parsed once per process); links and
    images pointing anywhere else are refused by the fetcher, not read."""
    import logging

    html = versions.html_for(versions.generate(letter_case, "evidence_index"))
    hostile = html.replace(
        "</head>",
        '<link rel="stylesheet" href="https://evil.example/x.css"><link rel="stylesheet" href="file:///etc/passwd">'
        "</head>",
    ).replace("</body>", '<img src="file:///etc/hostname"></body>')
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            data = pdf.render_pdf(hostile)
        refused = "\n".join(record.getMessage() for record in caplog.records)
        for url in ("https://evil.example/x.css", "file:///etc/passwd", "file:///etc/hostname"):
            assert f"letters load only our own static files, not {url}" in refused
        faces = fonts_of(read_pdf(data))
        assert all(any(face in name for name in faces) for face in CJK_FACES)  # the letter's own styles
        assert "第1页共1页" in plain_text(read_pdf(data))  # the page footer only our stylesheet prints


def test_an_unreadable_evidence_file_is_left_out_not_fatal(letter_case):
    from ..letters_fixtures import add_evidence

    bill = add_evidence(letter_case, "bill", "损坏的账单.pdf", b"%PDF-1.4 not really", "application/pdf", pages=1)
    bill.debt = letter_case.debts.first()
    bill.save()
    letter = versions.generate(letter_case, "evidence_index")
    index_pages = len(read_pdf(render(letter)).pages)
    with versions.storage().open(pdf.ensure_pdf(letter, bundle=True), "rb") as fh:
        assert len(read_pdf(fh.read()).pages) == index_pages + 2 + 1
