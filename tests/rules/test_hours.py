"""Study hours (RULES.md section 3), rule by rule at the boundaries. No Django needed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credits.rules import hours
from credits.rules.common import cycle_of

D = Decimal
SETTINGS = settings(database=None, deadline=None, max_examples=200)


# --- record hours ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "quantity", "expected"),
    [
        ("class_day", "3", "24"),
        ("class_day", "2.5", "20"),
        ("online_hour", "7.5", "7.5"),
        ("menu_city_lecture", "2", "6"),
        ("menu_other_lecture", "1", "3"),
        ("central_group_speaker", "4", "12"),
        ("central_group_listener", "1", "3"),
        ("superior_central_group", "2", "6"),
        ("online_course", "1", "0"),  # the course's hours are entered on the record
        ("study_paper", "3", "0"),
        ("book_sole", "1", "0"),
    ],
)
def test_default_hours_times_quantity(kind, quantity, expected):
    assert hours.record_hours(kind=kind, quantity=D(quantity), entered=None) == D(expected)


def test_entered_hours_win_over_the_default():
    assert hours.record_hours(kind="class_day", quantity=D(3), entered=D("20.5")) == D("20.5")
    assert hours.record_hours(kind="online_course", quantity=D(1), entered=D(12)) == 12
    assert hours.record_hours(kind="study_paper", quantity=D(1), entered=D(0)) == 0


@pytest.mark.parametrize(
    "kw",
    [
        {"kind": "class_day", "quantity": D(-1), "entered": None},
        {"kind": "class_day", "quantity": 1.5, "entered": None},
        {"kind": "class_day", "quantity": D(1), "entered": D(-2)},
        {"kind": "class_day", "quantity": D("NaN"), "entered": None},
    ],
)
def test_record_hours_bad_input(kw):
    with pytest.raises(ValueError):
        hours.record_hours(**kw)


# --- yearly and cycle requirements ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rank", "line"),
    [("division", "110"), ("section_chief", "100"), ("deputy_section", "100")],
)
def test_year_line_at_its_exact_boundary(rank, line):
    below = D(line) - D("0.1")
    for year_hours, met in ((below, False), (D(line), True), (D(line) + D("0.1"), True)):
        r = hours.judge_hours(rank=rank, year=2025, year_hours=year_hours, cycle_hours=year_hours)
        assert r.required == D(line)
        assert r.met is met, year_hours
        assert r.hours == year_hours


@pytest.mark.parametrize(
    ("rank", "line"),
    [("division", "550"), ("section_chief", "500"), ("deputy_section", "500")],
)
def test_cycle_line_is_judged_in_the_cycles_last_year_only(rank, line):
    for cycle_hours, met in ((D(line) - D("0.1"), False), (D(line), True)):
        r = hours.judge_hours(rank=rank, year=2027, year_hours=D(120), cycle_hours=cycle_hours)
        assert r.cycle_required == D(line)
        assert r.cycle_met is met
    r = hours.judge_hours(rank=rank, year=2026, year_hours=D(120), cycle_hours=D(900))
    assert r.cycle_met is None
    assert r.cycle_required == D(line)


def test_cycles_are_aligned_on_2008():
    assert cycle_of(2008) == (2008, 2012)
    assert cycle_of(2012) == (2008, 2012)
    assert cycle_of(2013) == (2013, 2017)
    assert cycle_of(2023) == (2023, 2027)
    assert cycle_of(2027) == (2023, 2027)
    assert cycle_of(2028) == (2028, 2032)
    assert cycle_of(2007) == (2003, 2007)
    r = hours.judge_hours(rank="division", year=2025, year_hours=D(0), cycle_hours=D(0))
    assert (r.cycle_first_year, r.cycle_last_year) == (2023, 2027)
    with pytest.raises(ValueError):
        cycle_of("2025")


def test_rank_other_has_no_requirement():
    r = hours.judge_hours(rank="other", year=2027, year_hours=D(0), cycle_hours=D(0))
    assert (r.required, r.met, r.cycle_required, r.cycle_met) == (None, None, None, None)
    assert r.hours == 0 and r.year == 2027


@pytest.mark.parametrize(
    "kw",
    [
        {"rank": "minister", "year": 2025, "year_hours": D(1), "cycle_hours": D(1)},
        {"rank": "division", "year": 2025, "year_hours": D(-1), "cycle_hours": D(1)},
        {"rank": "division", "year": 2025, "year_hours": D(5), "cycle_hours": D(4)},
        {"rank": "division", "year": 2025, "year_hours": 5.0, "cycle_hours": D(5)},
        {"rank": "division", "year": "2025", "year_hours": D(5), "cycle_hours": D(5)},
    ],
)
def test_judge_hours_bad_input(kw):
    with pytest.raises(ValueError):
        hours.judge_hours(**kw)


tenths = st.integers(0, 20000).map(lambda n: D(n) / 10)


@SETTINGS
@given(
    st.sampled_from(["division", "section_chief", "deputy_section", "other"]),
    st.integers(2008, 2040),
    tenths,
    tenths,
)
def test_judgement_follows_the_lines(rank, year, year_hours, more):
    r = hours.judge_hours(rank=rank, year=year, year_hours=year_hours, cycle_hours=year_hours + more)
    year_line = {"division": 110, "section_chief": 100, "deputy_section": 100}.get(rank)
    cycle_line = {"division": 550, "section_chief": 500, "deputy_section": 500}.get(rank)
    if year_line is None:
        assert r.met is None and r.cycle_met is None
        return
    assert r.met == (year_hours >= year_line)
    if (year - 2008) % 5 == 4:
        assert r.cycle_met == (year_hours + more >= cycle_line)
    else:
        assert r.cycle_met is None
    assert r.cycle_first_year <= year <= r.cycle_last_year == r.cycle_first_year + 4
