"""A long repayment schedule prints compact (issue 21): two columns of months, a year to a
block kept on one page; every instalment is still there and the sum line is right."""

import re
from datetime import date
from decimal import Decimal

import pytest

from cases.letters import pdf, versions
from cases.templatetags.letter_tags import schedule_blocks

from ..letters_fixtures import choose_plan, make_letter_case
from ..letters_pdf import plain_text, read_pdf


def _monthly(months: int, first=Decimal("316.67"), last=Decimal("316.47")) -> list[dict]:
    rows = []
    for i in range(1, months + 1):
        year, month = 2026 + (i + 10) // 12, (i + 10) % 12 + 1  # from December 2026
        rows.append({"no": i, "due": date(year, month, 15).isoformat(), "amount": str(last if i == months else first)})
    return rows


def _with_schedule(letter, rows):
    snapshot = dict(letter.snapshot)
    total = sum((Decimal(row["amount"]) for row in rows), Decimal("0"))
    snapshot["plan"] = {**snapshot["plan"], "schedule": rows, "months": len(rows), "total": f"{total:.2f}"}
    return snapshot, total


@pytest.fixture
def arrangement_letter(db):
    case = make_letter_case()
    choose_plan(case, "waiver")
    return versions.generate(case, "negotiation_request")


def test_every_instalment_of_a_60_month_schedule_is_printed_and_the_sum_line_is_right(arrangement_letter):
    rows = _monthly(60)
    snapshot, total = _with_schedule(arrangement_letter, rows)
    html = versions.render_html(snapshot, final=False)
    assert html.count('class="schedule-block"') == 5  # a year each
    text = plain_text(read_pdf(pdf.render_pdf(html)))

    # Read back from the PDF: every instalment once, with its own due date and amount.
    printed = {int(no): (f"{y}-{int(m):02d}-{int(d):02d}", Decimal(amount.replace(",", "")))
               for no, y, m, d, amount in re.findall(r"第(\d+)期(\d{4})年(\d+)月(\d+)日([\d,]+\.\d\d)", text)}
    assert printed == {row["no"]: (row["due"], Decimal(row["amount"])) for row in rows}
    # The sum line is the sum of what is printed above it.
    sum_line = re.search(r"合计（共(\d+)期）([\d,]+\.\d\d)", text)
    assert int(sum_line[1]) == 60
    assert Decimal(sum_line[2].replace(",", "")) == sum(amount for _due, amount in printed.values()) == total


def test_a_schedule_of_a_year_or_less_keeps_the_one_column_table(arrangement_letter):
    snapshot, total = _with_schedule(arrangement_letter, _monthly(12))
    html = versions.render_html(snapshot, final=False)
    assert "schedule-compact" not in html
    text = plain_text(read_pdf(pdf.render_pdf(html)))
    assert f"合计{total:,.2f}" in text and "第12期" in text


def test_a_block_reads_down_the_left_half_then_down_the_right():
    rows = [{"no": i} for i in range(1, 30)]
    blocks = schedule_blocks(rows)
    assert [len(block) for block in blocks] == [6, 6, 3]
    assert [(left["no"], right["no"]) for left, right in blocks[0]] == [(1, 7), (2, 8), (3, 9), (4, 10), (5, 11),
                                                                         (6, 12)]
    assert (blocks[1][0][0]["no"], blocks[1][-1][1]["no"]) == (13, 24)
    # An odd remainder: the left half is the longer one, the right half's last cell is empty.
    assert [(left["no"], right and right["no"]) for left, right in blocks[2]] == [(25, 28), (26, 29), (27, None)]
