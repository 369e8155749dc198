"""Shared fixtures of the courses tests (kept small: each test file adds its own). ``new_class(**changes)`` makes a
class through the service (a by-name class of 20 starting in 60 days unless told otherwise); ``ended`` moves an
approved class into the past, as time passing would (a class is filed 30 days ahead but closed after it ends)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from courses.models import TrainingClass
from courses.services.classes import create_class
from organisation.models import Official

_codes = itertools.count(1)


def ahead(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def new_class(staff_user, units):
    def make(**changes) -> TrainingClass:
        values = {
            "code": f"C{next(_codes):04d}", "title": "财政业务专题培训班", "organiser": units["finance"],
            "class_type": "thematic", "starts_on": ahead(60), "ends_on": ahead(64), "days": 5, "capacity": 20,
            "dispatch": "by_name",
        }  # fmt: skip
        values.update(changes)
        return create_class(by=staff_user, **values)

    return make


def ended(training_class: TrainingClass, ends_on: date | None = None) -> TrainingClass:
    """The class as if its dates had passed: the same length, ending on ``ends_on`` (default: 3 days ago)."""
    ends_on = ends_on or timezone.localdate() - timedelta(days=3)
    length = training_class.ends_on - training_class.starts_on
    TrainingClass.objects.filter(pk=training_class.pk).update(starts_on=ends_on - length, ends_on=ends_on)
    training_class.refresh_from_db()
    return training_class


@pytest.fixture
def many_officials(units):
    """many_officials(n, unit="finance", prefix="M") -> n officials of the unit (one bulk insert)."""

    def make(n: int, unit: str = "finance", prefix: str = "M") -> list[Official]:
        Official.objects.bulk_create(
            Official(staff_no=f"{prefix}{i:04d}", name=f"学员{prefix}{i}", unit=units[unit], rank="section_chief")
            for i in range(n)
        )
        return list(Official.objects.filter(staff_no__startswith=prefix).order_by("staff_no"))

    return make
