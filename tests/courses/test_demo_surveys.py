"""The demo city's surveys and follow-up (courses.demo_surveys), as someone trying the product meets them: a needs
survey open now with answers in this half year and the previous one, a closed one, evaluated classes, follow-up in
every state, and the demo official with something to fill in."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from courses import demo_surveys
from courses.models import (
    ClassStatus,
    FollowUpForum,
    SelfEvaluation,
    StudySummary,
    Survey,
    SurveyParticipation,
    SurveyResponse,
    TrainingClass,
)
from courses.selectors.followup import class_follow_up, follow_up_items
from courses.selectors.surveys import class_evaluation, half_year_summary, open_surveys_for, survey_state
from kunshan_training.half_years import HalfYear
from organisation import demo

YEAR = 2025  # a finished year, like tests/courses/test_demo.py: every class of its history is closed
ALL_STATES = ("not_yet", "due", "overdue", "done")


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """One demo city for the module (150 officials: enough for 70 answers a half year), loaded inside a transaction
    rolled back afterwards (each test runs in a savepoint of it), so the next modules find the database as it was."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo_city", officials=150, units=4, year=YEAR, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def demo_official(city, db):
    return User.objects.get(username=demo.DEMO_OFFICIAL).official


def test_a_needs_survey_is_open_now_to_everyone_with_answers_in_this_half_year_and_the_last(city, db, today):
    survey = Survey.objects.get(code=demo_surveys.NEEDS_SURVEY.format(year=YEAR))
    assert survey_state(survey, today) == "open"
    assert not survey.units.exists() and survey.ranks == [] and survey.training_class_id is None
    now = HalfYear.of(today)
    responses = SurveyResponse.objects.filter(survey=survey)
    counts = {str(p): responses.filter(period=str(p)).count() for p in (now, now.previous())}
    assert all(n >= 60 for n in counts.values()), counts
    summary = half_year_summary(survey=survey, period=now)
    assert summary.results.respondents >= 60 and summary.previous.respondents >= 60
    assert any(item.share_changes and any(c for c in item.share_changes if c) for item in summary.questions)
    assert any(texts for _question, texts in summary.texts)  # free-text suggestions to list
    closed = Survey.objects.get(code=demo_surveys.CLOSED_NEEDS_SURVEY.format(prev=YEAR - 1))
    assert survey_state(closed, today) == "closed" and SurveyResponse.objects.filter(survey=closed).count() >= 5
    assert "answers to the needs surveys" in city


def test_every_answer_has_its_has_answered_row_and_nothing_more(city, db):
    for survey in Survey.objects.all():
        assert (
            SurveyParticipation.objects.filter(survey=survey).count()
            == SurveyResponse.objects.filter(survey=survey).count()
        )


def test_the_demo_official_has_answered_nothing_and_has_something_to_fill_in(demo_official, db, today):
    assert not SurveyParticipation.objects.filter(official=demo_official).exists()
    surveys = open_surveys_for(official=demo_official, today=today)
    assert demo_surveys.NEEDS_SURVEY.format(year=YEAR) in [s.survey.code for s in surveys]
    to_do = follow_up_items(today=today, official=demo_official, states=("due", "overdue", "not_yet"))
    assert {"self_evaluation", "study_summary"} <= {item.what for item in to_do}


def test_the_closed_classes_are_evaluated_per_teacher_and_course_with_self_evaluations(city, db):
    history = TrainingClass.objects.filter(code__startswith=f"{YEAR}-H", status=ClassStatus.CLOSED)
    assert history.exists()
    assert Survey.objects.filter(training_class__in=history).count() == history.count()
    assert all(c.sessions.exists() for c in history)
    evaluations = [class_evaluation(training_class=c) for c in history]
    shown = [e for e in evaluations if e.responses >= 5]
    assert shown, "no class with 5 or more evaluations"
    assert SelfEvaluation.objects.filter(enrolment__training_class__in=history).exists()


def test_follow_up_is_in_every_state(city, db, today):
    states = {item.state for item in follow_up_items(today=today, states=ALL_STATES)}
    assert {"done", "overdue"} <= states
    assert StudySummary.objects.exists() and FollowUpForum.objects.exists()
    summaries = [i for i in follow_up_items(today=today, states=("overdue",)) if i.what == "study_summary"]
    assert summaries  # some trainees have not sent theirs


def test_the_first_class_of_the_year_is_a_key_class_with_its_first_sample_drawn(city, db, today):
    klass = TrainingClass.objects.get(code=demo_surveys.FOLLOW_UP_CLASS.format(year=YEAR))
    assert klass.key_class and klass.follow_up_years == 3
    follow_up = class_follow_up(training_class=klass, today=today)
    assert [r.round for r in follow_up.rounds] == [1, 2, 3]
    first = follow_up.rounds[0].sample
    assert first is not None and first.sample.seed == demo_surveys.SEED
    assert 0 < first.done < len(first.reviews)  # some reviews recorded, some still to do
    assert follow_up.forums  # its forum was held


def test_a_second_load_adds_nothing(city, db):
    before = (Survey.objects.count(), SurveyResponse.objects.count(), FollowUpForum.objects.count())
    call_command("load_demo_city", officials=150, units=4, year=YEAR, stdout=StringIO())
    assert (Survey.objects.count(), SurveyResponse.objects.count(), FollowUpForum.objects.count()) == before
