"""Standing during the year: what is missing, behind pace, forecast — exact boundaries and properties."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from credits.rules import get_policy
from credits.standing import (
    ScoreSnapshot,
    elapsed_share,
    grade_for,
    standing,
)

D = Decimal


KUNSHAN = get_policy("kunshan-2020")
CATEGORIES = [spec.code for spec in KUNSHAN.categories]


def snap(year=2025, lectures=4, required=4, exempt=False, vetoes=(), included=None, **scores):
    """A kunshan-2020 snapshot; its lines come from the policy, read from an explanation as stored."""
    categories = {code: D(str(scores.get(code, 0))) for code in CATEGORIES}
    total = sum(categories.values(), D(0))
    explanation = {"c": {code: {"s": str(value)} for code, value in categories.items()}}
    explanation["c"]["menu"].update(cl=str(lectures), clr=required)
    return ScoreSnapshot(year=year, policy=KUNSHAN, exempt=exempt, categories=categories,
                         requirements=KUNSHAN.requirements(explanation), total=total, grade=None,
                         recorded_vetoes=tuple(vetoes), included_month=included)  # fmt: skip


FULL = {"offjob": 15, "menu": 30, "online": 30, "group_study": 15, "self_study": 10}


def test_elapsed_share_runs_from_first_of_january_to_the_last_day():
    assert elapsed_share(year=2025, on=date(2024, 12, 31)) == 0
    assert elapsed_share(year=2025, on=date(2025, 1, 1)) == D(1) / D(365)
    assert elapsed_share(year=2025, on=date(2025, 12, 31)) == 1
    assert elapsed_share(year=2025, on=date(2026, 3, 1)) == 1


def test_a_newcomer_s_period_starts_the_month_after_inclusion():
    # Included in March: the period is 1 April .. 31 December (275 days).
    assert elapsed_share(year=2025, on=date(2025, 3, 31), included_month=3) == 0
    assert elapsed_share(year=2025, on=date(2025, 4, 1), included_month=3) == D(1) / D(275)


def test_menu_pass_line_shortfall_counts_city_lectures_needed():
    result = standing(snap(menu="18", online=25, lectures=2), on=date(2026, 1, 10))
    points, lectures = result.shortfalls
    assert (points.category, points.what, points.amount, points.activities) == ("menu", "points", D(6), 2)
    assert (lectures.what, lectures.amount, lectures.kind) == ("count", D(2), "menu_city_lecture")


def test_exactly_on_the_lines_nothing_is_missing():
    result = standing(snap(menu="24", online="25", lectures=4), on=date(2026, 1, 1))
    assert result.shortfalls == ()


def test_online_shortfall_counts_class_hours_rounding_up():
    (short,) = standing(snap(menu=24, online="24.9"), on=date(2026, 1, 1)).shortfalls
    assert (short.category, short.amount, short.activities, short.kind) == ("online", D("0.1"), 1, "online_hour")


def test_next_grade_is_the_band_above_the_total():
    assert standing(snap(**{**FULL, "offjob": 0, "self_study": 0}), on=date(2026, 1, 1)).points_to_next_grade == 15
    at_top = standing(snap(**FULL), on=date(2026, 1, 1))
    assert at_top.next_grade is None and at_top.points_to_next_grade is None
    just_below_good = standing(snap(menu=30, online=30, offjob="14.9"), on=date(2026, 1, 1))
    assert (just_below_good.next_grade, just_below_good.points_to_next_grade) == ("good", D("0.1"))


def test_behind_pace_compares_with_the_line_times_elapsed_share():
    mid = date(2025, 7, 2)  # day 183 of 365
    share = D(183) / D(365)
    on_pace = snap(menu=(D(24) * share).quantize(D("0.1")) + D("0.1"), online=D(25) * share + D("0.1"), lectures=3)
    assert standing(on_pace, on=mid).behind_pace == ()
    behind = snap(menu=(D(24) * share).quantize(D("0.1")) - D("0.1"), online=D(25) * share + D("0.1"), lectures=3)
    assert standing(behind, on=mid).behind_pace == ("menu",)
    few_lectures = snap(menu=20, online=20, lectures=1)
    assert standing(few_lectures, on=mid).behind_pace == ("menu",)


def test_no_pace_warning_once_the_year_is_over():
    assert standing(snap(menu=0, online=0, lectures=0), on=date(2026, 2, 1)).behind_pace == ()


def test_forecast_projects_linearly_and_caps():
    # Half the year gone, half the points: the projection doubles them, capped at each category's cap.
    half = {code: D(cap) / 2 for code, cap in FULL.items()}
    on = date(2025, 7, 2)
    result = standing(snap(**half, lectures=2), on=on)
    assert result.forecast_grade == "excellent"
    assert result.forecast_total <= 100


def test_a_recorded_veto_keeps_the_forecast_at_fail():
    assert standing(snap(**FULL, vetoes=("discipline",)), on=date(2025, 12, 31)).forecast_grade == "fail"


def test_exempt_officials_get_no_forecast_and_no_pace():
    result = standing(snap(exempt=True), on=date(2025, 7, 1))
    assert result.forecast_grade is None and result.behind_pace == () and not result.at_risk


def test_grade_bands_at_their_exact_floors():
    assert grade_for(policy=KUNSHAN, total=D(90), lines_met=True, vetoed=False) == "excellent"
    assert grade_for(policy=KUNSHAN, total=D("89.9"), lines_met=True, vetoed=False) == "good"
    assert grade_for(policy=KUNSHAN, total=D(75), lines_met=True, vetoed=False) == "good"
    assert grade_for(policy=KUNSHAN, total=D(60), lines_met=True, vetoed=False) == "pass"
    assert grade_for(policy=KUNSHAN, total=D("59.9"), lines_met=True, vetoed=False) == "fail"
    assert grade_for(policy=KUNSHAN, total=D(100), lines_met=False, vetoed=False) == "fail"


scores = st.fixed_dictionaries({code: st.decimals(min_value=0, max_value=cap, places=1) for code, cap in FULL.items()})
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31))


@given(scores, st.integers(0, 8), days)
def test_forecast_never_falls_below_the_score_already_earned(values, lectures, on):
    result = standing(snap(**values, lectures=lectures), on=on)
    assert sum(values.values()) <= result.forecast_total <= 100


@given(scores, st.integers(0, 8), days)
def test_risk_sorts_forecast_fail_before_the_rest(values, lectures, on):
    result = standing(snap(**values, lectures=lectures), on=on)
    if result.forecast_grade == "fail":
        assert result.risk[0] == -1 and result.at_risk
    full = standing(snap(**FULL, lectures=max(lectures, 4)), on=on)
    assert not full.at_risk and full.risk <= (0, 0, 0) and result.risk <= full.risk


# --- the exact cause of a shortfall (issue 9: "菜单式选学落后进度" for 30 of 30 points and 3 of 4 city lectures) ---


def test_full_menu_points_with_three_of_four_city_lectures_names_the_lectures_only():
    result = standing(snap(menu=30, online=30, lectures=3), on=date(2025, 11, 30))
    (cause,) = result.causes
    assert (cause.category, cause.what, cause.have, cause.need, cause.short) == ("menu", "count", 3, 4, 1)
    assert cause.behind_pace  # 3 < 4 × 334/365
    assert result.behind_pace == ("menu",)


def test_exactly_on_both_menu_lines_there_is_no_cause():
    assert standing(snap(menu=24, online=25, lectures=4), on=date(2025, 6, 30)).causes == ()


def test_a_tenth_below_the_points_line_is_a_points_cause_not_a_lecture_cause():
    (cause,) = standing(snap(menu="23.9", online=25, lectures=4), on=date(2026, 1, 5)).causes
    assert (cause.what, cause.have, cause.need, cause.short, cause.behind_pace) == (
        "points", D("23.9"), D(24), D("0.1"), False)  # fmt: skip


def test_below_the_line_yet_on_pace_is_a_cause_but_not_behind():
    # 30 June 2025: 181/365 of the year; 13 menu points ≥ 24 × 0.496 and 2 lectures ≥ 4 × 0.496.
    result = standing(snap(menu=13, online=30, lectures=2), on=date(2025, 6, 30))
    assert [(c.what, c.short, c.behind_pace) for c in result.causes] == [
        ("points", D(11), False), ("count", D(2), False)]  # fmt: skip
    assert result.behind_pace == ()


def test_both_menu_parts_and_online_are_named_separately():
    result = standing(snap(menu=5, online=10, lectures=0), on=date(2025, 10, 1))
    assert [(c.category, c.what) for c in result.causes] == [
        ("menu", "points"), ("menu", "count"), ("online", "points")]  # fmt: skip
    assert all(c.behind_pace for c in result.causes)


def test_an_exempt_official_has_no_causes():
    assert standing(snap(menu=0, online=0, lectures=0, exempt=True), on=date(2025, 6, 30)).causes == ()
