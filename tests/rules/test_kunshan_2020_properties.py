"""Property-based checks of policy kunshan-2020 (hypothesis). No Django needed."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from credits.rules import kunshan_2020 as policy
from credits.rules.types import ActivityLine, OfficialYear

# No example database: these tests must not write files outside tests/rules.
SETTINGS = settings(database=None, deadline=None, max_examples=300)

HALF_STEP_KINDS = {"class_day", "secondment_month"}  # days and months may be halves
FIXED_KINDS = sorted(k for k in policy.KINDS if k != "discretionary")


def _decimal(max_tenths: int, step: int):
    """Non-negative decimals on the 0.1 grid in multiples of ``step`` tenths."""
    return st.integers(0, max_tenths // step).map(lambda n: Decimal(n * step) / 10)


@st.composite
def lines(draw):
    kind = draw(st.sampled_from(FIXED_KINDS + ["discretionary"]))
    records = draw(st.integers(1, 3))
    if kind == "discretionary":
        return ActivityLine(
            kind,
            draw(st.sampled_from(list(policy.CATEGORIES))),
            Decimal(records),
            records=records,
            points=draw(_decimal(250, 1)),
        )
    step = 5 if kind in HALF_STEP_KINDS else 10
    return ActivityLine(
        kind,
        policy.category_of(kind),
        draw(_decimal(800 if kind == "online_hour" else 150, step)),
        records=records,
        class_passed=draw(st.booleans()) if kind == "class_day" else True,
    )


contexts = st.builds(
    OfficialYear,
    year=st.just(2024),
    activities=st.lists(lines(), max_size=14).map(tuple),
    included_month=st.none() | st.integers(1, 12),
    retires_in_year=st.booleans(),
    exemption=st.none() | st.none() | st.sampled_from(sorted(policy.EXEMPTION_REASONS)),
    vetoes=st.frozensets(st.sampled_from(sorted(policy.RECORDED_VETOES))),
    previous_grade=st.none() | st.sampled_from(sorted(policy.GRADES)),
)


def with_lines(ctx: OfficialYear, activities) -> OfficialYear:
    return OfficialYear(
        year=ctx.year,
        activities=tuple(activities),
        included_month=ctx.included_month,
        retires_in_year=ctx.retires_in_year,
        exemption=ctx.exemption,
        vetoes=ctx.vetoes,
        previous_grade=ctx.previous_grade,
    )


@SETTINGS
@given(contexts)
def test_categories_within_caps_and_total_is_their_sum(ctx):
    r = policy.assess(ctx)
    assert list(r.categories) == list(policy.CATEGORIES)
    for code, cap in policy.CATEGORIES.items():
        assert Decimal(0) <= r.categories[code].score <= cap
    assert r.total <= 100
    assert r.total == sum(c.score for c in r.categories.values())
    assert r.total == Decimal(r.explanation["t"])  # inputs on the 0.1 grid: shown values are exact


@SETTINGS
@given(contexts)
def test_grade_flags_and_exemption_are_consistent(ctx):
    r = policy.assess(ctx)
    if r.exempt:
        assert r.grade is None and r.flags == ()
        assert all(c.passed is None for c in r.categories.values())
        assert set(r.vetoes) <= policy.RECORDED_VETOES
    else:
        assert r.grade in policy.GRADES
        assert (r.grade == "fail") == (bool(r.vetoes) or r.total < 60)
        assert ("no_excellent_appraisal" in r.flags) == (r.grade == "fail")
        assert ("political_subhealth" in r.flags) == (r.grade == "fail" and ctx.previous_grade == "fail")
        assert set(ctx.vetoes) <= set(r.vetoes)


@SETTINGS
@given(contexts, lines())
def test_one_more_approved_record_never_lowers_a_score(ctx, extra):
    before = policy.assess(ctx)
    after = policy.assess(with_lines(ctx, ctx.activities + (extra,)))
    for code in policy.CATEGORIES:
        assert after.categories[code].score >= before.categories[code].score
    assert after.total >= before.total


@SETTINGS
@given(contexts, st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_line_order(ctx, rnd):
    first = policy.assess(ctx)
    assert policy.assess(ctx) == first
    shuffled = list(ctx.activities)
    rnd.shuffle(shuffled)
    again = policy.assess(with_lines(ctx, shuffled))
    assert again == first
    assert json.dumps(again.explanation) == json.dumps(first.explanation)


@SETTINGS
@given(contexts)
def test_explanation_is_json_serialisable(ctx):
    r = policy.assess(ctx)
    text = json.dumps(r.explanation)
    assert json.loads(text) == r.explanation  # only JSON types: no tuples, no Decimals


@SETTINGS
@given(st.lists(lines(), max_size=14).map(tuple), st.integers(1, 6))
def test_prorated_scores_have_one_decimal(activities, month):
    r = policy.assess(OfficialYear(2024, activities, included_month=month))
    assert not r.exempt
    for code, c in r.categories.items():
        assert c.score == Decimal(r.explanation["c"][code]["s"])
        assert c.score.as_tuple().exponent >= -1
