"""Questionnaires, surveys and answers through the services and selectors (RULES §5 需求调查): who may write what,
bad input in plain words with nothing written, answering once while open, results that never break down a group of
fewer than 5, the half-year comparison and a class's evaluation per teacher and per course."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Survey, SurveyAnswer, SurveyParticipation, SurveyResponse
from courses.questionnaire_data import CLASS_EVALUATION
from courses.selectors import surveys as selectors
from courses.services import surveys as services
from kunshan_training.half_years import HalfYear
from tests.clock import today
from tests.courses.fixtures_surveys import *  # noqa: F403 (its fixtures)

pytestmark = pytest.mark.django_db


def open_survey(staff_user, needs, code="needs-now", **changes) -> Survey:
    values = {"code": code, "title": "需求调查", "questionnaire": needs, "opens_on": today() - timedelta(days=5),
              "closes_on": today() + timedelta(days=25)}  # fmt: skip
    values.update(changes)
    return services.create_survey(by=staff_user, **values)


def full_answers(survey: Survey, *, pick: int = 0, scale: int = 4, text: str = "多安排现场教学") -> dict:
    answers = {}
    for item in selectors.survey_form(survey=survey):
        q = item.question
        keys = [s.key for s in item.sessions] if item.sessions else [item.key]
        for key in keys:
            if q.kind == "single":
                answers[key] = pick % len(q.choices)
            elif q.kind == "multiple":
                answers[key] = [0, (pick + 1) % len(q.choices)]
            elif q.kind == "scale":
                answers[key] = scale
            else:
                answers[key] = text
    return answers


QUESTIONS = [
    {"kind": "single", "text": "最需要的培训内容", "choices": ["政治理论", "法律法规"], "topic": "content",
     "need": "organisational"},
    {"kind": "scale", "text": "满意度", "choices": [], "topic": "quality", "need": "individual"},
    {"kind": "text", "text": "建议", "choices": [], "required": False},
]  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# Questionnaires


def test_staff_writes_a_questionnaire_and_bad_questions_are_named_by_number(staff_user, questionnaires):
    made = services.create_questionnaire(by=staff_user, code="q-2026", title="专题调查", purpose="needs",
                                         questions=QUESTIONS)  # fmt: skip
    assert [q.kind for q in made.questions.all()] == ["single", "scale", "text"]
    assert not made.builtin
    bad = [QUESTIONS[0], {"kind": "single", "text": "x", "choices": ["只有一个"]}, {"kind": "poll", "text": ""}]
    with pytest.raises(ValidationError) as error:
        services.create_questionnaire(by=staff_user, code="q-bad", title="x", purpose="needs", questions=bad)
    messages = error.value.message_dict["questions"]
    assert any(m.startswith("Question 2:") and "2 to 20 options" in m for m in messages)
    assert any(m.startswith("Question 3:") for m in messages)
    with pytest.raises(ValidationError) as error:
        services.create_questionnaire(by=staff_user, code="q-2026", title="", purpose="class_evaluation",
                                      questions=QUESTIONS)  # fmt: skip
    assert set(error.value.message_dict) == {"code", "title", "purpose"}
    too_many = [QUESTIONS[1]] * 61
    with pytest.raises(ValidationError, match="at most 60 questions"):
        services.create_questionnaire(by=staff_user, code="q-big", title="x", purpose="needs", questions=too_many)


def test_only_staff_write_questionnaires(officials, unit_admin_user, needs):
    for user in (officials["zhang"].user, unit_admin_user):
        with pytest.raises(PermissionDenied):
            services.create_questionnaire(by=user, code="q", title="x", purpose="needs", questions=QUESTIONS)
        with pytest.raises(PermissionDenied):
            services.copy_questionnaire(by=user, questionnaire=needs, code="q2", title="x")


def test_a_ready_made_questionnaire_is_copied_never_changed_and_a_used_one_is_frozen(
    staff_user, needs, people, questionnaires
):
    with pytest.raises(ValidationError, match="ready-made"):
        services.update_questionnaire(by=staff_user, questionnaire=needs, title="改")
    copy = services.copy_questionnaire(by=staff_user, questionnaire=needs, code="needs-copy", title="需求调查（改）")
    assert copy.questions.count() == needs.questions.count() and not copy.builtin
    services.update_questionnaire(by=staff_user, questionnaire=copy, questions=QUESTIONS)
    assert copy.questions.count() == 3
    survey = open_survey(staff_user, copy, code="copy-survey")
    (official,) = people(1)
    services.answer_survey(by=official.user, survey=survey, answers=full_answers(survey))
    with pytest.raises(ValidationError, match="has answers"):
        services.update_questionnaire(by=staff_user, questionnaire=copy, title="再改")


# ---------------------------------------------------------------------------------------------------
# Surveys


def test_a_survey_targets_units_and_ranks_and_refuses_bad_dates(staff_user, needs, units, questionnaires):
    survey = open_survey(staff_user, needs, units=[units["finance"]], ranks=["section_chief"])
    assert list(survey.units.all()) == [units["finance"]] and survey.ranks == ["section_chief"]
    with pytest.raises(ValidationError) as error:
        open_survey(staff_user, needs, code="needs-now", opens_on=today(), closes_on=today() - timedelta(days=1),
                    ranks=["general"])  # fmt: skip
    assert set(error.value.message_dict) == {"code", "closes_on", "ranks"}
    with pytest.raises(ValidationError) as error:
        open_survey(staff_user, questionnaires[CLASS_EVALUATION], code="eval-by-hand")
    assert "questionnaire" in error.value.message_dict
    services.update_survey(by=staff_user, survey=survey, closes_on=today() + timedelta(days=60), ranks=[], units=[])
    survey.refresh_from_db()
    assert survey.ranks == [] and not survey.units.exists() and survey.closes_on == today() + timedelta(days=60)
    with pytest.raises(ValidationError, match="closing day cannot be before"):
        services.update_survey(by=staff_user, survey=survey, closes_on=today() - timedelta(days=30))


def test_only_staff_put_and_change_surveys(officials, unit_admin_user, needs, staff_user):
    survey = open_survey(staff_user, needs)
    for user in (officials["zhang"].user, unit_admin_user):
        with pytest.raises(PermissionDenied):
            open_survey(user, needs, code="other")
        with pytest.raises(PermissionDenied):
            services.update_survey(by=user, survey=survey, title="x")


# ---------------------------------------------------------------------------------------------------
# Answering


def test_an_official_answers_once_while_open_and_only_when_asked(staff_user, needs, people, units, officials):
    survey = open_survey(staff_user, needs, units=[units["finance"]])
    zhang, wang = officials["zhang"], officials["wang"]
    services.answer_survey(by=zhang.user, survey=survey, answers=full_answers(survey))
    assert SurveyParticipation.objects.filter(survey=survey, official=zhang).exists()
    response = SurveyResponse.objects.get(survey=survey)
    assert (response.period, response.rank, response.unit_kind) == (str(HalfYear.of(today())), "section_chief",
                                                                    "department")  # fmt: skip
    assert SurveyAnswer.objects.filter(response=response).count() == 13  # 10 questions; 3 multiple choices of two
    with pytest.raises(services.AlreadyAnswered):
        services.answer_survey(by=zhang.user, survey=survey, answers=full_answers(survey))
    with pytest.raises(PermissionDenied, match="does not ask you"):
        services.answer_survey(by=wang.user, survey=survey, answers=full_answers(survey))
    with pytest.raises(PermissionDenied):
        services.answer_survey(by=staff_user, survey=survey, answers=full_answers(survey))
    (late,) = people(1)
    with pytest.raises(ValidationError, match="closed on"):
        services.answer_survey(by=late.user, survey=survey, answers=full_answers(survey),
                               today=survey.closes_on + timedelta(days=1))  # fmt: skip
    with pytest.raises(ValidationError, match="opens on"):
        services.answer_survey(by=late.user, survey=survey, answers=full_answers(survey),
                               today=survey.opens_on - timedelta(days=1))  # fmt: skip
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_bad_answers_name_each_question_and_write_nothing(staff_user, needs, officials):
    survey = open_survey(staff_user, needs)
    answers = full_answers(survey)
    single, multiple, *_rest = [item.key for item in selectors.survey_form(survey=survey)]
    answers[single] = 99
    answers[multiple] = ["x"]
    answers["q999999"] = 1
    with pytest.raises(ValidationError) as error:
        services.answer_survey(by=officials["zhang"].user, survey=survey, answers=answers)
    assert set(error.value.message_dict) == {single, multiple, "q999999"}
    assert not SurveyResponse.objects.exists() and not SurveyParticipation.objects.exists()
    with pytest.raises(ValidationError):
        services.answer_survey(by=officials["zhang"].user, survey=survey, answers={})


def test_the_open_surveys_of_an_official_say_whether_answered(staff_user, needs, units, officials, people, close_with):
    everyone = open_survey(staff_user, needs, code="everyone")
    open_survey(staff_user, needs, code="education-only", units=[units["education"]])
    open_survey(staff_user, needs, code="later", opens_on=today() + timedelta(days=3))
    zhang = officials["zhang"]
    services.answer_survey(by=zhang.user, survey=everyone, answers=full_answers(everyone))
    training_class = close_with([zhang, *people(2)])
    found = {o.survey.code: o for o in selectors.open_surveys_for(official=zhang, today=today())}
    assert set(found) == {"everyone", f"eval-{training_class.code}"}
    assert found["everyone"].answered and not found[f"eval-{training_class.code}"].answered
    assert found[f"eval-{training_class.code}"].is_class_evaluation
    assert {o.survey.code for o in selectors.open_surveys_for(official=officials["wang"], today=today())} == {
        "everyone", "education-only"
    }  # fmt: skip


def test_participation_counts_who_is_asked_and_who_answered(staff_user, needs, units, people):
    survey = open_survey(staff_user, needs, units=[units["finance"]])
    finance = people(4)
    people(3, unit="education")
    for official in finance[:3]:
        services.answer_survey(by=official.user, survey=survey, answers=full_answers(survey))
    seen = selectors.participation(survey=survey)
    assert (seen.asked, seen.answered, seen.rate) == (4, 3, Decimal("75.0"))
    assert selectors.response_counts(survey=survey) == {str(HalfYear.of(today())): 3}


# ---------------------------------------------------------------------------------------------------
# Results


def test_results_count_and_a_group_of_4_is_not_broken_down(staff_user, needs, people):
    survey = open_survey(staff_user, needs)
    chiefs, deputies = people(6), people(4, rank="deputy_section")
    for i, official in enumerate(chiefs + deputies):
        services.answer_survey(
            by=official.user, survey=survey, answers=full_answers(survey, pick=i % 2, scale=3 + i % 3)
        )
    results = selectors.survey_results(survey=survey, breakdown="rank")
    assert results.respondents == 10
    first = results.questions[0]
    assert first.result.shown and first.result.respondents == 10
    assert [t.count for t in first.result.choices[:2]] == [5, 5] and first.result.choices[0].share == Decimal("50.0")
    groups = {g.group: g for g in first.groups}
    assert groups["section_chief"].shown and groups["section_chief"].result.respondents == 6
    assert not groups["deputy_section"].shown and groups["deputy_section"].result is None
    assert groups["deputy_section"].respondents == 4
    scale = next(b for b in results.questions if b.question.kind == "scale")
    assert scale.result.mean == Decimal("3.90")  # 3,4,5,3,4,5,3,4,5,3
    text = next(b for b in results.questions if b.question.kind == "text")
    assert text.result.texts == ["多安排现场教学"] * 10
    with pytest.raises(ValidationError):
        selectors.survey_results(survey=survey, breakdown="unit")


def test_four_answers_show_nothing_five_show_the_counts(staff_user, needs, people):
    survey = open_survey(staff_user, needs)
    four = people(5)
    for official in four[:4]:
        services.answer_survey(by=official.user, survey=survey, answers=full_answers(survey))
    results = selectors.survey_results(survey=survey)
    assert all(not block.result.shown and not block.result.choices and not block.result.texts
               for block in results.questions)  # fmt: skip
    services.answer_survey(by=four[4].user, survey=survey, answers=full_answers(survey))
    assert all(block.result.shown for block in selectors.survey_results(survey=survey).questions)


def test_results_take_a_fixed_number_of_queries(staff_user, needs, people):
    survey = open_survey(staff_user, needs)
    respondents = people(12)

    def queries(n):
        for official in respondents[:n]:
            if not SurveyParticipation.objects.filter(survey=survey, official=official).exists():
                services.answer_survey(by=official.user, survey=survey, answers=full_answers(survey))
        with CaptureQueriesContext(connection) as captured:
            selectors.survey_results(survey=survey, breakdown="unit_kind")
        return len(captured)

    assert queries(5) == queries(12)


def test_the_half_year_summary_compares_with_the_previous_half_year_of_the_questionnaire(staff_user, needs, people):
    now = HalfYear.of(today())
    before = now.previous()
    old = open_survey(staff_user, needs, code="needs-old", opens_on=before.first_day, closes_on=before.last_day)
    survey = open_survey(staff_user, needs, code="needs-new", opens_on=now.first_day, closes_on=now.last_day)
    for official in people(5):
        services.answer_survey(by=official.user, survey=old, answers=full_answers(old, pick=0, scale=2),
                               today=before.first_day + timedelta(days=1))  # fmt: skip
    for i, official in enumerate(people(5)):
        services.answer_survey(by=official.user, survey=survey, answers=full_answers(survey, pick=i % 2, scale=4),
                               today=max(now.last_day - timedelta(days=1), today()))  # fmt: skip
    summary = selectors.half_year_summary(survey=survey, period=now)
    assert summary.previous_period == before and summary.previous.respondents == 5
    first = summary.questions[0]
    assert first.share_changes[0] == Decimal("60.0") - Decimal("100.0")
    scale = next(c for c in summary.questions if c.question.kind == "scale")
    assert scale.mean_change == Decimal("2.00")
    assert summary.texts and summary.texts[0][1] == ["多安排现场教学"] * 5
    assert [str(p) for p in selectors.survey_periods(survey=old)] == [str(before)]


def test_a_summary_without_a_previous_half_year_shows_no_change(staff_user, needs, people):
    survey = open_survey(staff_user, needs)
    for official in people(5):
        services.answer_survey(by=official.user, survey=survey, answers=full_answers(survey))
    summary = selectors.half_year_summary(survey=survey, period=HalfYear.of(today()))
    assert all(c.before is None and c.mean_change is None for c in summary.questions)
    assert all(change is None for c in summary.questions for change in c.share_changes)


# ---------------------------------------------------------------------------------------------------
# Class evaluations


def test_closing_a_class_opens_its_evaluation_once(staff_user, people, close_with):
    from courses.services.classes import close_class
    from courses.services.evaluations import open_class_evaluation

    training_class = close_with(people(3))
    survey = training_class.evaluation
    assert survey.code == f"eval-{training_class.code}" and survey.questionnaire.code == CLASS_EVALUATION
    assert (survey.opens_on, survey.closes_on) == (today(), today() + timedelta(days=30))
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=today() - timedelta(days=60), closes_on=today() - timedelta(days=1)
    )
    close_class(by=staff_user, training_class=training_class)  # a correction closes it again
    survey.refresh_from_db()
    assert survey.closes_on == today() + timedelta(days=30)
    assert open_class_evaluation(training_class=training_class) == survey
    assert Survey.objects.filter(training_class=training_class).count() == 1


def test_a_class_evaluation_asks_its_trainees_per_session(staff_user, people, close_with, officials):
    trainees = people(3)
    training_class = close_with(trainees)
    survey = training_class.evaluation
    form = selectors.survey_form(survey=survey)
    per_session = [item for item in form if item.sessions]
    assert len(per_session) == 2 and all(len(item.sessions) == 2 for item in per_session)
    assert per_session[0].sessions[0].label == "预算管理 / 刘教授"
    services.answer_survey(by=trainees[0].user, survey=survey, answers=full_answers(survey))
    assert SurveyAnswer.objects.filter(session__isnull=False).count() == 4
    with pytest.raises(PermissionDenied):
        services.answer_survey(by=officials["zhang"].user, survey=survey, answers=full_answers(survey))


def test_the_class_evaluation_per_teacher_and_course_from_5_respondents(staff_user, people, close_with, officials):
    trainees = people(6)
    training_class = close_with(trainees, teacher=officials["wang"])
    survey = training_class.evaluation
    for official in trainees[:4]:
        services.answer_survey(by=official.user, survey=survey, answers=full_answers(survey, scale=5))
    seen = selectors.class_evaluation(training_class=training_class)
    assert seen.responses == 4 and not seen.shown and not seen.teachers and not seen.questions
    for official in trainees[4:]:
        services.answer_survey(by=official.user, survey=survey, answers=full_answers(survey, scale=3))
    seen = selectors.class_evaluation(training_class=training_class)
    assert seen.shown and seen.responses == 6
    teachers = {g.label: g for g in seen.teachers}
    assert set(teachers) == {"王芳", "陈老师"}
    assert teachers["王芳"].shown and teachers["王芳"].means[0][1] == Decimal("4.33")  # (4×5 + 2×3) / 6
    assert {g.label for g in seen.courses} == {"预算管理", "政府采购"}
    assert [b.question.kind for b in seen.questions] == ["scale", "scale", "single", "text"]


def test_no_evaluation_before_a_class_closes(new_class):
    seen = selectors.class_evaluation(training_class=new_class())
    assert seen.survey is None and seen.responses == 0


# ---------------------------------------------------------------------------------------------------
# Mixing


def test_mixing_keeps_the_results_and_the_participations(staff_user, needs, people):
    survey = open_survey(staff_user, needs)
    respondents = people(6)
    for i, official in enumerate(respondents):
        services.answer_survey(by=official.user, survey=survey, answers=full_answers(survey, pick=i))
    before = selectors.survey_results(survey=survey)
    ids = set(SurveyResponse.objects.values_list("id", flat=True)) | set(
        SurveyAnswer.objects.values_list("id", flat=True)
    )
    assert services.mix_responses(survey=survey) == 6
    after = selectors.survey_results(survey=survey)
    assert [b.result for b in after.questions] == [b.result for b in before.questions]
    new_ids = set(SurveyResponse.objects.values_list("id", flat=True)) | set(
        SurveyAnswer.objects.values_list("id", flat=True)
    )
    assert not ids & new_ids
    assert set(SurveyParticipation.objects.values_list("official_id", flat=True)) == {o.pk for o in respondents}
    with pytest.raises(services.AlreadyAnswered):
        services.answer_survey(by=respondents[0].user, survey=survey, answers=full_answers(survey))
