"""Importing activity records: dry run, all or nothing, every problem by row and column, idempotent re-import,
who may import what, and a fixed number of queries however many rows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import ChangeLog
from credits.models import ActivityRecord, PublishedYear, Source, StaleScore, Status
from credits.services import create_record
from imports.models import ImportJob
from imports.services import start_import

from .helpers import ACTIVITY_HEADER, csv_bytes, upload, xlsx_bytes

GOOD = [
    ["F001", "张伟", "class_day", 2, "2025-03-05", "第一期"],
    ["F002", "李娜", "online_hour", "10", "2025/4/1", ""],
    ["F001", "", "参加上级中心组学习", "1", "2025年5月6日", ""],
]


def run(user, rows, *, dry_run=False, year=2025, header=ACTIVITY_HEADER, name="records.xlsx", data=None):
    data = data if data is not None else xlsx_bytes([header, *rows])
    return start_import(by=user, kind="activities", upload=upload(data, name), dry_run=dry_run, year=year)


def problems(job):
    return [(p["row"], p["column"], p["message"]) for p in job.errors]


def test_staff_import_creates_approved_records_marks_scores_and_asks_for_one_refresh(
    staff_user, officials, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = run(staff_user, GOOD)
    assert (job.status, job.dry_run, job.rows_total, job.created, job.skipped, job.errors) == (
        ImportJob.Status.DONE, False, 3, 3, 0, []
    )  # fmt: skip
    records = ActivityRecord.objects.order_by("occurred_on")
    assert [(r.official.staff_no, r.kind, r.category, r.quantity, r.occurred_on) for r in records] == [
        ("F001", "class_day", "offjob", Decimal("2.0"), date(2025, 3, 5)),
        ("F002", "online_hour", "online", Decimal("10.0"), date(2025, 4, 1)),
        ("F001", "superior_central_group", "group_study", Decimal("1.0"), date(2025, 5, 6)),
    ]
    assert {(r.status, r.source, r.created_by_id, r.reviewed_by_id) for r in records} == {
        (Status.APPROVED, Source.IMPORTED, staff_user.pk, staff_user.pk)
    }
    assert records[0].note == "第一期"
    assert ChangeLog.objects.filter(model="credits.activityrecord", action="create").count() == 3
    assert set(StaleScore.objects.values_list("official__staff_no", "year")) == {("F001", 2025), ("F002", 2025)}
    assert len(callbacks) == 1  # one recompute after the import, not one per row


def test_a_dry_run_writes_nothing_and_says_what_would_be_created(staff_user, officials):
    job = run(staff_user, GOOD, dry_run=True)
    assert (job.status, job.dry_run, job.created, job.errors) == (ImportJob.Status.DONE, True, 3, [])
    assert not ActivityRecord.objects.exists() and not ChangeLog.objects.exists()


def test_one_bad_row_and_nothing_is_written(staff_user, officials):
    logged = ChangeLog.objects.count()
    job = run(staff_user, [*GOOD, ["F001", "张伟", "class_day", "abc", "2025-06-01", ""]])
    assert job.status == ImportJob.Status.INVALID and job.created == 0
    assert problems(job) == [(5, "数量", "“abc” is not a number.")]
    assert not ActivityRecord.objects.exists()
    assert ChangeLog.objects.count() == logged and not StaleScore.objects.exists()


def test_every_problem_by_row_and_column(staff_user, officials):
    create_record(by=staff_user, official=officials["li"], kind="class_day", quantity=1, occurred_on=date(2025, 7, 1))
    rows = [
        ["X999", "", "class_day", 1, "2025-03-05"],  # 2 unknown staff number
        ["F001", "", "lecture", 1, "2025-03-05"],  # 3 unknown kind
        ["F001", "", "class_day", "two", "2025-03-05"],  # 4 not a number
        ["F001", "", "class_day", 0, "2025-03-05"],  # 5 out of range
        ["F001", "", "class_day", 1001, "2025-03-05"],  # 6 out of range
        ["F001", "", "class_day", 1.25, "2025-03-05"],  # 7 two decimals
        ["F001", "", "class_day", 1, "2024-12-31"],  # 8 outside the year
        ["F001", "", "class_day", 1, "2099-01-01"],  # 9 in the future
        ["F001", "", "class_day", 3, "2025-08-01"],  # 10 fine
        ["F001", "", "class_day", 3, "2025-08-01"],  # 11 same as row 10
        ["", "", "class_day", 1, ""],  # 12 missing staff number and date
        ["F001", "王五", "class_day", 1, "2025-08-02"],  # 13 not this official's name
        ["F001", "", "class_day", 1, "2025-08-03", "", "self_study"],  # 14 a fixed kind's category
        ["F001", "", "discretionary", 1, "2025-08-04", "", "", ""],  # 15 discretionary without category, points
        ["F002", "", "class_day", 1, "2025-07-01"],  # 16 already on record: skipped, not a problem
    ]
    job = run(staff_user, rows, header=[*ACTIVITY_HEADER, "计入类别", "赋分"])
    assert job.status == ImportJob.Status.INVALID
    assert problems(job) == [
        (2, "工号", "There is no official with staff number “X999”."),
        (3, "学习类型", "Unknown kind “lecture”; see the codes sheet of the template."),
        (4, "数量", "“two” is not a number."),
        (5, "数量", "The quantity must be more than 0 and at most 1000."),
        (6, "数量", "The quantity must be more than 0 and at most 1000."),
        (7, "数量", "The quantity may have at most one decimal place."),
        (8, "日期", "The date is not in 2025, the year being imported."),
        (9, "日期", "The date is in the future."),
        (11, "工号", "Same as row 10 (same official, kind, date and quantity). If it happened twice, "
                     "put it on one row with the quantities added up."),
        (12, "工号", "This value is required."),
        (12, "日期", "This value is required."),
        (13, "姓名", "Staff number F001 is 张伟, not 王五."),
        (14, "计入类别", "This kind always counts under “Off-job training”."),
        (15, "计入类别", "Choose the category the discretionary points count under."),
        (15, "赋分", "Discretionary points need the number of points."),
    ]  # fmt: skip
    assert job.skipped_rows == [16] and job.skipped == 1
    assert ActivityRecord.objects.count() == 1


def test_discretionary_points_with_category_and_points(staff_user, officials):
    job = run(staff_user, [["F001", "", "酌情赋分", 1, "2025-08-04", "市外调训", "在职自学", "2.5"]],
              header=[*ACTIVITY_HEADER, "category", "points"])  # fmt: skip
    assert job.status == ImportJob.Status.DONE, job.errors
    record = ActivityRecord.objects.get()
    assert (record.kind, record.category, record.points) == ("discretionary", "self_study", Decimal("2.5"))


def test_importing_the_same_file_twice_adds_nothing_twice(staff_user, officials):
    data = csv_bytes([ACTIVITY_HEADER, *GOOD], encoding="gbk")
    first = run(staff_user, None, data=data, name="records.csv")
    second = run(staff_user, None, data=data, name="records.csv")
    assert (first.created, first.skipped) == (3, 0)
    assert (second.status, second.created, second.skipped, second.skipped_rows) == (
        ImportJob.Status.DONE, 0, 3, [2, 3, 4]
    )  # fmt: skip
    assert ActivityRecord.objects.count() == 3


def test_unit_admin_imports_their_units_records_which_wait_for_review(unit_admin_user, officials):
    job = run(unit_admin_user, [GOOD[0], GOOD[2]])
    assert job.status == ImportJob.Status.DONE, job.errors
    assert set(ActivityRecord.objects.values_list("status", "reviewed_by")) == {(Status.SUBMITTED, None)}
    assert not StaleScore.objects.exists()  # nothing counts until approved


def test_unit_admin_cannot_import_another_units_officials_or_categories_the_section_enters(unit_admin_user, officials):
    rows = [
        ["E001", "王芳", "class_day", 1, "2025-03-05"],  # another unit's official
        ["F001", "", "menu_city_lecture", 1, "2025-03-05"],  # entered by the training section
        ["F001", "", "discretionary", 1, "2025-03-05", "", "offjob", 2],  # set by the training section
        ["F001", "", "class_day", 1, "2025-03-05"],  # fine, but nothing is written with the others
    ]
    job = run(unit_admin_user, rows, header=[*ACTIVITY_HEADER, "category", "points"])
    assert problems(job) == [
        (2, "工号", "Your unit has no official with staff number “E001”."),
        (3, "学习类型", "You may not enter records of this category; the training section enters them."),
        (4, "学习类型", "Only the training section sets discretionary points."),
    ]
    assert not ActivityRecord.objects.exists()


def test_an_official_may_not_import(officials):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(officials["zhang"].user, GOOD)
    assert not ImportJob.objects.exists()


def test_a_published_year_is_refused(staff_user, officials):
    PublishedYear.objects.create(year=2025)
    job = run(staff_user, GOOD)
    assert job.status == ImportJob.Status.INVALID
    assert problems(job)[0][0] == 0 and "published and locked" in problems(job)[0][2]
    assert not ActivityRecord.objects.exists()


def test_a_fixed_number_of_queries_however_many_rows(staff_user, officials):
    """Only the inserts grow with the rows, by batches (SQLite caps a statement's parameters; PostgreSQL takes 2000)."""

    def rows(n):
        return [["F001", "", "online_hour", 1 + i // 300, date(2025, 1, 1) + timedelta(days=i % 300)] for i in range(n)]

    def queries(n):
        ActivityRecord.objects.all().delete()
        with CaptureQueriesContext(connection) as context:
            job = run(staff_user, rows(n))
        assert job.status == ImportJob.Status.DONE and job.created == n
        inserts = [q for q in context.captured_queries if q["sql"].startswith("INSERT")]
        return len(context.captured_queries) - len(inserts), len(inserts)

    queries(1)  # the importer's permissions are cached from here on
    one_other, one_inserts = queries(1)
    many_other, many_inserts = queries(1500)
    assert many_other == one_other
    fields = len(ActivityRecord._meta.concrete_fields)
    per_batch = connection.ops.bulk_batch_size(["f"] * fields, [None] * 1500)
    assert many_inserts <= one_inserts + 2 * (1500 // per_batch + 1)


def test_a_baoji_year_imports_online_courses_with_their_credits_and_study_hours(staff_user, officials):
    """RULES §2.1/§3: an online course's credits come from the course (5–20), its hours are entered; a Baoji year's
    kinds file under its own categories, and a Kunshan kind in that year is kept (not counted)."""
    from credits.models import YearPolicy

    YearPolicy.objects.create(year=2025, policy="baoji-2009")
    header = [*ACTIVITY_HEADER, "计入类别", "赋分", "考核合格", "学时"]
    rows = [
        ["F001", "张伟", "online_course", 1, "2025-03-05", "", "", "12", "", "6"],
        ["F002", "李娜", "class_day", 4, "2025-04-01", "", "", "", "是", ""],
        ["F002", "李娜", "online_hour", 10, "2025-04-02", "", "", "", "", "12.5"],
    ]
    job = run(staff_user, rows, header=header)
    assert (job.status, job.created, job.errors) == (ImportJob.Status.DONE, 3, [])
    got = {(r.kind, r.category, r.points, r.hours) for r in ActivityRecord.objects.all()}
    assert got == {
        ("online_course", "basic", Decimal("12.0"), Decimal("6.0")),
        ("class_day", "basic", None, None),
        ("online_hour", "online", None, Decimal("12.5")),
    }


def test_a_course_without_its_credits_or_out_of_range_is_refused_by_row_and_column(staff_user, officials):
    from credits.models import YearPolicy

    YearPolicy.objects.create(year=2025, policy="baoji-2009")
    header = [*ACTIVITY_HEADER, "计入类别", "赋分", "考核合格", "学时"]
    rows = [
        ["F001", "张伟", "online_course", 1, "2025-03-05", "", "", "", "", ""],
        ["F001", "张伟", "online_course", 1, "2025-03-06", "", "", "20.1", "", ""],
        ["F001", "张伟", "class_day", 1, "2025-03-07", "", "", "", "", "-1"],
    ]
    job = run(staff_user, rows, header=header)
    assert job.created == 0 and not ActivityRecord.objects.exists()
    columns = {(row, column) for row, column, _message in problems(job)}
    assert {(2, "赋分"), (3, "赋分"), (4, "学时")} <= columns  # the file's own headers
