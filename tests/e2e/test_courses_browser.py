"""End to end in headless Chromium: one training class from creation to the trainee's credits, through the pages.

The training section creates a class of 40 (a draft), files it 40 days ahead, approves it and gives the finance
bureau two seats; the bureau's study administrator names 张伟 and sees one seat left; the class takes place (its
dates are moved into the past: time passing, the one step the browser cannot do); the training section enters the
results in the roster's form and closes the class; 张伟's 我的学分 goes from 0 to 12 (5 class days × 2 + one
reflection × 2 under kunshan-2020) and 我的培训 says what the class gave. Screenshots of the class page and of
我的培训 at 1280 and 390 px go to /tmp/shots-courses/ (and tests/e2e/artifacts/).
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from courses.models import ClassStatus, TrainingClass
from tests.e2e.conftest import DESKTOP, PHONE, Browser, read_while_serving

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests.conftest.make_user
SHOTS = Path("/tmp/shots-courses")


def status_word(status: ClassStatus) -> str:
    """The status as the page shows it, in Chinese (its translation is the models' table's)."""
    with translation.override("zh-hans"):
        return str(status.label)


def shoot(browser: Browser, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        path = browser.save(f"courses-{name}-{suffix}", width=width)
        shutil.copy(path, SHOTS / path.name)


def set_value(browser: Browser, css: str, value: str) -> None:
    """A date input's typing order depends on the browser's locale; its value does not."""
    browser.driver.execute_script("arguments[0].value = arguments[1]", browser.find(css), value)


def sign_out(browser: Browser) -> None:
    """After an action the page sits at its anchor (#quotas, #trainees); the user menu is at the top."""
    browser.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    browser.sign_out()


def submit(browser: Browser, form_css: str) -> None:
    browser.click_and_load(browser.find(f"{form_css} button[type=submit]"))


def test_a_class_from_creation_to_the_trainees_credits(browser: Browser, staff_user, unit_admin_user, officials):
    today = timezone.localdate()
    browser.sign_in("zhang", PASSWORD)
    assert browser.find("[data-testid=total]").text == "0"
    sign_out(browser)

    # The training section creates the class from the nav: 培训班 → 新建培训班.
    browser.sign_in("staff", PASSWORD)
    browser.go("/training/classes/")
    assert "培训班" in browser.find("h1").text
    browser.click_and_load(browser.button("新建培训班", within="main"))
    browser.find("input[name=code]").send_keys("qn-2026-01")
    browser.find("input[name=title]").send_keys("青年干部能力提升班")
    Select(browser.find("select[name=organiser]")).select_by_value("B01")
    Select(browser.find("select[name=class_type]")).select_by_value("growth")
    set_value(browser, "input[name=starts_on]", (today + timedelta(days=40)).isoformat())
    set_value(browser, "input[name=ends_on]", (today + timedelta(days=44)).isoformat())
    browser.find("input[name=days]").send_keys("5")
    browser.find("input[name=capacity]").send_keys("40")
    Select(browser.find("select[name=dispatch]")).select_by_value("quota")
    browser.find("textarea[name=filing_note]").send_keys("学员：各单位 35 岁以下科级干部；内容：党性教育、履职能力")
    submit(browser, "main form")
    assert browser.path == "/training/classes/qn-2026-01/"
    assert browser.find("[data-testid=class-status]").text == status_word(ClassStatus.DRAFT)

    # File, approve, give the finance bureau two seats.
    submit(browser, "form[action$='/file/']")
    assert browser.find("[data-testid=class-status]").text == status_word(ClassStatus.FILED)
    submit(browser, "form[action$='/approve/']")
    assert browser.find("[data-testid=class-status]").text == status_word(ClassStatus.APPROVED)
    Select(browser.find("#quotas select[name=unit]")).select_by_value("B01")
    browser.find("#quotas input[name=seats]").send_keys("2")
    submit(browser, "#quotas form")
    assert "市财政局" in browser.find("[data-testid=quotas]").text
    sign_out(browser)

    # The finance bureau's study administrator names 张伟 within the seats.
    browser.sign_in("finance_admin", PASSWORD)
    browser.go("/training/seats/")
    assert "剩余 2 个" in browser.find("[data-testid=seats]").text
    browser.click_and_load(browser.button("确定学员", within="[data-testid=seats]"))
    browser.find("input[name=official]").send_keys("F001")
    submit(browser, "form.card")
    assert "张伟" in browser.find("[data-testid=unit-trainees]").text
    assert "剩余 1 个" in browser.find("[data-testid=seats-left]").text
    sign_out(browser)

    # Time passes: the class has taken place.
    TrainingClass.objects.filter(code="qn-2026-01").update(
        starts_on=today - timedelta(days=6), ends_on=today - timedelta(days=2)
    )

    # The training section enters the results in the roster's form and closes the class.
    browser.sign_in("staff", PASSWORD)
    browser.go("/training/classes/qn-2026-01/")
    row = "[data-testid=roster] tr[data-official=F001]"
    browser.find(f"{row} input[name$=days_attended]").send_keys("5")
    Select(browser.find(f"{row} select[name$=passed]")).select_by_value("yes")
    browser.find(f"{row} input[name$=reflections]").send_keys("1")
    browser.mark_page()
    browser.find(f"{row} input[name$=reflections]").send_keys(Keys.ENTER)  # Enter saves (never removes a row)
    browser.wait_for_load()
    assert "已录入 1 名学员的成绩" in browser.text
    button = browser.find("form[action$='/close/'] button")
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    browser.mark_page()
    button.click()
    browser.wait.until(lambda d: d.switch_to.alert, "no confirmation was asked").accept()
    browser.wait_for_load()
    assert "培训班已结业" in browser.text and "新增 2 条" in browser.text
    assert browser.find("[data-testid=class-status]").text == status_word(ClassStatus.CLOSED)
    shoot(browser, "class-page")
    assert read_while_serving(lambda: TrainingClass.objects.get(code="qn-2026-01").records.count()) == 2
    sign_out(browser)

    # 张伟's credits changed by themselves; 我的培训 says what the class gave.
    browser.sign_in("zhang", PASSWORD)
    browser.wait.until(lambda d: (browser.go("/me/") or browser.find("[data-testid=total]").text) == "12",
                       "the score never became 12")  # fmt: skip
    browser.click_and_load(browser.find(".navbar a[href='/training/me/']"))
    card = browser.find("[data-testid=my-class]")
    assert "青年干部能力提升班" in card.text and "10 分" in card.text and "2 分" in card.text
    shoot(browser, "my-training")
    assert browser.console_errors() == []
