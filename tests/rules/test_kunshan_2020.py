"""Rules of RULES.md section 1 (policy kunshan-2020), example by example. No Django needed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from credits.rules import kunshan_2020 as policy
from credits.rules.types import ActivityLine, OfficialYear

D = Decimal


def line(kind: str, quantity, *, category: str | None = None, **kw) -> ActivityLine:
    if category is None:
        category = policy.category_of(kind)
    return ActivityLine(kind=kind, category=category, quantity=D(str(quantity)), **kw)


def disc(category: str, points, quantity=1, **kw) -> ActivityLine:
    return ActivityLine("discretionary", category, D(str(quantity)), points=D(str(points)), **kw)


def assess(*lines: ActivityLine, **kw):
    return policy.assess(OfficialYear(year=2024, activities=tuple(lines), **kw))


def scores(result) -> dict[str, Decimal]:
    return {code: c.score for code, c in result.categories.items()}


# Menu and online exactly at their pass lines (24 with 4 city lectures, 25): 49 points, no veto.
PASSING_MENU = (line("menu_city_lecture", 4), line("menu_other_lecture", 1))
PASSING_ONLINE = (line("online_hour", 50),)
BASE = PASSING_MENU + PASSING_ONLINE

EXAMPLE_1 = (
    line("class_day", 5),
    line("class_reflection", 1),
    line("menu_city_lecture", 4),
    line("menu_other_lecture", 2),
    line("online_hour", 52),
    line("xuexi_qiangguo", 1),
    line("central_group_listener", 12),
    line("book_reflection", 2),
    line("study_paper", 1),
)


# --- 1.9 worked examples ------------------------------------------------------------------------------------


def test_worked_example_1_full_year_good():
    r = assess(*EXAMPLE_1)
    assert scores(r) == {"offjob": 12, "menu": 28, "online": 30, "group_study": 15, "self_study": 2}
    assert r.total == D("87") and str(r.total) == "87.0"
    assert r.grade == "good"
    assert r.vetoes == () and r.flags == ()
    assert not r.exempt and r.exempt_reason is None
    assert r.categories["menu"].passed is True and r.categories["online"].passed is True
    assert r.categories["offjob"].passed is None
    assert r.explanation["c"]["online"]["cut"] == "1.0"
    assert r.explanation["c"]["group_study"]["cut"] == "1"
    assert r.explanation["pr"] is None


def test_worked_example_2_three_city_lectures_veto():
    lines = [ln for ln in EXAMPLE_1 if ln.kind not in ("menu_city_lecture", "menu_other_lecture")]
    r = assess(*lines, line("menu_city_lecture", 3), line("menu_other_lecture", 3))
    assert r.categories["menu"].score == 27
    assert r.categories["menu"].passed is False
    assert r.total == 86
    assert r.grade == "fail"
    assert r.vetoes == ("menu_not_passed",)
    assert r.flags == ("no_excellent_appraisal",)
    assert r.explanation["c"]["menu"]["cl"] == "3" and r.explanation["c"]["menu"]["clr"] == 4


def test_worked_example_3_prorated_march():
    r = assess(
        line("class_day", 3),
        line("menu_city_lecture", 3),
        line("menu_other_lecture", 2),
        line("online_hour", 40),
        line("central_group_listener", 8),
        line("study_paper", 1),
        included_month=3,
    )
    assert scores(r) == {
        "offjob": D("8.0"),
        "menu": D("30"),
        "online": D("26.8"),
        "group_study": D("10.7"),
        "self_study": D("2.7"),
    }
    assert r.total == D("78.2")
    assert r.grade == "good"
    assert r.vetoes == ()
    assert r.explanation["pr"] == {"im": 3, "m": 9, "f": "1.33869"}
    menu = r.explanation["c"]["menu"]
    assert (menu["sum"], menu["cv"], menu["cut"], menu["cl"], menu["clr"]) == ("23", "30.8", "0.8", "3", 3)
    assert r.explanation["c"]["offjob"]["cv"] == "8.0"


# --- 1.3 points, kind caps, category caps --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "quantity", "expected", "cut"),
    [
        ("xuexi_qiangguo", 1, "5", None),
        ("xuexi_qiangguo", 2, "5", "5"),
        ("book_reflection", 2, "4", None),
        ("book_reflection", "2.5", "5", None),
        ("book_reflection", 3, "5", "1"),
        ("research_report", 1, "3", None),
        ("research_report", 2, "5", "1"),
        ("research_report", 4, "5", "7"),
        ("study_paper", 2, "4", None),
        ("study_paper", "2.5", "5", None),
        ("study_paper", 3, "5", "1"),
    ],
)
def test_kind_own_cap(kind, quantity, expected, cut):
    r = assess(line(kind, quantity))
    category = policy.category_of(kind)
    assert r.categories[category].score == D(expected)
    explained = r.explanation["c"][category]["k"][kind]
    assert explained["cap"] == "5"
    assert explained.get("cut") == cut


def test_kind_cap_applies_to_the_years_sum_of_lines():
    r = assess(line("study_paper", 1), line("study_paper", 1), line("study_paper", 1))
    assert r.categories["self_study"].score == 5
    assert r.explanation["c"]["self_study"]["k"]["study_paper"]["n"] == 3


def test_kind_cap_then_category_cap():
    r = assess(line("research_report", 2), line("study_paper", 3), line("teaching_topic", 1))
    assert r.explanation["c"]["self_study"]["sum"] == "13"
    assert r.categories["self_study"].score == 10


@pytest.mark.parametrize(
    ("category", "at_cap", "above_cap"),
    [
        ("offjob", [line("class_speech", 3)], [line("class_speech", 3), line("class_reflection", 1)]),
        ("menu", [line("menu_city_lecture", 6)], [line("menu_city_lecture", 6), line("menu_other_lecture", 1)]),
        ("online", [line("online_hour", 60)], [line("online_hour", 61)]),
        ("group_study", [line("central_group_listener", 15)], [line("central_group_speaker", 8)]),
        (
            "self_study",
            [line("teaching_faculty_session", 2)],
            [line("teaching_faculty_session", 2), line("teaching_topic", 1)],
        ),
    ],
)
def test_category_cap_boundary(category, at_cap, above_cap):
    cap = policy.CATEGORIES[category]
    r = assess(*at_cap)
    assert r.categories[category].score == cap
    assert "cut" not in r.explanation["c"][category]
    r = assess(*above_cap)
    assert r.categories[category].score == cap
    assert D(r.explanation["c"][category]["cut"]) > 0


def test_rates_per_kind():
    expected = {
        "class_day": 2,
        "class_speech": 5,
        "class_reflection": 2,
        "secondment_month": 3,
        "menu_city_lecture": 5,
        "menu_other_lecture": 4,
        "online_hour": D("0.5"),
        "xuexi_qiangguo": 5,
        "central_group_speaker": 2,
        "central_group_listener": 1,
        "superior_central_group": 1,
        "book_reflection": 2,
        "research_report": 3,
        "study_paper": 2,
        "teaching_topic": 3,
        "teaching_faculty_session": 5,
    }
    for kind, rate in expected.items():
        quantity = 1 if kind != "secondment_month" else 3
        r = assess(line(kind, quantity))
        assert r.categories[policy.category_of(kind)].score == rate * quantity, kind


def test_secondment_shorter_than_three_months_scores_zero():
    r = assess(line("secondment_month", 2))
    assert r.categories["offjob"].score == 0
    assert r.explanation["c"]["offjob"]["k"]["secondment_month"]["z"] == "2"
    assert assess(line("secondment_month", 3)).categories["offjob"].score == 9


def test_secondments_are_judged_record_by_record():
    # a 2-month and a 3-month secondment: only the second one counts
    assert assess(line("secondment_month", 2), line("secondment_month", 3)).categories["offjob"].score == 9
    # one line standing for two records of equal length: 2.5 months each -> 0
    assert assess(line("secondment_month", 5, records=2)).categories["offjob"].score == 0
    # two records of 3 months each -> 18 -> offjob cap 15
    assert assess(line("secondment_month", 6, records=2)).categories["offjob"].score == 15
    assert "secondment_month" in policy.PER_RECORD_KINDS


def test_class_day_counts_only_when_the_class_was_passed():
    r = assess(line("class_day", 3, class_passed=False))
    assert r.categories["offjob"].score == 0
    assert r.explanation["c"]["offjob"]["k"]["class_day"]["z"] == "3"
    r = assess(line("class_day", 3, class_passed=False), line("class_day", 2))
    assert r.categories["offjob"].score == 4


def test_discretionary_counts_under_the_chosen_category_cap():
    r = assess(disc("offjob", 20))
    assert r.categories["offjob"].score == 15
    r = assess(disc("self_study", "4.5"), line("study_paper", 1))
    assert r.categories["self_study"].score == D("6.5")
    r = assess(disc("self_study", 3), disc("group_study", 2), disc("self_study", 1))
    assert r.categories["self_study"].score == 4 and r.categories["group_study"].score == 2
    assert r.explanation["c"]["self_study"]["k"]["discretionary"] == {"n": 2, "q": "2", "r": None, "p": "4"}


def test_discretionary_menu_points_are_not_city_lectures():
    r = assess(line("menu_city_lecture", 3), disc("menu", 15), *PASSING_ONLINE)
    assert r.categories["menu"].score == 30
    assert r.vetoes == ("menu_not_passed",)


# --- 1.3 / 1.4 pass lines and vetoes ------------------------------------------------------------------------


def test_menu_exactly_24_with_four_city_lectures_passes():
    r = assess(*BASE)
    assert r.categories["menu"].score == 24
    assert r.categories["menu"].passed is True
    assert r.vetoes == ()
    r = assess(line("menu_city_lecture", 4), disc("menu", 4), *PASSING_ONLINE)
    assert r.categories["menu"].passed is True


def test_menu_23_5_fails():
    r = assess(line("menu_city_lecture", 4), disc("menu", "3.5"), *PASSING_ONLINE)
    assert r.categories["menu"].score == D("23.5")
    assert r.categories["menu"].passed is False
    assert r.vetoes == ("menu_not_passed",)
    assert r.grade == "fail"


def test_menu_with_three_city_lectures_fails_even_at_cap():
    r = assess(line("menu_city_lecture", 3), line("menu_other_lecture", 4), *PASSING_ONLINE)
    assert r.categories["menu"].score == 30
    assert r.vetoes == ("menu_not_passed",)


def test_online_exactly_25_passes_and_24_5_fails():
    r = assess(*PASSING_MENU, line("online_hour", 50))
    assert r.categories["online"].passed is True and r.vetoes == ()
    r = assess(*PASSING_MENU, line("online_hour", 49))
    assert r.categories["online"].score == D("24.5")
    assert r.categories["online"].passed is False
    assert r.vetoes == ("online_not_passed",)


def test_lines_are_compared_with_exact_values_not_rounded_ones():
    # 49.9 hours = 24.95 points: below 25 although it would round to 25.0
    r = assess(*PASSING_MENU, line("online_hour", "49.9"))
    assert r.vetoes == ("online_not_passed",)
    assert r.categories["online"].score == D("24.9")  # shown cut to one decimal, never up to the line
    assert r.explanation["c"]["online"]["s"] == "24.95"


def test_xuexi_qiangguo_counts_toward_the_online_line():
    r = assess(*PASSING_MENU, line("online_hour", 40), line("xuexi_qiangguo", 1))
    assert r.categories["online"].score == 25 and r.categories["online"].passed is True


def _with_total(total: str) -> tuple[ActivityLine, ...]:
    """Lines meeting both pass lines with the given total (menu 24 + online 25 + the rest)."""
    extra = D(total) - 49
    lines = list(PASSING_MENU)
    online = min(extra, D(5))
    lines.append(line("online_hour", 50 + 2 * online))
    extra -= online
    for category, cap in (("offjob", 15), ("group_study", 15), ("self_study", 10), ("menu", 6)):
        part = min(extra, D(cap))
        if part:
            lines.append(disc(category, part))
        extra -= part
    assert extra == 0
    return tuple(lines)


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("49", "fail"),
        ("59.5", "fail"),
        ("60", "pass"),
        ("74.5", "pass"),
        ("75", "good"),
        ("89.5", "good"),
        ("90", "excellent"),
        ("100", "excellent"),
    ],
)
def test_grade_bands_at_their_boundaries(total, grade):
    r = assess(*_with_total(total))
    assert r.total == D(total)
    assert r.vetoes == ()
    assert r.grade == grade
    assert r.flags == (("no_excellent_appraisal",) if grade == "fail" else ())


def test_total_89_95_is_good_and_shown_as_89_9():
    r = assess(*_with_total("89"), disc("menu", "0.95"))
    assert r.explanation["t"] == "89.95"
    assert r.grade == "good"
    assert r.total == D("89.9")


@pytest.mark.parametrize("veto", sorted(policy.RECORDED_VETOES))
def test_each_recorded_veto_fails_an_excellent_official(veto):
    r = assess(*_with_total("95"), vetoes=frozenset({veto}))
    assert r.total == 95
    assert r.grade == "fail"
    assert r.vetoes == (veto,)
    assert r.flags == ("no_excellent_appraisal",)


def test_veto_order_computed_in_category_order_then_recorded_sorted():
    r = assess(line("menu_city_lecture", 1), vetoes=frozenset({"discipline", "absent_from_dispatch"}))
    assert r.vetoes == ("menu_not_passed", "online_not_passed", "absent_from_dispatch", "discipline")
    assert r.explanation["v"] == list(r.vetoes)


def test_no_lines_at_all_fails_with_both_computed_vetoes():
    r = assess()
    assert r.total == 0 and r.grade == "fail"
    assert r.vetoes == ("menu_not_passed", "online_not_passed")
    assert set(r.categories) == set(policy.CATEGORIES)


# --- 1.6 flags ---------------------------------------------------------------------------------------------


def test_two_failed_years_in_a_row_flag_political_subhealth():
    r = assess(previous_grade="fail")
    assert r.grade == "fail"
    assert r.flags == ("political_subhealth", "no_excellent_appraisal")


@pytest.mark.parametrize("previous", [None, "pass", "good", "excellent"])
def test_political_subhealth_needs_a_failed_previous_year(previous):
    r = assess(previous_grade=previous)
    assert r.grade == "fail"
    assert r.flags == ("no_excellent_appraisal",)


def test_previous_fail_and_this_year_passed_has_no_flag():
    r = assess(*_with_total("80"), previous_grade="fail")
    assert r.grade == "good" and r.flags == ()


def test_consecutive_fail_rule():
    assert policy.consecutive_fail("fail", "fail")
    assert not policy.consecutive_fail(None, "fail")
    assert not policy.consecutive_fail("fail", None)
    assert not policy.consecutive_fail("fail", "pass")


# --- 1.1 exemption -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", sorted(policy.EXEMPTION_REASONS))
def test_each_exemption_reason_gives_no_grade_and_no_flags(reason):
    r = assess(line("menu_city_lecture", 1), line("online_hour", 10), exemption=reason, previous_grade="fail")
    assert r.exempt is True
    assert r.exempt_reason == reason
    assert r.grade is None
    assert r.flags == ()
    assert r.vetoes == ()  # pass lines are not judged for the exempt
    assert r.categories["menu"].score == 5 and r.categories["online"].score == 5  # credits still shown
    assert r.categories["menu"].passed is None and r.categories["online"].passed is None
    assert r.total == 10
    assert r.explanation["ex"] == reason and r.explanation["g"] is None


def test_exempt_official_keeps_recorded_vetoes_listed_without_effect():
    r = assess(*_with_total("95"), exemption="sick_leave", vetoes=frozenset({"discipline"}))
    assert r.grade is None and r.flags == ()
    assert r.vetoes == ("discipline",)


def test_retirement_year_is_exempt_automatically():
    r = assess(*_with_total("95"), retires_in_year=True)
    assert r.exempt and r.exempt_reason == "retiring" and r.grade is None and r.total == 95


def test_retirement_year_exemption_can_be_switched_off(monkeypatch):
    monkeypatch.setattr(policy, "EXEMPT_IN_RETIREMENT_YEAR", False)
    r = assess(*_with_total("95"), retires_in_year=True)
    assert not r.exempt and r.grade == "excellent"


def test_recorded_exemption_wins_over_retirement_and_proration():
    r = assess(exemption="other", retires_in_year=True, included_month=10)
    assert r.exempt_reason == "other"
    assert r.explanation["pr"] == {"im": 10, "m": 2, "f": None}


# --- 1.5 proration -----------------------------------------------------------------------------------------


def test_included_in_june_is_assessed_with_six_months():
    r = assess(
        line("class_day", 3),  # 6 -> 12.048 -> 12.0
        line("menu_city_lecture", 2),
        line("menu_other_lecture", 1),  # 14 -> 28.11 -> 28.1
        line("online_hour", 30),  # 15 -> 30.12 -> 30.1 -> 30
        included_month=6,
    )
    assert not r.exempt
    assert r.explanation["pr"] == {"im": 6, "m": 6, "f": "2.00803"}
    assert scores(r) == {"offjob": D("12.0"), "menu": D("28.1"), "online": 30, "group_study": 0, "self_study": 0}
    assert r.total == D("70.1") and r.grade == "pass"
    assert r.explanation["c"]["menu"]["clr"] == 2


def test_proration_factor_is_100_over_8_3_times_months():
    r = assess(disc("offjob", "4.98"), included_month=6)
    assert r.categories["offjob"].score == D("10.0")  # 4.98 * 100 / 49.8 exactly


@pytest.mark.parametrize("month", [7, 8, 11, 12])
def test_fewer_than_six_months_is_exempt_new_short(month):
    r = assess(line("online_hour", 20), included_month=month)
    assert r.exempt and r.exempt_reason == "new_short" and r.grade is None and r.flags == ()
    assert r.categories["online"].score == 10  # not converted
    assert r.explanation["pr"]["m"] == 12 - month and r.explanation["pr"]["f"] is None


@pytest.mark.parametrize(
    ("month", "required"),
    [(1, 4), (3, 3), (5, 3), (6, 2)],
)
def test_prorated_city_lecture_minimum(month, required):
    months = 12 - month
    assert policy.lectures_required(policy.PASS_LINES["menu"], months) == required

    def with_lectures(n):
        return assess(line("menu_city_lecture", n), disc("menu", 30), disc("online", 30), included_month=month)

    assert with_lectures(required).vetoes == ()
    assert with_lectures(required - 1).vetoes == ("menu_not_passed",)
    assert with_lectures(required).explanation["c"]["menu"]["clr"] == required


@pytest.mark.parametrize(
    ("points", "expected"),
    [("0.8715", "1.1"), ("0.2075", "0.3"), ("0.9545", "1.2"), ("0.8714", "1.0")],
)
def test_conversion_rounds_half_up(points, expected):
    # months 10: f = 100 / 83; 0.8715 * 100 / 83 = 1.05 exactly -> 1.1 (half-even would give 1.0)
    r = assess(disc("self_study", points), included_month=2)
    assert r.categories["self_study"].score == D(expected)
    assert r.explanation["c"]["self_study"]["cv"] == expected


def test_prorated_pass_lines_use_the_converted_value():
    # months 9: 18.5 online points -> 24.766 -> 24.8 < 25; 18.7 -> 25.03 -> 25.0 passes
    common = (line("menu_city_lecture", 3), line("menu_other_lecture", 2))
    assert assess(*common, line("online_hour", 37), included_month=3).vetoes == ("online_not_passed",)
    r = assess(*common, line("online_hour", "37.4"), included_month=3)
    assert r.categories["online"].score == D("25.0") and r.vetoes == ()


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "kw", "message"),
    [
        ((disc("leisure", 3),), {}, "discretionary line needs one of the categories"),
        ((ActivityLine("discretionary", "menu", D(1)),), {}, "points set by the approver"),
        ((disc("menu", -1),), {}, "zero or more"),
        ((line("online_hour", -1),), {}, "zero or more"),
        ((ActivityLine("online_hour", "online", D("NaN")),), {}, "zero or more"),
        ((ActivityLine("online_hour", "online", 1.5),), {}, "must be a Decimal"),
        ((line("online_hour", 1, records=0),), {}, "at least one record"),
        ((line("online_hour", 1, category="menu"),), {}, "belongs to category"),
        ((), {"exemption": "holiday"}, "Unknown exemption reason"),
        ((), {"vetoes": frozenset({"menu_not_passed"})}, "Unknown recorded veto"),
        ((), {"included_month": 13}, "from 1 to 12"),
        ((), {"included_month": 0}, "from 1 to 12"),
        ((), {"previous_grade": "so-so"}, "Unknown previous grade"),
    ],
)
def test_bad_input_raises_value_error(lines, kw, message):
    with pytest.raises(ValueError, match=message):
        assess(*lines, **kw)


def test_a_kind_of_another_policy_is_kept_as_not_counted():
    """RULES §2.1: a record of a kind the year's policy does not know scores 0 and is listed as not counted."""
    r = assess(*EXAMPLE_1, ActivityLine("online_course", "", D(1), records=2, points=D(20)))
    assert r.total == assess(*EXAMPLE_1).total
    assert r.explanation["nc"] == {"online_course": {"n": 2, "q": "1"}}
    assert "nc" not in assess(*EXAMPLE_1).explanation
    with pytest.raises(ValueError, match="zero or more"):
        assess(ActivityLine("online_course", "", D(-1)))


def test_integer_quantities_are_accepted():
    r = policy.assess(OfficialYear(2024, (ActivityLine("online_hour", "online", 10),)))
    assert r.categories["online"].score == 5


def test_category_of():
    assert policy.category_of("online_hour") == "online"
    assert policy.category_of("discretionary") is None
    with pytest.raises(ValueError, match="Unknown activity kind"):
        policy.category_of("nope")


def test_explanation_is_json_and_compact():
    r = assess(*EXAMPLE_1, previous_grade="fail")
    text = json.dumps(r.explanation, separators=(",", ":"))
    assert json.loads(text) == r.explanation
    assert len(text) < 1200
    assert list(r.explanation["c"]) == list(policy.CATEGORIES)
