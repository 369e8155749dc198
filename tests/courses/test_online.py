"""Online completions: one per course and official, the record its year's policy gives, re-posting updates it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from courses import rules
from courses.models import OnlineCompletion
from courses.services import catalogue, online
from credits.models import ActivityRecord, PublishedYear, YearPolicy
from credits.services import YearLocked
from tests.conftest import YEAR
from tests.courses.fixtures_catalogue import *  # noqa: F403 (its fixtures)
from tests.courses.fixtures_catalogue import records_of, score_of, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def complete(by, course, official, *, on=date(YEAR, 4, 1), passed=True, **extra):
    return online.record_completion(by=by, course=course, official=official, completed_on=on, exam_passed=passed,
                                    **extra)  # fmt: skip


def test_in_a_kunshan_year_a_passed_course_gives_online_hours_and_the_score_follows(
    staff_user, officials, online_course, django_capture_on_commit_callbacks
):
    zhang = officials["zhang"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        completion = complete(staff_user, online_course, zhang)
    assert len(callbacks) == 1
    (record,) = records_of(zhang)
    assert (record.kind, record.quantity, record.hours, record.points, record.occurred_on) == (
        "online_hour", 6, 6, None, date(YEAR, 4, 1),
    )  # fmt: skip
    assert (record.status, record.source, completion.record) == ("approved", "generated", record)
    assert score_of(zhang).total == Decimal(3)  # 0.5 a class hour (RULES §1.3)


def test_in_a_baoji_year_a_passed_course_gives_its_credits(staff_user, officials, online_course):
    YearPolicy.objects.create(year=YEAR, policy="baoji-2009")
    zhang = officials["zhang"]
    complete(staff_user, online_course, zhang)
    (record,) = records_of(zhang)
    assert (record.kind, record.quantity, record.points, record.hours) == ("online_course", 1, 8, 6)
    score = score_of(zhang)
    assert score.policy == "baoji-2009" and score.total == Decimal(8)


def test_in_a_baoji_year_a_course_without_credits_gives_its_hours_only(staff_user, officials, subject):
    YearPolicy.objects.create(year=YEAR, policy="baoji-2009")
    course = catalogue.create_course(by=staff_user, code="NOCR", title="无学分课程", subject=subject, hours=4,
                                     online=True)  # fmt: skip
    complete(staff_user, course, officials["li"])
    (record,) = records_of(officials["li"])
    assert (record.kind, record.quantity, record.hours) == ("online_hour", 4, 4)


def test_no_record_without_the_exam_and_reposting_updates_the_completion_and_its_record(
    staff_user, officials, online_course
):
    li = officials["li"]
    first = complete(staff_user, online_course, li, passed=False)
    assert first.record is None and not records_of(li)
    passed = complete(staff_user, online_course, li, on=date(YEAR, 5, 2), passed=True)
    assert passed.pk == first.pk and passed.record is not None
    record_id = passed.record_id
    moved = complete(staff_user, online_course, li, on=date(YEAR, 6, 3), passed=True)
    (record,) = records_of(li)
    assert (moved.pk, record.pk, record.occurred_on) == (first.pk, record_id, date(YEAR, 6, 3))  # in place
    failed = complete(staff_user, online_course, li, on=date(YEAR, 6, 3), passed=False)
    assert failed.record is None and not records_of(li)
    assert OnlineCompletion.objects.filter(official=li).count() == 1


def test_moving_a_completion_into_another_year_moves_its_record_and_both_scores(staff_user, officials, online_course):
    zhang = officials["zhang"]
    complete(staff_user, online_course, zhang, on=date(YEAR, 12, 31))
    assert score_of(zhang, YEAR).total == 3
    complete(staff_user, online_course, zhang, on=date(YEAR - 1, 12, 31))
    assert score_of(zhang, YEAR).total == 0 and score_of(zhang, YEAR - 1).total == 3


def test_a_completion_needs_an_online_course_and_a_past_date(staff_user, officials, classroom_course, online_course):
    with pytest.raises(ValidationError) as refused:
        complete(staff_user, classroom_course, officials["zhang"])
    assert refused.value.message_dict == {"course": ["“CR-201” is not an online course."]}
    complete(staff_user, online_course, officials["zhang"], on=today())  # today is fine
    with pytest.raises(ValidationError) as refused:
        complete(staff_user, online_course, officials["li"], on=today() + timedelta(days=1))
    assert refused.value.message_dict == {"completed_on": ["The date is in the future."]}


def test_only_the_training_section_records_completions(unit_admin_user, officials, online_course):
    for user in (unit_admin_user, officials["zhang"].user):
        with pytest.raises(PermissionDenied):
            complete(user, online_course, officials["zhang"])
    assert not OnlineCompletion.objects.exists()


def test_a_completion_in_a_published_year_is_refused_and_nothing_is_kept(staff_user, officials, online_course):
    PublishedYear.objects.create(year=YEAR)
    with pytest.raises(YearLocked):
        complete(staff_user, online_course, officials["zhang"])
    assert not OnlineCompletion.objects.exists() and not ActivityRecord.objects.exists()


@settings(max_examples=60, deadline=None)
@given(
    hours=st.decimals(min_value=Decimal("0.1"), max_value=Decimal(1000), places=1),
    credits=st.one_of(st.none(), st.decimals(min_value=5, max_value=20, places=1)),
    counts_courses=st.booleans(),
)
def test_the_online_rule_gives_hours_or_the_course_s_credits(hours, credits, counts_courses):
    values = rules.online_record(official_id=1, hours=hours, credits=credits, year_counts_courses=counts_courses)
    assert values.hours == hours  # the study hours are the course's whatever the policy (RULES §3)
    if counts_courses and credits is not None:
        assert (values.kind, values.quantity, values.points) == ("online_course", 1, credits)
    else:
        assert (values.kind, values.quantity, values.points) == ("online_hour", hours, None)


def test_a_completion_before_the_years_the_portal_keeps_is_refused(staff_user, officials, online_course):
    with pytest.raises(ValidationError) as refused:
        complete(staff_user, online_course, officials["zhang"], on=date(1999, 12, 31))
    assert refused.value.message_dict["completed_on"][0].startswith("The date must be in a year from 2000 to ")
    complete(staff_user, online_course, officials["zhang"], on=date(2000, 1, 1))
