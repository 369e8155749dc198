"""Fixtures of helper B's tests (catalogue, lectures, online courses); tests/courses/conftest.py is helper A's."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import Course, Lecture, Subject
from courses.services import catalogue, lectures
from credits.models import ActivityRecord, AnnualScore
from credits.scoring import refresh_stale
from tests.conftest import YEAR


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def subject(db) -> Subject:
    return Subject.objects.order_by("order", "code").first()


@pytest.fixture
def online_course(staff_user, subject) -> Course:
    return catalogue.create_course(
        by=staff_user, code="ON-101", title="网络课程：新发展理念", subject=subject, hours=Decimal("6"), online=True,
        credits=Decimal("8"),
    )  # fmt: skip


@pytest.fixture
def classroom_course(staff_user, subject) -> Course:
    return catalogue.create_course(
        by=staff_user, code="CR-201", title="依法行政", subject=subject, hours=Decimal("3"), online=False
    )


@pytest.fixture
def make_lecture(staff_user):
    def make(code="L1", *, held_on=None, level="city", capacity=30, title="菜单式选学讲座") -> Lecture:
        return lectures.create_lecture(
            by=staff_user, code=code, title=title, held_on=held_on or date(YEAR, 5, 20), level=level, capacity=capacity
        )

    return make


def records_of(official, **filters):
    return list(ActivityRecord.objects.filter(official=official, **filters).order_by("pk"))


def score_of(official, year: int = YEAR) -> AnnualScore:
    refresh_stale()
    return AnnualScore.objects.get(official=official, year=year)


def days(n: int) -> timedelta:
    return timedelta(days=n)
