"""The year report (.xlsx), the rankings and the registration-form / archive PDFs under either credit policy, with
study hours (RULES §2-3), read back as a user would: the workbook with openpyxl, the PDFs as text.

Expected figures are worked out here from RULES.md (5 credits a class day, carry = effective - 60, 8 study hours a
class day, 100 hours a year and 500 a cycle for section level, a third or more failed -> no_advanced_rating).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from credits import services
from credits.models import YearPolicy
from credits.reports import write_rankings, write_year_report
from credits.scoring import rank_year, refresh_stale
from organisation.models import Official
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

BAOJI = "baoji-2009"


def add(by, official, kind, quantity, *, year=YEAR, **extra):
    return services.create_record(
        by=by, official=official, kind=kind, quantity=quantity, occurred_on=date(year, 5, 1), **extra
    )


def score_years(*years: int) -> None:
    refresh_stale()
    for year in years:
        rank_year(year=year)


def sheet_rows(book, name: str) -> dict:
    header, *body = book[name].iter_rows(values_only=True)
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


def header_of(book, name: str) -> tuple:
    return next(book[name].iter_rows(values_only=True))


@pytest.fixture
def baoji(staff_user, officials, units):
    """As in tests/portal/test_unit_policies.py: zhang 60 effective (50 + 10 carried in), 80 hours of 100; li 35,
    fails, 52 hours; F003 (post level other) 60, 96 hours and no requirement. One of three failed."""
    for year in (YEAR - 1, YEAR):
        YearPolicy.objects.create(year=year, policy=BAOJI)
    zhang, li = officials["zhang"], officials["li"]
    other = Official.objects.create(staff_no="F003", name="赵敏", unit=units["finance"], rank="other")
    add(staff_user, zhang, "class_day", 14, year=YEAR - 1)
    add(staff_user, zhang, "class_day", 10)
    add(staff_user, li, "class_day", 4)
    add(staff_user, li, "online_course", 1, points=15, hours=20)
    add(staff_user, other, "class_day", 12)
    score_years(YEAR - 1, YEAR)
    return {"zhang": zhang, "li": li, "other": other}


# --- the workbook -----------------------------------------------------------------------------------------------


def test_a_baoji_years_officials_sheet_has_the_carry_figures_and_the_hours(baoji, staff_user):
    book = load_workbook(write_year_report(staff_user, year=YEAR))
    header = header_of(book, "干部")
    assert header[5:14] == (
        "基本学分", "附加学分", "奖励学分", "本年度获得学分", "上年度结转", "本年度有效学分", "结转下年度",
        "2023—2027 年考核周期累计学分", "周期学分是否达标",
    )  # fmt: skip
    assert "总分" not in header and "脱产培训" not in header
    people = sheet_rows(book, "干部")
    zhang = people["F001"]
    assert [zhang[c] for c in ("基本学分", "本年度获得学分", "上年度结转", "本年度有效学分", "结转下年度")] == [
        50,
        50,
        10,
        60,
        0,
    ]
    assert zhang["2023—2027 年考核周期累计学分"] == 120 and zhang["周期学分是否达标"] is None  # judged in 2027
    assert zhang["等次"] == "合格"
    assert [zhang[c] for c in ("本年度学时", "年度应达学时", "年度学时是否达标")] == [80, 100, "否"]
    assert [zhang[c] for c in ("2023—2027 年周期累计学时", "周期应达学时", "周期学时是否达标")] == [192, 500, None]
    li = people["F002"]
    assert (li["本年度有效学分"], li["等次"], li["本年度学时"], li["年度学时是否达标"]) == (35, "不合格", 52, "否")
    assert "不能列为考察对象" in li["结果运用"]
    other = people["F003"]
    assert (other["本年度学时"], other["年度应达学时"], other["年度学时是否达标"]) == (96, None, None)


def test_a_baoji_years_unit_sheet_and_grades(baoji, staff_user):
    book = load_workbook(write_year_report(staff_user, year=YEAR))
    header = header_of(book, "单位汇总")
    assert not [h for h in header if "达标率" in h or "达标人数" in h]  # no pass lines under baoji-2009
    assert "应达次数" not in header and "优秀" not in header
    finance = sheet_rows(book, "单位汇总")["B01"]
    assert (finance["参加考核"], finance["合格"], finance["不合格"]) == (3, 2, 1)
    assert finance["单位情况"] == "学分考核不合格人数达三分之一以上：班子年度考核不能评为“先进”"
    assert finance["年度学时不足人数"] == 2  # zhang and li; F003 has no requirement
    assert finance["参加考核人员平均总分"] == pytest.approx((60 + 35 + 60) / 3, abs=0.05)
    grades = [row[0] for row in book["等次分布"].iter_rows(values_only=True)][1:3]
    assert grades == ["合格", "不合格"]


def test_the_rankings_of_a_baoji_year_rank_by_effective_credits(baoji, staff_user):
    rows = list(load_workbook(write_rankings(staff_user, year=YEAR)).active.iter_rows(values_only=True))
    assert rows[0][7] == "本年度有效学分"
    assert [(r[0], r[2], r[7]) for r in rows[1:]] == [(1, "F001", 60), (1, "F003", 60), (3, "F002", 35)]


def test_a_kunshan_year_gets_hours_columns_and_no_carry(staff_user, officials):
    add(staff_user, officials["zhang"], "online_hour", 120)  # 120 hours
    add(staff_user, officials["li"], "menu_city_lecture", 2)  # 6 hours
    services.record_exemption(by=staff_user, official=officials["wang"], year=YEAR, reason="sick_leave")
    score_years(YEAR)
    book = load_workbook(write_year_report(staff_user, year=YEAR))
    header = header_of(book, "干部")
    assert "总分" in header and "本年度有效学分" not in header and "上年度结转" not in header
    people = sheet_rows(book, "干部")
    assert [people["F001"][c] for c in ("本年度学时", "年度应达学时", "年度学时是否达标")] == [120, 100, "是"]
    assert [people["F002"][c] for c in ("本年度学时", "年度学时是否达标")] == [6, "否"]
    # Exempt from the credit assessment, but the hours rule is every official's (RULES §3).
    assert (people["E001"]["免于考核"], people["E001"]["本年度学时"], people["E001"]["年度学时是否达标"]) == (
        "是",
        0,
        "否",
    )
    units = sheet_rows(book, "单位汇总")
    assert (units["B01"]["年度学时不足人数"], units["B02"]["年度学时不足人数"]) == (1, 1)
    assert "“菜单式”选学达标率" in header_of(book, "单位汇总")  # Kunshan's pass lines are still there
    assert load_workbook(write_rankings(staff_user, year=YEAR)).active["H1"].value == "总分"


def test_the_cycles_last_year_judges_credits_and_hours(staff_user, officials):
    """2022 closes 2018-2022: zhang's cycle is 70 + 65 = 135 credits (below the cycle's line) and 112 + 104 = 216
    hours of 500; the year's 104 hours reach 100."""
    for year in (2021, 2022):
        YearPolicy.objects.create(year=year, policy=BAOJI)
    add(staff_user, officials["zhang"], "class_day", 14, year=2021)
    add(staff_user, officials["zhang"], "class_day", 13, year=2022)
    score_years(2021, 2022)
    zhang = sheet_rows(load_workbook(write_year_report(staff_user, year=2022)), "干部")["F001"]
    assert (zhang["2018—2022 年考核周期累计学分"], zhang["周期学分是否达标"]) == (135, "否")
    assert (zhang["本年度学时"], zhang["年度学时是否达标"]) == (104, "是")
    assert (zhang["2018—2022 年周期累计学时"], zhang["周期应达学时"], zhang["周期学时是否达标"]) == (216, 500, "否")


def test_a_unit_report_holds_only_that_units_hours(baoji, staff_user, units):
    add(staff_user, Official.objects.get(staff_no="E001"), "class_day", 3)
    score_years(YEAR)
    book = load_workbook(write_year_report(staff_user, year=YEAR, unit=units["education"]))
    assert set(sheet_rows(book, "干部")) == {"E001"}
    assert sheet_rows(book, "干部")["E001"]["本年度学时"] == 24
    assert sheet_rows(book, "单位汇总")["B02"]["年度学时不足人数"] == 1


def test_the_workbooks_queries_do_not_grow_with_the_officials_or_their_records(baoji, staff_user, units):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            write_year_report(staff_user, year=YEAR, chunk_size=2)
        return len(queries)

    before = count()
    for n in range(10):
        official = Official.objects.create(staff_no=f"N{n:03d}", name=f"新{n}", unit=units["education"])
        add(staff_user, official, "class_day", 3 + n, hours=n)
        add(staff_user, official, "online_course", 1, points=5, hours=10)
    score_years(YEAR)
    assert count() == before <= 6  # policy, hours, rows (streamed), three for the unit figures


# --- the PDFs ---------------------------------------------------------------------------------------------------


def pdf_text(user, url: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(b"".join(response.streaming_content)))
    return "".join("".join(page.extract_text() for page in reader.pages).split()), len(reader.pages)


def test_the_registration_form_of_a_baoji_year_has_the_carry_figures_and_hours(baoji, staff_user):
    text, pages = pdf_text(staff_user, f"/reports/officials/F001/registration-form/{YEAR}.pdf")
    assert pages == 1
    assert "基本学分" in text and "“菜单式”选学" not in text
    assert "本年度获得学分50；上年度结转10；本年度有效学分60；结转下年度0" in text
    assert "2023—2027年考核周期累计学分120（2027年度考核）" in text
    assert "本年度80学时，应达100学时（未达到）；2023—2027周期累计192学时，应达500学时（2027年度考核）" in text


def test_the_registration_form_of_a_kunshan_year_has_hours_and_no_carry(staff_user, officials):
    add(staff_user, officials["zhang"], "online_hour", 120)
    score_years(YEAR)
    text, pages = pdf_text(staff_user, f"/reports/officials/F001/registration-form/{YEAR}.pdf")
    assert pages == 1 and "学分与结转" not in text and "总分" in text
    assert "本年度120学时，应达100学时（达到）" in text


def test_a_post_level_without_hours_requirement_says_so(baoji, staff_user):
    text, _pages = pdf_text(staff_user, f"/reports/officials/F003/registration-form/{YEAR}.pdf")
    assert "本年度96学时（该职级无学时要求）；2023—2027周期累计96学时" in text


def test_the_archive_has_every_years_hours_and_carry(baoji, staff_user):
    text, _pages = pdf_text(staff_user, "/reports/officials/F001/archive.pdf")
    assert "80/100" in text and "112/100" in text  # the results table: YEAR, then YEAR - 1
    assert f"{YEAR - 1}年度·本年度获得学分70·上年度结转0·本年度有效学分70·结转下年度10·合格" in text
    assert f"{YEAR}年度·本年度获得学分50·上年度结转10·本年度有效学分60·结转下年度0·合格" in text
    assert "学时80" in text and "学时112" in text
