"""Importing units and officials (the training section only): created in bulk, changed ones updated, unchanged
ones skipped, every problem by row and column, nothing written with a problem."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import ChangeLog
from credits.models import StaleScore
from imports.models import ImportJob
from imports.services import start_import
from organisation.models import Official, Unit

from .helpers import csv_bytes, upload, xlsx_bytes

UNIT_HEADER = ["单位代码", "单位名称", "单位类型", "上级单位代码"]
OFFICIAL_HEADER = ["工号", "姓名", "单位代码", "职级", "纳入市管日期", "退休日期"]


def run(user, kind, rows, header, *, dry_run=False):
    data = xlsx_bytes([header, *rows])
    return start_import(by=user, kind=kind, upload=upload(data), dry_run=dry_run)


def problems(job):
    return [(p["row"], p["column"], p["message"]) for p in job.errors]


def test_units_with_parents_anywhere_in_the_file(staff_user, units):
    rows = [["T0101", "玉山镇党委", "镇", "D01"], ["D01", "昆山市", "district", ""], ["B03", "市档案馆", "", "CITY"]]
    job = run(staff_user, "units", rows, UNIT_HEADER)
    assert (job.status, job.created, job.updated, job.skipped) == ("done", 3, 0, 0), job.errors
    town = Unit.objects.get(code="T0101")
    assert (town.name, town.kind, town.parent.code) == ("玉山镇党委", "town", "D01")
    assert Unit.objects.get(code="B03").kind == "department" and Unit.objects.get(code="D01").parent is None
    assert ChangeLog.objects.filter(model="organisation.unit", action="create").count() == 3
    again = run(staff_user, "units", rows, UNIT_HEADER)
    assert (again.created, again.updated, again.skipped) == (0, 0, 3)
    renamed = run(staff_user, "units", [["B03", "市档案局", "", "CITY"]], UNIT_HEADER)
    assert (renamed.created, renamed.updated) == (0, 1) and Unit.objects.get(code="B03").name == "市档案局"
    assert ChangeLog.objects.filter(model="organisation.unit", action="update").count() == 1


def test_unit_problems_and_nothing_written(staff_user, units):
    rows = [
        ["N1", "一", "", "NOPE"],  # 2 unknown parent
        ["N2", "二", "乡", ""],  # 3 unknown kind
        ["N3", "三", "", "N4"],  # 4 a circle with the next row
        ["N4", "四", "", "N3"],  # 5
        ["N5", "五", "", "N5"],  # 6 its own parent
        ["N1", "又一", "", ""],  # 7 same code again
        ["bad code", "六", "", ""],  # 8 not a code
        ["N7", "", "", ""],  # 9 no name
    ]
    job = run(staff_user, "units", rows, UNIT_HEADER)
    assert job.status == "invalid"
    assert problems(job) == [
        (2, "上级单位代码", "There is no unit “NOPE”."),
        (3, "单位类型", "Unknown unit kind “乡”; see the codes sheet of the template."),
        (4, "上级单位代码", "The parent units go round in a circle."),
        (5, "上级单位代码", "The parent units go round in a circle."),
        (6, "上级单位代码", "A unit cannot be its own parent."),
        (7, "单位代码", "Same unit code as row 2."),
        (8, "单位代码", "A unit code has at most 32 letters, digits, “-” or “_”, without spaces."),
        (9, "单位名称", "This value is required."),
    ]
    assert not Unit.objects.filter(code__startswith="N").exists()


def test_officials_created_updated_and_skipped(staff_user, units, officials):
    rows = [
        ["N001", "赵六", "B01", "正科级", "2020-01-01", ""],
        ["N002", "钱七", "市教育局", "deputy_section", "", "2031年6月30日"],
        ["F002", "李娜", "B02", "副科级", "", ""],  # moves to education
        ["F001", "张伟", "B01", "section_chief", "", ""],  # unchanged
    ]
    job = run(staff_user, "officials", rows, OFFICIAL_HEADER)
    assert (job.status, job.created, job.updated, job.skipped, job.skipped_rows) == ("done", 2, 1, 1, [5]), job.errors
    new = Official.objects.get(staff_no="N002")
    assert (new.name, new.unit.code, new.rank, new.retires_on) == ("钱七", "B02", "deputy_section", date(2031, 6, 30))
    assert Official.objects.get(staff_no="F002").unit.code == "B02"
    this_year = timezone.localdate().year
    stale = set(StaleScore.objects.values_list("official__staff_no", "year"))
    assert {("N001", this_year), ("N002", this_year), ("F002", this_year)} <= stale
    assert ("F001", this_year) not in stale
    again = run(staff_user, "officials", rows, OFFICIAL_HEADER)
    assert (again.created, again.updated, again.skipped) == (0, 0, 4)


def test_official_problems_and_nothing_written(staff_user, units, officials):
    rows = [
        ["N001", "赵六", "B99", "", "", ""],  # 2 unknown unit
        ["N002", "", "B01", "", "", ""],  # 3 no name
        ["N003", "孙八", "B01", "处长", "", ""],  # 4 unknown rank
        ["N004", "周九", "B01", "", "2024-01-01", "2023-01-01"],  # 5 retires before included
        ["N005", "吴十", "B01", "", "2024-13-01", ""],  # 6 not a date
        ["N006", "郑一", "B01", "", "", ""],  # fine
        ["N006", "郑一", "B01", "", "", ""],  # 8 same staff number
    ]
    job = run(staff_user, "officials", rows, OFFICIAL_HEADER)
    assert problems(job) == [
        (2, "单位代码", "There is no unit “B99”; use a unit code from the codes sheet."),
        (3, "姓名", "This value is required."),
        (4, "职级", "Unknown rank “处长”; see the codes sheet of the template."),
        (5, "退休日期", "The retirement date is before the inclusion date."),
        (6, "纳入市管日期", "“2024-13-01” is not a date; write it as 2025-03-05."),
        (8, "工号", "Same staff number as row 7."),
    ]
    assert not Official.objects.filter(staff_no__startswith="N").exists()


def test_a_unit_name_shared_by_two_units_needs_the_code(staff_user, units, officials):
    Unit.objects.create(code="B09", name="市财政局")
    job = run(staff_user, "officials", [["N001", "赵六", "市财政局", "", "", ""]], OFFICIAL_HEADER)
    assert problems(job) == [(2, "单位代码", "More than one unit is called “市财政局”; use the unit code.")]


def test_a_dry_run_of_officials_writes_nothing(staff_user, units, officials):
    job = run(staff_user, "officials", [["N001", "赵六", "B01", "", "", ""]], OFFICIAL_HEADER, dry_run=True)
    assert (job.status, job.created) == ("done", 1) and not Official.objects.filter(staff_no="N001").exists()


def test_officials_from_a_gbk_csv_with_code_headers(staff_user, units, officials):
    data = csv_bytes([["staff_no", "name", "unit"], ["N001", "赵六", "B01"]], encoding="gbk")
    job = start_import(by=staff_user, kind="officials", upload=upload(data, "o.csv"), dry_run=False)
    assert job.created == 1 and Official.objects.get(staff_no="N001").rank == "other"


@pytest.mark.parametrize("kind", ["units", "officials"])
def test_only_the_training_section_imports_the_directory(unit_admin_user, officials, kind):
    with pytest.raises(PermissionDenied):
        run(unit_admin_user, kind, [["X", "Y", "B01"]], ["单位代码", "单位名称", "上级单位代码"])
    assert not ImportJob.objects.exists()
