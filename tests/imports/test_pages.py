"""The import pages: check, see the problems, import; the templates; who may open what."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from credits.models import ActivityRecord, Status
from imports.models import ImportJob

from .helpers import ACTIVITY_HEADER, csv_bytes, upload, xlsx_bytes

ROWS = [["F001", "张伟", "class_day", 2, "2025-03-05", "第一期"], ["F002", "李娜", "online_hour", 10, "2025-04-01"]]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def check(client, data: bytes, name="records.xlsx", kind="activities", year=2025):
    return client.post(reverse("portal:imports"), {"kind": kind, "year": year, "file": upload(data, name)}, **EN)


def test_an_official_gets_403_and_anonymous_the_sign_in_page(client, officials, staff_user):
    job = ImportJob.objects.create(kind="activities", file="imports/x.csv", requested_by=staff_user)
    urls = [
        reverse("portal:imports"),
        reverse("portal:import-template", args=["activities"]),
        reverse("portal:import-job", args=[job.pk]),
        reverse("portal:import-job-status", args=[job.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(officials["zhang"].user)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("portal:import-confirm", args=[job.pk])).status_code == 403


def test_staff_checks_then_imports(client, staff_user, officials):
    client.force_login(staff_user)
    page = client.get(reverse("portal:imports"))
    assert page.status_code == 200 and '<h1 class="h3">数据导入</h1>' in page.text
    response = check(client, xlsx_bytes([ACTIVITY_HEADER, *ROWS]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:import-job", args=[job.pk])
    page = client.get(response["Location"], **EN)
    assert "No problems found." in page.text and "2 new rows will be added." in page.text
    assert "Import 2 rows" in page.text and "hx-get" not in page.text
    assert not ActivityRecord.objects.exists()
    done = client.post(reverse("portal:import-confirm", args=[job.pk]), **EN)
    new = ImportJob.objects.latest("id")
    assert done["Location"] == reverse("portal:import-job", args=[new.pk]) and not new.dry_run
    page = client.get(done["Location"], **EN)
    assert "Imported." in page.text and "2 rows added." in page.text and "being recomputed" in page.text
    assert ActivityRecord.objects.filter(status=Status.APPROVED).count() == 2
    again = client.post(reverse("portal:import-confirm", args=[job.pk]), **EN)  # the same dry run once more
    page = client.get(again["Location"], **EN)
    assert "2 rows already on record, skipped." in page.text and ActivityRecord.objects.count() == 2


def test_the_problems_by_row_and_column_in_chinese(client, staff_user, officials):
    client.force_login(staff_user)
    data = csv_bytes([ACTIVITY_HEADER, ROWS[0], ["F404", "", "class_day", "两天", "2025-03-05"]], encoding="gbk")
    response = client.post(reverse("portal:imports"), {"kind": "activities", "year": 2025,
                                                       "file": upload(data, "records.csv")})  # fmt: skip
    page = client.get(response["Location"])
    assert "发现 2 个问题，未写入任何数据。" in page.text
    assert '<td class="text-nowrap">3</td><td class="text-nowrap">工号</td>' in page.text
    assert "没有工号为“F404”的干部。" in page.text and "“两天”不是数字。" in page.text
    assert "Import" not in page.text.split('id="job-status"')[1].split("</div>")[0]
    assert not ActivityRecord.objects.exists()


def test_an_unreadable_or_oversized_file_says_so_in_plain_words(client, staff_user, settings):
    client.force_login(staff_user)
    response = check(client, bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100, "old.xls")
    page = client.get(response["Location"], **EN)
    assert "old-style Excel file (.xls)" in page.text
    settings.IMPORT_MAX_BYTES = 50
    response = check(client, csv_bytes([ACTIVITY_HEADER, *ROWS]), "big.csv")
    assert response.status_code == 200 and "The file is larger than" in response.text
    assert ImportJob.objects.count() == 1


def test_a_unit_admin_sees_only_activities_and_their_own_jobs(client, unit_admin_user, staff_user, officials):
    staff_job = ImportJob.objects.create(kind="units", file="imports/x.csv", requested_by=staff_user)
    client.force_login(unit_admin_user)
    page = client.get(reverse("portal:imports"), **EN)
    assert (
        'value="activities"' in page.text and 'value="units"' not in page.text and 'value="officials"' not in page.text
    )
    assert client.get(reverse("portal:import-job", args=[staff_job.pk])).status_code == 404
    assert client.post(reverse("portal:import-confirm", args=[staff_job.pk])).status_code == 404
    assert client.get(reverse("portal:import-template", args=["units"])).status_code == 403
    response = check(client, xlsx_bytes([ACTIVITY_HEADER, ROWS[0]]), kind="units")
    assert response.status_code == 200 and not ImportJob.objects.filter(requested_by=unit_admin_user).exists()
    response = check(client, xlsx_bytes([ACTIVITY_HEADER, ROWS[0]]))
    client.post(reverse("portal:import-confirm", args=[ImportJob.objects.latest("id").pk]))
    assert ActivityRecord.objects.get().status == Status.SUBMITTED
    page = client.get(reverse("portal:import-job", args=[ImportJob.objects.latest("id").pk]), **EN)
    assert "wait for the training section's review" in page.text


def test_the_template_round_trip(client, unit_admin_user, officials):
    client.force_login(unit_admin_user)
    response = client.get(reverse("portal:import-template", args=["activities"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="import-activities.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["导入数据", "代码表", "填写说明"]
    assert [c.value for c in book["导入数据"][1]][:5] == ["工号", "姓名", "学习类型", "数量", "日期"]
    codes = [[c.value for c in row] for row in book["代码表"].iter_rows()]
    flat = {v for row in codes for v in row if v}
    assert {"class_day", "参加培训班（天）", "脱产培训", "F001", "李娜"} <= flat
    assert "E001" not in flat  # another unit's official is not listed for a unit administrator
    sheet = book["导入数据"]
    sheet.append(["F001", "张伟", "参加培训班（天）", 2, "2025-03-05"])
    out = io.BytesIO()
    book.save(out)
    response = check(client, out.getvalue())
    job = ImportJob.objects.latest("id")
    assert (job.status, job.created, job.errors) == ("done", 1, [])


@pytest.mark.parametrize("kind", ["officials", "units"])
def test_staff_templates_for_units_and_officials(client, staff_user, officials, kind):
    client.force_login(staff_user)
    response = client.get(reverse("portal:import-template", args=[kind]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["导入数据"]["A1"].value in ("工号", "单位代码")
    assert "B01" in {c.value for row in book["代码表"].iter_rows() for c in row}


def test_the_status_block_polls_while_the_job_waits(client, staff_user):
    client.force_login(staff_user)
    job = ImportJob.objects.create(kind="activities", file="imports/x.csv", requested_by=staff_user, progress=40,
                                   status=ImportJob.Status.RUNNING)  # fmt: skip
    part = client.get(reverse("portal:import-job-status", args=[job.pk]), **EN)
    assert f'hx-get="{reverse("portal:import-job-status", args=[job.pk])}"' in part.text
    assert 'aria-valuenow="40"' in part.text and "<html" not in part.text
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, progress=100, rows_total=3, created=3)
    part = client.get(reverse("portal:import-job-status", args=[job.pk]), **EN)
    assert "hx-get" not in part.text and "3 new rows will be added." in part.text


def test_the_import_page_runs_a_fixed_number_of_queries(client, staff_user, django_assert_max_num_queries):
    client.force_login(staff_user)
    for _ in range(30):
        ImportJob.objects.create(kind="activities", file="imports/x.csv", requested_by=staff_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:imports")).status_code == 200
