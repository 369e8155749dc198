"""The scorecard engine (RULES §4), method by method at the boundaries, the tiers and rating chains, and properties.
No database needed."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import engine
from assessments.engine import ItemValue, RatingContext, score_card, score_item, value_from_data, value_to_data
from assessments.template_data import BENXI_2010, DAXINGANLING_ORG_2010, DAXINGANLING_TEAM_2010

D = Decimal
SETTINGS = settings(database=None, deadline=None, max_examples=200)
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _english():
    # The sentences are checked in English here; test_explanations_in_chinese checks they are translated.
    with translation.override("en"):
        yield


BENXI = engine.template_from_data(BENXI_2010)
ORG = engine.template_from_data(DAXINGANLING_ORG_2010)
TEAM = engine.template_from_data(DAXINGANLING_TEAM_2010)
ALL_ITEMS = [*BENXI.items, *ORG.items, *TEAM.items]


def item(code: str) -> engine.Item:
    for template in (BENXI, ORG, TEAM):
        for candidate in template.items:
            if candidate.code == code:
                return candidate
    raise KeyError(code)


def score(code: str, value: ItemValue | None = None, computed: int | None = None) -> Decimal:
    return score_item(item(code), value, computed).score


def test_engine_imports_without_django():
    code = (
        "import sys, assessments.engine, assessments.template_data; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT, check=True)


def test_scores_without_django_in_english():
    code = (
        "import sys; from assessments import engine, template_data as t; "
        "r = engine.score_card(engine.template_from_data(t.BENXI_2010), {}, {}, engine.RatingContext()); "
        "assert r.tier == 'not_completed' and r.items[0].explanation == 'Nothing entered yet: 0.', r; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT, check=True)


# --- deduction ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "per"),
    [("O2", 3), ("O3", 2), ("O4", 1), ("O7", 1), ("T1", 1), ("T2", 1), ("T5", 1), ("T6", 1), ("T7", 1), ("T10", 1)],
)
def test_deduction_per_shortfall_and_floor_at_zero(code, per):
    assert item(code).max == 10 and item(code).per == per
    assert score(code, ItemValue(shortfalls=0)) == D(10)
    assert score(code, ItemValue(shortfalls=1)) == D(10 - per)
    last_positive = -(-10 // per) - 1  # the most shortfalls that still leave points
    assert score(code, ItemValue(shortfalls=last_positive)) == D(10 - per * last_positive) > 0
    assert score(code, ItemValue(shortfalls=last_positive + 1)) == 0
    assert score(code, ItemValue(shortfalls=1000)) == 0


def test_deduction_nothing_entered_starts_full():
    result = score_item(item("O2"), None)
    assert result.score == D(10) and result.explanation == "Nothing entered yet: full 10 until shortfalls are entered."
    assert score("O2", ItemValue()) == D(10)


def test_o2_explanation():
    assert score_item(item("O2"), ItemValue(shortfalls=2)).explanation == "2 × 3 = 6 off 10 (never below 0): 4."
    assert score_item(item("O2"), ItemValue(shortfalls=4)).explanation == "4 × 3 = 12 off 10 (never below 0): 0."


def test_t8_entered_twice_computed_once():
    # T8 = max(0, 10 − 2 × entered − 1 × computed)
    assert score("T8", ItemValue(shortfalls=0), 0) == D(10)
    assert score("T8", ItemValue(shortfalls=1), 0) == D(8)
    assert score("T8", ItemValue(shortfalls=0), 3) == D(7)
    assert score("T8", ItemValue(shortfalls=2), 5) == D(1)
    assert score("T8", ItemValue(shortfalls=2), 6) == D(0)
    assert score("T8", ItemValue(shortfalls=5), 0) == D(0)
    assert score("T8", ItemValue(shortfalls=4), 9) == D(0)
    assert score("T8", None, 4) == D(6)  # nothing entered: the computed part alone
    result = score_item(item("T8"), ItemValue(shortfalls=1), 2)
    assert result.computed == 2
    assert result.explanation == (
        "1 entered × 2 and 2 division-level officials of the unit below 110 study hours in the year × 1 = 4 off 10 "
        "(never below 0): 6."
    )


@pytest.mark.parametrize(("code", "source"), [("O9", "officials_below_16_hours"), ("T9", "section_below_100_hours")])
def test_computed_only_items(code, source):
    assert item(code).computed == source and not item(code).entered
    assert score(code, None, 0) == D(10)
    assert score(code, None, 1) == D(9)
    assert score(code, None, 9) == D(1)
    assert score(code, None, 10) == D(0)
    assert score(code, None, 250) == D(0)
    assert score_item(item(code), None, 3).computed == 3
    # Not computed yet: full, and said so.
    result = score_item(item(code), None, None)
    assert result.score == D(10) and result.computed is None and "Not computed" in result.explanation
    # A shortfall value somehow stored for it is not read.
    assert score(code, ItemValue(shortfalls=4), 1) == D(9)


def test_computed_only_item_rejects_entered_shortfalls():
    with pytest.raises(ValueError, match="computed from the data"):
        value_from_data(item("O9"), {"shortfalls": 1})
    assert value_from_data(item("T9"), {"shortfalls": None}) == ItemValue()
    assert value_from_data(item("T8"), {"shortfalls": 1}) == ItemValue(shortfalls=1)


# --- criteria ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["O5", "T4"])
def test_meetings_criteria(code):
    assert score(code, ItemValue(met=())) == 0
    assert score(code, ItemValue(met=("meeting",))) == D(6)
    assert score(code, ItemValue(met=("q1", "q3"))) == D(2)
    assert score(code, ItemValue(met=("meeting", "q1", "q2", "q3"))) == D(9)
    assert score(code, ItemValue(met=("meeting", "q1", "q2", "q3", "q4"))) == D(10)


def test_o8_criteria():
    assert score("O8", ItemValue(met=("mechanism",))) == D(4)
    assert score("O8", ItemValue(met=("complement", "self_check"))) == D(6)
    assert score("O8", ItemValue(met=("mechanism", "complement", "self_check"))) == D(10)


@pytest.mark.parametrize("code", ["O10", "T3"])
def test_five_criteria_two_each(code):
    codes = ("c1", "c2", "c3", "c4", "c5")
    for n in range(6):
        assert score(code, ItemValue(met=codes[:n])) == D(2 * n)


def test_criteria_capped_at_max():
    capped = engine.Item(
        "X", "x", D(5), "criteria", criteria=(engine.Criterion("a", D(4)), engine.Criterion("b", D(3)))
    )
    assert score_item(capped, ItemValue(met=("a",))).score == D(4)
    result = score_item(capped, ItemValue(met=("a", "b")))
    assert result.score == D(5) and result.explanation == "Met a, b (7 points, at most 5): 5."


def test_criteria_unknown_code_scores_nothing_and_is_rejected_on_entry():
    assert score("O8", ItemValue(met=("gone", "mechanism"))) == D(4)  # a criterion removed from the template
    with pytest.raises(ValueError, match="“gone” is not a criterion of O8; choose from mechanism, complement"):
        value_from_data(item("O8"), {"met": ["gone"]})
    # Repeats count once, kept in the template's order.
    assert value_from_data(item("O5"), {"met": ["q2", "meeting", "q2"]}) == ItemValue(met=("meeting", "q2"))


# --- ladder ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "points"),
    [
        ("100", "5"),
        ("80", "5"),
        ("79.9", "4"),
        ("70", "4"),
        ("69.9", "2.5"),
        ("60", "2.5"),
        ("59.9", "1"),
        ("30", "1"),
        ("29.9", "0"),
        ("0", "0"),
    ],
)
def test_benxi_d1_ladder(percent, points):
    assert score("D1", ItemValue(percent=D(percent))) == D(points)


def test_ladder_explanations():
    assert score_item(item("D1"), ItemValue(percent=D("75"))).explanation == "75% reaches the step at 70%: 4."
    assert (
        score_item(item("D1"), ItemValue(percent=D("29.9"))).explanation == "29.9% is below the lowest step (30%): 0."
    )
    assert score("D1", None) == 0


# --- choice, manual, bonus ---------------------------------------------------------------------------------


def test_c2_attendance_choice():
    assert score("C2", ItemValue(choice="full")) == D(5)
    assert score("C2", ItemValue(choice="leave")) == D(4)
    assert score("C2", ItemValue(choice="absent")) == D(0)
    assert score("C2", None) == D(0)
    assert score("C2", ItemValue(choice="gone")) == D(0)
    assert score_item(item("C2"), ItemValue(choice="leave")).explanation.endswith(": 4.")


def test_manual_half_points():
    assert score("B6", ItemValue(points=D("12.5"))) == D("12.5")
    assert score("B6", ItemValue(points=D(15))) == D(15)
    assert score("A1", ItemValue(points=D(0))) == 0
    assert value_from_data(item("B6"), {"points": 12.5}) == ItemValue(points=D("12.5"))
    assert value_from_data(item("A1"), {"points": 5}) == ItemValue(points=D(5))
    with pytest.raises(ValueError, match="A1 takes 0 to 5 points"):
        value_from_data(item("A1"), {"points": 5.5})
    with pytest.raises(ValueError, match="A1 takes 0 to 5 points"):
        value_from_data(item("A1"), {"points": -0.5})
    with pytest.raises(ValueError, match="halves"):
        value_from_data(item("A1"), {"points": 2.3})


def benxi_values(points: dict[str, str], **others: ItemValue) -> dict[str, ItemValue]:
    values = {code: ItemValue(points=D(p)) for code, p in points.items()}
    values.update(others)
    return values


FULL_BENXI = {i.code: str(i.max) for i in BENXI.items if i.method == "manual"}  # 80 of the 100 from manual items


def test_benxi_full_marks_and_bonus_over_100():
    values = benxi_values(FULL_BENXI, C2=ItemValue(choice="full"), D1=ItemValue(percent=D(80)))
    result = score_card(BENXI, values, {}, RatingContext())
    assert (result.base, result.bonus, result.total, result.tier) == (D(100), D(0), D(100), "fully_completed")
    values["E1"] = ItemValue(awarded=True)
    values["E2"] = ItemValue(awarded=True)
    result = score_card(BENXI, values, {}, RatingContext())
    assert (result.base, result.bonus, result.total) == (D(100), D(20), D(120))


def test_e2_only_with_e1():
    values = benxi_values({}, E2=ItemValue(awarded=True))
    result = score_card(BENXI, values, {}, RatingContext())
    e2 = next(r for r in result.items if r.code == "E2")
    assert e2.score == 0 and e2.explanation == "Counts only with E1 awarded: +0."
    assert result.bonus == 0
    values["E1"] = ItemValue(awarded=False)
    assert score_card(BENXI, values, {}, RatingContext()).bonus == 0
    values["E1"] = ItemValue(awarded=True)
    assert score_card(BENXI, values, {}, RatingContext()).bonus == D(20)
    del values["E2"]
    assert score_card(BENXI, values, {}, RatingContext()).bonus == D(10)
    assert score("E2", ItemValue(awarded=True)) == D(10)  # alone, score_item does not know E1: the card decides


# --- tiers -------------------------------------------------------------------------------------------------


def benxi_total(total: str) -> dict[str, ItemValue]:
    """Values giving this Benxi base total (B6 carries the odd half, the rest from full manual items)."""
    remaining = D(total)
    values: dict[str, ItemValue] = {}
    for i in BENXI.items:
        if i.method != "manual" or remaining <= 0:
            continue
        points = min(i.max, remaining)
        values[i.code] = ItemValue(points=points)
        remaining -= points
    assert remaining == 0
    return values


@pytest.mark.parametrize(
    ("total", "tier"),
    [
        ("80", "basically_completed"),
        ("60", "basically_completed"),
        ("59.5", "not_completed"),
        ("0", "not_completed"),
    ],
)
def test_benxi_tiers_from_manual_points(total, tier):
    result = score_card(BENXI, benxi_total(total), {}, RatingContext())
    assert result.total == D(total) and result.tier == tier


@pytest.mark.parametrize(
    ("total", "tier"),
    [
        ("120", "fully_completed"),
        ("90", "fully_completed"),
        ("89.9", "basically_completed"),
        ("60", "basically_completed"),
        ("59.9", "not_completed"),
        ("0", "not_completed"),
    ],
)
def test_benxi_tier_boundaries(total, tier):
    # One manual item of 0..120 with tenth points stands in for the card to reach every boundary exactly.
    data = {
        **BENXI_2010,
        "sections": [
            {"code": "X", "title": "x", "items": [{"code": "X1", "title": "x", "max": 120, "method": "manual"}]}
        ],
    }
    template = engine.template_from_data(data)
    result = score_card(template, {"X1": ItemValue(points=D(total))}, {}, RatingContext())
    assert result.total == D(total) and result.tier == tier


def test_benxi_tier_counts_bonus():
    # 80 base + 10 bonus reaches 90: 全面完成.
    values = benxi_total("80")
    values["E1"] = ItemValue(awarded=True)
    result = score_card(BENXI, values, {}, RatingContext())
    assert (result.base, result.bonus, result.total, result.tier) == (D(80), D(10), D(90), "fully_completed")
    assert result.explanation[-1] == "The total 90 reaches 90: 全面完成."


def org_values(shortfalls: dict[str, int] | None = None, **overrides: ItemValue) -> dict[str, ItemValue]:
    """Daxinganling org card values giving 100 less the shortfalls entered on O2 (3 each) and O4 (1 each)."""
    values = {
        "O1": ItemValue(points=D(10)),
        "O5": ItemValue(met=("meeting", "q1", "q2", "q3", "q4")),
        "O6": ItemValue(points=D(10)),
        "O8": ItemValue(met=("mechanism", "complement", "self_check")),
        "O10": ItemValue(met=("c1", "c2", "c3", "c4", "c5")),
    }
    for code, n in (shortfalls or {}).items():
        values[code] = ItemValue(shortfalls=n)
    values.update(overrides)
    return values


def test_org_rating_boundaries():
    full = score_card(ORG, org_values(), {"officials_below_16_hours": 0}, RatingContext())
    assert (full.total, full.tier) == (D(100), "learning_org")
    at_90 = score_card(ORG, org_values({"O4": 10}), {"officials_below_16_hours": 0}, RatingContext())
    assert (at_90.total, at_90.tier) == (D(90), "learning_org")
    below = score_card(ORG, org_values({"O4": 10}), {"officials_below_16_hours": 1}, RatingContext())
    assert (below.total, below.tier) == (D(89), "not_rated")
    assert below.explanation[0] == "The total 89 is below the 90 needed for 学习型党组织."
    half = score_card(ORG, org_values({"O4": 9}, O6=ItemValue(points=D("9.5"))), {}, RatingContext())
    assert (half.total, half.tier) == (D("90.5"), "learning_org")
    just_below = score_card(
        ORG, org_values({"O4": 10}, O6=ItemValue(points=D("9.5"))), {"officials_below_16_hours": 0}, RatingContext()
    )
    assert (just_below.total, just_below.tier) == (D("89.5"), "not_rated")


def test_o9_follows_the_computed_source_key():
    computed = {"officials_below_16_hours": 4, "facts": {"sessions": 12}}
    result = score_card(ORG, org_values(), computed, RatingContext())
    o9 = next(r for r in result.items if r.code == "O9")
    assert (o9.score, o9.computed, result.total) == (D(6), 4, D(96))


def team_values(**overrides: ItemValue) -> dict[str, ItemValue]:
    values = {
        "T3": ItemValue(met=("c1", "c2", "c3", "c4", "c5")),
        "T4": ItemValue(met=("meeting", "q1", "q2", "q3", "q4")),
        "T8": ItemValue(shortfalls=0),
    }
    values.update(overrides)
    return values


TEAM_COMPUTED = {"division_below_110_hours": 0, "section_below_100_hours": 0}
RATED_ORG = {"daxinganling-org-2010": "learning_org"}


@pytest.mark.parametrize("appraisal", ["excellent", "good"])
def test_team_rated_when_every_condition_holds(appraisal):
    result = score_card(TEAM, team_values(), TEAM_COMPUTED, RatingContext(RATED_ORG, appraisal))
    assert (result.total, result.tier) == (D(100), "learning_team")
    at_90 = score_card(
        TEAM, team_values(T1=ItemValue(shortfalls=10)), TEAM_COMPUTED, RatingContext(RATED_ORG, appraisal)
    )
    assert (at_90.total, at_90.tier) == (D(90), "learning_team")


def test_team_not_rated_below_90():
    result = score_card(TEAM, team_values(T8=ItemValue(shortfalls=5)), TEAM_COMPUTED, RatingContext(RATED_ORG, "good"))
    assert (result.total, result.tier) == (D(90), "learning_team")
    result = score_card(
        TEAM, team_values(T8=ItemValue(shortfalls=5)), {**TEAM_COMPUTED, "section_below_100_hours": 1},
        RatingContext(RATED_ORG, "good"),
    )  # fmt: skip
    assert (result.total, result.tier) == (D(89), "not_rated")


@pytest.mark.parametrize(
    ("other_cards", "explanation"),
    [
        ({}, "学习型领导班子 needs the unit's daxinganling-org-2010 card of the year rated 学习型党组织."),
        ({"daxinganling-org-2010": "not_rated"}, None),
        ({"benxi-2010": "learning_org"}, None),
    ],
)
def test_team_not_rated_without_a_rated_org_card(other_cards, explanation):
    result = score_card(TEAM, team_values(), TEAM_COMPUTED, RatingContext(other_cards, "excellent"))
    assert (result.total, result.tier) == (D(100), "not_rated")
    if explanation:
        assert result.explanation[0] == explanation


@pytest.mark.parametrize(
    ("appraisal", "explanation"),
    [
        (None, "学习型领导班子 needs the team's annual appraisal, not entered yet."),
        ("", "学习型领导班子 needs the team's annual appraisal, not entered yet."),
        ("average", "学习型领导班子 is not given to a team appraised Average."),
        ("poor", "学习型领导班子 is not given to a team appraised Poor."),
    ],
)
def test_team_not_rated_by_its_appraisal(appraisal, explanation):
    result = score_card(TEAM, team_values(), TEAM_COMPUTED, RatingContext(RATED_ORG, appraisal))
    assert (result.total, result.tier) == (D(100), "not_rated")
    assert result.explanation == (explanation, "The total 100: 未评定.")


def test_nothing_entered_scores_every_card():
    benxi = score_card(BENXI, {}, {}, RatingContext())
    assert (benxi.total, benxi.tier) == (D(0), "not_completed")
    org = score_card(ORG, {}, {"officials_below_16_hours": 3}, RatingContext())
    assert org.total == D(47)  # O2, O3, O4, O7 full (40) and O9 7 (deduction cards start full)
    team = score_card(TEAM, {}, {"division_below_110_hours": 1, "section_below_100_hours": 2}, RatingContext())
    assert team.total == D(77)  # seven deduction items full, T8 9, T9 8
    assert all(isinstance(r.score, Decimal) and r.score == r.score.quantize(D("0.1")) for r in team.items)


# --- values ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "data", "words"),
    [
        ("O2", {"shortfall": 1}, "O2 takes “shortfalls”, not “shortfall”."),
        ("O2", {"shortfalls": 1, "note": "x"}, "O2 takes “shortfalls”, not “note”."),
        ("O2", {"shortfalls": -1}, "The shortfalls of O2 must be a whole number of 0 or more."),
        ("O2", {"shortfalls": 1.5}, "The shortfalls of O2 must be a whole number of 0 or more."),
        ("O2", {"shortfalls": "2"}, "The shortfalls of O2 must be a whole number of 0 or more."),
        ("O2", {"shortfalls": True}, "The shortfalls of O2 must be a whole number of 0 or more."),
        ("O2", [1], 'Give O2\'s value as {"shortfalls": …}.'),
        ("O5", {"met": "meeting"}, "O5 takes the list of the criteria met, some of meeting, q1, q2, q3, q4."),
        ("O5", {"met": ["q5"]}, "“q5” is not a criterion of O5; choose from meeting, q1, q2, q3, q4."),
        ("D1", {"percent": 100.1}, "The percentage of D1 must be a number from 0 to 100 with at most two decimals."),
        ("D1", {"percent": -1}, "The percentage of D1 must be a number from 0 to 100 with at most two decimals."),
        ("D1", {"percent": "NaN"}, "The percentage of D1 must be a number from 0 to 100 with at most two decimals."),
        ("D1", {"percent": 79.999}, "The percentage of D1 must be a number from 0 to 100 with at most two decimals."),
        (
            "D1",
            {"percent": "1e-999999999"},
            "The percentage of D1 must be a number from 0 to 100 with at most two decimals.",
        ),
        ("B6", {"points": "1e-999999999"}, "Points of B6 go in halves, such as 3 or 3.5."),
        (
            "D1",
            {"percent": float("inf")},
            "The percentage of D1 must be a number from 0 to 100 with at most two decimals.",
        ),
        ("C2", {"choice": "late"}, "C2 takes one of full, leave, absent."),
        ("B6", {"points": 16}, "B6 takes 0 to 15 points."),
        ("B6", {"points": 7.25}, "Points of B6 go in halves, such as 3 or 3.5."),
        ("E1", {"awarded": "yes"}, "E1 takes true or false (awarded or not)."),
        ("E1", {"awarded": 1}, "E1 takes true or false (awarded or not)."),
        ("O9", {"shortfalls": 0}, "O9 is computed from the data; nothing can be entered for it."),
    ],
)
def test_value_from_data_rejects_in_plain_words(code, data, words):
    with pytest.raises(ValueError) as raised:
        value_from_data(item(code), data)
    assert str(raised.value) == words


@pytest.mark.parametrize(
    ("code", "data", "value"),
    [
        ("O2", {"shortfalls": 2}, ItemValue(shortfalls=2)),
        ("O2", {"shortfalls": 2.0}, ItemValue(shortfalls=2)),
        ("O5", {"met": []}, ItemValue(met=())),
        ("D1", {"percent": 79.9}, ItemValue(percent=D("79.9"))),
        ("D1", {"percent": "80"}, ItemValue(percent=D(80))),
        ("C2", {"choice": "leave"}, ItemValue(choice="leave")),
        ("B6", {"points": "7.5"}, ItemValue(points=D("7.5"))),
        ("E1", {"awarded": False}, ItemValue(awarded=False)),
        ("E1", None, ItemValue()),
        ("E1", {}, ItemValue()),
        ("D1", {"percent": None}, ItemValue()),
    ],
)
def test_value_from_data_accepts(code, data, value):
    assert value_from_data(item(code), data) == value


def test_value_to_data():
    assert value_to_data(item("O2"), ItemValue(shortfalls=2)) == {"shortfalls": 2}
    assert value_to_data(item("O5"), ItemValue(met=("meeting", "q1"))) == {"met": ["meeting", "q1"]}
    assert value_to_data(item("D1"), ItemValue(percent=D("79.9"))) == {"percent": 79.9}
    assert value_to_data(item("D1"), ItemValue(percent=D("80.0"))) == {"percent": 80}
    assert value_to_data(item("B6"), ItemValue(points=D("7.5"))) == {"points": 7.5}
    assert value_to_data(item("E1"), ItemValue(awarded=True)) == {"awarded": True}
    assert value_to_data(item("E1"), None) == {} == value_to_data(item("E1"), ItemValue())


# --- properties --------------------------------------------------------------------------------------------

items = st.sampled_from(ALL_ITEMS)
counts = st.integers(0, 10_000)
json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)


def values_for(i: engine.Item) -> st.SearchStrategy[ItemValue]:
    if i.method == "deduction":
        return st.builds(ItemValue, shortfalls=st.none() | counts)
    if i.method == "criteria":
        return st.builds(ItemValue, met=st.none() | st.sets(st.sampled_from([c.code for c in i.criteria])).map(tuple))
    if i.method == "ladder":
        return st.builds(ItemValue, percent=st.none() | st.decimals(0, 100, places=1))
    if i.method == "choice":
        return st.builds(ItemValue, choice=st.none() | st.sampled_from([o.code for o in i.options]))
    if i.method == "manual":
        return st.builds(ItemValue, points=st.none() | st.integers(0, int(i.max * 2)).map(lambda n: D(n) / 2))
    return st.builds(ItemValue, awarded=st.none() | st.booleans())


@st.composite
def item_and_value(draw):
    i = draw(items)
    return i, draw(values_for(i)), draw(st.none() | counts)


@SETTINGS
@given(item_and_value())
def test_an_item_never_leaves_zero_to_max(case):
    i, value, computed = case
    result = score_item(i, value, computed)
    assert 0 <= result.score <= i.max
    assert result.score == result.score.quantize(D("0.1"))
    assert result.explanation


@SETTINGS
@given(item_and_value())
def test_value_round_trips_through_json(case):
    i, value, _ = case
    if i.method == "deduction" and not i.entered:
        return
    back = value_from_data(i, value_to_data(i, value))
    assert score_item(i, back).score == score_item(i, value).score


@SETTINGS
@given(st.sampled_from([i for i in ALL_ITEMS if i.method == "deduction"]), counts, counts, counts)
def test_more_shortfalls_never_raise_a_score(i, a, b, computed):
    low, high = sorted((a, b))
    assert score(i.code, ItemValue(shortfalls=high), computed) <= score(i.code, ItemValue(shortfalls=low), computed)
    if i.computed:
        c_low, c_high = sorted((computed, a))
        assert score(i.code, ItemValue(shortfalls=b), c_high) <= score(i.code, ItemValue(shortfalls=b), c_low)


@SETTINGS
@given(st.sampled_from([i for i in ALL_ITEMS if i.method == "criteria"]), st.data())
def test_more_criteria_met_never_lower_a_score(i, data):
    codes = [c.code for c in i.criteria]
    fewer = data.draw(st.sets(st.sampled_from(codes)))
    more = fewer | data.draw(st.sets(st.sampled_from(codes)))
    assert score(i.code, ItemValue(met=tuple(more))) >= score(i.code, ItemValue(met=tuple(fewer)))


@SETTINGS
@given(st.decimals(0, 100, places=2), st.decimals(0, 100, places=2))
def test_a_higher_percent_never_lowers_the_ladder(a, b):
    low, high = sorted((a, b))
    assert score("D1", ItemValue(percent=high)) >= score("D1", ItemValue(percent=low))


@st.composite
def benxi_card(draw):
    return {i.code: draw(values_for(i)) for i in BENXI.items if draw(st.booleans())}


@SETTINGS
@given(benxi_card(), st.sampled_from(["E1", "E2"]))
def test_a_bonus_only_adds(values, code):
    without = score_card(BENXI, {**values, code: ItemValue(awarded=False)}, {}, RatingContext())
    with_it = score_card(BENXI, {**values, code: ItemValue(awarded=True)}, {}, RatingContext())
    assert with_it.base == without.base
    assert with_it.total >= without.total and with_it.bonus >= without.bonus
    assert with_it.total == with_it.base + with_it.bonus
    tiers = [t.code for t in BENXI.tiers]
    assert tiers.index(with_it.tier) <= tiers.index(without.tier)  # never a lower tier
    assert 0 <= with_it.base <= 100 and 0 <= with_it.bonus <= 20


@SETTINGS
@given(items, json_like)
def test_value_from_data_only_raises_value_error(i, data):
    try:
        value = value_from_data(i, data)
    except ValueError as error:
        assert str(error) and str(error)[-1] in ".。"
        return
    assert isinstance(value, ItemValue)
    assert 0 <= score_item(i, value, 0).score <= i.max


@SETTINGS
@given(items, st.sampled_from(list(engine.METHOD_KEYS.values())), json_like)
def test_value_from_data_with_the_right_key_only_raises_value_error(i, key, raw):
    test_value_from_data_only_raises_value_error.hypothesis.inner_test(i, {key: raw})


def test_explanations_in_chinese():
    with translation.override("zh-hans"):
        assert (
            score_item(item("O2"), ItemValue(shortfalls=2)).explanation
            == "缺 2 项 × 每项 3 分 = 扣 6 分（满分 10，最低 0 分）：得 4 分。"
        )
        assert score_item(item("T9"), None, 3).explanation == (
            "3 名本单位年度学时不足 100 的科级干部 × 每人 1 分 = 扣 3 分（满分 10，最低 0 分）：得 7 分。"
        )
        team = score_card(TEAM, team_values(), TEAM_COMPUTED, RatingContext(RATED_ORG, "average"))
        assert team.explanation[0] == "年度班子考核为“一般”的，不能评为学习型领导班子。"
        with pytest.raises(ValueError, match="B6 的分值应为 0 至 15 分"):
            value_from_data(item("B6"), {"points": 16})
    # The sentence kept as (msgid, params) is translated again at display time.
    result = score_item(item("D1"), ItemValue(percent=D(75)))
    assert engine.explanation_text(result.message, result.params) == "75% reaches the step at 70%: 4."
    with translation.override("zh-hans"):
        assert engine.explanation_text(result.message, result.params) == "完成 75%，达到 70% 档：得 4 分。"
