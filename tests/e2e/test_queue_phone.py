"""The approval queue on a phone (390 px): every row a card with 通过 / 退回 on screen without sideways scrolling,
and the evidence preview with its own 通过 / 退回. Screenshots: tests/e2e/artifacts/queue-phone*.png."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile

from credits.models import ActivityRecord
from tests import evidence_files
from tests.conftest import YEAR
from tests.e2e.conftest import PHONE, Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-secret-123"  # tests.conftest.make_user


def waiting(official, day: int, *, picture: bool = False) -> ActivityRecord:
    record = ActivityRecord(official=official, kind="class_day", category="offjob", quantity=1,
                            occurred_on=date(YEAR, 3, day), status="submitted",
                            note="市委党校中青年干部培训班（第一期）全天学习，已附结业证明")  # fmt: skip
    if picture:
        record.evidence.save("证明.png", ContentFile(evidence_files.png()), save=False)
        record.evidence_type = "png"
    record.save()
    return record


def phone(browser: Browser) -> None:
    metrics = {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def on_screen(browser: Browser, element) -> bool:
    """Inside the phone's width (no sideways scroll needed) and displayed."""
    box = browser.driver.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.left, r.right];",
                                        element)  # fmt: skip
    return element.is_displayed() and box[0] >= 0 and box[1] <= PHONE


def test_the_queue_on_a_phone_has_approve_and_reject_in_reach(browser: Browser, officials, staff_user):
    records = [waiting(officials["zhang"], 2, picture=True), waiting(officials["li"], 3), waiting(officials["wang"], 4)]
    browser.sign_in("staff", PASSWORD)
    phone(browser)
    browser.go("/staff/")
    browser.visible(f"#record-{records[0].pk}")
    width = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways on a phone: {width}"
    for record in records:
        row = browser.find(f"#record-{record.pk}")
        approve = row.find_element("css selector", "form[action$='/approve/'] button")
        reject = row.find_element("css selector", "a[href*='/reject/']")
        assert approve.text == "通过" and on_screen(browser, approve)
        assert reject.text.startswith("退回") and on_screen(browser, reject)
    browser.save("queue-phone", width=PHONE)
    phone(browser)

    # The evidence preview offers 通过 / 退回 for the record it shows.
    row = browser.find(f"#record-{records[0].pk}")
    row.find_element("css selector", "a[data-evidence]").click()
    approve = browser.visible("#evidence-review button[type=submit]")
    assert approve.text == "通过" and on_screen(browser, approve)
    assert on_screen(browser, browser.find("#evidence-reject"))
    browser.save("queue-phone-evidence", width=PHONE, full_page=False)
    phone(browser)
    browser.click_and_load(browser.visible("#evidence-review button[type=submit]"))
    records[0].refresh_from_db()
    assert records[0].status == "approved"
    assert browser.path.startswith("/staff/")


def test_the_queue_on_a_desktop_stays_a_table(browser: Browser, officials, staff_user):
    waiting(officials["zhang"], 2)
    browser.sign_in("staff", PASSWORD)
    browser.go("/staff/")
    assert (
        browser.driver.execute_script("return getComputedStyle(document.querySelector('#queue tbody tr')).display")
        == "table-row"
    )
    assert browser.visible("#queue thead th").is_displayed()


def test_accounts_in_bulk_and_the_officials_filters_fit_a_phone(browser: Browser, officials, staff_user):
    browser.sign_in("staff", PASSWORD)
    phone(browser)
    browser.go("/staff/accounts/")
    browser.find("#bulk-unit option[value='B01']").click()
    browser.click_and_load(browser.find("form[action='/staff/accounts/bulk/'] button[type=submit]"))
    result = browser.visible("[data-testid=bulk-result]")
    assert "已创建 1 个账号" in result.text
    assert on_screen(browser, browser.find("[data-testid=password-sheet]"))
    width = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the accounts page scrolls sideways on a phone: {width}"
    browser.save("accounts-bulk-phone", width=PHONE)
    phone(browser)
    browser.go("/staff/officials/?login=none")
    assert "无账号" in browser.find("select[name=login]").text
    width = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    browser.save("officials-filters-phone", width=PHONE)
    assert width[0] <= width[1], f"the officials page scrolls sideways on a phone: {width}"
