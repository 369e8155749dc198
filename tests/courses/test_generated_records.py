"""credits.services.put_generated_records, the one way organised training writes credit records: created approved
(source "generated"), updated in place, deleted when dropped, every write audited, scores marked stale with one
refresh, refused in a published year and for values the year's rules refuse."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from audit.models import ChangeLog
from credits.models import ActivityRecord, PublishedYear, Source, StaleScore, Status, YearPolicy
from credits.services import GeneratedRecord, YearLocked, put_generated_records
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db
DAY = date(YEAR, 6, 30)


def spec(official, kind="class_day", quantity=3, **extra) -> GeneratedRecord:
    return GeneratedRecord(official_id=official.pk, kind=kind, quantity=Decimal(quantity), occurred_on=DAY, **extra)


def test_created_records_are_approved_generated_and_audited(staff_user, officials):
    zhang, li = officials["zhang"], officials["li"]
    records = put_generated_records(by=staff_user, changes=[(None, spec(zhang)), (None, spec(li, "class_speech", 1))],
                                    reason="班次结业")  # fmt: skip
    assert [r.official for r in records] == [zhang, li]
    for record in records:
        assert (record.status, record.source, record.reviewed_by) == (Status.APPROVED, Source.GENERATED, staff_user)
        assert record.category == "offjob"
        entry = ChangeLog.objects.get(model="credits.activityrecord", object_id=str(record.pk))
        assert (entry.action, entry.reason, entry.actor) == ("create", "班次结业", staff_user)
    assert set(StaleScore.objects.values_list("official_id", "year")) == {(zhang.pk, YEAR), (li.pk, YEAR)}


def test_an_update_changes_the_same_record_and_an_unchanged_one_is_not_touched(staff_user, officials):
    zhang = officials["zhang"]
    [record] = put_generated_records(by=staff_user, changes=[(None, spec(zhang))], reason="r")
    [same] = put_generated_records(by=staff_user, changes=[(record, spec(zhang))], reason="again")
    assert same.pk == record.pk and not ChangeLog.objects.filter(action="update").exists()
    [updated] = put_generated_records(by=staff_user, changes=[(record, spec(zhang, quantity=2, class_passed=False))],
                                      reason="更正")  # fmt: skip
    assert updated.pk == record.pk and ActivityRecord.objects.count() == 1
    stored = ActivityRecord.objects.get()
    assert (stored.quantity, stored.class_passed) == (2, False)
    entry = ChangeLog.objects.get(action="update")
    assert entry.old == {"quantity": "3.0", "class_passed": True} and entry.reason == "更正"
    assert entry.new == {"quantity": "2.0", "class_passed": False}


def test_a_dropped_record_is_deleted_and_audited(staff_user, officials):
    zhang = officials["zhang"]
    [record] = put_generated_records(by=staff_user, changes=[(None, spec(zhang))], reason="r")
    StaleScore.objects.all().delete()
    assert put_generated_records(by=staff_user, changes=[(record, None)], reason="撤销") == [None]
    assert not ActivityRecord.objects.exists()
    entry = ChangeLog.objects.get(action="delete")
    assert entry.old["quantity"] == "3.0" and entry.reason == "撤销"
    assert StaleScore.objects.filter(official=zhang, year=YEAR).exists()  # the year's score follows


def test_a_record_moved_to_another_year_marks_both_years(staff_user, officials):
    zhang = officials["zhang"]
    [record] = put_generated_records(by=staff_user, changes=[(None, spec(zhang))], reason="r")
    StaleScore.objects.all().delete()
    moved = GeneratedRecord(
        official_id=zhang.pk, kind="class_day", quantity=Decimal(3), occurred_on=date(YEAR - 1, 12, 1)
    )
    put_generated_records(by=staff_user, changes=[(record, moved)], reason="r")
    assert set(StaleScore.objects.values_list("year", flat=True)) == {YEAR - 1, YEAR}


def test_one_refresh_is_asked_for_whatever_the_number_of_records(staff_user, officials, many_officials,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    trainees = many_officials(50)
    with django_capture_on_commit_callbacks() as callbacks:
        put_generated_records(by=staff_user, changes=[(None, spec(o)) for o in trainees], reason="r")
    assert len(callbacks) == 1


def test_the_years_policy_is_read_once_not_per_record(staff_user, many_officials):
    """Regression: the policy of the year was read twice per record (1,000 queries for a class of 500)."""
    trainees = many_officials(60)
    with CaptureQueriesContext(connection) as queries:
        put_generated_records(by=staff_user, changes=[(None, spec(o)) for o in trainees], reason="r")
    assert sum("credits_yearpolicy" in q["sql"] for q in queries.captured_queries) == 1


def test_values_the_years_rules_refuse_name_the_official_and_write_nothing(staff_user, officials):
    zhang, li = officials["zhang"], officials["li"]
    future = GeneratedRecord(official_id=li.pk, kind="class_day", quantity=Decimal(1),
                             occurred_on=timezone.localdate() + timedelta(days=2))  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError) as error:
        put_generated_records(by=staff_user, changes=[(None, spec(zhang, quantity=0)), (None, future)], reason="r")
    messages = error.value.messages
    assert messages[0].startswith("张伟: ") and messages[1] == "李娜: The date is in the future."
    assert not ActivityRecord.objects.exists() and not StaleScore.objects.exists()


def test_a_published_year_is_locked(staff_user, officials):
    PublishedYear.objects.create(year=YEAR, published_by=staff_user)
    with pytest.raises(YearLocked):
        put_generated_records(by=staff_user, changes=[(None, spec(officials["zhang"]))], reason="r")
    assert not ActivityRecord.objects.exists()


def test_a_kind_of_another_policy_is_kept_under_its_own_category(staff_user, officials):
    """A Baoji year keeps a Kunshan kind (not counted there): its category is the policy's that names it."""
    YearPolicy.objects.create(year=YEAR, policy="baoji-2009")
    [record] = put_generated_records(by=staff_user, changes=[(None, spec(officials["zhang"], "class_speech", 1))],
                                     reason="r")  # fmt: skip
    assert record.category == "offjob"
    [day] = put_generated_records(by=staff_user, changes=[(None, spec(officials["li"], "class_day", 3))], reason="r")
    assert day.category == "basic"


def test_nothing_changed_marks_nothing_stale(staff_user, officials, django_capture_on_commit_callbacks):
    """Regression: putting the same values again (a class closed again with nothing corrected) marked every
    trainee's year stale and recomputed them all."""
    [record] = put_generated_records(by=staff_user, changes=[(None, spec(officials["zhang"]))], reason="r")
    StaleScore.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        put_generated_records(by=staff_user, changes=[(record, spec(officials["zhang"]))], reason="again")
    assert not StaleScore.objects.exists() and callbacks == []
