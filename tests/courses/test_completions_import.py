"""The online academy's export imported through the import machinery (imports.registry, kind online_completions):
xlsx and csv, dry run, problems by row and column in plain words, all rows or none, one recompute."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from courses.models import OnlineCompletion
from courses.services import online
from credits.models import ActivityRecord, PublishedYear, YearPolicy
from imports.models import ImportJob
from imports.registry import is_known, kind_label
from imports.services import may_import
from tests.conftest import YEAR, client_for
from tests.courses.fixtures_catalogue import *  # noqa: F403 (its fixtures)
from tests.courses.fixtures_catalogue import records_of, score_of, today
from tests.imports.helpers import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/online_completions/"
HEADER = ["工号", "姓名", "课程代码", "完成日期", "考试通过"]


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def post(client, data: bytes, name="completions.xlsx", **fields):
    return client.post(URL, {"file": upload(data, name), **fields}, format="multipart")


def rows():
    return [["F001", "张伟", "ON-101", f"{YEAR}-04-01", "是"], ["F002", "", "ON-101", f"{YEAR}/5/2", "否"],
            ["E001", "王芳", "ON-101", f"{YEAR}年6月3日", "通过"]]  # fmt: skip


def test_the_kind_is_registered_by_the_courses_app(staff_user, unit_admin_user):
    assert is_known("online_completions") and kind_label("online_completions") == "Online course completions"
    assert may_import(staff_user, "online_completions") and not may_import(unit_admin_user, "online_completions")


def test_a_dry_run_then_the_import_then_the_same_file_again(
    staff_api, officials, online_course, django_capture_on_commit_callbacks
):
    data = xlsx_bytes([HEADER, *rows()])
    dry = post(staff_api, data)
    assert dry.status_code == 200, dry.json()
    assert (dry.json()["status"], dry.json()["created"], dry.json()["errors"]) == ("done", 3, [])
    assert not OnlineCompletion.objects.exists() and not ActivityRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = post(staff_api, data, dry_run="false")
    assert done.status_code == 201 and done.json()["created"] == 3
    assert len([c for c in callbacks if c.__name__ == "_enqueue_refresh"]) == 1  # one recompute
    assert OnlineCompletion.objects.filter(source="imported").count() == 3
    # the exam passed gives a record, the one not passed none
    assert [r.kind for r in records_of(officials["zhang"])] == ["online_hour"]
    assert not records_of(officials["li"])
    assert score_of(officials["wang"]).total == Decimal(3)
    again = post(staff_api, data, dry_run="false")
    assert again.status_code == 201 and (again.json()["created"], again.json()["skipped"]) == (0, 3)
    assert ActivityRecord.objects.count() == 2


def test_a_csv_in_gbk_that_changes_completions_updates_them_and_their_records(staff_user, officials, online_course):
    online.record_completion(by=staff_user, course=online_course, official=officials["li"],
                             completed_on=date(YEAR, 3, 1), exam_passed=False)  # fmt: skip
    online.record_completion(by=staff_user, course=online_course, official=officials["zhang"],
                             completed_on=date(YEAR, 3, 1), exam_passed=True)  # fmt: skip
    zhang_record = records_of(officials["zhang"])[0].pk
    changed = [["F002", "李娜", "ON-101", f"{YEAR}-03-09", "是"], ["F001", "", "ON-101", f"{YEAR}-03-01", "否"]]
    data = csv_bytes([HEADER, *changed], encoding="gbk")
    response = post(client_for(staff_user), data, "academy.csv", dry_run="false")
    assert response.status_code == 201 and (response.json()["created"], response.json()["updated"]) == (0, 2)
    assert [(r.kind, r.occurred_on) for r in records_of(officials["li"])] == [("online_hour", date(YEAR, 3, 9))]
    assert not ActivityRecord.objects.filter(pk=zhang_record).exists()  # the exam not passed after all
    assert OnlineCompletion.objects.get(official=officials["zhang"]).record is None


def test_in_a_baoji_year_the_import_gives_the_course_s_credits(staff_api, officials, online_course):
    YearPolicy.objects.create(year=YEAR, policy="baoji-2009")
    response = post(staff_api, xlsx_bytes([HEADER, rows()[0]]), dry_run="false")
    assert response.status_code == 201
    (record,) = records_of(officials["zhang"])
    assert (record.kind, record.points, record.hours) == ("online_course", 8, 6)


def test_every_problem_by_row_and_column_and_nothing_written(staff_api, officials, online_course, classroom_course):
    future = str(today() + timedelta(days=1))
    data = xlsx_bytes([
        HEADER,
        ["F001", "张伟", "ON-101", f"{YEAR}-04-01", "是"],  # fine
        ["X404", "", "ON-101", f"{YEAR}-04-01", "是"],
        ["F002", "", "NOPE", f"{YEAR}-04-01", "是"],
        ["F002", "", "CR-201", f"{YEAR}-04-01", "是"],
        ["E001", "", "ON-101", future, "是"],
        ["E001", "", "ON-101", f"{YEAR}-04-01", "也许"],
        ["F001", "", "ON-101", f"{YEAR}-04-02", "否"],  # the same official and course again
        ["F002", "王芳", "ON-101", f"{YEAR}-04-01", "是"],
        ["F002", "", "ON-101", "", "是"],
    ])  # fmt: skip
    response = post(staff_api, data, dry_run="false")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 3, "column": "工号", "message": "There is no official with staff number “X404”."},
        {"row": 4, "column": "课程代码",
         "message": "There is no course “NOPE”; use a course code from the codes sheet."},
        {"row": 5, "column": "课程代码", "message": "“CR-201” is not an online course."},
        {"row": 6, "column": "完成日期", "message": "The date is in the future."},
        {"row": 7, "column": "考试通过", "message": "Write 是 (yes) or 否 (no), not “也许”."},
        {"row": 8, "column": "工号", "message": "Same official and course as row 2."},
        {"row": 9, "column": "姓名", "message": "Staff number F002 is 李娜, not 王芳."},
        {"row": 10, "column": "完成日期", "message": "This value is required."},
    ]  # fmt: skip
    assert not OnlineCompletion.objects.exists() and not ActivityRecord.objects.exists()


def test_a_published_year_stops_the_whole_file(staff_api, officials, online_course):
    PublishedYear.objects.create(year=YEAR)
    response = post(staff_api, xlsx_bytes([HEADER, *rows()]), dry_run="false")
    assert response.status_code == 400 and response.json()["errors"][0]["row"] == 0
    assert "published and locked" in response.json()["errors"][0]["message"]
    assert not OnlineCompletion.objects.exists()


@pytest.mark.parametrize("who", ["admin", "official"])
def test_only_the_training_section_imports_completions(unit_admin_user, officials, online_course, who):
    user = unit_admin_user if who == "admin" else officials["zhang"].user
    response = post(client_for(user), xlsx_bytes([HEADER, *rows()]), dry_run="false")
    assert response.status_code == 403
    assert not ImportJob.objects.exists() and not OnlineCompletion.objects.exists()


def test_the_template_lists_the_online_courses(staff_user, online_course, classroom_course, client):
    import io

    import openpyxl

    client.force_login(staff_user)
    response = client.get("/imports/templates/online_completions.xlsx")
    assert response.status_code == 200, response.status_code
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == HEADER
    codes = [row[0] for row in book.worksheets[1].iter_rows(min_row=3, values_only=True)]
    assert "ON-101" in codes and "CR-201" not in codes


def test_the_import_page_offers_the_kind_to_the_training_section_only(staff_user, unit_admin_user, client):
    client.force_login(staff_user)
    assert b'value="online_completions"' in client.get("/imports/").content
    client.force_login(unit_admin_user)
    assert b'value="online_completions"' not in client.get("/imports/").content


def test_an_unfinished_completions_import_holds_the_year_back_from_publishing(staff_user):
    """It writes records, as an activity import does: the years page counts it among what still waits."""
    from credits.selectors.city import year_blockers

    ImportJob.objects.create(
        kind="online_completions", year=2025, dry_run=False, status=ImportJob.Status.RUNNING, requested_by=staff_user
    )
    assert year_blockers(year=2025).imports == 1
    assert year_blockers(year=2024).imports == 0


def test_a_finished_completions_import_says_what_became_of_its_records(staff_user, client):
    """Its page says the records are approved and the scores recomputed, as an activity import's page does."""
    job = ImportJob.objects.create(
        kind="online_completions", year=2025, dry_run=False, status=ImportJob.Status.DONE, requested_by=staff_user,
        created=3, progress=100,
    )  # fmt: skip
    client.force_login(staff_user)
    page = client.get(f"/imports/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The records are approved; the scores are being recomputed." in page
    officials_job = ImportJob.objects.create(
        kind="officials", dry_run=False, status=ImportJob.Status.DONE, requested_by=staff_user, created=3, progress=100
    )
    assert (
        "scores are being recomputed"
        not in client.get(f"/imports/jobs/{officials_job.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
