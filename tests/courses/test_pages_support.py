"""Helpers of the page tests (no test here): classes and lectures made through the services, a signed-in client."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from courses.models import ClassStatus, Course, Lecture, Subject, TrainingClass
from courses.services import classes as class_services
from courses.services.lectures import create_lecture


def signed_in(user, language: str = "en") -> Client:
    """A page client signed in as ``user``, asking for English (plain assertions) unless told otherwise."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def past_class(staff, organiser, *, code="c-past", capacity=10, dispatch="by_name", days=3) -> TrainingClass:
    """An approved class that has ended (its results may be entered and it may be closed)."""
    today = timezone.localdate()
    return class_services.create_class(
        by=staff, code=code, title=f"班 {code}", organiser=organiser, class_type="thematic",
        starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=10 - days + 1), days=Decimal(days),
        capacity=capacity, dispatch=dispatch, recorded_after=True,
    )  # fmt: skip


def future_class(staff, organiser, *, code="c-next", capacity=40, dispatch="quota", lead=60) -> TrainingClass:
    """A class starting ``lead`` days ahead (a draft when large)."""
    today = timezone.localdate()
    return class_services.create_class(
        by=staff, code=code, title=f"班 {code}", organiser=organiser, class_type="growth",
        starts_on=today + timedelta(days=lead), ends_on=today + timedelta(days=lead + 4), days=Decimal(5),
        capacity=capacity, dispatch=dispatch,
    )  # fmt: skip


def approved_quota_class(staff, organiser, *, code="c-quota", seats: dict | None = None) -> TrainingClass:
    training_class = future_class(staff, organiser, code=code)
    class_services.file_class(by=staff, training_class=training_class)
    class_services.approve_class(by=staff, training_class=training_class)
    for unit, n in (seats or {}).items():
        class_services.set_quota(by=staff, training_class=training_class, unit=unit, seats=n)
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.APPROVED
    return training_class


def lecture(staff, *, code="lec-1", days_ahead=0, capacity=50, level="city") -> Lecture:
    return create_lecture(
        by=staff, code=code, title=f"讲座 {code}", held_on=timezone.localdate() + timedelta(days=days_ahead),
        level=level, capacity=capacity,
    )  # fmt: skip


def course(code="c-1", *, online=False, hours="2") -> Course:
    return Course.objects.create(
        code=code, title=f"课程 {code}", subject=Subject.objects.first(), hours=Decimal(hours), online=online
    )
