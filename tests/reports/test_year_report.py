"""The year's report and rankings as .xlsx: what the workbook says for a crafted city, the formula-injection guard,
who may download which report (browser and API), and a fixed number of queries whatever the size."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from credits import services
from credits.models import GroupStudySession
from credits.reports import XLSX_CONTENT_TYPE, escape_formula, write_rankings, write_year_report
from credits.scoring import rank_year, refresh_stale
from organisation.models import Official, StudyAdministrator
from tests.conftest import YEAR, client_for, make_user
from tests.reports.headers import attachment

pytestmark = pytest.mark.django_db

INJECTION = "=cmd|' /C calc'!A0"


def add(by, official, kind, quantity, **extra):
    return services.create_record(
        by=by, official=official, kind=kind, quantity=quantity, occurred_on=extra.pop("on", date(YEAR, 5, 1)), **extra
    )


def score_all() -> None:
    """What the worker does after commit: recompute the stale scores, then rank the year."""
    refresh_stale()
    rank_year(year=YEAR)


def worked_example_1(by, official) -> None:
    """RULES §1.9 example 1: 12 + 28 + 30 + 15 + 2 = 87, good."""
    add(by, official, "class_day", 5)
    add(by, official, "class_reflection", 1)
    add(by, official, "menu_city_lecture", 4)
    add(by, official, "menu_other_lecture", 2)
    add(by, official, "online_hour", 52)
    add(by, official, "xuexi_qiangguo", 1)
    add(by, official, "central_group_listener", 12)
    add(by, official, "book_reflection", 2)
    add(by, official, "study_paper", 1)


@pytest.fixture
def city(staff_user, officials, units):
    """zhang 87 good; li fails on both pass lines; wang exempt (other, with a note); a name that looks like a
    formula, failing too; three central-group sessions of the finance unit."""
    worked_example_1(staff_user, officials["zhang"])
    add(staff_user, officials["li"], "menu_city_lecture", 3)  # 15: below 24 and 3 city lectures
    add(staff_user, officials["li"], "online_hour", 10)  # 5
    services.record_exemption(by=staff_user, official=officials["wang"], year=YEAR, reason="other", note="+援疆")
    tricky = Official.objects.create(staff_no="F003", name=INJECTION, unit=units["finance"], rank="other")
    add(staff_user, tricky, "class_day", 1)
    services.record_veto(by=staff_user, official=tricky, year=YEAR, reason="discipline")
    for day in (1, 2, 3):
        GroupStudySession.objects.create(unit=units["finance"], occurred_on=date(YEAR, 2, day), topic=f"第{day}次")
    score_all()
    return {**officials, "tricky": tricky}


def workbook(file):
    return load_workbook(file if not isinstance(file, bytes) else BytesIO(file))


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def by_staff_no(sheet) -> dict[str, dict]:
    header, *body = rows(sheet)
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


# ---------------------------------------------------------------------------------------------------
# The formula-injection guard


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 512", "'+86 512"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("张伟", "张伟"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (Decimal("-3.5"), Decimal("-3.5")),
        (-2, -2),
    ],
)
def test_escape_formula_guards_text_only(value, expected):
    assert escape_formula(value) == expected


def test_a_name_that_looks_like_a_formula_is_written_as_text(city, staff_user):
    sheet = workbook(write_year_report(staff_user, year=YEAR))["干部"]
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "F003")
    assert cell.data_type == "s"
    assert cell.value == "'" + INJECTION
    note = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "E001")
    assert "（+援疆）" in note[13]  # the exemption note starts with "+", but inside the reason text


# ---------------------------------------------------------------------------------------------------
# The city report


def test_city_report_has_a_row_per_official_with_chinese_headers_and_labels(city, staff_user):
    book = workbook(write_year_report(staff_user, year=YEAR))
    assert book.sheetnames == ["干部", "单位汇总", "等次分布"]
    header = rows(book["干部"])[0]
    assert header == (
        "工号", "姓名", "单位代码", "单位", "职级", "脱产培训", "“菜单式”选学", "网络学习", "集中研学", "在职自学",
        "总分", "等次", "免于考核", "免考原因", "一票否决", "结果运用", "全市排名", "单位排名",
        "本年度学时", "年度应达学时", "年度学时是否达标",
        "2023—2027 年周期累计学时", "周期应达学时", "周期学时是否达标",
    )  # fmt: skip
    people = by_staff_no(book["干部"])
    assert set(people) == {"F001", "F002", "F003", "E001"}
    zhang = people["F001"]
    assert (zhang["姓名"], zhang["单位代码"], zhang["单位"], zhang["职级"]) == ("张伟", "B01", "市财政局", "正科级")
    assert [zhang[c] for c in ("脱产培训", "“菜单式”选学", "网络学习", "集中研学", "在职自学", "总分")] == [
        12, 28, 30, 15, 2, 87,
    ]  # fmt: skip
    assert (zhang["等次"], zhang["免于考核"], zhang["一票否决"], zhang["全市排名"], zhang["单位排名"]) == (
        "良好", None, None, 1, 1,
    )  # fmt: skip
    li = people["F002"]
    assert li["等次"] == "不合格"
    assert li["一票否决"] == "“菜单式”选学未达合格线；网络学习未达合格线"
    assert "年度考核不得评优" in li["结果运用"]
    assert people["F003"]["一票否决"].endswith("严重违反培训纪律造成恶劣影响")
    wang = people["E001"]
    assert (wang["等次"], wang["免于考核"], wang["全市排名"]) == (None, "是", None)
    assert wang["免考原因"] == "市委组织部认定的其他情况（+援疆）"


def test_unit_sheet_and_grade_distribution(city, staff_user):
    book = workbook(write_year_report(staff_user, year=YEAR))
    units = by_staff_no(book["单位汇总"])  # keyed by the first column: the unit code
    assert set(units) == {"B01", "B02"}  # CITY has no officials
    finance = units["B01"]
    assert (finance["干部人数"], finance["参加考核"], finance["免于考核"]) == (3, 3, 0)
    assert [finance[c] for c in ("优秀", "良好", "合格", "不合格", "被一票否决")] == [0, 1, 0, 2, 2]
    assert finance["“菜单式”选学达标人数"] == 1
    assert finance["“菜单式”选学达标率"] == pytest.approx(1 / 3)
    assert (finance["中心组学习次数"], finance["应达次数"], finance["尚差次数"]) == (3, 12, 9)
    assert finance["参加考核人员平均总分"] == pytest.approx((87 + 20 + 2) / 3, abs=0.05)
    education = units["B02"]
    assert (education["干部人数"], education["免于考核"], education["参加考核"]) == (1, 1, 0)
    assert education["“菜单式”选学达标率"] is None
    grades = {row[0]: row[1:] for row in rows(book["等次分布"])[1:]}
    assert grades["良好"] == (1, pytest.approx(1 / 3))
    assert grades["不合格"] == (2, pytest.approx(2 / 3))
    assert grades["参加考核干部"][0] == 3
    assert grades["免于考核"][0] == 1


def test_unit_report_holds_only_that_unit(city, staff_user, units):
    book = workbook(write_year_report(staff_user, year=YEAR, unit=units["education"]))
    assert set(by_staff_no(book["干部"])) == {"E001"}
    assert set(by_staff_no(book["单位汇总"])) == {"B02"}


def test_english_when_asked(city, staff_user):
    from django.utils import translation

    with translation.override("en"):
        book = workbook(write_year_report(staff_user, year=YEAR))
    assert book.sheetnames == ["Officials", "Unit summaries", "Grade distribution"]
    assert by_staff_no(book["Officials"])["F001"]["Grade"] == "Good"


def test_rankings_city_and_unit(city, staff_user, units):
    city_book = rows(workbook(write_rankings(staff_user, year=YEAR)).active)
    assert city_book[0][:4] == ("全市排名", "单位排名", "工号", "姓名")
    assert [(r[0], r[2]) for r in city_book[1:]] == [(1, "F001"), (2, "F002"), (3, "F003")]  # wang is exempt
    unit_book = rows(workbook(write_rankings(staff_user, year=YEAR, unit=units["finance"])).active)
    assert [r[1] for r in unit_book[1:]] == [1, 2, 3]
    assert unit_book[3][3] == "'" + INJECTION


def test_a_year_without_scores_gives_headers_only(staff_user, officials):
    book = workbook(write_year_report(staff_user, year=YEAR - 5))
    assert len(rows(book["干部"])) == 1
    assert rows(book["等次分布"])[1] == ("优秀", 0, None)


# ---------------------------------------------------------------------------------------------------
# A fixed number of queries


def test_queries_do_not_grow_with_the_number_of_officials(city, staff_user, units):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            write_year_report(staff_user, year=YEAR, chunk_size=2)
        return len(queries)

    before = count()
    for n in range(12):
        official = Official.objects.create(staff_no=f"N{n:03d}", name=f"新{n}", unit=units["education"])
        add(staff_user, official, "online_hour", n + 1)
    score_all()
    # SQLite reads a streamed query in chunks from one cursor: the same count with 4 officials or 16.
    assert count() == before <= 6


# ---------------------------------------------------------------------------------------------------
# Browser downloads and who may have them


def browser(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def workbook_download(client, url: str):
    """What a browser does: ask for the workbook (an export job starts after commit), open the job's page, follow
    its download link. Answers the first response that is not a redirect (a 403 or 404), else the file."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url)
    if response.status_code != 303:
        return response
    page = client.get(response["Location"])
    if response["Location"].endswith("/download/"):
        return page
    assert page.status_code == 200
    link = re.search(r'href="(/reports/exports/\d+/download/)"', page.content.decode())
    assert link, page.content.decode()
    return client.get(link.group(1))


def api_download(client, url: str, **extra):
    """What an API client does: 202 with the job, poll its status_url until done, GET its download_url."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url, **extra)
    if response.status_code != 202:
        return response
    job = client.get(response["Location"]).json()
    assert job["status"] == "done", job
    return client.get(job["download_url"])


def test_staff_downloads_the_city_report(city, staff_user):
    response = workbook_download(browser(staff_user), f"/reports/{YEAR}/report.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == attachment(
        f"{YEAR}年度干部教育培训学分.xlsx", f"training-credits-{YEAR}.xlsx"
    )
    assert len(by_staff_no(workbook(b"".join(response.streaming_content))["干部"])) == 4


def test_staff_downloads_a_unit_report_and_rankings(city, staff_user):
    client = browser(staff_user)
    response = workbook_download(client, f"/reports/{YEAR}/report.xlsx?unit=B02")
    assert response["Content-Disposition"] == attachment(
        f"{YEAR}年度干部教育培训学分（市教育局）.xlsx", f"training-credits-{YEAR}-B02.xlsx"
    )
    assert set(by_staff_no(workbook(b"".join(response.streaming_content))["干部"])) == {"E001"}
    response = workbook_download(client, f"/reports/{YEAR}/rankings.xlsx?unit=B01")
    assert response["Content-Disposition"] == attachment(
        f"{YEAR}年度干部教育培训学分排名（市财政局）.xlsx", f"rankings-{YEAR}-B01.xlsx"
    )
    assert workbook_download(client, f"/reports/{YEAR}/report.xlsx?unit=NOPE").status_code == 404


def test_unit_admin_gets_their_own_unit_only(city, unit_admin_user):
    client = browser(unit_admin_user)
    response = workbook_download(client, f"/reports/{YEAR}/report.xlsx")  # no ?unit=: their unit
    assert response.status_code == 200
    assert f'filename="training-credits-{YEAR}-B01.xlsx"' in response["Content-Disposition"]
    assert set(by_staff_no(workbook(b"".join(response.streaming_content))["干部"])) == {"F001", "F002", "F003"}
    assert workbook_download(client, f"/reports/{YEAR}/report.xlsx?unit=B01").status_code == 200
    assert workbook_download(client, f"/reports/{YEAR}/report.xlsx?unit=B02").status_code == 404
    assert workbook_download(client, f"/reports/{YEAR}/rankings.xlsx?unit=B02").status_code == 404
    ranking = workbook_download(client, f"/reports/{YEAR}/rankings.xlsx")
    assert [r[2] for r in rows(workbook(b"".join(ranking.streaming_content)).active)[1:]] == ["F001", "F002", "F003"]


def test_an_official_who_is_also_a_unit_admin_sees_only_the_unit(city, units):
    """Scopes add up on pages, but a report is a unit's: wang (education) administering finance gets finance."""
    wang = city["wang"].user
    StudyAdministrator.objects.create(user=wang, unit=units["finance"])
    response = workbook_download(browser(wang), f"/reports/{YEAR}/report.xlsx")
    assert set(by_staff_no(workbook(b"".join(response.streaming_content))["干部"])) == {"F001", "F002", "F003"}


def test_officials_and_people_without_a_role_are_refused(city):
    zhang = browser(city["zhang"].user)
    assert workbook_download(zhang, f"/reports/{YEAR}/report.xlsx").status_code == 403
    assert workbook_download(zhang, f"/reports/{YEAR}/rankings.xlsx?unit=B01").status_code == 403
    assert browser(make_user("nobody")).get(f"/reports/{YEAR}/report.xlsx").status_code == 403
    anonymous = browser().get(f"/reports/{YEAR}/report.xlsx")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_year_out_of_range_is_not_found(staff_user):
    assert browser(staff_user).get("/reports/1999/report.xlsx").status_code == 404
    assert browser(staff_user).get("/reports/99999/rankings.xlsx").status_code == 404


# ---------------------------------------------------------------------------------------------------
# The API


def test_api_report_for_staff(city, staff_user):
    response = api_download(client_for(staff_user, "zh-hans"), f"/api/v1/years/{YEAR}/report.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == attachment(
        f"{YEAR}年度干部教育培训学分.xlsx", f"training-credits-{YEAR}.xlsx"
    )
    book = workbook(b"".join(response.streaming_content))
    assert by_staff_no(book["干部"])["F001"]["总分"] == 87


def test_api_ignores_the_accept_header_for_the_download(city, staff_user):
    response = api_download(client_for(staff_user), f"/api/v1/years/{YEAR}/report.xlsx", HTTP_ACCEPT=XLSX_CONTENT_TYPE)
    assert response.status_code == 200


def test_api_rankings_of_a_unit(city, staff_user):
    response = api_download(client_for(staff_user), f"/api/v1/years/{YEAR}/rankings.xlsx?unit=B01")
    assert response.status_code == 200
    assert response["Content-Disposition"] == attachment(
        f"{YEAR} training credit rankings (市财政局).xlsx",
        f"rankings-{YEAR}-B01.xlsx",  # asked in English
    )


def test_api_scope_crossings(city, unit_admin_user):
    admin = client_for(unit_admin_user)
    assert api_download(admin, f"/api/v1/years/{YEAR}/report.xlsx").status_code == 200
    assert api_download(admin, f"/api/v1/years/{YEAR}/report.xlsx?unit=B02").status_code == 404
    assert api_download(admin, f"/api/v1/years/{YEAR}/rankings.xlsx?unit=B02").status_code == 404
    refused = api_download(client_for(city["zhang"].user), f"/api/v1/years/{YEAR}/report.xlsx")
    assert refused.status_code == 403
    assert "Only the training section and unit study administrators" in refused.json()["detail"]
    assert api_download(client_for(None), f"/api/v1/years/{YEAR}/report.xlsx").status_code in (401, 403)


def test_api_bad_year_in_words(staff_user):
    response = client_for(staff_user).get("/api/v1/years/1999/report.xlsx")
    assert response.status_code == 400
    assert "The year must be a whole number between 2000 and" in response.json()["year"][0]


# ---------------------------------------------------------------------------------------------------
# Download buttons on the pages


def test_download_buttons_on_the_staff_pages_and_the_unit_report(city, staff_user, unit_admin_user):
    staff = browser(staff_user)
    dashboard = staff.get(f"/staff/dashboard/?year={YEAR}").content.decode()
    assert f'href="/reports/{YEAR}/report.xlsx"' in dashboard and "下载年度报表（Excel）" in dashboard
    ranking = staff.get(f"/staff/rankings/?year={YEAR}&unit=B01").content.decode()
    assert f'href="/reports/{YEAR}/rankings.xlsx?unit=B01"' in ranking and "下载排名（Excel）" in ranking
    assert f'href="/reports/{YEAR}/rankings.xlsx"' in staff.get(f"/staff/rankings/?year={YEAR}").content.decode()
    unit_page = browser(unit_admin_user).get(f"/unit/report/?year={YEAR}").content.decode()
    assert f'href="/reports/{YEAR}/report.xlsx?unit=B01"' in unit_page and "下载本单位年度报表（Excel）" in unit_page
    assert workbook_download(browser(unit_admin_user), f"/reports/{YEAR}/report.xlsx?unit=B01").status_code == 200
