"""Fixtures of the surveys and follow-up tests: officials with logins (to answer), a closed class with sessions and
trainees (its evaluation open), and the ready-made questionnaires (a test database is flushed between tests, so the
rows migration 0004 seeded may be gone)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone, translation

from courses.models import Questionnaire, TrainingClass
from courses.questionnaire_data import NEEDS, ensure_questionnaires
from courses.services import classes as class_services
from organisation.models import Official
from organisation.roles import OFFICIAL_GROUP

from .conftest import ahead, ended

_prefixes = itertools.count(1)


@pytest.fixture(autouse=True)
def english_messages():
    """The services' messages in English, so assertions read plainly (the portal's default is zh-hans)."""
    with translation.override("en"):
        yield


@pytest.fixture
def questionnaires(db):
    ensure_questionnaires()
    return {q.code: q for q in Questionnaire.objects.all()}


@pytest.fixture
def needs(questionnaires) -> Questionnaire:
    return questionnaires[NEEDS]


@pytest.fixture
def people(units, roles):
    """people(n, unit="finance", rank="section_chief") -> n officials, each with a login named like their staff
    number."""

    def make(n: int, unit: str = "finance", rank: str = "section_chief") -> list[Official]:
        prefix = f"P{next(_prefixes):02d}"
        group = Group.objects.get(name=OFFICIAL_GROUP)
        made = []
        for i in range(n):
            staff_no = f"{prefix}{unit[:1].upper()}{i:03d}"
            user = User.objects.create_user(staff_no.lower(), password="pw-secret-123")
            user.groups.add(group)
            made.append(Official.objects.create(staff_no=staff_no, name=f"学员{staff_no}", unit=units[unit],
                                                rank=rank, user=user))  # fmt: skip
        return made

    return make


@pytest.fixture
def close_with(staff_user, new_class, questionnaires):
    """close_with(trainees, **class changes) -> a class with two sessions (one taught by an official, one by an
    outside teacher), these trainees (all passed), ended 3 days ago and closed (its evaluation opens)."""

    def make(trainees: list[Official], teacher: Official | None = None, **changes) -> TrainingClass:
        training_class = new_class(capacity=max(len(trainees), 1), **changes)
        class_services.add_session(by=staff_user, training_class=training_class, held_on=ahead(60), topic="预算管理",
                                   teacher=teacher, teacher_name="" if teacher else "刘教授")  # fmt: skip
        class_services.add_session(by=staff_user, training_class=training_class, held_on=ahead(61), topic="政府采购",
                                   teacher_name="陈老师")  # fmt: skip
        for official in trainees:
            class_services.enrol_trainee(by=staff_user, training_class=training_class, official=official)
        training_class = ended(training_class, timezone.localdate() - timedelta(days=3))
        for official in trainees:
            class_services.record_result(by=staff_user, training_class=training_class, official=official,
                                         days_attended=5, passed=True)  # fmt: skip
        class_services.close_class(by=staff_user, training_class=training_class)
        training_class.refresh_from_db()
        return training_class

    return make
