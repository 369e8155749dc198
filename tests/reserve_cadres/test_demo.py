"""The demo city's reserve pool (manage.py load_demo_city): about forty reserves in the four streams, with what the
pages and the flags show — growth classes, exams and defenses, practice, talks, reflections and assessments (some
overdue), flagged reserves, one disqualified and one appointed; the same every time."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from courses.models import ClassType
from organisation import demo
from organisation.models import Official, Unit
from reserve_cadres import rules
from reserve_cadres.models import (
    Defense,
    Exam,
    Practice,
    Reflection,
    Reserve,
    ReserveStatus,
    ReserveTraining,
    Talk,
    YearlyAssessment,
)
from reserve_cadres.selectors.reserves import due_items, flagged, reserves_visible_to

PAST_YEAR = 2025  # the tests' year: over, so the demo's day is its last day


def load(year: int, **options) -> str:
    out = StringIO()
    call_command("load_demo_city", officials=120, units=10, year=year, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo unit's reflection articles are uploaded


def fingerprint() -> list[tuple]:
    return list(
        Reserve.objects.order_by("official__staff_no").values_list(
            "official__staff_no", "official__birth_date", "level", "stream", "decided_on", "status"
        )
    )


def check_pool(year: int) -> None:
    today = timezone.localdate()
    anchor = min(today, date(year, 12, 31))
    reserves = Reserve.objects.select_related("official__unit")
    assert 35 <= reserves.count() <= 40
    assert {r.stream for r in reserves} == {"party_government", "economic", "technical", "political_legal"}
    assert {r.level for r in reserves} == {"section_chief", "deputy_section"}
    assert len({r.official.unit_id for r in reserves}) >= 5
    # Decided in three batches (one county decision each), one to three years before the demo's day.
    assert len({(r.decided_on, r.decision_document) for r in reserves}) == 3
    for reserve in reserves:
        assert anchor - timedelta(days=3 * 366 + 31) <= reserve.decided_on <= anchor - timedelta(days=365)
    # Every official has a date of birth; each reserve's fits their level on the decision day.
    assert not Official.objects.filter(birth_date__isnull=True).exists()
    for reserve in reserves:
        assert not rules.too_old(reserve.level, reserve.official.birth_date, reserve.decided_on)

    # The demo unit's study administrator sees their unit's reserves.
    unit_admin = get_user_model().objects.get(username=demo.DEMO_UNIT_ADMIN)
    demo_unit = Unit.objects.get(study_admins__user=unit_admin)
    own = reserves_visible_to(unit_admin)
    assert own.count() >= 3 and set(own.values_list("official__unit", flat=True)) == {demo_unit.pk}

    # Each stream's yearly growth class, linked.
    trainings = ReserveTraining.objects.select_related("training_class", "reserve")
    assert trainings.count() >= reserves.count()
    for training in trainings:
        klass = training.training_class
        assert klass.class_type == ClassType.GROWTH and klass.starts_on.year == training.year
        assert klass.starts_on >= training.reserve.decided_on and training.days == klass.days
    assert trainings.values("training_class").distinct().count() >= 8

    # Exams (some failed, each dated in its year), defenses after a passed exam, never before its date: one failed,
    # one passed by a fraction close to 60.
    assert Exam.objects.filter(score__lt=60).count() >= 3
    for exam in Exam.objects.all():
        assert exam.held_on is not None and exam.held_on.year == exam.year and exam.held_on <= anchor
    for defense in Defense.objects.all():
        exam = Exam.objects.get(reserve=defense.reserve, year=defense.year)
        assert exam.score >= 60 and exam.held_on <= defense.held_on
    assert Defense.objects.filter(passed=False).count() == 1
    close = Defense.objects.get(score__gt=60, score__lt=Decimal("60.1"))
    assert close.passed and rules.shown(close.score) == Decimal("60.01") and close.examiner_scores.count() == 5
    assert Defense.objects.filter(passed=True).count() >= 25

    # Practice, talks, reflections (the demo unit's with their article files) and yearly assessments.
    assert set(Practice.objects.values_list("kind", flat=True)) == {"rotation", "secondment"}
    assert Talk.objects.count() >= reserves.count()
    assert Reflection.objects.filter(reserve__official__unit=demo_unit, file_type="pdf").exists()
    assert YearlyAssessment.objects.filter(result="basically_competent").count() == 1
    assert YearlyAssessment.objects.filter(result="excellent").exists()
    overdue = [row for row in due_items(day=today) if row.overdue]
    assert {row.what for row in overdue} == {"reflection", "assessment"}

    # Flags on today: two too old now, one turning so within 90 days, the appraisal, failed exams and the defense.
    rows = flagged(day=today)
    assert sum("age" in row.flags for row in rows) == 2
    soon = [row for row in rows if row.soon_too_old]
    assert len(soon) == 1 and today < soon[0].soon_too_old <= today + timedelta(days=90)
    found = {flag for row in rows for flag in row.flags}
    assert found == {"age", "appraisal", "exam_failed", "defense_failed"}

    # One disqualified with a reason and a note, one appointed: both off the published list.
    gone = Reserve.objects.get(status=ReserveStatus.DISQUALIFIED)
    assert gone.disqualify_reason == "refused_or_failed" and gone.disqualify_note and gone.left_on == anchor
    appointed = Reserve.objects.get(status=ReserveStatus.APPOINTED)
    assert appointed.left_on == anchor and appointed.defenses.filter(passed=True).exists()


def test_the_demo_pool_of_a_past_year_and_its_reset_gives_the_same_pool(db):
    out = load(PAST_YEAR)
    assert "reserve pool: 40 reserves in 4 streams" in out
    check_pool(PAST_YEAR)
    before = fingerprint()
    load(PAST_YEAR, reset=True)  # cleared through demo_city_resetting, built again
    assert fingerprint() == before
    check_pool(PAST_YEAR)


def test_the_demo_pool_of_this_year(db):
    year = timezone.localdate().year
    load(year)
    check_pool(year)
    # Loading again adds nothing.
    load(year)
    assert Reserve.objects.count() == len(fingerprint()) <= 40
