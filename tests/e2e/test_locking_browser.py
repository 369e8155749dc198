"""End to end in real headless Chromium (issue 9, 1 and 2): the training section's irreversible actions ask first,
with counts, and a published year's controls are disabled with the reason.

1. Publishing with waiting records: the years page lists what waits; "publish anyway" needs a reason and asks with
   the counts (declining changes nothing); the published year's recompute is disabled with the reason.
2. A veto with confirmation: the reason starts empty; recording asks (declining changes nothing); removing asks;
   the removal is undone with "restore".
3. Revoking an approval: the record's page says what will happen and needs the reason.

Screenshots at desktop and phone width land in tests/e2e/artifacts/ (locking-*.png).
"""

from __future__ import annotations

from datetime import date

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select

from audit.models import ChangeLog
from credits.models import PublishedYear, Veto
from tests.conftest import YEAR
from tests.e2e.conftest import Browser
from tests.portal.test_staff import record, score

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests.conftest.make_user


def press(browser: Browser, element) -> None:
    """Press a button or link with the keyboard and wait for the next page (a pointer click below the first 900
    pixels of a long page is reported as intercepted by this headless window)."""
    browser.mark_page()
    element.send_keys(Keys.ENTER)
    browser.wait_for_load()


def click_and_answer(browser: Browser, button, accept: bool) -> str:
    """Click a submit button, wait for the page's confirm() (portal.js, data-confirm), answer it (when accepted,
    wait for the next page) and return its question."""
    browser.mark_page()
    button.click()
    alert = browser.wait.until(ec.alert_is_present(), "no confirmation was asked")
    question = alert.text
    if accept:
        alert.accept()
        browser.wait_for_load()
    else:
        alert.dismiss()
    return question


def test_publishing_with_waiting_records(browser: Browser, officials, staff_user):
    score(officials["zhang"])
    score(officials["li"])
    record(officials["zhang"], on=date(YEAR, 4, 1))
    record(officials["li"], on=date(YEAR, 4, 2))
    record(officials["li"], on=date(YEAR, 4, 3))

    browser.sign_in("staff", PASSWORD)
    browser.go("/staff/years/")
    waiting = browser.visible("[data-testid=publish-waiting]")
    assert f"{YEAR} 年度暂不能发布" in waiting.text and "3 条记录待审核" in waiting.text
    assert not browser.find_all(f"form[action='/staff/years/{YEAR}/publish/'] button.btn-primary")  # no plain publish
    browser.save_at_both_widths("locking-01-years-waiting")

    # The reason is required: the browser does not even ask before it is given.
    publish = waiting.find_element("css selector", "button[type=submit]")
    reason = "待审核记录为下一年度的培训，转下年处理"
    waiting.find_element("css selector", "input[name=override_reason]").send_keys(reason)
    question = click_and_answer(browser, publish, accept=False)
    assert f"3 条记录待审核，仍要发布 {YEAR} 年度？2 个学分结果将被锁定。" == question
    assert not PublishedYear.objects.exists()

    click_and_answer(browser, publish, accept=True)
    assert PublishedYear.objects.filter(year=YEAR).exists()
    entry = ChangeLog.objects.get(model="credits.publishedyear", action="create")
    assert entry.reason == reason and entry.new["waiting"]["waiting"] == 3
    card = browser.find(f"[data-year='{YEAR}']")
    assert f"{YEAR} 年度结果已发布并锁定" in card.text
    recompute = [b for b in card.find_elements("css selector", "button") if b.text == "重新计算"]
    assert recompute and not recompute[0].is_enabled()
    browser.save_at_both_widths("locking-02-years-published")

    # The queue shows the locked year's waiting records with their buttons disabled and the reason.
    browser.go("/staff/")
    row = browser.visible("tbody tr[id^=record-]")
    assert "已发布并锁定" in row.text
    assert all(not b.is_enabled() for b in row.find_elements("css selector", "button"))
    browser.save_at_both_widths("locking-05-queue-locked")
    assert browser.console_errors() == []


def test_revoking_an_approval(browser: Browser, officials, staff_user):
    approved = record(officials["zhang"], "study_paper", status="approved", on=date(YEAR, 5, 1))
    browser.sign_in("staff", PASSWORD)
    browser.go(f"/staff/officials/F001/?year={YEAR}")
    press(browser, browser.button("撤销", within="main table"))
    assert browser.path == f"/staff/officials/F001/records/{approved.pk}/revoke/"
    assert "该记录将不再计分" in browser.text
    browser.save_at_both_widths("locking-06-revoke")
    browser.find("input[name=reason]").send_keys("论文未经评审")
    browser.click_and_load(browser.button("撤销审核", within="main form"))
    approved.refresh_from_db()
    assert (approved.status, approved.reject_reason) == ("rejected", "论文未经评审")
    assert browser.path == f"/staff/officials/F001/?year={YEAR}" and "已撤销" in browser.text
    assert browser.console_errors() == []


def test_a_veto_with_confirmation(browser: Browser, officials, staff_user):
    score(officials["zhang"])
    browser.sign_in("staff", PASSWORD)
    browser.go(f"/staff/officials/F001/?year={YEAR}")
    form = browser.visible("[data-testid=veto-form]")
    reason = Select(form.find_element("css selector", "select[name=reason]"))
    assert reason.first_selected_option.get_attribute("value") == ""  # nothing preselected
    browser.save_at_both_widths("locking-03-official")

    # Without a reason the browser refuses (required) and nothing is asked or saved.
    submit = form.find_element("css selector", "button[type=submit]")
    submit.click()
    assert not ec.alert_is_present()(browser.driver) and not Veto.objects.exists()

    reason.select_by_value("discipline")
    question = click_and_answer(browser, submit, accept=False)
    assert question == f"确定对张伟 {YEAR} 年度一票否决？无论总分多少，张伟的等次都将为“不合格”。"
    assert not Veto.objects.exists()
    click_and_answer(browser, submit, accept=True)
    veto = Veto.objects.get(official=officials["zhang"], year=YEAR)
    assert veto.reason == "discipline" and "严重违反培训纪律" in browser.find("[data-testid=veto]").text

    # Removing asks too, and the removal can be undone.
    remove = browser.find("[data-testid=veto] button[type=submit]")
    assert click_and_answer(browser, remove, accept=True).startswith(f"确定删除张伟 {YEAR} 年度的一票否决")
    assert not Veto.objects.exists()
    press(browser, browser.button("恢复", within="[data-testid=removed-decisions]"))
    assert Veto.objects.filter(official=officials["zhang"], year=YEAR, reason="discipline").exists()
    assert "已恢复" in browser.text
    browser.save_at_both_widths("locking-04-official-restored")
    assert browser.console_errors() == []
