"""A score stores its inputs and is explained from them when read (``credits.rules.inputs``): the text gives back
the same context, the policies give the same result without building the explanation, and the explanation made
from the stored text is the one the policy gives for the context. No Django needed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credits.rules import get_policy
from credits.rules.inputs import inputs_text, line_text, official_year
from credits.rules.types import ActivityLine, OfficialYear, PreviousYear
from tests.rules import test_baoji_2009_properties as baoji
from tests.rules import test_kunshan_2020_properties as kunshan

SETTINGS = kunshan.SETTINGS
both_policies = st.one_of(
    st.tuples(st.just("kunshan-2020"), kunshan.contexts),
    st.tuples(st.just("baoji-2009"), baoji.contexts()),
)


def same_context(a: OfficialYear, b: OfficialYear) -> bool:
    """Equal but for the order of the lines (the stored text sorts them)."""
    return replace(a, activities=tuple(sorted(a.activities, key=line_text))) == replace(
        b, activities=tuple(sorted(b.activities, key=line_text))
    )


@SETTINGS
@given(both_policies)
def test_the_stored_text_gives_back_the_context(case):
    _code, ctx = case
    again = official_year(inputs_text(ctx), year=ctx.year)
    assert same_context(again, ctx)
    assert inputs_text(again) == inputs_text(ctx)


@SETTINGS
@given(both_policies, st.randoms(use_true_random=False))
def test_equal_contexts_have_equal_texts_whatever_the_order_of_their_lines(case, rnd):
    _code, ctx = case
    shuffled = list(ctx.activities)
    rnd.shuffle(shuffled)
    assert inputs_text(replace(ctx, activities=tuple(shuffled))) == inputs_text(ctx)


@SETTINGS
@given(both_policies)
def test_without_the_explanation_the_result_is_the_same(case):
    code, ctx = case
    policy = get_policy(code)
    full = policy.assess(ctx)
    assert full.explanation  # the default explains
    assert policy.assess(ctx, explain=False) == replace(full, explanation={})


@SETTINGS
@given(both_policies)
def test_the_explanation_made_from_the_stored_text_is_the_policys(case):
    code, ctx = case
    policy = get_policy(code)
    assert policy.assess(official_year(inputs_text(ctx), year=ctx.year)).explanation == policy.assess(ctx).explanation


def test_a_text_written_by_a_recompute_reads_back_exactly():
    previous = PreviousYear(policy="baoji-2009", exempt=False, grade="pass", carry_out=Decimal("7.5"), year=2024)
    ctx = OfficialYear(
        year=2025,
        activities=(
            ActivityLine("online_course", "basic", Decimal("1.0"), 1, Decimal("12.5")),
            ActivityLine("class_day", "basic", Decimal("3.5"), 2, None, False),
        ),
        included_month=4,
        exemption=None,
        vetoes=frozenset({"discipline", "absent_from_dispatch"}),
        previous_grade="pass",
        previous=previous,
    )
    text = inputs_text(ctx)
    assert text == (
        "4\x1fFalse\x1fNone\x1fabsent_from_dispatch,discipline\x1fpass\x1fbaoji-2009|0|pass|7.5|0|2024\x1f"
        "class_day|basic|3.5|2|None|False\x1eonline_course|basic|1.0|1|12.5|True"
    )
    assert same_context(official_year(text, year=2025), ctx)


@pytest.mark.parametrize(
    "text", ["", "garbage", "None\x1fFalse\x1fNone\x1f\x1fNone\x1f\x1fclass_day|offjob|x|1|None|True", "\x1f" * 9]
)
def test_a_text_that_is_not_stored_inputs_is_refused_in_words(text):
    with pytest.raises(ValueError, match="Not the stored inputs of a year"):
        official_year(text, year=2025)
