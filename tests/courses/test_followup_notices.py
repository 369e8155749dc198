"""Training follow-up told to whoever owes it (courses.services.followup_notices, run daily by beat): a trainee of
their self-evaluation and study summary when due and when overdue, the training section of forums and yearly
reviews overdue; each item once per state; and the nightly mixing of survey answers (courses.tasks)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from courses import tasks
from courses.models import ClassStatus, Enrolment, SelfEvaluation, StudySummary, Survey, TrainingClass
from courses.services.followup import draw_follow_up_sample, record_forum, record_review
from courses.services.followup_notices import notify_follow_up
from notifications.models import Notification, NotificationKind
from notifications.texts import notification_text
from organisation.roles import org_staff_user_ids

pytestmark = pytest.mark.django_db

DUE, OVERDUE = NotificationKind.FOLLOW_UP_DUE, NotificationKind.FOLLOW_UP_OVERDUE


@pytest.fixture
def closed_class(new_class, officials, staff_user):
    """A class of 张伟 (login), 李娜 (no login) and 王芳 (login) that ended on 31 January 2026 and was closed."""

    def make(ends_on: date = date(2026, 1, 31), code: str | None = None) -> TrainingClass:
        training_class = new_class(**({"code": code} if code else {}))
        TrainingClass.objects.filter(pk=training_class.pk).update(
            status=ClassStatus.CLOSED, starts_on=ends_on - timedelta(days=4), ends_on=ends_on,
            closed_at=timezone.make_aware(timezone.datetime.combine(ends_on, timezone.datetime.min.time())),
        )  # fmt: skip
        for official in officials.values():
            Enrolment.objects.create(training_class=training_class, official=official, unit=official.unit,
                                     days_attended=5, passed=True)  # fmt: skip
        training_class.refresh_from_db()
        return training_class

    return make


def told(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


def test_a_trainee_is_told_when_the_summary_is_due_then_once_more_when_it_is_overdue(closed_class, officials):
    klass = closed_class()  # summary due 30 April 2026 (31 January + 3 months)
    zhang = officials["zhang"].user
    notify_follow_up(today=date(2026, 4, 15))  # 15 days before: not yet (the self-evaluation is overdue by then)
    assert not told(zhang).filter(params__what="study_summary").exists()
    assert told(zhang, OVERDUE).filter(params__what="self_evaluation").count() == 1
    notify_follow_up(today=date(2026, 4, 16))  # 14 days before: due
    due = told(zhang, DUE).filter(params__what="study_summary")
    assert due.count() == 1 and due.get().url == f"/training/classes/{klass.code}/summary/"
    notify_follow_up(today=date(2026, 4, 20))
    assert told(zhang, DUE).filter(params__what="study_summary").count() == 1  # told once per state
    notify_follow_up(today=date(2026, 5, 1))
    overdue = told(zhang, OVERDUE).filter(params__what="study_summary")
    assert overdue.count() == 1
    with translation.override("zh-hans"):
        assert notification_text(overdue.get()) == (
            f"您在“{klass.title}”的学习总结应于 2026-04-30 前提交，目前尚未提交。"
        )
    notify_follow_up(today=date(2026, 5, 2))
    assert told(zhang, OVERDUE).filter(params__what="study_summary").count() == 1


def test_what_is_done_is_not_told_and_a_trainee_without_a_login_is_skipped(closed_class, officials):
    klass = closed_class()
    zhang, wang = officials["zhang"], officials["wang"]
    StudySummary.objects.create(enrolment=Enrolment.objects.get(training_class=klass, official=zhang), title="总结",
                                text="学有所获")  # fmt: skip
    SelfEvaluation.objects.create(enrolment=Enrolment.objects.get(training_class=klass, official=zhang),
                                  knowledge="学到很多", before=2, after=4)  # fmt: skip
    notify_follow_up(today=date(2026, 6, 1))
    assert not told(zhang.user).exists()
    assert set(told(wang.user).values_list("kind", "params__what")) == {
        (OVERDUE, "study_summary"), (OVERDUE, "self_evaluation")
    }  # fmt: skip
    # 李娜 has no login: nobody to tell, and nobody else is told her items.
    assert not Notification.objects.filter(params__official_id=officials["li"].pk).exists()


def test_the_training_section_is_told_of_an_overdue_forum_once_and_not_of_one_recorded(
    closed_class, staff_user, officials, unit_admin_user
):
    klass = closed_class()
    other = closed_class(code="C9999")
    record_forum(by=staff_user, training_class=other, held_on=date(2026, 3, 10), attendees=3, summary="座谈交流")
    notify_follow_up(today=date(2026, 4, 16))  # forum due (by 30 April): not told to staff while only due
    assert not told(staff_user).filter(params__what="forum").exists()
    notify_follow_up(today=date(2026, 5, 1))
    forums = told(staff_user, OVERDUE).filter(params__what="forum")
    assert list(forums.values_list("params__class_code", flat=True)) == [klass.code]
    assert forums.get().url == f"/training/classes/{klass.code}/follow-up/"
    notify_follow_up(today=date(2026, 5, 9))
    assert told(staff_user, OVERDUE).filter(params__what="forum").count() == 1
    # Officials and unit administrators are not told of the section's work.
    for user in (officials["zhang"].user, unit_admin_user):
        assert not told(user).filter(params__what__in=["forum", "review"]).exists()


def test_a_rounds_reviews_are_told_as_one_item_with_how_many_are_left(closed_class, staff_user):
    klass = closed_class(ends_on=date(2025, 1, 31))
    sample = draw_follow_up_sample(by=staff_user, training_class=klass, round=1, size=3, seed=7)
    first = sample.reviews.order_by("pk").first()
    record_review(by=staff_user, review=first, done_on=date(2026, 1, 20), method="talk", outcome="some",
                  finding="能运用所学推进工作")  # fmt: skip
    notify_follow_up(today=date(2026, 2, 1))  # due 31 January 2026
    reviews = told(staff_user, OVERDUE).filter(params__what="review")
    assert reviews.count() == 1
    note = reviews.get()
    assert note.params["pending"] == 2 and note.params["round"] == 1
    with translation.override("zh-hans"):
        assert "第 1 年追踪回访" in notification_text(note) and "尚有 2 名抽中学员未登记" in notification_text(note)


def test_an_undrawn_round_overdue_is_told_as_such(closed_class, staff_user):
    closed_class(ends_on=date(2025, 1, 31))
    notify_follow_up(today=date(2026, 2, 2))
    note = told(staff_user, OVERDUE).get(params__what="review")
    with translation.override("zh-hans"):
        assert "尚未抽取学员" in notification_text(note)


def test_org_staff_are_the_holders_of_the_permission(staff_user, unit_admin_user, officials):
    admin = User.objects.create_superuser("root", password="pw-secret-123")
    gone = User.objects.create_superuser("gone", password="pw-secret-123", is_active=False)
    ids = org_staff_user_ids()
    assert staff_user.pk in ids and admin.pk in ids
    assert gone.pk not in ids and unit_admin_user.pk not in ids and officials["zhang"].user_id not in ids


def test_the_beat_task_tells_today(closed_class, officials):
    closed_class(ends_on=timezone.localdate() - timedelta(days=200))
    assert tasks.notify_follow_up() > 0
    assert tasks.notify_follow_up() == 0


def test_the_nightly_mix_takes_open_and_just_closed_surveys_only(staff_user, monkeypatch):
    from courses.models import Questionnaire
    from courses.questionnaire_data import NEEDS, ensure_questionnaires

    ensure_questionnaires()
    questionnaire, today = Questionnaire.objects.get(code=NEEDS), timezone.localdate()

    def survey(code, opens, closes):
        Survey.objects.create(code=code, title=code, questionnaire=questionnaire, opens_on=opens, closes_on=closes)

    survey("open", today - timedelta(days=3), today + timedelta(days=3))
    survey("just-closed", today - timedelta(days=30), today - timedelta(days=7))
    survey("long-closed", today - timedelta(days=30), today - timedelta(days=8))
    survey("not-open", today + timedelta(days=1), today + timedelta(days=30))
    mixed = []
    monkeypatch.setattr("courses.services.surveys.mix_responses", lambda *, survey: mixed.append(survey.code) or 1)
    assert tasks.mix_survey_responses() == 2
    assert sorted(mixed) == ["just-closed", "open"]
