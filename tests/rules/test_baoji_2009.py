"""Rules of RULES.md section 2 (policy baoji-2009), rule by rule at the exact boundaries. No Django needed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import credits.rules as rules
from credits.rules import baoji_2009 as policy
from credits.rules import kunshan_2020
from credits.rules.types import ActivityLine, OfficialYear, PreviousYear

D = Decimal
CATEGORY = {
    "class_day": "basic",
    "online_course": "basic",
    "degree_study_year": "additional",
    "degree_doctorate": "additional",
    "degree_master": "additional",
    "degree_bachelor": "additional",
    "book_sole": "reward",
    "book_coauthor": "reward",
    "book_contributor": "reward",
    "article_sole": "reward",
    "article_coauthor": "reward",
    "award_first": "reward",
    "award_second": "reward",
    "award_third": "reward",
    "award_honourable": "reward",
}


def line(kind: str, quantity, **kw) -> ActivityLine:
    return ActivityLine(kind=kind, category=CATEGORY.get(kind, ""), quantity=D(str(quantity)), **kw)


def course(points) -> ActivityLine:
    return ActivityLine("online_course", "basic", D(1), points=D(str(points)))


def carried(carry, *, year=2024, cycle_earned=None, policy_code="baoji-2009", grade="pass") -> PreviousYear:
    """The chain value of a year ``year`` under baoji-2009 that carries ``carry`` credits out."""
    return PreviousYear(
        policy=policy_code,
        exempt=False,
        grade=grade,
        carry_out=D(str(carry)),
        cycle_earned=D(str(cycle_earned if cycle_earned is not None else 0)),
        year=year,
    )


def assess(*lines: ActivityLine, year: int = 2025, **kw):
    return policy.assess(OfficialYear(year=year, activities=tuple(lines), **kw))


def explained(result) -> list[str]:
    return [note.message % note.params for note in policy.POLICY.explain(result.explanation)]


# --- 2.1 kinds and credits ----------------------------------------------------------------------------------


def test_the_kinds_and_categories_of_the_table():
    assert [c.code for c in policy.POLICY.categories] == ["basic", "additional", "reward"]
    assert all(c.cap is None and c.pass_line is None for c in policy.POLICY.categories)
    assert {k: s.category for k, s in policy.POLICY.kinds.items()} == CATEGORY


@pytest.mark.parametrize(
    ("kind", "quantity", "credits"),
    [
        ("class_day", 3, 15),
        ("class_day", 4, 20),
        ("degree_study_year", 1, 5),
        ("degree_study_year", 2, 10),
        ("degree_doctorate", 1, 7),
        ("degree_master", 1, 6),
        ("degree_bachelor", 1, 5),
        ("book_sole", 1, 10),
        ("book_coauthor", 2, 10),
        ("book_contributor", 1, 3),
        ("article_sole", 1, 5),
        ("article_coauthor", 3, 9),
        ("award_first", 1, 5),
        ("award_second", 1, 4),
        ("award_third", 1, 3),
        ("award_honourable", 2, 4),
    ],
)
def test_credits_per_kind(kind, quantity, credits):
    r = assess(line(kind, quantity))
    assert r.categories[CATEGORY[kind]].score == credits
    assert r.figures["earned"] == str(credits)
    assert sum(c.score for c in r.categories.values()) == credits


def test_categories_have_no_caps():
    r = assess(line("book_sole", 12), line("award_first", 10))
    assert r.categories["reward"].score == 170
    assert r.total == 170


@pytest.mark.parametrize(("days", "credits"), [("2.5", 0), ("2.9", 0), ("3", 15), ("3.5", "17.5")])
def test_a_training_of_fewer_than_three_days_scores_zero(days, credits):
    r = assess(line("class_day", days))
    assert r.categories["basic"].score == D(str(credits))
    short = r.explanation["c"]["basic"]["k"]["class_day"].get("zs")
    if credits:
        assert short is None
    else:
        assert short == {"n": 1, "q": days}
        assert f"Trainings of fewer than 3 days score 0: 1 records, {days} days." in explained(r)


def test_short_trainings_are_judged_record_by_record():
    r = assess(line("class_day", 2), line("class_day", 3))
    assert r.categories["basic"].score == 15
    assert "class_day" in policy.PER_RECORD_KINDS
    # a line of two records of equal length: 5 days are two trainings of 2.5 days, each too short
    assert assess(line("class_day", 5, records=2)).categories["basic"].score == 0
    assert assess(line("class_day", 6, records=2)).categories["basic"].score == 30


def test_a_class_not_passed_scores_zero():
    r = assess(line("class_day", 5, class_passed=False), line("class_day", 4))
    assert r.categories["basic"].score == 20
    assert r.explanation["c"]["basic"]["k"]["class_day"]["zf"] == {"n": 1, "q": "5"}
    assert "5 class days scored 0: the class result was not passed." in explained(r)


def test_points_set_by_the_approver_score_but_never_more_than_days_times_five():
    r = assess(line("class_day", 4, points=D(12)))
    assert r.categories["basic"].score == 12
    assert r.explanation["c"]["basic"]["k"]["class_day"]["lo"] == {"n": 1, "d": "8"}
    assert (
        "Class days credited below the standard of 5 a day, as the approver set: 1 records, 8 credits less."
        in explained(r)
    )
    at_standard = assess(line("class_day", 4, points=D(20)))
    assert at_standard.categories["basic"].score == 20
    assert "lo" not in at_standard.explanation["c"]["basic"]["k"]["class_day"]
    assert assess(line("class_day", 4, points=D(25))).categories["basic"].score == 20
    # points never rescue a short training or a class not passed
    assert assess(line("class_day", 2, points=D(10))).categories["basic"].score == 0
    assert assess(line("class_day", 4, points=D(10), class_passed=False)).categories["basic"].score == 0


def test_an_online_course_scores_its_points():
    r = assess(course("12.5"), course(20))
    assert r.categories["basic"].score == D("32.5")
    assert r.explanation["c"]["basic"]["k"]["online_course"] == {"n": 2, "q": "2", "r": None, "p": "32.5"}
    with pytest.raises(ValueError, match="needs its points"):
        assess(ActivityLine("online_course", "basic", D(1)))


def test_online_courses_summed_into_one_line_score_and_explain_as_one_line_each():
    one_line = assess(ActivityLine("online_course", "basic", D(2), records=2, points=D("32.5")))
    assert "online_course" not in policy.PER_RECORD_KINDS
    assert one_line == assess(course("12.5"), course(20))


@pytest.mark.parametrize("kind", ["online_hour", "discretionary", "menu_city_lecture", "secondment_month"])
def test_kinds_of_another_policy_are_kept_and_not_counted(kind):
    base = assess(line("class_day", 12))
    r = assess(line("class_day", 12), ActivityLine(kind, "", D(4), records=2, points=D(9)))
    assert r.total == base.total == 60
    assert r.grade == "pass"
    assert r.explanation["nc"] == {kind: {"n": 2, "q": "4"}}
    assert "nc" not in base.explanation
    assert f"{kind}: 2 records are kept but not counted under this year's policy." in explained(r)


# --- 2.2 the year, carry-over, grade -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("carry_in", "effective", "grade", "carry_out"),
    [("9.9", "59.9", "fail", "0"), ("10", "60", "pass", "0"), ("10.1", "60.1", "pass", "0.1")],
)
def test_the_pass_line_of_sixty_effective_credits(carry_in, effective, grade, carry_out):
    r = assess(line("class_day", 10), previous=carried(carry_in))
    assert r.figures["earned"] == "50"
    assert r.figures["carry_in"] == carry_in
    assert D(r.figures["effective"]) == D(effective) == r.total
    assert r.grade == grade
    assert D(r.figures["carry_out"]) == D(carry_out) == r.chain.carry_out
    assert ("no_excellent_appraisal" in r.flags) == (grade == "fail")


@pytest.mark.parametrize(("earned_points", "grade"), [("59.9", "fail"), ("60", "pass"), ("60.1", "pass")])
def test_the_pass_line_without_carry(earned_points, grade):
    # 11 days (55) and an online course carrying the rest, without any year before
    r = assess(line("class_day", 11), course(D(earned_points) - 55))
    assert r.total == D(earned_points)
    assert r.grade == grade
    assert r.figures["carry_in"] == "0"


def test_compared_exactly_and_shown_cut_to_one_decimal():
    r = assess(line("class_day", 10), previous=carried("9.95"))
    assert r.figures["effective"] == "59.95"
    assert r.total == D("59.9")  # never shown as 60.0
    assert r.grade == "fail"


def test_carry_comes_only_from_the_year_before_under_this_policy():
    ten = line("class_day", 10)
    assert assess(ten, previous=carried(15, year=2024)).figures["carry_in"] == "15"
    assert assess(ten, previous=carried(15, year=2023)).figures["carry_in"] == "0"  # no score for 2024
    assert assess(ten, previous=carried(15, year=None)).figures["carry_in"] == "0"
    other = PreviousYear(policy="kunshan-2020", exempt=False, grade="excellent", carry_out=D(15), year=2024)
    assert assess(ten, previous=other).figures["carry_in"] == "0"


def test_carry_is_not_reset_at_a_cycle_boundary():
    r = assess(line("class_day", 10), year=2023, previous=carried(12, year=2022, cycle_earned=310))
    assert r.figures["carry_in"] == "12"
    assert r.grade == "pass" and r.figures["carry_out"] == "2"
    assert r.figures["cycle"] == {"first_year": 2023, "last_year": 2027, "earned": "50", "passed": None}
    assert "r" not in r.explanation["cy"]  # a new cycle, not a broken running sum


def test_a_failed_year_carries_nothing_out():
    r = assess(line("class_day", 4), previous=carried(30))
    assert r.figures["effective"] == "50" and r.grade == "fail"
    assert r.figures["carry_out"] == "0"


# --- exemption -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["sick_leave", "retiring", "new_short", "secondment_long", "other"])
def test_an_exempt_year_passes_its_carry_on_unchanged(reason):
    r = assess(line("class_day", 20), previous=carried(7, cycle_earned=40), exemption=reason)
    assert r.exempt and r.exempt_reason == reason
    assert r.grade is None and r.flags == ()
    assert r.figures["earned"] == "100" and r.figures["carry_in"] == "7"
    assert r.figures["carry_out"] == "7"  # not 47
    assert r.chain == PreviousYear("baoji-2009", True, None, D(7), D(140), 2025)
    assert r.figures["cycle"]["earned"] == "140"  # its credits still count in the cycle
    assert "Not assessed this year: the 7 credits carried in pass on to 2026." in explained(r)


def test_the_retirement_year_is_exempt():
    r = assess(line("class_day", 20), retires_in_year=True)
    assert r.exempt and r.exempt_reason == "retiring" and r.grade is None


@pytest.mark.parametrize(("month", "exempt"), [(6, False), (7, True), (12, True), (1, False)])
def test_included_during_the_year_exempt_below_six_months_and_never_prorated(month, exempt):
    # 12 - 6 = 6 assessable months: assessed against the full 60; 12 - 7 = 5: exempt
    r = assess(line("class_day", 6), included_month=month)
    assert r.exempt is exempt
    assert r.exempt_reason == ("new_short" if exempt else None)
    assert r.total == 30
    assert r.grade == (None if exempt else "fail")


def test_recorded_vetoes_stay_listed_without_effect_when_exempt():
    r = assess(line("class_day", 20), exemption="other", vetoes=frozenset({"discipline"}))
    assert r.grade is None and r.flags == () and r.vetoes == ("discipline",)


# --- vetoes ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("veto", ["absent_from_dispatch", "discipline"])
def test_a_recorded_veto_fails_the_year_and_carry_follows_the_formula(veto):
    r = assess(line("class_day", 15), vetoes=frozenset({veto}), previous=carried(0))
    assert r.total == 75
    assert r.grade == "fail"
    assert r.vetoes == (veto,)
    assert r.flags == ("no_excellent_appraisal", "promotion_ineligible")
    assert r.figures["carry_out"] == "15"


# --- 2.3 the five-year cycle ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("before", "passed"), [("239.9", False), ("240", True), ("240.1", True)])
def test_the_cycle_is_judged_in_its_last_year_against_300(before, passed):
    r = assess(line("class_day", 12), year=2027, previous=carried(0, year=2026, cycle_earned=before))
    assert D(r.figures["cycle"]["earned"]) == D(before) + 60
    assert r.figures["cycle"]["passed"] is passed
    assert r.explanation["cy"]["ok"] is passed


def test_the_cycle_is_not_judged_before_its_last_year():
    r = assess(line("class_day", 12), year=2026, previous=carried(0, year=2025, cycle_earned=400))
    assert r.figures["cycle"] == {"first_year": 2023, "last_year": 2027, "earned": "460", "passed": None}
    assert "Five-year cycle 2023–2027: 460 credits so far; 300 are needed by the end of 2027." in explained(r)


def test_the_cycle_counts_earned_credits_not_carry():
    r = assess(line("class_day", 12), year=2027, previous=carried(50, year=2026, cycle_earned=200))
    assert r.figures["effective"] == "110"
    assert r.figures["cycle"]["earned"] == "260"
    assert r.figures["cycle"]["passed"] is False
    assert "Five-year cycle 2023–2027: 260 credits, short of the 300 needed." in explained(r)


def test_an_exempt_last_year_does_not_judge_the_cycle():
    r = assess(
        line("class_day", 12), year=2027, exemption="sick_leave", previous=carried(0, year=2026, cycle_earned=290)
    )
    assert r.figures["cycle"]["earned"] == "350"
    assert r.figures["cycle"]["passed"] is None


def test_a_year_under_another_policy_ends_the_running_sum():
    other = PreviousYear("kunshan-2020", False, "good", year=2025)
    r = assess(line("class_day", 12), year=2026, previous=other)
    assert r.figures["cycle"]["earned"] == "60"
    assert r.explanation["cy"]["r"] is True
    assert "The five-year figure starts again in 2026: 2025 was not assessed under this policy." in explained(r)
    assert "r" not in assess(line("class_day", 12), year=2023).explanation["cy"]  # the cycle's first year


def test_a_whole_cycle_of_exactly_sixty_a_year_passes_it():
    previous = None
    for year in range(2023, 2028):
        r = assess(line("class_day", 12), year=year, previous=previous)
        assert r.grade == "pass"
        previous = r.chain
    assert r.figures["cycle"] == {"first_year": 2023, "last_year": 2027, "earned": "300", "passed": True}


# --- a worked five-year chain, by hand from the rules -------------------------------------------------------


def test_worked_chain_2023_to_2027():
    # 2023: 10 class days (50) + a 20-credit course = 70; nothing carried in -> pass, carries 10 out.
    y2023 = assess(line("class_day", 10), course(20), year=2023)
    assert (y2023.grade, y2023.total, y2023.flags) == ("pass", 70, ("promotion_ineligible",))
    assert y2023.figures == {
        "earned": "70",
        "carry_in": "0",
        "effective": "70",
        "carry_out": "10",
        "cycle": {"first_year": 2023, "last_year": 2027, "earned": "70", "passed": None},
    }

    # 2024: exempt (sick leave); 3 class days (15) still count in the cycle; the 10 pass on unchanged.
    y2024 = assess(line("class_day", 3), year=2024, exemption="sick_leave", previous=y2023.chain)
    assert (y2024.grade, y2024.flags) == (None, ())
    assert (y2024.figures["carry_in"], y2024.figures["effective"], y2024.figures["carry_out"]) == ("10", "25", "10")
    assert y2024.figures["cycle"]["earned"] == "85"

    # 2025: 11 class days (55) + 10 carried = 65 -> pass, carries 5; the exempt 2024 blocks promotion.
    y2025 = assess(line("class_day", 11), year=2025, previous=y2024.chain)
    assert (y2025.grade, y2025.total, y2025.flags) == ("pass", 65, ("promotion_ineligible",))
    assert (y2025.figures["carry_out"], y2025.figures["cycle"]["earned"]) == ("5", "140")

    # 2026: the year is under kunshan-2020 (worked example 1 of §1.9: 87, good); no carry or cycle there.
    y2026 = kunshan_2020.assess(
        OfficialYear(
            year=2026,
            activities=tuple(
                ActivityLine(kind, kunshan_2020.category_of(kind), D(q))
                for kind, q in (
                    ("class_day", 5),
                    ("class_reflection", 1),
                    ("menu_city_lecture", 4),
                    ("menu_other_lecture", 2),
                    ("online_hour", 52),
                    ("xuexi_qiangguo", 1),
                    ("central_group_listener", 12),
                    ("book_reflection", 2),
                    ("study_paper", 1),
                )
            ),
        )
    )
    assert (y2026.grade, y2026.total) == ("good", 87)

    # 2027: 10 class days (50) + a co-authored article (3) + a third prize (3) + an honourable mention (2) = 58.
    # 2025's 5 credits do not come through 2026: effective 58 -> fail. The running sum restarted at 2027: 58 < 300.
    y2027 = assess(
        line("class_day", 10),
        line("article_coauthor", 1),
        line("award_third", 1),
        line("award_honourable", 1),
        year=2027,
        previous=y2026.chain,
    )
    assert y2027.figures == {
        "earned": "58",
        "carry_in": "0",
        "effective": "58",
        "carry_out": "0",
        "cycle": {"first_year": 2023, "last_year": 2027, "earned": "58", "passed": False},
    }
    assert y2027.grade == "fail"
    assert y2027.flags == ("no_excellent_appraisal", "promotion_ineligible")
    assert y2027.explanation["cy"]["r"] is True


# --- 2.4 consequences ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "eligible"),
    [
        (PreviousYear("baoji-2009", False, "pass", year=2024), True),
        (PreviousYear("baoji-2009", False, "fail", year=2024), False),
        (PreviousYear("baoji-2009", True, None, year=2024), False),
        (PreviousYear("baoji-2009", False, "pass", year=2023), False),
        (PreviousYear("kunshan-2020", False, "excellent", year=2024), True),
        (PreviousYear("kunshan-2020", False, "pass", year=2024), True),
        (PreviousYear("kunshan-2020", False, "fail", year=2024), False),
        (PreviousYear("kunshan-2020", True, None, year=2024), False),
        (None, False),
    ],
)
def test_promotion_needs_this_year_and_the_year_before_assessed_and_passed(previous, eligible):
    r = assess(line("class_day", 12), previous=previous)
    assert r.grade == "pass"
    assert ("promotion_ineligible" in r.flags) is not eligible
    assert "no_excellent_appraisal" not in r.flags
    failed = assess(line("class_day", 11), previous=previous)
    assert "promotion_ineligible" in failed.flags and "no_excellent_appraisal" in failed.flags


def test_previous_grade_stands_in_when_there_is_no_chain_value():
    assert "promotion_ineligible" not in assess(line("class_day", 12), previous_grade="good").flags
    assert "promotion_ineligible" in assess(line("class_day", 12), previous_grade="fail").flags
    r = assess(line("class_day", 12), previous_grade="pass", previous=PreviousYear("baoji-2009", True, None, year=2024))
    assert "promotion_ineligible" in r.flags  # the chain value wins


@pytest.mark.parametrize(
    ("assessed", "failed", "flagged"),
    [(3, 1, True), (4, 1, False), (6, 2, True), (7, 2, False), (1, 1, True), (1, 0, False), (0, 0, False)],
)
def test_a_third_or_more_failing_flags_the_unit(assessed, failed, flagged):
    flags = policy.POLICY.unit_flags(assessed=assessed, failed=failed)
    assert flags == (("no_advanced_rating",) if flagged else ())


@pytest.mark.parametrize(("assessed", "failed"), [(2, 3), (-1, 0), (3, -1), (3, 1.0)])
def test_unit_flags_bad_input(assessed, failed):
    with pytest.raises(ValueError):
        policy.POLICY.unit_flags(assessed=assessed, failed=failed)


def test_kunshan_has_no_unit_flags():
    assert kunshan_2020.POLICY.unit_flags(assessed=3, failed=3) == ()


# --- what the policy says about itself -----------------------------------------------------------------------


def test_registered_beside_kunshan_which_stays_the_default():
    assert rules.get_policy("baoji-2009") is policy.POLICY
    assert rules.DEFAULT_POLICY == "kunshan-2020"
    assert set(rules.POLICIES) == {"kunshan-2020", "baoji-2009"}
    assert rules.policy_owning("class_day") is kunshan_2020.POLICY  # shared code, first policy's words
    assert rules.policy_owning("online_course") is policy.POLICY


def test_grades_and_bands():
    p = policy.POLICY
    assert p.grades == ("pass", "fail") and p.failing_grade == "fail"
    assert [(b.at_least, b.grade) for b in p.grade_bands] == [(60, "pass")]
    assert p.judges_categories is False
    assert p.declarable_by_official == p.enterable_by_unit_admin == {"basic", "additional", "reward"}
    for code in ("pass", "fail", "no_excellent_appraisal", "promotion_ineligible", "no_advanced_rating"):
        assert p.labels[code]


def test_points_on_the_record_form():
    kinds = policy.POLICY.kinds
    assert kinds["class_day"].points == "optional"
    assert kinds["online_course"].points == "required"
    assert {k for k, s in kinds.items() if s.points == "none"} == set(CATEGORY) - {"class_day", "online_course"}


def validate(kind, quantity=1, points=None, category=None):
    return [
        (p.field, p.message % p.params)
        for p in policy.POLICY.validate_record(
            kind=kind,
            category=category,
            quantity=D(str(quantity)),
            points=None if points is None else D(str(points)),
        )
    ]


@pytest.mark.parametrize(("points", "ok"), [("4.9", False), ("5", True), ("12.5", True), ("20", True), ("20.1", False)])
def test_online_course_points_from_5_to_20(points, ok):
    problems = validate("online_course", 1, points)
    assert problems == ([] if ok else [("points", "The course's credits must be from 5 to 20.")])


def test_online_course_needs_points_and_one_course_a_record():
    assert validate("online_course", 1) == [("points", "An online course needs its credits, 5 to 20.")]
    assert validate("online_course", 2, 10) == [("quantity", "One online course a record: the quantity must be 1.")]


@pytest.mark.parametrize(("points", "ok"), [(None, True), ("0", False), ("0.1", True), ("15", True), ("15.1", False)])
def test_class_day_points_are_optional_and_at_most_days_times_five(points, ok):
    problems = validate("class_day", 3, points)
    assert problems == ([] if ok else [("points", "The credits set must be more than 0 and at most 15 (5 a day).")])


def test_other_kinds_take_no_points_and_only_their_own_category():
    assert validate("book_sole", 1) == []
    assert validate("book_sole", 1, 10) == [
        ("points", "Credits are set only for training class days and online courses.")
    ]
    assert validate("book_sole", 1, category="reward") == []
    assert validate("book_sole", 1, category="basic") == [("category", "This kind always counts under “reward”.")]


def test_requirement_is_sixty_effective_credits_counted_in_class_days():
    r = assess(line("class_day", 10), previous=carried("2.5"))
    (req,) = policy.POLICY.requirements(r.explanation)
    assert (req.category, req.what, req.have, req.need, req.kind, req.per_activity) == (
        None,
        "points",
        D("52.5"),
        60,
        "class_day",
        5,
    )


def test_explanation_of_carry_in_and_out():
    r = assess(line("class_day", 14), previous=carried(5))
    notes = explained(r)
    assert "5 credits carried over from 2024 count toward this year." in notes
    assert "15 credits above the line of 60 carry over to 2026." in notes
    assert policy.POLICY.explain({}) == ()


def test_explanation_is_json_and_the_chain_round_trips():
    r = assess(line("class_day", 14), course("7.5"), line("online_hour", 3), year=2027, previous=carried(5, year=2026))
    assert json.loads(json.dumps(r.explanation)) == r.explanation
    assert json.loads(json.dumps(r.figures)) == r.figures
    assert PreviousYear.decode(r.chain.encode()) == r.chain
    assert r.chain == PreviousYear("baoji-2009", False, "pass", D("22.5"), D("77.5"), 2027)
    assert all(c.passed is None for c in r.categories.values())


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "kw", "message"),
    [
        ((line("class_day", -1),), {}, "zero or more"),
        ((ActivityLine("class_day", "basic", D("NaN")),), {}, "zero or more"),
        ((ActivityLine("class_day", "basic", 3.0),), {}, "must be a Decimal"),
        ((line("class_day", 3, points=D(-1)),), {}, "zero or more"),
        ((ActivityLine("online_course", "basic", D(1), points=D(-5)),), {}, "zero or more"),
        ((line("class_day", 3, records=0),), {}, "at least one record"),
        ((ActivityLine("class_day", "offjob", D(3)),), {}, "belongs to category"),
        ((ActivityLine("online_hour", "", D(-1)),), {}, "zero or more"),
        ((), {"exemption": "holiday"}, "Unknown exemption reason"),
        ((), {"vetoes": frozenset({"menu_not_passed"})}, "Unknown recorded veto"),
        ((), {"included_month": 13}, "from 1 to 12"),
        ((), {"included_month": 0}, "from 1 to 12"),
        ((), {"previous_grade": "so-so"}, "Unknown previous grade"),
        ((), {"previous": {"p": "baoji-2009"}}, "PreviousYear"),
        ((), {"previous": carried(-1)}, "zero or more"),
    ],
)
def test_bad_input_raises_value_error(lines, kw, message):
    with pytest.raises(ValueError, match=message):
        assess(*lines, **kw)


def test_bad_year_raises_value_error():
    with pytest.raises(ValueError, match="whole number"):
        policy.assess(OfficialYear(year="2025"))


def test_integer_quantities_are_accepted():
    r = policy.assess(OfficialYear(2025, (ActivityLine("class_day", "basic", 12),)))
    assert r.total == 60 and r.grade == "pass"


def test_every_rule_text_formats_with_its_params():
    for kind, spec in policy.POLICY.kinds.items():
        text = spec.rule % spec.rule_params
        assert "%" not in text, kind
    assert policy.POLICY.kinds["book_sole"].rule % policy.POLICY.kinds["book_sole"].rule_params == (
        "Counted per published book: 10 credits each."
    )
    assert policy.POLICY.kinds["online_course"].rule % policy.POLICY.kinds["online_course"].rule_params == (
        "The course's credits, 5 to 20, once its exam is passed."
    )
