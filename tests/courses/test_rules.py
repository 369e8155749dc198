"""courses/rules.py, the pure rules of RULES §5: exact boundaries and properties (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from courses import rules

# ---------------------------------------------------------------------------------------------------
# Filing


def test_29_trainees_need_no_filing_and_30_do():
    assert rules.needs_filing(29) is False
    assert rules.needs_filing(30) is True
    assert rules.needs_filing(1) is False and rules.needs_filing(500) is True


def test_the_filing_deadline_is_30_days_before_the_start():
    starts = date(2027, 3, 1)
    assert rules.filing_deadline(starts) == date(2027, 1, 30)
    today_ok = starts - timedelta(days=30)  # 30 days ahead: on time
    today_late = starts - timedelta(days=29)  # 29 days ahead: too late
    assert today_ok <= rules.filing_deadline(starts) < today_late


def test_the_plan_for_a_year_is_due_on_31_december_before():
    assert rules.plan_due(2027) == date(2026, 12, 31)
    assert rules.plan_due(2000) == date(1999, 12, 31)


# ---------------------------------------------------------------------------------------------------
# What a class gives its trainees


def R(official_id, days, passed, speeches=0, reflections=0):  # noqa: N802 - a short constructor for the tables
    return rules.TraineeResult(official_id, None if days is None else Decimal(days), passed, speeches, reflections)


def test_class_records_of_a_class():
    out = rules.class_records([R(1, "5", True, 1, 2), R(2, "2.5", False), R(3, "0", False), R(4, None, None, 1)])
    assert out == [
        rules.RecordValues(1, "class_day", Decimal(5), class_passed=True),
        rules.RecordValues(1, "class_speech", Decimal(1)),
        rules.RecordValues(1, "class_reflection", Decimal(2)),
        rules.RecordValues(2, "class_day", Decimal("2.5"), class_passed=False),
        rules.RecordValues(4, "class_speech", Decimal(1)),
    ]


results = st.builds(
    R,
    official_id=st.integers(1, 10_000),
    days=st.one_of(st.none(), st.decimals(min_value=0, max_value=365, places=1).map(str)),
    passed=st.one_of(st.none(), st.booleans()),
    speeches=st.integers(0, 20),
    reflections=st.integers(0, 20),
)


@given(st.lists(results, max_size=30, unique_by=lambda r: r.official_id))
def test_class_records_properties(trainees):
    out = rules.class_records(trainees)
    keys = [(v.official_id, v.kind) for v in out]
    assert len(keys) == len(set(keys))  # at most one record per trainee and kind: a re-close can update in place
    assert all(v.quantity > 0 for v in out)  # no record of nothing
    by_id = {t.official_id: t for t in trainees}
    for value in out:
        trainee = by_id[value.official_id]
        if value.kind == "class_day":
            assert value.quantity == trainee.days_attended and value.class_passed is bool(trainee.passed)
        elif value.kind == "class_speech":
            assert value.quantity == trainee.speeches
        else:
            assert value.kind == "class_reflection" and value.quantity == trainee.reflections
    days = sum((t.days_attended or 0) for t in trainees)
    assert sum(v.quantity for v in out if v.kind == "class_day") == days


# ---------------------------------------------------------------------------------------------------
# What teaching gives


def test_teaching_records_by_membership_on_the_day():
    joined, left = date(2026, 3, 1), date(2026, 6, 30)
    pool = [rules.Membership(1, joined, left)]
    sessions = [
        rules.TaughtSession(1, joined, "A"),  # the day joined: a member
        rules.TaughtSession(1, left, "B"),  # the day left: still a member
        rules.TaughtSession(1, left + timedelta(days=1), "C"),  # the day after: a recognised teacher
        rules.TaughtSession(1, joined - timedelta(days=1), "C "),  # the same topic (spaces aside)
        rules.TaughtSession(2, joined, "D"),
        rules.TaughtSession(2, joined, "E"),
    ]
    assert rules.teaching_records(sessions, pool) == [
        rules.RecordValues(1, "teaching_faculty_session", Decimal(2)),
        rules.RecordValues(1, "teaching_topic", Decimal(1)),
        rules.RecordValues(2, "teaching_topic", Decimal(2)),
    ]


sessions_st = st.lists(
    st.builds(
        rules.TaughtSession,
        teacher_id=st.integers(1, 5),
        held_on=st.dates(date(2025, 1, 1), date(2026, 12, 31)),
        topic=st.sampled_from(["预算", "绩效", "党史", "法治"]),
    ),
    max_size=25,
)
memberships_st = st.lists(
    st.builds(
        lambda official_id, joined, length: rules.Membership(
            official_id, joined, None if length is None else joined + timedelta(days=length)
        ),
        official_id=st.integers(1, 5),
        joined=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
        length=st.one_of(st.none(), st.integers(0, 400)),
    ),
    max_size=5,
)


@given(sessions_st, memberships_st)
def test_teaching_records_properties(sessions, memberships):
    out = rules.teaching_records(sessions, memberships)
    keys = [(v.official_id, v.kind) for v in out]
    assert len(keys) == len(set(keys))
    member_sessions = sum(v.quantity for v in out if v.kind == "teaching_faculty_session")
    taught_as_member = [s for s in sessions if rules.is_member_on(memberships, s.teacher_id, s.held_on)]
    assert member_sessions == len(taught_as_member)  # every session taught as a member counts once
    for value in out:
        if value.kind == "teaching_topic":
            topics = {
                s.topic.strip()
                for s in sessions
                if s.teacher_id == value.official_id and not rules.is_member_on(memberships, s.teacher_id, s.held_on)
            }
            assert value.quantity == len(topics) > 0
    assert all(v.quantity > 0 for v in out)


# ---------------------------------------------------------------------------------------------------
# Lectures and online courses


def test_lecture_kind():
    assert rules.lecture_kind("city") == "menu_city_lecture"
    assert rules.lecture_kind("other") == "menu_other_lecture"


def test_online_record_by_the_years_policy():
    baoji = rules.online_record(official_id=1, hours=Decimal(6), credits=Decimal(10), year_counts_courses=True)
    assert (baoji.kind, baoji.quantity, baoji.points, baoji.hours) == ("online_course", 1, 10, 6)
    kunshan = rules.online_record(official_id=1, hours=Decimal(6), credits=Decimal(10), year_counts_courses=False)
    assert (kunshan.kind, kunshan.quantity, kunshan.hours) == ("online_hour", 6, 6)
    no_credits = rules.online_record(official_id=1, hours=Decimal(6), credits=None, year_counts_courses=True)
    assert no_credits.kind == "online_hour"
