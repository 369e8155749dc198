"""Real anonymity of survey answers (issue 14 point 2): an answer is stored with no link to the person, and no query,
page, API answer or log lines one up with the official who gave it.

1. The schema: a response and an answer have no foreign key or column leading to an official, a user, a unit or the
   "has answered" row, no date or time, and random (UUID) ids.
2. The data: after 8 officials answer, every column the answer tables share with the people tables joins each
   response to all 8 (never one to one); after ``mix_responses`` neither the id order nor the physical row order
   (PostgreSQL ctid, SQLite rowid) follows the order of answering.
3. The API (and the pages, where they are routed) never show a respondent's staff number or name with results.
4. Nothing of an answer reaches the audit log or the application log.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, models
from django.urls import Resolver404, resolve

from audit.models import ChangeLog
from courses.models import SurveyAnswer, SurveyParticipation, SurveyResponse
from courses.selectors import surveys as selectors
from courses.services import surveys as services
from kunshan_training.half_years import HalfYear
from organisation.models import Official, Unit
from tests.clock import today
from tests.conftest import client_for
from tests.courses.fixtures_surveys import *  # noqa: F403 (its fixtures)

pytestmark = pytest.mark.django_db
ANSWER_TABLES = (SurveyResponse, SurveyAnswer)
PEOPLE_TABLES = (SurveyParticipation, Official, User, Unit)


@pytest.fixture
def survey(staff_user, needs):
    day = today()
    return services.create_survey(by=staff_user, code="needs-anon", title="需求调查", questionnaire=needs,
                                  opens_on=day - timedelta(days=1), closes_on=day + timedelta(days=30))  # fmt: skip


def answers(survey, n: int) -> dict:
    """A full answer whose free text is this respondent's own (to tell the responses apart in the test)."""
    out = {}
    for item in selectors.survey_form(survey=survey):
        kind = item.question.kind
        out[item.key] = {"single": n % 2, "multiple": [0], "scale": 1 + n % 5, "text": f"第{n}位的建议"}[kind]
    return out


@pytest.fixture
def eight(survey, people):
    """8 officials (same unit and rank) who answered in this order; their texts say the order."""
    officials = people(8)
    for n, official in enumerate(officials):
        services.answer_survey(by=official.user, survey=survey, answers=answers(survey, n))
    return officials


def _columns(model) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}


# ---------------------------------------------------------------------------------------------------
# 1. The schema


def test_no_column_or_key_of_an_answer_leads_to_a_person_or_a_time():
    for model in ANSWER_TABLES:
        assert isinstance(model._meta.pk, models.UUIDField), model
        for f in model._meta.concrete_fields:
            assert not isinstance(f, (models.DateField, models.DateTimeField, models.TimeField)), (model, f.name)
            if f.is_relation:
                assert f.related_model not in PEOPLE_TABLES, (model, f.name)
        # the database agrees: its foreign keys point at the survey, the question, the session, the response only
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
        targets = {c["foreign_key"][0] for c in constraints.values() if c.get("foreign_key")}
        allowed = {"courses_survey", "courses_question", "courses_classsession", "courses_surveyresponse"}
        assert targets <= allowed, (model, targets)
        names = _columns(model)
        assert not {"official_id", "user_id", "unit_id", "participation_id", "created_at", "answered_at"} & names
    # and the "has answered" row has nothing leading to an answer, nor a time
    assert _columns(SurveyParticipation) == {"id", "survey_id", "official_id"}
    assert isinstance(SurveyParticipation._meta.pk, models.UUIDField)


# ---------------------------------------------------------------------------------------------------
# 2. The data


def _shared_columns() -> dict[tuple[str, str], set[str]]:
    return {
        (a._meta.db_table, p._meta.db_table): (_columns(a) & _columns(p)) for a in ANSWER_TABLES for p in PEOPLE_TABLES
    }


def test_no_join_pairs_a_response_with_an_official(survey, eight):
    shared = _shared_columns()
    # what the answer tables share with the people tables: the survey, the rank (a group of many), the id name
    assert set().union(*shared.values()) <= {"id", "survey_id", "rank"}
    with connection.cursor() as cursor:
        for (answer_table, people_table), columns in shared.items():
            for column in columns:
                cursor.execute(
                    f"SELECT COUNT(p.{column}) FROM {answer_table} a LEFT JOIN {people_table} p "
                    f"ON CAST(a.{column} AS TEXT) = CAST(p.{column} AS TEXT) GROUP BY a.id"
                )
                counts = {row[0] for row in cursor.fetchall()}
                # never exactly one match: either nothing (the ids) or every one of the 8 (or more people)
                assert 1 not in counts and (counts == {0} or min(counts) >= 8), (answer_table, people_table, column)
        # the groups a response keeps (rank, kind of unit) against the respondents' own: each matches all 8
        cursor.execute(
            "SELECT r.id, COUNT(*) FROM courses_surveyresponse r "
            "JOIN courses_surveyparticipation p ON p.survey_id = r.survey_id "
            "JOIN organisation_official o ON o.id = p.official_id AND o.rank = r.rank "
            "JOIN organisation_unit u ON u.id = o.unit_id AND u.kind = r.unit_kind GROUP BY r.id"
        )
        assert sorted(n for _id, n in cursor.fetchall()) == [8] * 8


def _order(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def test_after_mixing_no_row_order_follows_the_answering_order(survey, eight):
    texts = [f"第{n}位的建议" for n in range(8)]
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    text_rows = "SELECT a.text FROM courses_surveyanswer a WHERE a.text <> '' ORDER BY a.{order}"
    assert services.mix_responses(survey=survey) == 8
    by_id = _order(text_rows.format(order="id"))
    by_place = _order(text_rows.format(order=physical))
    responses_by_place = _order(
        f"SELECT a.text FROM courses_surveyresponse r JOIN courses_surveyanswer a ON a.response_id = r.id "
        f"AND a.text <> '' ORDER BY r.{physical}"
    )
    assert sorted(by_id) == texts  # all there …
    # … in an order that is not the answering order (a random order is that one once in 8! = 40,320 draws)
    assert by_id != texts and by_place != texts and responses_by_place != texts
    # the "has answered" rows were rewritten too: their order is not the answering order either
    officials = [o.pk for o in eight]
    assert _order(f"SELECT official_id FROM courses_surveyparticipation ORDER BY {physical}") != officials


def test_mixing_leaves_no_old_id(survey, eight):
    old = {str(i) for i in SurveyResponse.objects.values_list("id", flat=True)}
    old |= {str(i) for i in SurveyParticipation.objects.values_list("id", flat=True)}
    services.mix_responses(survey=survey)
    new = {str(i) for i in SurveyResponse.objects.values_list("id", flat=True)}
    new |= {str(i) for i in SurveyParticipation.objects.values_list("id", flat=True)}
    assert not old & new and all(uuid.UUID(i) for i in new)


# ---------------------------------------------------------------------------------------------------
# 3. What is shown


def _bodies(client, paths: list[str]) -> str:
    out = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        out.append(response.content.decode())
    return "\n".join(out)


def test_results_summaries_and_pages_never_name_a_respondent(staff_api, survey, eight, close_with, people):
    period = str(HalfYear.of(today()))
    trainees = people(6)
    training_class = close_with(trainees)
    evaluation = training_class.evaluation
    for trainee in trainees:
        form = selectors.survey_form(survey=evaluation)
        sent = {}
        for item in form:
            for key in [s.key for s in item.sessions] or [item.key]:
                sent[key] = {"scale": 4, "single": 1, "text": "很好"}[item.question.kind]
        services.answer_survey(by=trainee.user, survey=evaluation, answers=sent)
    api = [
        "/api/v1/surveys/", "/api/v1/surveys/needs-anon/", f"/api/v1/surveys/needs-anon/results/?period={period}",
        "/api/v1/surveys/needs-anon/results/?by=rank", "/api/v1/surveys/needs-anon/results/?by=unit_kind",
        f"/api/v1/surveys/needs-anon/summaries/{period}/", "/api/v1/surveys/needs-anon/form/",
        f"/api/v1/surveys/{evaluation.code}/results/", f"/api/v1/classes/{training_class.code}/evaluation/",
    ]  # fmt: skip
    shown = _bodies(staff_api, api)
    assert "第0位的建议" in shown  # the texts are there …
    for official in [*eight, *trainees]:  # … but no respondent
        assert official.staff_no not in shown and official.name not in shown
    # the pages of results (courses.views), wherever they are routed in this build
    pages = [
        "/training/surveys/needs-anon/", "/training/surveys/needs-anon/results/?by=rank",
        f"/training/surveys/needs-anon/summary/{period}/", f"/training/classes/{training_class.code}/",
    ]  # fmt: skip
    routed = []
    for page in pages:
        try:
            resolve(page.split("?")[0])
        except Resolver404:
            continue
        routed.append(page)
    if routed:
        from django.test import Client

        browser = Client()
        browser.force_login(User.objects.get(username="staff"))
        text = _bodies(browser, routed)
        for official in eight:
            assert official.staff_no not in text and official.name not in text


def test_an_official_sees_no_one_elses_answer(survey, eight):
    zhang = client_for(eight[0].user)
    assert zhang.get("/api/v1/surveys/needs-anon/results/").status_code == 403
    detail = zhang.get("/api/v1/surveys/needs-anon/").json()
    assert detail["participation"] is None and detail["responses"] is None


# ---------------------------------------------------------------------------------------------------
# 4. Logs


def test_nothing_of_an_answer_reaches_the_audit_log_or_the_log(survey, people, caplog):
    (official,) = people(1)
    before = ChangeLog.objects.count()
    with caplog.at_level(logging.DEBUG):
        services.answer_survey(by=official.user, survey=survey, answers=answers(survey, 42))
        services.mix_responses(survey=survey)
    assert ChangeLog.objects.count() == before
    assert not ChangeLog.objects.filter(model__in=["courses.surveyresponse", "courses.surveyanswer",
                                                   "courses.surveyparticipation"]).exists()  # fmt: skip
    everything = json.dumps([[c.old, c.new, c.reason] for c in ChangeLog.objects.all()], ensure_ascii=False)
    assert "第42位的建议" not in everything
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "第42位的建议" not in logged and official.staff_no not in logged
