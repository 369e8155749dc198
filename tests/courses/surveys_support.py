"""Helpers of the survey and follow-up page tests (no test here): a needs survey open today, officials with logins
who answer it, a closed class with trainees."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from courses.models import Questionnaire, Survey, TrainingClass
from courses.questionnaire_data import NEEDS, ensure_questionnaires
from courses.selectors.surveys import survey_form
from courses.services import classes as class_services
from courses.services.surveys import answer_survey, create_survey
from organisation.models import Official
from organisation.roles import OFFICIAL_GROUP
from tests.courses.test_pages_support import past_class


def needs_survey(staff, *, code: str = "needs-now", units=(), ranks=(), days_open: int = 10) -> Survey:
    ensure_questionnaires()
    today = timezone.localdate()
    return create_survey(
        by=staff, code=code, title="培训需求调查", questionnaire=Questionnaire.objects.get(code=NEEDS),
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=days_open), units=units, ranks=ranks,
    )  # fmt: skip


def full_answers(survey: Survey, *, pick: int = 0, text: str = "希望多安排案例教学") -> dict[str, object]:
    """An answer to every question of ``survey``: option ``pick`` (or the nearest), a scale of 4, ``text``."""
    answers: dict[str, object] = {}
    for q in survey_form(survey=survey):
        keys = [s.key for s in q.sessions] if q.sessions else [q.key]
        for key in keys:
            kind = q.question.kind
            if kind == "single":
                answers[key] = min(pick, len(q.choices) - 1)
            elif kind == "multiple":
                answers[key] = [min(pick, len(q.choices) - 1)]
            elif kind == "scale":
                answers[key] = 4
            else:
                answers[key] = text
    return answers


def officials_with_logins(units, n: int, *, unit: str = "finance", prefix: str = "S", rank="section_chief"):
    group = Group.objects.get(name=OFFICIAL_GROUP)
    out = []
    for i in range(n):
        user = User.objects.create_user(f"{prefix.lower()}{i:03d}", password="pw-secret-123")
        user.groups.add(group)
        out.append(
            Official.objects.create(
                staff_no=f"{prefix}{i:03d}", name=f"答卷人{prefix}{i}", unit=units[unit], rank=rank, user=user
            )  # fmt: skip
        )
    return out


def answered_by(survey: Survey, officials, **kwargs) -> None:
    for official in officials:
        answer_survey(by=official.user, survey=survey, answers=full_answers(survey, **kwargs))


def closed_class(staff, organiser, trainees, *, code: str = "c-done", teachers=("外聘教师甲",)) -> TrainingClass:
    """A class that has ended and is closed, one session per outside teacher, every trainee passed (closing opens
    its evaluation)."""
    training_class = past_class(staff, organiser, code=code, capacity=max(10, len(trainees)))
    for i, teacher in enumerate(teachers):
        class_services.add_session(
            by=staff, training_class=training_class, held_on=training_class.starts_on, topic=f"专题{i + 1}",
            teacher_name=teacher,
        )  # fmt: skip
    for official in trainees:
        class_services.enrol_trainee(by=staff, training_class=training_class, official=official)
    for official in trainees:
        class_services.record_result(
            by=staff, training_class=training_class, official=official, days_attended=3, passed=True,
            absent_without_reason=False, speeches=0, reflections=0,
        )  # fmt: skip
    class_services.close_class(by=staff, training_class=training_class)
    training_class.refresh_from_db()
    return training_class
