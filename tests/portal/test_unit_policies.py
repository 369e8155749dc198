"""The unit's pages under either credit policy, with study hours (RULES §2-3): the officials page, one official's
page and the printed report show the year's policy's categories, the Baoji carry figures and five-year cycle, who is
short of study hours (in words), the unit's flag; a Kunshan year keeps its pass lines and session box.

Expected figures are worked out here from RULES.md (5 credits a class day, carry = effective - 60, 8 study hours a
class day, 100 hours a year for section level, a third or more failed -> no_advanced_rating), not read from the code.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credits import services
from credits.models import YearPolicy
from credits.scoring import rank_year, refresh_stale
from organisation.models import Official
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

BAOJI = "baoji-2009"
AFTER_THE_YEAR = date(YEAR + 1, 1, 15)  # the year is over: shortfalls are final
MID_YEAR = date(YEAR, 6, 30)


def pin_today(monkeypatch, day: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def add(by, official, kind, quantity, *, year=YEAR, **extra):
    return services.create_record(
        by=by, official=official, kind=kind, quantity=quantity, occurred_on=date(year, 5, 1), **extra
    )


def score_years(*years: int) -> None:
    """What the worker does after commit: recompute the stale scores (in chain order), then rank each year."""
    refresh_stale()
    for year in years:
        rank_year(year=year)


def get(client, user, url, language="zh-hans") -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, staff_no: str) -> str:
    return html.split(f'data-staff-no="{staff_no}"')[1].split("</tr>")[0]


@pytest.fixture
def baoji_unit(staff_user, officials, units):
    """Finance under baoji-2009 in YEAR - 1 and YEAR.

    zhang (section chief): YEAR - 1 14 class days = 70 credits, carries 10 out; YEAR 10 class days = 50 earned + 10
    carried in = 60 effective, pass, 0 out. Hours: 112 then 80 (short of 100 by 20); the cycle so far 192.
    li (deputy section): YEAR 4 class days (20) + an online course of 15 credits with 20 hours entered = 35, fail;
    hours 32 + 20 = 52 (short by 48).
    F003 (post level other, no hours requirement): YEAR 12 class days = 60, pass; hours 96.
    One of three assessed failed: a third, so the unit cannot be rated advanced.
    """
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


# --- /unit/ ----------------------------------------------------------------------------------------------------


def test_a_baoji_year_shows_its_categories_carry_and_who_is_short_of_hours(client, baoji_unit, unit_admin_user,
                                                                           monkeypatch):  # fmt: skip
    pin_today(monkeypatch, AFTER_THE_YEAR)
    html = get(client, unit_admin_user, f"/unit/?year={YEAR}")
    head = html.split('id="standings"')[1].split("</thead>")[0]
    for word in (
        "基本学分",
        "附加学分",
        "奖励学分",
        "本年度获得学分",
        "上年度结转",
        "本年度有效学分",
        "结转下年度",
        "学时",
    ):
        assert word in head
    assert "“菜单式”选学" not in head and "脱产培训" not in head  # no Kunshan category

    zhang = row_of(html, "F001")
    cells = [c.split(">", 1)[1].split("<")[0].strip() for c in zhang.split('<td class="text-end')[1:]]
    # basic, additional, reward, earned, carried in, effective (the total), carried out
    assert cells[:7] == ["50", "0", "0", "50", "10", "60", "0"]
    assert "80" in zhang and "/ 100" in zhang and "学时不足：比年度要求少 20 学时" in zhang

    li = row_of(html, "F002")
    assert "学时不足：比年度要求少 48 学时" in li and "不合格" in li  # 35 credits: failed
    other = row_of(html, "F003")
    assert "96" in other and "该职级无学时要求" in other and "学时不足" not in other

    box = html.split('data-testid="hours-box"')[1].split("</div></div>")[0]
    assert "年度学时不足 2 人" in box and "有学时要求的干部 2 人" in box
    assert 'data-testid="session-count"' not in html  # the Baoji scheme sets no central-group session count


def test_while_the_year_runs_the_hours_marker_says_how_many_more(client, baoji_unit, unit_admin_user, monkeypatch):
    pin_today(monkeypatch, MID_YEAR)
    html = get(client, unit_admin_user, f"/unit/?year={YEAR}")
    assert "学时不足：本年度还需 20 学时" in row_of(html, "F001")
    assert "目前未达年度学时要求 2 人" in html


def test_a_kunshan_year_keeps_its_columns_and_the_session_box(client, officials, staff_user, unit_admin_user,
                                                              monkeypatch):  # fmt: skip
    pin_today(monkeypatch, AFTER_THE_YEAR)
    add(staff_user, officials["zhang"], "online_hour", 120)  # 60 points capped at 30; 120 hours
    score_years(YEAR)
    html = get(client, unit_admin_user, f"/unit/?year={YEAR}")
    head = html.split('id="standings"')[1].split("</thead>")[0]
    assert "“菜单式”选学" in head and "总分" in head and "学时" in head
    assert "本年度有效学分" not in head and "结转" not in head
    assert 'data-testid="session-count"' in html
    zhang = row_of(html, "F001")
    assert "120" in zhang and "学时达标" in zhang and "学时不足" not in zhang
    assert "学时不足：比年度要求少 100 学时" in row_of(html, "F002")  # li: nothing at all


def test_the_officials_page_runs_a_fixed_number_of_queries_with_hours(client, staff_user, units, unit_admin_user):
    YearPolicy.objects.create(year=YEAR, policy=BAOJI)
    finance = units["finance"]

    def fill(count: int, start: int) -> None:
        for i in range(count):
            official = Official.objects.create(staff_no=f"Q{start + i:04d}", name=f"干部{i}", unit=finance,
                                               rank="section_chief")  # fmt: skip
            add(staff_user, official, "class_day", 3 + i % 5, hours=i)
            add(staff_user, official, "online_course", 1, points=5 + i % 10)
        refresh_stale()

    client.force_login(unit_admin_user)
    fill(2, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/unit/?year={YEAR}").status_code == 200
    fill(12, 100)
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"/unit/?year={YEAR}").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


# --- one official ---------------------------------------------------------------------------------------------


def test_one_officials_page_shows_carry_cycle_hours_and_flags(client, baoji_unit, unit_admin_user, monkeypatch):
    pin_today(monkeypatch, AFTER_THE_YEAR)
    html = get(client, unit_admin_user, f"/unit/officials/F001/?year={YEAR}")
    carry = html.split('data-testid="carry-figures"')[1].split("</table>")[0]
    rows = {
        label: carry.split(label)[1].split("</td>")[0].rsplit(">", 1)[1]
        for label in ("本年度获得学分", "上年度结转", "本年度有效学分", "结转下年度")
    }
    assert rows == {"本年度获得学分": "50", "上年度结转": "10", "本年度有效学分": "60", "结转下年度": "0"}
    assert "五年周期（2023—2027 年）" in carry and ">120<" in carry  # 70 + 50 earned in the cycle, not yet judged
    hours = html.split('data-testid="hours"')[1].split("</div></div>")[0]
    assert "80" in hours and "本年度应达 100 学时" in hours and "学时不足：比年度要求少 20 学时" in hours
    assert "2023—2027 周期累计：192 学时 / 500" in hours and "（2027 年度考核）" in hours

    li = get(client, unit_admin_user, f"/unit/officials/F002/?year={YEAR}")
    assert "年度考核不得评优" in li and "不能列为考察对象" in li  # failed: both consequences in words


def test_a_kunshan_officials_page_has_no_carry_figures(client, crafted_kunshan, unit_admin_user):
    html = get(client, unit_admin_user, f"/unit/officials/F001/?year={YEAR}")
    assert 'data-testid="carry-figures"' not in html
    assert 'data-testid="hours"' in html and "本年度应达 100 学时" in html


@pytest.fixture
def crafted_kunshan(staff_user, officials):
    add(staff_user, officials["zhang"], "class_day", 2)
    score_years(YEAR)


def test_another_units_official_is_not_found(client, baoji_unit, unit_admin_user):
    client.force_login(unit_admin_user)
    assert client.get(f"/unit/officials/E001/?year={YEAR}").status_code == 404


# --- the printed report ----------------------------------------------------------------------------------------


def test_the_baoji_report_shows_figures_hours_and_the_units_flag(client, baoji_unit, unit_admin_user, monkeypatch):
    pin_today(monkeypatch, AFTER_THE_YEAR)
    html = get(client, unit_admin_user, f"/unit/report/?year={YEAR}")
    summary = html.split('data-testid="report-summary"')[1].split('data-testid="report-page"')[0]
    assert "合格" in summary and "不合格" in summary and "良好" not in summary  # the policy's grades only
    assert "合格线" not in summary  # no pass lines under baoji-2009
    assert 'data-testid="session-count"' not in summary and "中心组学习" not in summary
    flags = summary.split('data-testid="unit-flags"')[1].split("</li>")[0]
    assert "学分考核不合格人数达三分之一以上：班子年度考核不能评为“先进”" in flags
    assert "参加考核 3 人中 1 人不合格" in flags
    hours = summary.split('data-testid="report-hours"')[1].split("</li>")[0]
    assert "有学时要求的干部 2 人；年度学时不足 2 人" in hours  # zhang and li; F003's post level has none

    page = html.split('data-testid="report-page"')[1]
    head = page.split("</thead>")[0]
    assert "本年度有效学分" in head and "五年周期（2023—2027 年）" in head and "学时" in head
    zhang = page.split("张伟")[1].split("</tr>")[0]
    assert "80 / 100 · " in zhang and "少 20" in zhang
    assert ">120<" in zhang  # the cycle's credits so far
    other = page.split("赵敏")[1].split("</tr>")[0]
    assert "96" in other and "少" not in other


def test_a_unit_below_a_third_failed_has_no_flag(client, baoji_unit, staff_user, units, unit_admin_user):
    for n in range(2):  # two more who pass: 1 failed of 5 is below a third
        official = Official.objects.create(staff_no=f"F01{n}", name=f"新{n}", unit=units["finance"])
        add(staff_user, official, "class_day", 12)
    score_years(YEAR)
    html = get(client, unit_admin_user, f"/unit/report/?year={YEAR}")
    flags = html.split('data-testid="unit-flags"')[1].split("</li>")[0]
    assert "三分之一" not in flags and "无" in flags and "参加考核 5 人中 1 人不合格" in flags


def test_the_last_year_of_a_cycle_judges_credits_and_hours(client, staff_user, officials, unit_admin_user,
                                                           monkeypatch):  # fmt: skip
    """2022 closes the cycle 2018-2022: zhang earned 70 + 65 = 135 credits (short of the cycle's line) and
    112 + 104 = 216 hours over the cycle, short of 500 by 284."""
    first, last = 2021, 2022
    for year in (first, last):
        YearPolicy.objects.create(year=year, policy=BAOJI)
    pin_today(monkeypatch, date(2023, 3, 1))
    zhang = officials["zhang"]
    add(staff_user, zhang, "class_day", 14, year=first)
    add(staff_user, zhang, "class_day", 13, year=last)
    score_years(first, last)
    html = get(client, unit_admin_user, f"/unit/report/?year={last}")
    page = html.split('data-testid="report-page"')[1]
    row = page.split("张伟")[1].split("</tr>")[0]
    assert "135（未达到）" in row
    assert "五年少 284" in row and "104 / 100" in row
    summary = html.split('data-testid="report-hours"')[1].split("</li>")[0]
    # li has nothing on record: short of both; zhang reached the year's 100 but not the cycle's 500
    assert "年度学时不足 1 人；2018—2022 年学时不足 2 人" in summary


def test_the_english_report_reads_plainly(client, baoji_unit, unit_admin_user, monkeypatch):
    pin_today(monkeypatch, AFTER_THE_YEAR)
    html = get(client, unit_admin_user, f"/unit/report/?year={YEAR}", language="en")
    assert "Effective credits" in html and "Carried in" in html and "short by 20" in html
    assert "A third or more of the unit&#x27;s officials failed" in html


# --- central-group sessions ------------------------------------------------------------------------------------


def test_the_session_pages_say_what_an_attendance_scores_under_the_years_policy(client, officials, unit_admin_user,
                                                                                monkeypatch):  # fmt: skip
    pin_today(monkeypatch, MID_YEAR)
    kunshan = get(client, unit_admin_user, f"/unit/sessions/?year={YEAR}")
    assert 'data-testid="session-count"' in kunshan and "发言（2 分）；不发言（1 分）" in kunshan
    assert "发言（2 分）；不发言（1 分）" in get(client, unit_admin_user, "/unit/sessions/new/")

    YearPolicy.objects.create(year=YEAR, policy=BAOJI)  # the Baoji scheme counts no central-group study
    baoji = get(client, unit_admin_user, f"/unit/sessions/?year={YEAR}")
    assert 'data-testid="session-count"' not in baoji and 'data-testid="no-session-rule"' in baoji
    assert "发言（本年度不计分）；不发言（本年度不计分）" in baoji and "2 分" not in baoji
    assert "本年度不计分" in get(client, unit_admin_user, "/unit/sessions/new/")
