"""Geometry of the balance chart on the proposal page."""

from datetime import date

from cases.proposal.chart import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, balance_chart


def plan(total, amounts, deferral=0):
    schedule = [{"due": f"2027-{m:02d}-22", "amount": a} for m, a in enumerate(amounts, start=1)]
    return {"total": total, "deferral_months": deferral, "schedule": schedule}


def points(chart):
    return [tuple(float(v) for v in p.split(",")) for p in chart.points.split()]


def test_balance_falls_from_the_total_at_the_top_to_zero_on_the_axis():
    chart = balance_chart(plan("300.00", ["100.00", "100.00", "100.00"]), date(2026, 12, 22))
    # a third of the width and of the height per payment
    assert points(chart) == [
        (LEFT, TOP), (LEFT + 98.7, TOP + 40.7), (LEFT + 197.3, TOP + 81.3), (WIDTH - RIGHT, HEIGHT - BOTTOM)
    ]
    assert (chart.start_date, chart.end_date, chart.start_total) == ("2026-12-22", "2027-03-22", "300.00")


def test_a_deferral_stays_flat_before_the_first_payment():
    chart = balance_chart(plan("200.00", ["100.00", "100.00"], deferral=2), date(2026, 12, 22))
    first, pause_end, *_ = points(chart)
    assert first[1] == pause_end[1] == TOP
    assert pause_end[0] == LEFT + (WIDTH - LEFT - RIGHT) / 2
