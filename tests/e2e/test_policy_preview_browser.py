"""End to end in real headless Chromium: the training section changes a year's credit policy from the years page,
at desktop (1280 px) and phone (390 px) width — the year's policy in words, choose another, the preview (grades now
and after, per unit, the officials whose result changes, the later years that follow), confirm, and the recompute's
progress bar on the years page. A published year says why its policy cannot change.

Screenshots land in tests/e2e/artifacts/ (policy-*-desktop.png, policy-*-phone.png).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from credits.models import AnnualScore, PublishedYear, RecomputeJob
from credits.policies import policy_code_of_year
from tests.e2e.conftest import DESKTOP, PHONE, Browser, read_while_serving
from tests.e2e.test_phone_width import OUT_OF_REACH, WIDE
from tests.test_year_policy import BAOJI, BEFORE, YEAR, chain

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["chain"]  # the fixture: 2024 under kunshan-2020, 2025 under baoji-2009, both computed

PASSWORD = "pw-secret-123"  # tests.conftest.make_user


def snap(browser: Browser, name: str, width: int) -> None:
    """A screenshot at ``width``; the window stays that wide for the next steps (``save`` clears the emulation)."""
    browser.save(name, width=width)
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 768}
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def fits(browser: Browser, width: int) -> None:
    """Nothing scrolls sideways and every control is in reach (at phone width; the page is as wide as the window)."""
    widths = browser.driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] + 1, (width, browser.path, browser.driver.execute_script(WIDE))
    assert browser.driver.execute_script(OUT_OF_REACH) == [], (width, browser.path)


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_years_page_previews_then_switches_a_years_policy(browser: Browser, chain, staff_user, width):
    PublishedYear.objects.create(year=YEAR)  # 2025: its policy cannot change; it follows 2024 all the same
    name = "desktop" if width == DESKTOP else "phone"
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 768}
    browser.sign_in("staff", PASSWORD)
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)

    # The years page: each year's policy in words; the published year says why it cannot change.
    browser.go("/staff/years/")
    card = browser.visible(f'section[data-year="{BEFORE}"]')
    assert "昆山市干部教育培训学分制考核办法（2020）" in card.text
    locked = browser.find(f'section[data-year="{YEAR}"]')
    assert "宝鸡市干部教育培训学分制管理办法（2009）" in locked.text
    assert "已发布年度的考核办法不能更改，请先重新开放该年度。" in locked.text
    assert not locked.find_elements("css selector", "input[name=policy]")
    assert browser.driver.execute_script("return window.innerWidth") == width
    fits(browser, width)
    snap(browser, f"policy-01-years-{name}", width)

    # baoji-2009 is offered for 2024 (the other policy); preview it: nothing is written yet.
    choice = browser.find(f'section[data-year="{BEFORE}"] input[name=policy][value="{BAOJI}"]')
    assert choice.is_selected()
    browser.driver.execute_script("arguments[0].click()", choice)  # the label is what a person taps
    browser.click_and_load(browser.button("预览变化", within=f'section[data-year="{BEFORE}"]'))
    assert browser.path == f"/staff/years/{BEFORE}/policy/?policy={BAOJI}"
    summary = browser.visible("[data-testid=preview-summary]").text
    assert "1 名干部的考核结果将发生变化。" in summary  # zhang: fail under kunshan-2020, pass under baoji-2009
    grades = {
        row.get_attribute("data-grade"): (row.find_element("css selector", "[data-testid=now]").text,
                                          row.find_element("css selector", "[data-testid=after]").text)
        for row in browser.find_all("[data-testid=preview-grades] tbody tr")
    }  # fmt: skip
    assert grades["fail"] == ("2", "1") and grades["pass"] == ("0", "1") and grades["exempt"] == ("1", "1")
    changed = browser.find_all("[data-testid=preview-officials] tbody tr")
    assert [row.get_attribute("data-staff-no") for row in changed] == ["F001"]
    assert "不合格 → 合格" in changed[0].text
    scope = browser.find("[data-testid=preview-scope]").text
    assert f"以后各年度（{YEAR}）也将重新计算" in scope and f"已发布的年度（{YEAR}）" in scope
    assert policy_code_of_year(BEFORE) == "kunshan-2020" and not RecomputeJob.objects.exists()
    assert browser.driver.execute_script("return window.innerWidth") == width
    fits(browser, width)
    snap(browser, f"policy-02-preview-{name}", width)

    # Confirm: back on the years page with the recompute's progress bar, 2024 and 2025 recomputed.
    browser.click_and_load(browser.button(f"{BEFORE} 年度改按", within="[data-testid=confirm]"))
    assert browser.path.startswith("/staff/years/?job=")
    browser.wait.until(lambda d: browser.find(".recompute-progress").get_attribute("data-state") == "done")
    assert f"{BEFORE} 年度已改按宝鸡市干部教育培训学分制管理办法（2009）考核" in browser.text
    card = browser.find(f'section[data-year="{BEFORE}"]')
    assert "宝鸡市干部教育培训学分制管理办法（2009）" in card.text
    later = read_while_serving(lambda: AnnualScore.objects.get(official=chain["zhang"], year=YEAR))
    assert Decimal(later.figures["carry_in"]) == 20  # 2024's 80 credits carry 20 into 2025
    assert browser.driver.execute_script("return window.innerWidth") == width
    fits(browser, width)
    snap(browser, f"policy-03-switched-{name}", width)
    assert browser.console_errors() == []
