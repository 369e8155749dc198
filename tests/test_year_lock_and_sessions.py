"""Services behind the portal: published (locked) years, central-group sessions, bulk approval, notifications."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.models import ChangeLog
from credits import services
from credits.models import ActivityRecord, AnnualScore, GroupStudySession, PublishedYear, StaleScore
from notifications.models import Notification
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def declare(by, official, **extra):
    return services.create_record(by=by, official=official, kind="class_reflection", quantity=1,
                                  occurred_on=extra.pop("occurred_on", date(YEAR, 5, 1)), **extra)  # fmt: skip


def test_a_published_year_refuses_every_change_until_reopened(staff_user, officials):
    zhang = officials["zhang"]
    pending = declare(zhang.user, zhang)
    approved = declare(staff_user, zhang)
    services.publish_year(by=staff_user, year=YEAR, override_reason="the waiting record is decided next year")
    locked = pytest.raises(ValidationError, match="published")
    with locked:
        declare(zhang.user, zhang)
    with pytest.raises(ValidationError, match="published"):
        services.approve_record(by=staff_user, record=pending)
    with pytest.raises(ValidationError, match="published"):
        services.approve_records(by=staff_user, record_ids=[pending.pk])
    with pytest.raises(ValidationError, match="published"):
        services.delete_record(by=staff_user, record=approved)
    with pytest.raises(ValidationError, match="published"):
        services.record_veto(by=staff_user, official=zhang, year=YEAR, reason="discipline")
    with pytest.raises(ValidationError, match="published"):
        services.update_record(by=staff_user, record=approved, quantity=2)
    pending.refresh_from_db()
    assert pending.status == "submitted" and ActivityRecord.objects.count() == 2
    # Another year stays open.
    declare(zhang.user, zhang, occurred_on=date(YEAR - 1, 5, 1))


def test_reopening_needs_a_reason_and_is_logged(staff_user, officials):
    services.publish_year(by=staff_user, year=YEAR)
    with pytest.raises(ValidationError, match="reason"):
        services.reopen_year(by=staff_user, year=YEAR, reason="  ")
    assert PublishedYear.objects.filter(year=YEAR).exists()
    services.reopen_year(by=staff_user, year=YEAR, reason="市纪委通报后更正一条记录")
    assert not PublishedYear.objects.filter(year=YEAR).exists()
    log = ChangeLog.objects.get(model="credits.publishedyear", action="delete")
    assert log.reason == "市纪委通报后更正一条记录" and log.actor == staff_user
    declare(officials["zhang"].user, officials["zhang"])  # open again


def test_only_staff_publish_and_reopen(unit_admin_user, officials):
    with pytest.raises(PermissionDenied):
        services.publish_year(by=unit_admin_user, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.reopen_year(by=officials["zhang"].user, year=YEAR, reason="x")


def test_a_session_is_entered_once_and_gives_each_attendee_the_right_record(unit_admin_user, officials):
    zhang, li = officials["zhang"], officials["li"]
    session = services.record_group_study_session(
        by=unit_admin_user, unit=zhang.unit, occurred_on=date(YEAR, 3, 5), topic="学习二十届四中全会精神",
        speakers=[zhang], listeners=[li],
    )  # fmt: skip
    records = {r.official_id: r for r in session.records.all()}
    assert records[zhang.pk].kind == "central_group_speaker" and records[li.pk].kind == "central_group_listener"
    assert {r.status for r in records.values()} == {"submitted"}  # a unit administrator's entries wait for review
    assert {r.category for r in records.values()} == {"group_study"}
    assert ChangeLog.objects.filter(model="credits.activityrecord", action="create").count() == 2


def test_a_session_with_a_stranger_or_no_topic_writes_nothing(unit_admin_user, officials):
    with pytest.raises(ValidationError) as error:
        services.record_group_study_session(
            by=unit_admin_user, unit=officials["zhang"].unit, occurred_on=date(YEAR, 3, 5), topic="",
            speakers=[officials["zhang"]], listeners=[officials["wang"]],
        )  # fmt: skip
    assert set(error.value.message_dict) == {"topic", "speakers"}
    assert not GroupStudySession.objects.exists() and not ActivityRecord.objects.exists()


def test_a_session_twice_and_a_speaker_who_also_listens_are_refused(unit_admin_user, officials):
    zhang, li = officials["zhang"], officials["li"]
    entry = {"by": unit_admin_user, "unit": zhang.unit, "occurred_on": date(YEAR, 3, 5), "topic": "专题学习"}
    with pytest.raises(ValidationError, match="both"):
        services.record_group_study_session(**entry, speakers=[zhang], listeners=[zhang, li])
    services.record_group_study_session(**entry, listeners=[li])
    with pytest.raises(ValidationError, match="already"):
        services.record_group_study_session(**entry, listeners=[zhang])
    assert GroupStudySession.objects.count() == 1


def test_an_administrator_enters_sessions_only_for_their_unit(unit_admin_user, officials):
    with pytest.raises(PermissionDenied):
        services.record_group_study_session(
            by=unit_admin_user,
            unit=officials["wang"].unit,
            occurred_on=date(YEAR, 3, 5),
            topic="t",
            listeners=[officials["wang"]],
        )


def test_staff_sessions_are_approved_and_scored(staff_user, officials, django_capture_on_commit_callbacks):
    zhang, li = officials["zhang"], officials["li"]
    with django_capture_on_commit_callbacks(execute=True):
        services.record_group_study_session(by=staff_user, unit=zhang.unit, occurred_on=date(YEAR, 3, 5),
                                            topic="t", speakers=[zhang], listeners=[li])  # fmt: skip
    assert AnnualScore.objects.get(official=zhang, year=YEAR).category_score("group_study") == 2
    assert AnnualScore.objects.get(official=li, year=YEAR).category_score("group_study") == 1


def test_bulk_approval_skips_reviewed_records_scores_once_and_notifies(
    staff_user, unit_admin_user, officials, django_capture_on_commit_callbacks
):
    zhang, li = officials["zhang"], officials["li"]
    mine = declare(zhang.user, zhang)
    entered = declare(unit_admin_user, li)
    rejected = declare(zhang.user, zhang, occurred_on=date(YEAR, 6, 1))
    services.reject_record(by=staff_user, record=rejected, reason="无佐证")
    with django_capture_on_commit_callbacks(execute=True):
        approved = services.approve_records(by=staff_user, record_ids=[mine.pk, entered.pk, rejected.pk])
    assert approved == 2
    assert set(ActivityRecord.objects.filter(status="approved").values_list("pk", flat=True)) == {mine.pk, entered.pk}
    assert not StaleScore.objects.exists()
    assert AnnualScore.objects.get(official=zhang, year=YEAR).category_score("offjob") == 2
    # zhang hears about both reviews; the administrator who entered li's record hears about it (li has no login).
    assert Notification.objects.filter(recipient=zhang.user).count() == 2
    assert Notification.objects.filter(recipient=unit_admin_user, kind="record_approved").count() == 1
    assert not Notification.objects.filter(recipient=staff_user).exists()


def test_only_staff_bulk_approve(unit_admin_user, officials):
    record = declare(unit_admin_user, officials["li"])
    with pytest.raises(PermissionDenied):
        services.approve_records(by=unit_admin_user, record_ids=[record.pk])
    record.refresh_from_db()
    assert record.status == "submitted"
