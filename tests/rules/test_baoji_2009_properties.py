"""Property-based checks of policy baoji-2009 (hypothesis). No Django needed."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from credits.rules import baoji_2009 as policy
from credits.rules.types import ActivityLine, OfficialYear, PreviousYear

# No example database: these tests must not write files outside tests/rules.
SETTINGS = settings(database=None, deadline=None, max_examples=300)

COUNTED = sorted(policy.KINDS)
NOT_COUNTED = ["online_hour", "discretionary", "menu_city_lecture", "study_paper"]
PASS_LINE = Decimal(60)


def tenths(max_tenths: int, step: int = 1):
    """Non-negative decimals on the 0.1 grid in multiples of ``step`` tenths."""
    return st.integers(0, max_tenths // step).map(lambda n: Decimal(n * step) / 10)


@st.composite
def lines(draw):
    kind = draw(st.sampled_from(COUNTED + NOT_COUNTED))
    if kind not in policy.KINDS:
        return ActivityLine(kind, "", draw(tenths(300)), records=draw(st.integers(1, 3)))
    category = policy.category_of(kind)
    if kind == "online_course":
        return ActivityLine(
            kind, category, Decimal(1), points=draw(st.integers(50, 200).map(lambda n: Decimal(n) / 10))
        )
    if kind == "class_day":
        return ActivityLine(
            kind,
            category,
            draw(tenths(200, 5)),
            points=draw(st.none() | tenths(1000)),
            class_passed=draw(st.booleans()),
        )
    return ActivityLine(kind, category, Decimal(draw(st.integers(0, 3))), records=draw(st.integers(1, 2)))


@st.composite
def previous_years(draw, year: int):
    code = draw(st.sampled_from(["baoji-2009", "kunshan-2020"]))
    exempt = draw(st.booleans())
    grades = ["pass", "fail"] if code == "baoji-2009" else ["excellent", "good", "pass", "fail"]
    return PreviousYear(
        policy=code,
        exempt=exempt,
        grade=None if exempt else draw(st.sampled_from(grades)),
        carry_out=draw(tenths(600)) if code == "baoji-2009" else Decimal(0),
        cycle_earned=draw(tenths(4000)) if code == "baoji-2009" else Decimal(0),
        year=draw(st.sampled_from([year - 1, year - 1, year - 2])),
    )


@st.composite
def contexts(draw):
    year = draw(st.integers(2008, 2035))
    return OfficialYear(
        year=year,
        activities=tuple(draw(st.lists(lines(), max_size=10))),
        included_month=draw(st.none() | st.integers(1, 12)),
        retires_in_year=draw(st.booleans()),
        exemption=draw(st.none() | st.none() | st.sampled_from(sorted(policy.EXEMPTION_REASONS))),
        vetoes=draw(st.frozensets(st.sampled_from(sorted(policy.RECORDED_VETOES)))),
        previous=draw(st.none() | previous_years(year)),
    )


def figure(result, name: str) -> Decimal:
    return Decimal(result.figures[name])


@SETTINGS
@given(contexts())
def test_carry_out_is_never_negative_and_effective_is_earned_plus_carry_in(ctx):
    r = policy.assess(ctx)
    assert figure(r, "carry_out") >= 0
    assert figure(r, "carry_in") >= 0
    assert figure(r, "effective") == figure(r, "earned") + figure(r, "carry_in")
    if r.exempt:
        assert figure(r, "carry_out") == figure(r, "carry_in")
    else:
        assert figure(r, "carry_out") == max(figure(r, "effective") - PASS_LINE, Decimal(0))
    assert r.chain.carry_out == figure(r, "carry_out")


@SETTINGS
@given(contexts())
def test_pass_iff_effective_reaches_sixty_without_vetoes(ctx):
    r = policy.assess(ctx)
    if r.exempt:
        assert r.grade is None and r.flags == ()
        return
    assert (r.grade == "pass") == (figure(r, "effective") >= PASS_LINE and not ctx.vetoes)
    assert r.grade in ("pass", "fail")
    assert ("no_excellent_appraisal" in r.flags) == (r.grade == "fail")
    if r.grade == "fail":
        assert "promotion_ineligible" in r.flags


@SETTINGS
@given(contexts())
def test_figures_are_consistent_with_the_categories(ctx):
    r = policy.assess(ctx)
    assert list(r.categories) == ["basic", "additional", "reward"]
    earned = figure(r, "earned")
    assert earned == sum(c.score for c in r.categories.values())  # inputs on the 0.1 grid: exact
    assert all(c.score >= 0 and c.passed is None for c in r.categories.values())
    assert r.total == figure(r, "effective")
    cycle = r.figures["cycle"]
    assert Decimal(cycle["earned"]) >= earned
    assert cycle["first_year"] <= ctx.year <= cycle["last_year"] == cycle["first_year"] + 4
    assert (cycle["passed"] is None) == (ctx.year != cycle["last_year"] or r.exempt)
    if cycle["passed"] is not None:
        assert cycle["passed"] == (Decimal(cycle["earned"]) >= 300)
    assert r.chain.cycle_earned == Decimal(cycle["earned"]) and r.chain.year == ctx.year


@SETTINGS
@given(contexts())
def test_explanation_and_figures_round_trip_through_json(ctx):
    r = policy.assess(ctx)
    assert json.loads(json.dumps(r.explanation)) == r.explanation
    assert json.loads(json.dumps(r.figures)) == r.figures
    assert PreviousYear.decode(r.chain.encode()) == r.chain
    for note in policy.POLICY.explain(json.loads(json.dumps(r.explanation))):
        note.message % note.params  # every note formats with its own params


@SETTINGS
@given(contexts(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_line_order(ctx, rnd):
    first = policy.assess(ctx)
    shuffled = list(ctx.activities)
    rnd.shuffle(shuffled)
    again = policy.assess(
        OfficialYear(
            year=ctx.year,
            activities=tuple(shuffled),
            included_month=ctx.included_month,
            retires_in_year=ctx.retires_in_year,
            exemption=ctx.exemption,
            vetoes=ctx.vetoes,
            previous=ctx.previous,
        )
    )
    assert again == first
    assert json.dumps(again.explanation) == json.dumps(first.explanation)


@SETTINGS
@given(contexts(), lines())
def test_one_more_approved_record_never_lowers_the_year(ctx, extra):
    before = policy.assess(ctx)
    after = policy.assess(
        OfficialYear(
            year=ctx.year,
            activities=ctx.activities + (extra,),
            included_month=ctx.included_month,
            retires_in_year=ctx.retires_in_year,
            exemption=ctx.exemption,
            vetoes=ctx.vetoes,
            previous=ctx.previous,
        )
    )
    assert after.total >= before.total
    assert figure(after, "carry_out") >= figure(before, "carry_out")
    assert not (before.grade == "pass" and after.grade == "fail")


@SETTINGS
@given(contexts())
def test_online_courses_summed_into_one_line_change_nothing(ctx):
    courses = [line for line in ctx.activities if line.kind == "online_course"]
    others = tuple(line for line in ctx.activities if line.kind != "online_course")
    if not courses:
        return
    summed = ActivityLine(
        "online_course",
        courses[0].category,
        sum((line.quantity for line in courses), Decimal(0)),
        records=sum(line.records for line in courses),
        points=sum((line.points for line in courses), Decimal(0)),
    )
    assert policy.assess(replace(ctx, activities=(*others, summed))) == policy.assess(ctx)
