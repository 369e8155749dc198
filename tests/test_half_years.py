"""kunshan_training/half_years.py: how a half year is written, read and bounded (surveys' summaries, reserves)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kunshan_training.half_years import HalfYear, half_years_between


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2026, 1, 1), "2026H1"), (date(2026, 6, 30), "2026H1"), (date(2026, 7, 1), "2026H2"),
     (date(2026, 12, 31), "2026H2")],
)  # fmt: skip
def test_the_half_a_day_falls_in_and_how_it_is_written(day, text):
    assert str(HalfYear.of(day)) == text
    assert HalfYear.parse(text) == HalfYear.of(day)


def test_parse_reads_lower_case_and_spaces_and_refuses_anything_else_in_plain_words():
    assert HalfYear.parse(" 2026h2 ") == HalfYear(2026, 2)
    for bad in ("2026H3", "2026H0", "26H1", "2026-1", "", None, "2026H1x"):
        with pytest.raises(ValidationError) as caught, translation.override("zh-hans"):
            HalfYear.parse(bad)
        assert caught.value.messages == ["半年度的写法如 2026H1 或 2026H2。"]


def test_first_and_last_days_previous_and_next():
    first, second = HalfYear(2026, 1), HalfYear(2026, 2)
    assert (first.first_day, first.last_day) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (second.first_day, second.last_day) == (date(2026, 7, 1), date(2026, 12, 31))
    assert first.previous() == HalfYear(2025, 2) and second.previous() == first
    assert first.next() == second and second.next() == HalfYear(2027, 1)
    assert HalfYear(2025, 2) < first < second


def test_the_label_reads_as_chinese():
    with translation.override("zh-hans"):
        assert HalfYear(2026, 1).label() == "2026年上半年"
        assert HalfYear(2026, 2).label() == "2026年下半年"


def test_half_years_between_two_days():
    assert half_years_between(date(2025, 12, 31), date(2026, 7, 1)) == [HalfYear(2025, 2), HalfYear(2026, 1),
                                                                         HalfYear(2026, 2)]  # fmt: skip
    assert half_years_between(date(2026, 3, 1), date(2026, 3, 1)) == [HalfYear(2026, 1)]
    assert half_years_between(date(2026, 3, 2), date(2026, 3, 1)) == []


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_a_day_lies_within_its_half_year_and_the_halves_chain(day):
    half = HalfYear.of(day)
    assert half.first_day <= day <= half.last_day
    assert HalfYear.parse(str(half)) == half
    assert half.next().previous() == half
    assert (half.last_day - half.first_day).days in (180, 181, 183)
