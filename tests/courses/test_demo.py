"""The demo city's training organisation, as someone trying the product meets it (manage.py load_demo_city)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from courses.models import ClassRecord, ClassStatus, Lecture, LectureSignup, OnlineCompletion, TrainingClass, UnitPlan
from courses.services.classes import close_class
from credits.models import ActivityRecord, AnnualScore, StaleScore
from credits.scoring import refresh_stale
from organisation import demo

YEAR = 2025


@pytest.fixture
def city(db):
    out = StringIO()
    call_command("load_demo_city", officials=60, units=4, year=YEAR, stdout=out)
    return out.getvalue()


def test_the_years_class_and_lecture_records_come_from_classes_and_lectures(city):
    class_days = ActivityRecord.objects.filter(kind="class_day", occurred_on__year=YEAR, status="approved")
    history = ClassRecord.objects.filter(training_class__recorded_after=True, training_class__status=ClassStatus.CLOSED)
    assert history.exists()
    assert history.count() == class_days.exclude(note="").exclude(class_link__isnull=True).count()
    assert set(history.values_list("record__source", flat=True)) == {"generated"}
    city_lectures = ActivityRecord.objects.filter(kind="menu_city_lecture", occurred_on__year=YEAR, status="approved")
    linked = city_lectures.filter(lecture_link__isnull=False).count()
    assert linked >= 0.9 * city_lectures.count()
    assert "classes and" in city and "lectures of 2025 linked" in city


def test_classes_are_in_every_state_and_closing_the_ended_one_gives_its_trainees_credits(city):
    assert set(TrainingClass.objects.values_list("status", flat=True)) == set(ClassStatus.values)
    assert Lecture.objects.exists() and LectureSignup.objects.filter(record__isnull=False).exists()
    assert OnlineCompletion.objects.filter(record__isnull=False).exists()
    assert UnitPlan.objects.filter(year=YEAR + 1).exists()
    ended = TrainingClass.objects.get(code=f"{YEAR}-N01")
    trainees = list(ended.enrolments.filter(active=True, passed=True).values_list("official_id", flat=True))
    demo_official = User.objects.get(username=demo.DEMO_OFFICIAL).official
    assert demo_official.pk in trainees

    def totals():
        return sum(AnnualScore.objects.filter(official_id__in=trainees, year=YEAR).values_list("total", flat=True))

    before = totals()
    close_class(by=User.objects.get(username=demo.DEMO_ORG_STAFF), training_class=ended)
    # What the worker does once the close commits (the test's transaction never commits): refresh the marked scores.
    assert StaleScore.objects.filter(official_id__in=trainees).exists()
    refresh_stale()
    # Three days of a passed class each (6 points of off-job training, up to its cap of 15): the trainees' totals rise.
    assert totals() > before
    assert ClassRecord.objects.filter(training_class=ended, official=demo_official, kind="class_day").exists()


def test_a_second_load_adds_no_training(city):
    before = (TrainingClass.objects.count(), ClassRecord.objects.count(), LectureSignup.objects.count())
    call_command("load_demo_city", officials=60, units=4, year=YEAR, stdout=StringIO())
    assert (TrainingClass.objects.count(), ClassRecord.objects.count(), LectureSignup.objects.count()) == before


def test_reset_clears_the_training_too(city):
    call_command("load_demo_city", officials=30, units=4, year=YEAR, reset=True, stdout=StringIO())
    assert TrainingClass.objects.filter(code=f"{YEAR}-N01").count() == 1
