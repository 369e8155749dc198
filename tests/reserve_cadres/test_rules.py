"""RULES §6 at its exact boundaries (pure functions, no database), with hypothesis properties of the defense score."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reserve_cadres import rules
from reserve_cadres.rules import DefenseProblem, ReserveFacts, defense_result

D = Decimal
FIFTEEN = {"excellent": 15, "competent": 0, "basically_competent": 0, "incompetent": 0}


def votes(e=0, c=0, b=0, i=0) -> dict:
    return {"excellent": e, "competent": c, "basically_competent": b, "incompetent": i}


# ---------------------------------------------------------------------------------------------------
# Exam


@pytest.mark.parametrize(("score", "passed"), [("60", True), ("60.00", True), ("59.99", False), ("100", True),
                                                ("0", False)])  # fmt: skip
def test_exam_passes_at_60_exactly(score, passed):
    assert rules.exam_passed(D(score)) is passed


# ---------------------------------------------------------------------------------------------------
# The exam's date and the defense's (the defense never before that year's exam; the same day is fine)

EXAM_DAY = date(2025, 5, 10)


@pytest.mark.parametrize(("exam_on", "defense_on", "refused"), [
    (EXAM_DAY, date(2025, 5, 9), True), (EXAM_DAY, EXAM_DAY, False), (EXAM_DAY, date(2025, 5, 11), False),
    (None, date(2025, 1, 1), False), (EXAM_DAY, None, False), (None, None, False),
])  # fmt: skip
def test_a_defense_before_the_exam(exam_on, defense_on, refused):
    assert rules.defense_before_exam(exam_on, defense_on) is refused


def test_the_days_on_the_file_never_put_the_defense_first():
    entered, defense = date(2025, 12, 31), date(2025, 5, 20)
    assert rules.exam_day_on_file(EXAM_DAY, entered, defense) == EXAM_DAY  # its own date
    assert rules.exam_day_on_file(None, entered, defense) == defense  # at the latest the defense's day
    assert rules.exam_day_on_file(None, date(2025, 3, 1), defense) == date(2025, 3, 1)
    assert rules.exam_day_on_file(None, entered, None) == entered
    assert rules.defense_day_on_file(defense, date(2025, 1, 2), EXAM_DAY) == defense
    assert rules.defense_day_on_file(None, date(2025, 1, 2), EXAM_DAY) == EXAM_DAY  # never before the dated exam
    assert rules.defense_day_on_file(None, entered, EXAM_DAY) == entered
    assert rules.defense_day_on_file(None, entered, None) == entered


DAYS_OF_2025 = st.dates(date(2025, 1, 1), date(2025, 12, 31))


@given(DAYS_OF_2025, DAYS_OF_2025, st.one_of(st.none(), DAYS_OF_2025))
def test_an_undated_exam_or_defense_is_never_placed_out_of_order(exam_entered, defense_entered, dated):
    # One of them dated (``dated``) or neither: the file lists the exam on or before the defense's day.
    for exam_held, defense_held in ((dated, None), (None, dated)):
        defense_on = rules.defense_day_on_file(defense_held, defense_entered, exam_held)
        assert rules.exam_day_on_file(exam_held, exam_entered, defense_on) <= defense_on


# ---------------------------------------------------------------------------------------------------
# Defense


@pytest.mark.parametrize(("count", "ok"), [(4, False), (5, True), (7, True), (8, False)])
def test_examiners_5_to_7(count, ok):
    if ok:
        assert defense_result([D(80)] * count, FIFTEEN).panel_score == 80
    else:
        with pytest.raises(DefenseProblem) as problem:
            defense_result([D(80)] * count, FIFTEEN)
        assert problem.value.field == "panel" and problem.value.params["count"] == count


@pytest.mark.parametrize(("voters", "ok"), [(14, False), (15, True), (20, True), (21, False)])
def test_voters_15_to_20(voters, ok):
    if ok:
        assert defense_result([D(80)] * 5, votes(c=voters)).vote_score == 80
    else:
        with pytest.raises(DefenseProblem) as problem:
            defense_result([D(80)] * 5, votes(c=voters))
        assert problem.value.field == "votes" and problem.value.params["count"] == voters


@pytest.mark.parametrize("score", ["-0.01", "100.01"])
def test_an_examiners_score_outside_0_to_100(score):
    with pytest.raises(DefenseProblem) as problem:
        defense_result([D(80)] * 4 + [D(score)], FIFTEEN)
    assert problem.value.field == "panel"


def test_scores_0_and_100_are_inside():
    assert defense_result([D(0), D(100), D(100), D(100), D(100)], FIFTEEN).panel_score == 80


def test_unknown_and_negative_votes():
    with pytest.raises(DefenseProblem):
        defense_result([D(80)] * 5, {**FIFTEEN, "great": 1})
    with pytest.raises(DefenseProblem):
        defense_result([D(80)] * 5, {**votes(c=16), "incompetent": -1})


def test_the_formula_of_rules_6():
    # panel (70+…+76)/7 = 73; votes (5×100 + 6×80 + 4×60 + 2×0) / 17 = 71.7647…
    result = defense_result([D(n) for n in range(70, 77)], votes(5, 6, 4, 2))
    assert result.panel_score == 73
    assert rules.shown(result.vote_score) == D("71.76")
    assert rules.shown(result.score) == D("72.51") and result.passed
    # incompetent counts 0 but is in the denominator
    assert defense_result([D(60)] * 5, votes(i=5, e=10)).vote_score == D(10 * 100) / 15


def test_a_defense_score_of_exactly_60_from_fractional_parts():
    # 6 examiners summing 350 (mean 58.333…, × 60 % = 35) and 16 voters with 1000 points (62.5, × 40 % = 25).
    result = defense_result([D("58.33")] * 4 + [D("58.34")] * 2, votes(4, 6, 2, 4))
    assert result.score == 60 and result.passed
    assert rules.shown(result.panel_score) == D("58.33")
    # 5 examiners at 60, 15 basically competent: 36 + 24
    assert defense_result([D(60)] * 5, votes(b=15)).passed
    # one hundredth less on one examiner fails, though it shows as 60.00
    result = defense_result([D("59.99")] + [D(60)] * 4, votes(b=15))
    assert not result.passed and rules.shown(result.score) == D("60.00")


def test_shown_rounds_half_up():
    assert rules.shown(D("72.505")) == D("72.51")
    assert rules.shown(D("72.50499999")) == D("72.50")
    assert rules.shown(D("0.005")) == D("0.01")


# exact arithmetic to check the Decimal one against
def exact(panel, counts) -> Fraction:
    panel_score = sum((Fraction(s) for s in panel), Fraction(0)) / len(panel)
    points = {"excellent": 100, "competent": 80, "basically_competent": 60, "incompetent": 0}
    vote_score = Fraction(sum(points[k] * n for k, n in counts.items()), sum(counts.values()))
    return panel_score * Fraction(3, 5) + vote_score * Fraction(2, 5)


def half_up(value: Fraction) -> Decimal:
    return (D(value.numerator) / D(value.denominator)).quantize(D("0.01"), rounding=ROUND_HALF_UP)


scores = st.integers(min_value=0, max_value=10000).map(lambda n: D(n) / 100)
panels = st.integers(min_value=5, max_value=7).flatmap(lambda n: st.lists(scores, min_size=n, max_size=n))


@st.composite
def vote_counts(draw):
    total = draw(st.integers(min_value=15, max_value=20))
    e = draw(st.integers(min_value=0, max_value=total))
    c = draw(st.integers(min_value=0, max_value=total - e))
    b = draw(st.integers(min_value=0, max_value=total - e - c))
    return votes(e, c, b, total - e - c - b)


@given(panels, vote_counts())
def test_passed_is_the_exact_comparison_and_shown_is_the_exact_value_rounded(panel, counts):
    result = defense_result(panel, counts)
    truth = exact(panel, counts)
    assert result.passed == (truth >= 60)
    assert rules.shown(result.score) == half_up(truth)
    # stored with 8 decimals (the model), it still shows the same
    assert rules.shown(result.score.quantize(D("0.00000001"))) == half_up(truth)


@given(panels, vote_counts())
def test_the_score_lies_between_the_lowest_and_highest_mix(panel, counts):
    result = defense_result(panel, counts)
    assert min(panel) <= result.panel_score <= max(panel)
    low = min(panel) * D("0.6") + result.vote_score * D("0.4")
    high = max(panel) * D("0.6") + result.vote_score * D("0.4")
    assert low <= result.score <= high
    assert min(result.panel_score, result.vote_score) <= result.score <= max(result.panel_score, result.vote_score)


@given(panels, vote_counts(), st.data())
def test_the_score_is_monotone_in_each_examiners_score(panel, counts, data):
    index = data.draw(st.integers(min_value=0, max_value=len(panel) - 1))
    higher = data.draw(scores.filter(lambda s: s >= panel[index]))
    raised = list(panel)
    raised[index] = higher
    assert defense_result(raised, counts).score >= defense_result(panel, counts).score


ORDER = ["incompetent", "basically_competent", "competent", "excellent"]


@given(panels, vote_counts(), st.data())
def test_the_score_is_monotone_in_better_votes(panel, counts, data):
    worse = data.draw(st.sampled_from([k for k in ORDER[:-1] if counts[k] > 0] or ["none"]))
    if worse == "none":
        return
    better = data.draw(st.sampled_from(ORDER[ORDER.index(worse) + 1 :]))
    moved = {**counts, worse: counts[worse] - 1, better: counts[better] + 1}
    assert defense_result(panel, moved).score > defense_result(panel, counts).score


# ---------------------------------------------------------------------------------------------------
# Age


@pytest.mark.parametrize(
    ("level", "born", "day", "old"),
    [
        ("section_chief", date(1985, 6, 15), date(2026, 6, 14), False),  # the day before the 41st birthday
        ("section_chief", date(1985, 6, 15), date(2026, 6, 15), True),  # the 41st birthday
        ("deputy_section", date(1990, 6, 15), date(2026, 6, 14), False),  # the day before the 36th
        ("deputy_section", date(1990, 6, 15), date(2026, 6, 15), True),
        ("section_chief", date(1990, 6, 15), date(2026, 6, 15), False),  # 36 is fine for a section chief
        ("deputy_section", date(1990, 6, 15), date(2026, 6, 15), True),
        ("section_chief", None, date(2026, 6, 15), False),  # no birth date, no flag
    ],
)
def test_too_old_on_the_birthday_not_the_day_before(level, born, day, old):
    assert rules.too_old(level, born, day) is old


def test_29_february():
    leap = date(1992, 2, 29)
    # 41 in 2033 (a common year): reached on 1 March
    assert not rules.too_old("section_chief", leap, date(2033, 2, 28))
    assert rules.too_old("section_chief", leap, date(2033, 3, 1))
    assert rules.turns_too_old_on("section_chief", leap) == date(2033, 3, 1)
    # 36 in 2028 (a leap year): reached on 29 February
    assert not rules.too_old("deputy_section", leap, date(2028, 2, 28))
    assert rules.too_old("deputy_section", leap, date(2028, 2, 29))
    assert rules.turns_too_old_on("deputy_section", leap) == date(2028, 2, 29)
    assert rules.age_on(leap, date(2025, 2, 28)) == 32 and rules.age_on(leap, date(2025, 3, 1)) == 33


def test_soon_too_old_looks_ahead_90_days():
    born = date(1985, 6, 15)  # too old as a section chief on 2026-06-15
    assert rules.soon_too_old("section_chief", born, date(2026, 3, 17)) == date(2026, 6, 15)  # 90 days ahead
    assert rules.soon_too_old("section_chief", born, date(2026, 3, 16)) is None  # 91 days
    assert rules.soon_too_old("section_chief", born, date(2026, 6, 14)) == date(2026, 6, 15)
    assert rules.soon_too_old("section_chief", born, date(2026, 6, 15)) is None  # already: the flag says so


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2010, 12, 31)),
       st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
       st.sampled_from(["section_chief", "deputy_section"]))  # fmt: skip
def test_too_old_exactly_from_the_day_it_turns_too_old(born, day, level):
    assert rules.too_old(level, born, day) == (day >= rules.turns_too_old_on(level, born))


# ---------------------------------------------------------------------------------------------------
# Flags


def facts(**kwargs) -> ReserveFacts:
    base = {"level": "section_chief", "birth_date": date(1990, 1, 1), "appraisals": {}, "exams": {}, "defenses": {}}
    return ReserveFacts(**{**base, **kwargs})


def test_flags_each_from_its_data():
    day = date(2026, 11, 30)
    assert rules.flags(facts(), day) == []
    assert rules.flags(facts(appraisals={2025: "competent"}), day) == []
    assert rules.flags(facts(appraisals={2025: "basically_competent"}), day) == ["appraisal"]
    assert rules.flags(facts(appraisals={2025: "incompetent"}), day) == ["appraisal"]
    assert rules.flags(facts(exams={2025: D("59.99")}), day) == ["exam_failed"]
    assert rules.flags(facts(exams={2025: D("60")}), day) == []
    assert rules.flags(facts(defenses={2025: False}), day) == ["defense_failed"]
    assert rules.flags(facts(birth_date=date(1985, 11, 30)), day) == ["age"]
    everything = facts(birth_date=date(1985, 1, 1), appraisals={2025: "incompetent"}, exams={2025: D(1)},
                       defenses={2024: False})  # fmt: skip
    assert rules.flags(everything, day) == ["age", "appraisal", "exam_failed", "defense_failed"]


# ---------------------------------------------------------------------------------------------------
# Reflection periods


def test_periods_due_from_the_decision_to_the_half_year_of_the_day():
    periods = list(rules.periods_due(date(2025, 3, 1), date(2026, 1, 10)))
    assert periods == [("2025H1", date(2025, 6, 30)), ("2025H2", date(2025, 12, 31)), ("2026H1", date(2026, 6, 30))]
    assert list(rules.periods_due(date(2025, 7, 1), date(2025, 7, 1))) == [("2025H2", date(2025, 12, 31))]


def test_periods_due_on_30_june_does_not_list_the_next_half_year():
    # regression: the look-ahead of 184 days listed 2026H2 on 30 June 2026 (and 2026H1 on 31 December 2025)
    assert [p for p, _due in rules.periods_due(date(2026, 1, 1), date(2026, 6, 30))] == ["2026H1"]
    assert [p for p, _due in rules.periods_due(date(2025, 7, 1), date(2025, 12, 31))] == ["2025H2"]
    assert list(rules.periods_due(date(2026, 12, 1), date(2026, 11, 30))) == []  # decided later: nothing yet
