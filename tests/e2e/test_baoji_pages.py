"""我的学分 of a baoji-2009 year in real headless Chromium, at desktop (1280 px) and phone (390 px) width: the
carry-over figures, the five-year cycle and the study hours are on screen, nothing makes the page scroll sideways on
a phone, and the screenshots are kept in tests/e2e/artifacts/ (baoji-my-credits-desktop.png / -phone.png) to look at.
"""

from __future__ import annotations

from datetime import date

import pytest

from credits import services
from credits.models import YearPolicy
from credits.scoring import compute_scores, rank_year
from tests.conftest import YEAR
from tests.e2e.conftest import DESKTOP, PHONE, Browser
from tests.e2e.test_phone_width import OUT_OF_REACH, WIDE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests.conftest.make_user


@pytest.fixture
def baoji_official(officials, staff_user):
    """张伟 (section chief) with 2024 and 2025 under baoji-2009: 70 earned in 2024 (10 carried over), 42 in 2025
    (+ 10 = 52, fail), a Kunshan kind kept but not counted; 56 study hours in 2025."""
    zhang = officials["zhang"]
    for year in (YEAR - 1, YEAR):
        YearPolicy.objects.create(year=year, policy="baoji-2009")

    def add(kind, quantity, on, **extra):
        services.create_record(by=staff_user, official=zhang, kind=kind, quantity=quantity, occurred_on=on, **extra)

    add("class_day", 14, date(YEAR - 1, 5, 20), note="党校春季主体班")
    add("class_day", 5, date(YEAR, 4, 10), note="全市年轻干部专题研讨班（第二期）")
    add("online_course", 1, date(YEAR, 6, 1), points=12, hours=6, note="网络课程：党的二十大精神专题")
    add("article_sole", 1, date(YEAR, 9, 1), note="在市级刊物发表学习体会文章")
    add("online_hour", 10, date(YEAR, 3, 1), note="网络学院")
    for year in (YEAR - 1, YEAR):
        compute_scores(year=year)
        rank_year(year=year)
    return zhang


def _widths(browser: Browser) -> list[int]:
    return browser.driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def test_my_credits_of_a_baoji_year_at_desktop_and_phone_width(browser: Browser, baoji_official):
    browser.sign_in(baoji_official.user.username, PASSWORD)
    browser.go(f"/me/?year={YEAR}")
    browser.wait_for_text("有效学分")

    for figure in ("earned", "carry-in", "effective", "carry-out", "cycle-earned", "hours-year", "hours-cycle"):
        assert browser.find(f'[data-testid="{figure}"]').is_displayed(), figure
    assert browser.find('[data-testid="effective"]').text.split()[0] == "52"
    assert browser.find('[data-testid="hours-year"]').text.split()[0] == "56"
    assert "按本年度考核办法不计分" in browser.text
    # The categories are uncapped: the bars are drawn against the year's line, not against a cap.
    assert browser.find('[data-category="basic"] .fill').get_attribute("style") == "width: 61.7%;"  # 37 of 60
    browser.save(f"baoji-my-credits-desktop-{DESKTOP}", width=DESKTOP)
    browser.save(f"baoji-my-credits-phone-{PHONE}", width=PHONE)

    metrics = {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        browser.go(f"/me/?year={YEAR}")
        browser.wait_for_text("有效学分")
        widths = _widths(browser)
        assert widths[0] <= widths[1] + 1, browser.driver.execute_script(WIDE)
        assert browser.driver.execute_script(OUT_OF_REACH) == []
        cycle = browser.find('[data-testid="cycle"]').rect
        assert cycle["x"] >= 0 and cycle["x"] + cycle["width"] <= PHONE  # the cards stack within the screen
        browser.go("/me/declare/")
        widths = _widths(browser)
        assert widths[0] <= widths[1] + 1, browser.driver.execute_script(WIDE)
    finally:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert browser.console_errors() == []


def test_the_declaration_form_asks_for_the_courses_credits_only_for_an_online_course(browser: Browser, officials):
    from django.utils import timezone
    from selenium.webdriver.support.ui import Select

    YearPolicy.objects.create(year=timezone.localdate().year, policy="baoji-2009")
    browser.sign_in(officials["zhang"].user.username, PASSWORD)
    browser.go("/me/declare/")
    kind = Select(browser.find("select[name=kind]"))

    kind.select_by_value("online_course")
    assert browser.find("#points-row").is_displayed()
    assert "请填写" in browser.find("#kind-rule").text  # an online course has no default study hours
    browser.save("baoji-declare-online-course-desktop", width=DESKTOP)
    kind.select_by_value("class_day")
    assert not browser.find("#points-row").is_displayed()
    assert "每天按 8 学时计算" in browser.find("#kind-rule").text
    assert browser.find("input[name=hours]").is_displayed()
    browser.save("baoji-declare-class-day-phone", width=PHONE)


def test_the_staff_page_and_the_print_pages_of_a_baoji_year(browser: Browser, baoji_official, staff_user):
    browser.sign_in(staff_user.username, PASSWORD)
    for name, path, words in (
        ("staff-official", f"/staff/officials/{baoji_official.staff_no}/?year={YEAR}", "有效学分"),
        ("registration-form", f"/staff/officials/{baoji_official.staff_no}/registration/{YEAR}/", "五年周期"),
        ("archive", f"/staff/officials/{baoji_official.staff_no}/archive/", "结转"),
    ):
        browser.go(path)
        browser.wait_for_text(words)
        browser.save(f"baoji-{name}-desktop", width=DESKTOP)
        browser.save(f"baoji-{name}-phone", width=PHONE)
        metrics = {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True}
        browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        try:
            browser.go(path)
            widths = _widths(browser)
            assert widths[0] <= widths[1] + 1, (name, browser.driver.execute_script(WIDE))
        finally:
            browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert browser.console_errors() == []
