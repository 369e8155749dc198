"""End to end in headless Chromium: a reserve cadre from the decision to the appointment, through the pages.

The training section opens the pool from the 培训组织 menu, adds 张伟 (a section-chief reserve, economic stream),
enters the written exam on his file, enters the oral defense on its page (five examiners, fifteen voters) and sees
the scores at once with two decimals, records a rotation and — as the finance bureau's study administrator — the
yearly assessment, then appoints him; the published list no longer shows him. Screenshots of the pool, the file and
the defense at 1280 and 390 px go to /tmp/shots-res/ (and tests/e2e/artifacts/).
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from selenium.webdriver.support.ui import Select

from reserve_cadres.models import Reserve
from tests.e2e.conftest import DESKTOP, PHONE, Browser, read_while_serving

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests.conftest.make_user
SHOTS = Path("/tmp/shots-res")


def shoot(browser: Browser, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        path = browser.save(f"reserves-{name}-{suffix}", width=width)
        shutil.copy(path, SHOTS / path.name)


def set_value(browser: Browser, css: str, value: str) -> None:
    browser.driver.execute_script("arguments[0].value = arguments[1]", browser.find(css), value)


def open_entry(browser: Browser, name: str) -> None:
    """Open one of the file's entry forms (an accordion)."""
    button = browser.find(f"button[data-bs-target='#body-{name}']")
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()
    browser.visible(f"#body-{name}.show")


def submit(browser: Browser, css: str) -> None:
    browser.click_and_load(browser.find(f"{css} button[type=submit]"))


def sign_out(browser: Browser) -> None:
    browser.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    browser.sign_out()


def test_a_reserve_from_the_decision_to_the_appointment(browser: Browser, staff_user, unit_admin_user, officials):
    today = timezone.localdate()
    year = today.year
    browser.sign_in("staff", PASSWORD)
    # The pool from the training section's menu.
    browser.find("#mainnav .dropdown-toggle:not(#user-menu)").click()
    browser.click_and_load(browser.button("后备干部", within="#mainnav .dropdown-menu.show"))
    assert browser.path == "/reserves/pool/"
    # The decision.
    browser.find("#add input[name=official]").send_keys("F001")
    Select(browser.find("#add select[name=level]")).select_by_value("section_chief")
    Select(browser.find("#add select[name=stream]")).select_by_value("economic")
    set_value(browser, "#add input[name=decided_on]", (today - timedelta(days=200)).isoformat())
    browser.find("#add input[name=contact_leader]").send_keys("赵县长")
    submit(browser, "#add form")
    reserve = read_while_serving(lambda: Reserve.objects.get(official__staff_no="F001"))
    assert browser.path == f"/reserves/{reserve.pk}/"
    assert "张伟" in browser.find("h1").text
    assert browser.find("[data-testid=status]").get_attribute("data-status") == "active"

    # The written exam.
    open_entry(browser, "exam")
    browser.find("#body-exam input[name=score]").send_keys("82.5")
    submit(browser, "#body-exam form")
    assert "笔试成绩已保存" in browser.text

    # The defense, on its own page: the result at once, two decimals.
    browser.click_and_load(browser.button("录入答辩测评", within="main"))
    for n, score in enumerate(["80", "75.5", "90", "66", "70.25"], start=1):
        browser.find(f"input[name=examiner_{n}]").send_keys(score)
    for name, count in (("excellent", 6), ("competent", 6), ("basically_competent", 2), ("incompetent", 1)):
        browser.find(f"input[name={name}]").send_keys(str(count))
    submit(browser, "[data-testid=defense-form]")
    assert browser.find("[data-testid=panel-score]").text == "76.35"
    assert browser.find("[data-testid=vote-score]").text == "80.00"
    assert browser.find("[data-testid=score]").text == "77.81"
    assert browser.find("[data-testid=passed]").get_attribute("data-passed") == "yes"
    shoot(browser, "defense")

    # A rotation.
    browser.go(f"/reserves/{reserve.pk}/")
    open_entry(browser, "practice")
    Select(browser.find("#body-practice select[name=kind]")).select_by_value("rotation")
    browser.find("#body-practice input[name=place]").send_keys("某镇人民政府")
    set_value(browser, "#body-practice input[name=starts_on]", (today - timedelta(days=100)).isoformat())
    submit(browser, "#body-practice form")
    assert "某镇人民政府" in browser.find("[data-testid=timeline]").text
    sign_out(browser)

    # The unit's study administrator: the unit's reserves, then the yearly assessment on the file.
    browser.sign_in("finance_admin", PASSWORD)
    browser.go("/reserves/unit/")
    shoot(browser, "unit")  # the unit administrator's bar with its 后备干部 menu at 1280 px
    browser.click_and_load(browser.button("张伟", within="[data-testid=unit-reserves]"))
    assert not browser.find_all("button[data-bs-target='#body-exam']")  # the training section's entries only
    open_entry(browser, "assessment")
    Select(browser.find("#body-assessment select[name=result]")).select_by_value("excellent")
    browser.find("#body-assessment input[name=year]").clear()
    browser.find("#body-assessment input[name=year]").send_keys(str(year))
    submit(browser, "#body-assessment form")
    assert "年度考核已保存" in browser.text
    sign_out(browser)

    # The appointment: he leaves the pool and the published list.
    browser.sign_in("staff", PASSWORD)
    browser.go(f"/reserves/{reserve.pk}/")
    shoot(browser, "file")
    open_entry(browser, "appoint")
    submit(browser, "#body-appoint form")
    assert browser.find("[data-testid=status]").get_attribute("data-status") == "appointed"
    timeline = browser.find("[data-testid=timeline]").text
    for word in ("笔试", "答辩测评", "77.81", "某镇人民政府", "年度考核"):
        assert word in timeline
    browser.go("/reserves/pool/")
    shoot(browser, "pool")
    browser.go("/reserves/")
    assert "张伟" not in browser.find("main").text
    assert browser.console_errors() == []
