"""Charts (issue 9, item 8): pass rate and grades per unit on the dashboard, year over year for the city and a unit,
the unit report's chart. The figures come from one query per chart; every SVG is named and described in Chinese
for screen readers and carries nothing of pygal's (no "Pygal" tooltip, no credit, no script)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credits.models import AnnualScore
from credits.selectors.city import unit_grade_distribution, year_trend
from organisation.models import Official, Unit
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def score(official, year=YEAR, *, grade="pass", total=70, exempt=False, unit=None):
    return AnnualScore.objects.create(
        official=official, year=year, unit=unit or official.unit, policy="kunshan-2020", exempt=exempt,
        grade="" if exempt else grade, total=total, computed_at=timezone.now(),
    )  # fmt: skip


def staff_client(user) -> Client:
    client = Client()  # no Accept-Language: the portal's default, Chinese
    client.force_login(user)
    return client


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


def assert_accessible(svg: str) -> tuple[str, str]:
    """role="img", aria-labelledby naming its own <title> and <desc>; returns their texts."""
    opening = svg.split(">", 1)[0]
    assert 'role="img"' in opening
    ids = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()
    assert len(ids) == 2
    title = re.search(rf'<title id="{re.escape(ids[0])}">(.*?)</title>', svg).group(1)
    desc = re.search(rf'<desc id="{re.escape(ids[1])}">(.*?)</desc>', svg).group(1)
    return title, desc


def chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


@pytest.fixture
def small_city(units, officials):
    """Finance: 张伟 excellent, 李娜 fail, 陈静 exempt; education: 王芳 good, 赵强 pass.
    The year before: finance only."""
    zhang, li, wang = officials["zhang"], officials["li"], officials["wang"]
    chen = Official.objects.create(staff_no="F003", name="陈静", unit=units["finance"])
    zhao = Official.objects.create(staff_no="E002", name="赵强", unit=units["education"])
    score(zhang, grade="excellent", total=92)
    score(li, grade="fail", total=58)
    score(chen, exempt=True, total=10)
    score(wang, grade="good", total=80)
    score(zhao, grade="pass", total=65)
    score(zhang, YEAR - 1, grade="good", total=81)
    score(li, YEAR - 1, grade="good", total=76)
    return officials


def test_grades_per_unit_count_the_assessed_only_and_list_the_lowest_pass_rate_first(small_city):
    finance, education = unit_grade_distribution(year=YEAR)
    assert (finance.code, finance.assessed, finance.grades) == (
        "B01", 2, {"excellent": 1, "good": 0, "pass": 0, "fail": 1}
    )  # fmt: skip
    assert (finance.passed, finance.pass_rate, finance.share("excellent")) == (1, Decimal("50.0"), Decimal("50.0"))
    assert (education.code, education.assessed, education.pass_rate) == ("B02", 2, Decimal("100.0"))
    assert unit_grade_distribution(year=YEAR + 1) == []


def test_year_over_year_gives_the_pass_rate_and_average_of_every_year_with_data(small_city):
    city = year_trend()
    assert [(y.year, y.assessed, y.passed, y.pass_rate, y.average) for y in city] == [
        (YEAR - 1, 2, 2, Decimal("100.0"), Decimal("78.5")),
        (YEAR, 4, 3, Decimal("75.0"), Decimal("73.8")),  # (92 + 58 + 80 + 65) / 4 = 73.75; the exempt not counted
    ]
    assert [(y.year, y.pass_rate, y.average) for y in year_trend(unit_code="B01")] == [
        (YEAR - 1, Decimal("100.0"), Decimal("78.5")), (YEAR, Decimal("50.0"), Decimal("75.0")),
    ]  # fmt: skip
    assert [y.year for y in year_trend(unit_code="B02")] == [YEAR]
    assert [y.year for y in year_trend(unit_code="B01", up_to=YEAR - 1)] == [YEAR - 1]


def test_the_dashboard_draws_grades_per_unit_and_the_city_year_over_year_in_chinese(small_city, staff_user):
    html = staff_client(staff_user).get("/staff/dashboard/", {"year": YEAR}).content.decode()
    charts = svgs(html)
    assert len(charts) == 3  # the city's grades, grades per unit, year over year
    labels = [assert_accessible(svg) for svg in charts]
    assert all(chinese(title) and chinese(desc) for title, desc in labels)
    titles = [title for title, _desc in labels]
    assert titles == [f"{YEAR}年等次分布", f"{YEAR}年各单位合格率与等次分布", "全市历年合格率与平均分"]
    grades_desc = labels[1][1]
    assert "市财政局：合格率 50.0%，考核 2 人（优秀 1；良好 0；合格 0；不合格 1）" in grades_desc
    assert grades_desc.index("市财政局") < grades_desc.index("市教育局")  # the weaker unit first
    assert f"{YEAR - 1}年：合格率 100.0%，考核 2 人，平均分 78.5" in labels[2][1]
    assert "市财政局（50.0%）" in charts[1]  # the pass rate beside the unit's name
    assert "pygal" not in html.lower()  # no tooltip "Pygal", no credit comment, no class, no script config
    assert all("<script" not in svg and "<!--" not in svg and "tooltip-overlay" not in svg for svg in charts)


def test_the_dashboard_shows_one_units_year_over_year_when_picked(small_city, staff_user):
    html = staff_client(staff_user).get("/staff/dashboard/", {"year": YEAR, "unit": "B02"}).content.decode()
    title, desc = assert_accessible(svgs(html)[2])
    assert title == "市教育局历年合格率与平均分"
    assert desc == f"{YEAR}年：合格率 100.0%，考核 2 人，平均分 72.5"


def city_of(n_units: int, *, years: int = 2) -> None:
    """``n_units`` units of 3 officials each; unit k fails k % 4 of them; ``years`` years of scores."""
    grades = ("excellent", "good", "pass")
    for k in range(n_units):
        unit = Unit.objects.create(code=f"U{k:03}", name=f"测试单位{k:03}", kind="department")
        for i in range(3):
            official = Official.objects.create(staff_no=f"U{k:03}-{i}", name=f"干部{k}-{i}", unit=unit)
            for year in range(YEAR - years + 1, YEAR + 1):
                failed = i < k % 4
                score(official, year, grade="fail" if failed else grades[i], total=50 if failed else 90 - 10 * i)


def test_a_large_city_shows_its_weakest_and_strongest_units_and_the_table_lists_all(units, staff_user):
    city_of(30)
    html = staff_client(staff_user).get("/staff/dashboard/", {"year": YEAR}).content.decode()
    lowest, highest = (assert_accessible(svg) for svg in svgs(html)[1:3])
    assert lowest[0] == f"{YEAR}年合格率最低的 10 个单位" and highest[0] == f"{YEAR}年合格率最高的 10 个单位"
    assert lowest[1].startswith("测试单位003：合格率 0.0%")  # 3 of 3 failed
    assert highest[1].startswith("测试单位000：合格率 100.0%")
    assert html.count("测试单位029") >= 2  # in the sortable table too


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/dashboard/", {"year": YEAR, "unit": "U001"}).status_code == 200
    return len(queries)


def test_the_dashboards_charts_cost_the_same_queries_for_3_units_as_for_40(units, staff_user):
    client = staff_client(staff_user)
    city_of(3, years=1)
    few = dashboard_queries(client)
    Official.objects.all().delete()
    Unit.objects.filter(code__startswith="U").delete()
    city_of(40, years=3)
    assert dashboard_queries(client) == few


def test_the_unit_report_draws_the_units_years_up_to_the_report_year(small_city, unit_admin_user):
    client = staff_client(unit_admin_user)
    html = client.get("/unit/report/", {"year": YEAR}).content.decode()
    (svg,) = [svg for svg in svgs(html) if "历年合格率与平均分" in svg]
    title, desc = assert_accessible(svg)
    assert title == "市财政局历年合格率与平均分"
    assert desc == (
        f"{YEAR - 1}年：合格率 100.0%，考核 2 人，平均分 78.5。{YEAR}年：合格率 50.0%，考核 2 人，平均分 75.0"
    )
    earlier = client.get("/unit/report/", {"year": YEAR - 1}).content.decode()
    assert f"{YEAR}年：" not in earlier and "pygal" not in html.lower()


def test_my_credits_years_chart_is_named_in_chinese_not_pygal(small_city):
    client = staff_client(small_city["zhang"].user)
    html = client.get("/me/", {"year": YEAR}).content.decode()
    title, desc = assert_accessible(svgs(html)[0])
    assert title == "历年总分" and f"{YEAR}年：92 分，优秀" in desc
    assert "pygal" not in html.lower()


def test_count_axes_have_about_five_round_steps():
    from portal.charts import nice_ticks

    assert nice_ticks(145) == [0, 50, 100, 150]  # was a label every 10: 15 crowded lines
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert nice_ticks(3) == [0, 1, 2, 3] and nice_ticks(1) == [0, 1] and nice_ticks(0) == [0, 1]
    assert nice_ticks(60_000) == [0, 20_000, 40_000, 60_000]


def chart_tables(html: str) -> list[list[list[str]]]:
    """The tables that give the charts' numbers (templates/portal/_chart_table.html): rows of cell texts."""
    tables = re.findall(r'<details class="chart-table.*?</details>', html, re.S)
    return [
        [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
        for table in tables
    ]


def test_the_dashboards_unit_and_trend_charts_come_with_a_table_of_their_numbers(small_city, staff_user):
    html = staff_client(staff_user).get("/staff/dashboard/", {"year": YEAR}).content.decode()
    assert "图表数据（表格）" in html
    units, trend = chart_tables(html)
    assert units[0] == ["单位", "参加考核", "合格率", "优秀", "良好", "合格", "不合格"]
    assert units[1] == ["市财政局", "2", "50.0%", "1（50.0%）", "0（0.0%）", "0（0.0%）", "1（50.0%）"]
    assert units[2][:3] == ["市教育局", "2", "100.0%"]
    assert trend == [["年度", "参加考核", "合格率", "平均分"], [str(YEAR - 1), "2", "100.0%", "78.5"],
                     [str(YEAR), "4", "75.0%", "73.8"]]  # fmt: skip


def test_no_id_repeats_on_the_dashboard_though_its_charts_each_have_a_legend(small_city, staff_user):
    html = staff_client(staff_user).get("/staff/dashboard/", {"year": YEAR}).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(svgs(html)) == 3 and len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_the_unit_reports_trend_chart_comes_with_a_table_of_its_numbers(small_city, unit_admin_user):
    html = staff_client(unit_admin_user).get("/unit/report/", {"year": YEAR}).content.decode()
    (trend,) = chart_tables(html)
    assert trend[1:] == [[str(YEAR - 1), "2", "100.0%", "78.5"], [str(YEAR), "2", "50.0%", "75.0"]]
