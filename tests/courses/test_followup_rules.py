"""courses/followup_rules.py, the pure rules of training follow-up (RULES §5 追踪问效): dates, samples, states."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses import followup_rules as fr

# ---------------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # 31 Jan + 1 month: the last day of February
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # in a leap year
        (date(2026, 3, 31), 3, date(2026, 6, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # over the new year
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 5, 15), 0, date(2026, 5, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert fr.add_months(day, months) == expected


def test_an_ordinary_class_has_a_forum_1_to_3_months_a_summary_at_3_and_one_review_round():
    plan = fr.schedule(ends_on=date(2026, 1, 31), key_class=False, years=3)
    assert (plan.forum_from, plan.forum_by) == (date(2026, 2, 28), date(2026, 4, 30))
    assert plan.summary_due == date(2026, 4, 30)
    assert plan.reviews == ((1, date(2027, 1, 31)),)  # years are ignored unless the class is a key class


def test_a_key_class_is_followed_up_one_to_three_years():
    plan = fr.schedule(ends_on=date(2026, 6, 10), key_class=True, years=3)
    assert plan.reviews == ((1, date(2027, 6, 10)), (2, date(2028, 6, 10)), (3, date(2029, 6, 10)))
    assert fr.follow_up_years(key_class=True, years=5) == 3
    assert fr.follow_up_years(key_class=True, years=0) == 1
    assert fr.follow_up_years(key_class=True, years=2) == 2
    assert fr.follow_up_years(key_class=False, years=2) == 1


# ---------------------------------------------------------------------------------------------------
# Samples


@pytest.mark.parametrize(
    ("population", "size"),
    [(0, 0), (1, 1), (5, 5), (6, 5), (25, 5), (26, 6), (100, 20), (150, 30), (151, 30), (900, 30)],
)
def test_the_default_sample_is_a_fifth_at_least_5_at_most_30(population, size):
    assert fr.default_sample_size(population) == size


def test_a_sample_of_a_wrong_size_is_refused():
    with pytest.raises(ValueError):
        fr.draw_sample([1, 2, 3], size=4, seed=1)
    with pytest.raises(ValueError):
        fr.draw_sample([1, 2, 3], size=0, seed=1)
    assert fr.draw_sample([3, 1, 2], size=3, seed=9) == [1, 2, 3]


def test_a_known_draw_can_be_repeated_by_hand():
    # The recorded seed and size repeat the draw: what an auditor does to check a sample.
    first = fr.draw_sample(range(100, 140), size=8, seed=20260101)
    assert first == fr.draw_sample(list(range(139, 99, -1)), size=8, seed=20260101)
    assert len(first) == 8 and first == sorted(first)


@given(
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=80, unique=True),
    st.integers(min_value=0, max_value=2**31 - 1),
    st.data(),
)
def test_the_same_ids_size_and_seed_give_the_same_sample_whatever_the_order(ids, seed, data):
    size = data.draw(st.integers(min_value=1, max_value=len(ids)))
    shuffled = data.draw(st.permutations(ids))
    sample = fr.draw_sample(ids, size=size, seed=seed)
    assert sample == fr.draw_sample(shuffled, size=size, seed=seed)
    assert sample == fr.draw_sample(ids + ids[:3], size=size, seed=seed)  # a repeated id counts once
    assert len(sample) == size and len(set(sample)) == size and set(sample) <= set(ids)


# ---------------------------------------------------------------------------------------------------
# States


def test_the_due_soon_boundary_day():
    due = date(2026, 4, 30)
    soon = due - timedelta(days=fr.DUE_SOON_DAYS)
    assert fr.DUE_SOON_DAYS == 14
    assert fr.item_state(today=soon - timedelta(days=1), due_on=due, done=False) == fr.NOT_YET
    assert fr.item_state(today=soon, due_on=due, done=False) == fr.DUE
    assert fr.item_state(today=due, due_on=due, done=False) == fr.DUE  # still due on the day itself
    assert fr.item_state(today=due + timedelta(days=1), due_on=due, done=False) == fr.OVERDUE


def test_done_wins_and_an_item_not_open_yet_is_not_yet_due():
    due = date(2026, 4, 30)
    assert fr.item_state(today=due + timedelta(days=300), due_on=due, done=True) == fr.DONE
    assert fr.item_state(today=date(2026, 1, 1), due_on=due, done=True) == fr.DONE
    opens = date(2026, 4, 25)  # a forum cannot be held before a month has passed
    assert fr.item_state(today=date(2026, 4, 24), due_on=due, done=False, opens_on=opens) == fr.NOT_YET
    assert fr.item_state(today=opens, due_on=due, done=False, opens_on=opens) == fr.DUE


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)), st.integers(-400, 400), st.booleans())
def test_every_day_has_exactly_one_state(due, offset, done):
    state = fr.item_state(today=due + timedelta(days=offset), due_on=due, done=done)
    assert state in (fr.NOT_YET, fr.DUE, fr.OVERDUE, fr.DONE)
    assert (state == fr.OVERDUE) == (not done and offset > 0)
