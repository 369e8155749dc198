"""Officials' dates of birth (the reserve pool's age rule reads them, RULES §6): the officials import's optional
出生日期 column and the admin site, where the date of birth is the one field the training section may correct.
The reserve pool itself is read-only in the admin."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

from audit.models import ChangeLog
from credits.models import StaleScore
from imports.services import start_import
from imports.workbook import template_workbook
from organisation.models import Official
from tests.imports.helpers import upload, xlsx_bytes

HEADER = ["工号", "姓名", "单位代码", "职级", "纳入市管日期", "退休日期", "出生日期"]


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the import keeps its upload
    with translation.override("en"):
        yield


def run(user, rows, header=HEADER):
    return start_import(by=user, kind="officials", upload=upload(xlsx_bytes([header, *rows])), dry_run=False)


def problems(job):
    return [(p["row"], p["column"], p["message"]) for p in job.errors]


def test_the_import_sets_birth_dates_of_new_and_known_officials(staff_user, units, officials):
    rows = [
        ["N001", "赵六", "B01", "", "", "", "1986-04-12"],
        ["N002", "钱七", "B02", "", "", "", "1990年2月28日"],
        ["F001", "张伟", "B01", "section_chief", "", "", date(1985, 11, 3)],  # an Excel date cell
        ["F002", "李娜", "B01", "deputy_section", "", "", ""],  # unchanged: no date given
    ]
    job = run(staff_user, rows)
    assert (job.status, job.created, job.updated, job.skipped) == ("done", 2, 1, 1), job.errors
    born = dict(Official.objects.values_list("staff_no", "birth_date"))
    assert born["N001"] == date(1986, 4, 12) and born["N002"] == date(1990, 2, 28)
    assert born["F001"] == date(1985, 11, 3) and born["F002"] is None
    change = ChangeLog.objects.get(model="organisation.official", action="update", object_id=str(officials["zhang"].pk))
    assert change.new == {"birth_date": "1985-11-03"}
    # A birth date changes no score: nothing is marked for recompute for zhang.
    assert not StaleScore.objects.filter(official=officials["zhang"]).exists()
    again = run(staff_user, rows)
    assert (again.created, again.updated, again.skipped) == (0, 0, 4)


def test_an_empty_birth_date_keeps_the_one_on_record(staff_user, units, officials):
    Official.objects.filter(pk=officials["li"].pk).update(birth_date=date(1992, 7, 1))
    job = run(staff_user, [["F002", "李娜", "B01", "deputy_section", "", "", ""]])
    assert (job.status, job.skipped) == ("done", 1)
    assert Official.objects.get(pk=officials["li"].pk).birth_date == date(1992, 7, 1)


def test_files_without_the_column_still_import(staff_user, units, officials):
    job = run(staff_user, [["N001", "赵六", "B01"]], header=["工号", "姓名", "单位代码"])
    assert job.status == "done" and Official.objects.get(staff_no="N001").birth_date is None


def test_bad_birth_dates_are_named_by_row_and_nothing_is_written(staff_user, units, officials):
    tomorrow = timezone.localdate() + timedelta(days=1)
    rows = [
        ["N001", "赵六", "B01", "", "", "", "1986-02-30"],  # 2 not a date
        ["N002", "钱七", "B01", "", "", "", tomorrow.isoformat()],  # 3 in the future
        ["N003", "孙八", "B01", "", "", "", "1899-12-31"],  # 4 before 1900
        ["N004", "周九", "B01", "", "", "", "1900-01-01"],  # fine: the earliest taken (as in the API)
    ]
    job = run(staff_user, rows)
    assert job.status == "invalid"
    assert problems(job) == [
        (2, "出生日期", "“1986-02-30” is not a date; write it as 2025-03-05."),
        (3, "出生日期", "The date of birth must be a past date after 1900."),
        (4, "出生日期", "The date of birth must be a past date after 1900."),
    ]
    assert not Official.objects.filter(staff_no__startswith="N").exists()


@pytest.mark.parametrize("header", ["出生日期", "生日", "birth_date"])
def test_the_column_by_its_other_names(staff_user, units, officials, header):
    job = run(staff_user, [["N001", "赵六", "B01", "19860412"]], header=["工号", "姓名", "单位代码", header])
    assert job.status == "done", job.errors
    assert Official.objects.get(staff_no="N001").birth_date == date(1986, 4, 12)


def test_the_template_has_the_birth_date_column_as_dates(staff_user, units):
    book = openpyxl.load_workbook(io.BytesIO(template_workbook("officials", staff_user)))
    sheet = book["导入数据"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[-1] == "出生日期"
    assert sheet.cell(row=2, column=len(headers)).number_format == "yyyy-mm-dd"
    assert sheet.cell(row=1, column=len(headers)).comment.text  # what to write, in Chinese


# -- the admin site ----------------------------------------------------------------------------------------------


@pytest.fixture
def admin_site_client(staff_user):
    staff_user.is_staff = True  # the training section's admin access (as demo_orgstaff)
    staff_user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff_user)
    return client


def change_url(official) -> str:
    return f"/admin/organisation/official/{official.pk}/change/"


def test_the_admin_lists_and_corrects_a_birth_date_audited(admin_site_client, officials, staff_user):
    zhang = officials["zhang"]
    Official.objects.filter(pk=zhang.pk).update(birth_date=date(1958, 3, 1))
    listing = admin_site_client.get("/admin/organisation/official/")
    assert listing.status_code == 200 and "Date of birth" in listing.content.decode()
    page = admin_site_client.get(change_url(zhang))
    assert page.status_code == 200 and 'name="birth_date"' in page.content.decode()
    assert 'name="name"' not in page.content.decode()  # the rest changes through the services (scores follow)
    response = admin_site_client.post(change_url(zhang), {"birth_date": "1985-03-01", "name": "改名"})
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert (zhang.birth_date, zhang.name) == (date(1985, 3, 1), "张伟")
    change = ChangeLog.objects.get(model="organisation.official", action="update")
    assert (change.actor, change.old, change.new) == (
        staff_user, {"birth_date": "1958-03-01"}, {"birth_date": "1985-03-01"})  # fmt: skip


def test_the_admin_refuses_a_birth_date_in_the_future(admin_site_client, officials):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = admin_site_client.post(change_url(officials["zhang"]), {"birth_date": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "The date of birth must be a past date after 1900." in response.content.decode()
    assert Official.objects.get(pk=officials["zhang"].pk).birth_date is None
    assert not ChangeLog.objects.filter(model="organisation.official").exists()


def test_the_admin_adds_and_deletes_no_official(admin_site_client, officials):
    assert admin_site_client.get("/admin/organisation/official/add/").status_code == 403
    assert admin_site_client.get(f"/admin/organisation/official/{officials['li'].pk}/delete/").status_code == 403


def test_a_unit_administrator_has_no_admin_site(unit_admin_user, officials):
    client = Client()
    client.force_login(unit_admin_user)
    response = client.get(change_url(officials["zhang"]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_reserve_pool_is_read_only_in_the_admin(officials, staff_user):
    from reserve_cadres.models import Reserve

    superuser = get_user_model().objects.create_superuser("root", password="pw-secret-123")
    reserve = Reserve.objects.create(official=officials["zhang"], level="section_chief", stream="economic",
                                     decided_on=date(2025, 3, 1))  # fmt: skip
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(superuser)
    assert client.get("/admin/reserve_cadres/reserve/").status_code == 200
    page = client.get(f"/admin/reserve_cadres/reserve/{reserve.pk}/change/")
    assert page.status_code == 200 and 'name="level"' not in page.content.decode()  # writes go through services
    assert client.get("/admin/reserve_cadres/reserve/add/").status_code == 403
    assert client.get("/admin/reserve_cadres/defense/").status_code == 200
