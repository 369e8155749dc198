"""The import API: dry run true/false, problems by row and column, unreadable files, large files in the worker,
the job's progress, and who may import what."""

from __future__ import annotations

import pytest

from credits.models import ActivityRecord, Status
from imports.models import ImportJob
from organisation.models import Official, Unit
from tests.conftest import client_for

from .helpers import ACTIVITY_HEADER, csv_bytes, upload, xlsx_bytes

ROWS = [["F001", "张伟", "class_day", 2, "2025-03-05", "第一期"], ["F002", "李娜", "online_hour", 10, "2025-04-01"]]
URL = "/api/v1/imports/activities/"


def post(client, data: bytes, name="records.xlsx", url=URL, **fields):
    return client.post(url, {"file": upload(data, name), **fields}, format="multipart")


def test_dry_run_by_default_then_import(staff_api, officials):
    data = xlsx_bytes([ACTIVITY_HEADER, *ROWS])
    dry = post(staff_api, data, year=2025)
    assert dry.status_code == 200, dry.json()
    assert dry.json() | {"id": 0, "url": "", "created_at": "", "finished_at": ""} == {
        "id": 0, "url": "", "kind": "activities", "original_name": "records.xlsx", "year": 2025, "dry_run": True,
        "status": "done", "progress": 100, "rows_total": 2, "created": 2, "updated": 0, "skipped": 0,
        "skipped_rows": [], "error_count": 0, "errors": [], "created_at": "", "finished_at": "",
    }  # fmt: skip
    assert not ActivityRecord.objects.exists()
    done = post(staff_api, data, year=2025, dry_run="false")
    assert done.status_code == 201 and done.json()["created"] == 2
    assert ActivityRecord.objects.filter(status=Status.APPROVED).count() == 2
    again = post(staff_api, data, year=2025, dry_run="false")
    assert again.status_code == 201 and (again.json()["created"], again.json()["skipped"]) == (0, 2)
    assert ActivityRecord.objects.count() == 2


def test_problems_by_row_and_column_and_nothing_written(staff_api, officials):
    data = csv_bytes([ACTIVITY_HEADER, *ROWS, ["F404", "", "class_day", "1", "2025-03-06"]], encoding="gbk")
    dry = post(staff_api, data, "records.csv", year=2025, dry_run="true")
    assert dry.status_code == 200 and dry.json()["status"] == "invalid"
    assert dry.json()["errors"] == [
        {"row": 4, "column": "工号", "message": "There is no official with staff number “F404”."}
    ]
    real = post(staff_api, data, "records.csv", year=2025, dry_run="false")
    assert real.status_code == 400 and real.json()["errors"] == dry.json()["errors"]
    assert not ActivityRecord.objects.exists()


def test_problems_in_chinese_by_default(staff_user, officials):
    data = csv_bytes([ACTIVITY_HEADER, ["F001", "", "class_day", "两", "2025-03-06"]], encoding="gbk")
    response = post(client_for(staff_user, language="zh-hans"), data, "records.csv", year=2025)
    assert response.json()["errors"] == [{"row": 2, "column": "数量", "message": "“两”不是数字。"}]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100, "old.xls", "old-style Excel file (.xls)"),
        (b"%PDF-1.4 not a table", "x.pdf", "not a spreadsheet"),
        (csv_bytes([["a", "b"], ["1", "2"]]), "x.csv", "No header row found"),
    ],
)
def test_an_unreadable_file_is_a_400_with_a_plain_message(staff_api, officials, data, name, message):
    response = post(staff_api, data, name, year=2025)
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 0 and message in response.json()["errors"][0]["message"]


def test_a_file_over_the_limit_is_refused(staff_api, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = post(staff_api, csv_bytes([ACTIVITY_HEADER, *ROWS * 5]), "big.csv")
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 0.00 MB. Split it into smaller files and import "
                                        "them one by one."]}  # fmt: skip
    assert not ImportJob.objects.exists()


def test_a_missing_file_and_a_future_year_are_400(staff_api):
    assert staff_api.post(URL, {"dry_run": "true"}, format="multipart").status_code == 400
    response = post(staff_api, csv_bytes([ACTIVITY_HEADER]), "x.csv", year=2999)
    assert response.status_code == 400 and "year" in response.json()


def test_an_unknown_kind_is_404(staff_api):
    assert post(staff_api, b"x", url="/api/v1/imports/scores/").status_code == 404


def test_an_official_may_not_import_anything(officials):
    client = client_for(officials["zhang"].user)
    for kind in ("activities", "officials", "units"):
        response = post(client, xlsx_bytes([ACTIVITY_HEADER, *ROWS]), url=f"/api/v1/imports/{kind}/")
        assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_anonymous_is_refused():
    response = post(client_for(None), b"x")
    assert response.status_code in (401, 403)


def test_a_unit_admin_imports_activities_but_not_units_or_officials(unit_admin_user, officials):
    client = client_for(unit_admin_user)
    response = post(client, xlsx_bytes([ACTIVITY_HEADER, ROWS[0]]), year=2025, dry_run="false")
    assert response.status_code == 201
    assert ActivityRecord.objects.get().status == Status.SUBMITTED
    officials_file = csv_bytes([["工号", "姓名", "单位代码"], ["N001", "赵六", "B01"]])
    assert post(client, officials_file, "o.csv", url="/api/v1/imports/officials/").status_code == 403
    units_file = csv_bytes([["单位代码", "单位名称"], ["B99", "市档案馆"]])
    assert post(client, units_file, "u.csv", url="/api/v1/imports/units/").status_code == 403
    assert not Official.objects.filter(staff_no="N001").exists() and not Unit.objects.filter(code="B99").exists()


def test_the_job_can_be_read_back_by_its_owner_and_staff_only(unit_admin_user, staff_user, officials):
    response = post(client_for(unit_admin_user), xlsx_bytes([ACTIVITY_HEADER, ROWS[0]]), year=2025)
    url = response.json()["url"]
    assert response["Location"] == url
    assert client_for(unit_admin_user).get(url).json()["status"] == "done"
    assert client_for(staff_user).get(url).status_code == 200
    assert client_for(officials["wang"].user).get(url).status_code == 404


def test_a_large_file_runs_in_the_worker_and_its_progress_can_be_polled(
    staff_api, officials, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("imports.services.INLINE_MAX_ROWS", 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(staff_api, xlsx_bytes([ACTIVITY_HEADER, *ROWS]), year=2025, dry_run="false")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    assert not ActivityRecord.objects.exists()
    (callback,) = callbacks
    callback()  # the worker (in-process here) runs the task
    job = staff_api.get(response.json()["url"]).json()
    assert (job["status"], job["progress"], job["created"]) == ("done", 100, 2)
    assert ActivityRecord.objects.count() == 2
