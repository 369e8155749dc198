"""End to end in real headless Chromium: what a person does, through the real pages.

1. Signing in (a wrong password, then the right one), the notifications badge and page, the language switch,
   changing the password and signing out.
2. The declaration round trip: an official declares (申报) with an evidence PDF and sees it waiting (待审核); the
   training section approves it in the approval queue; the official sees the new score and the notification.

Screenshots of the main pages at desktop and phone width land in tests/e2e/artifacts/ for review.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.support.ui import Select

from notifications.models import Notification, NotificationKind
from tests import evidence_files
from tests.e2e.conftest import Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests.conftest.make_user
# Bootstrap's bg-primary on the bar, in the portal's darker blue (static/portal/portal.css, WCAG contrast): both
# stylesheets came from the server.
NAVBAR_BLUE = "rgb(8, 66, 152)"
# A whole, well-formed PDF: the evidence check parses all of it, and never looks at its name.
TINY_PDF = evidence_files.pdf()


def assert_styled(browser: Browser) -> None:
    """Bootstrap's CSS and JS came from the server (no CDN): the navbar has its colour and JS is there."""
    colour = browser.driver.execute_script(
        "return getComputedStyle(document.querySelector('nav.navbar')).backgroundColor"
    )
    assert colour == NAVBAR_BLUE
    assert browser.driver.execute_script("return typeof bootstrap !== 'undefined' && typeof htmx !== 'undefined'")


def test_sign_in_notifications_language_password_and_sign_out(browser: Browser, officials):
    zhang = officials["zhang"].user
    Notification.objects.create(
        recipient=zhang, kind=NotificationKind.RECORD_APPROVED, url="/me/",
        params={"kind": "class_reflection", "occurred_on": "2025-03-05", "official": "张伟"},
    )  # fmt: skip

    # A page that needs a sign-in sends you to the sign-in page, in Chinese, styled.
    browser.go("/notifications/")
    assert browser.path.startswith("/accounts/login/")
    assert browser.language == "zh-hans"
    assert_styled(browser)
    browser.save_at_both_widths("01-sign-in")

    browser.sign_in("zhang", "wrong-password")
    assert "请输入一个正确的" in browser.find(".alert-danger").text
    browser.sign_in("zhang", PASSWORD)
    assert browser.path == "/notifications/"  # back where the sign-in interrupted

    # The nav badge counts the unread one; opening it marks it read and goes to its page.
    assert browser.find("[data-testid=unread]").text == "1"
    item = browser.find("[data-testid=notification]")
    assert "记录已审核通过" in item.text and item.find_elements("css selector", "[data-testid=unread-mark]")
    browser.save_at_both_widths("02-notifications")
    browser.click_and_load(item)
    assert browser.path == "/me/"
    assert not browser.find_all("[data-testid=unread]")

    # The language switch in the footer: English, then back to Chinese, on the same page.
    browser.go("/notifications/")
    browser.choose_and_load("#language-switch", "en")
    assert browser.language == "en" and browser.path == "/notifications/"
    assert "Notifications" in browser.find("h1").text
    browser.choose_and_load("#language-switch", "zh-hans")
    assert browser.find("h1").text == "消息通知"

    # Change the password from the user menu.
    browser.open_user_menu()
    browser.click_and_load(browser.button("修改密码", within="#user-menu + .dropdown-menu"))
    browser.find("input[name=old_password]").send_keys(PASSWORD)
    browser.find("input[name=new_password1]").send_keys("Lake-Tai-2026!")
    browser.find("input[name=new_password2]").send_keys("Lake-Tai-2026!")
    browser.click_and_load(browser.button("修改密码", within="main"))
    assert "您的密码已修改" in browser.text

    # Sign out; the new password signs in, on a phone-sized screen too.
    browser.sign_out()
    assert browser.path.startswith("/accounts/login/")
    browser.go("/notifications/")
    assert browser.path.startswith("/accounts/login/")
    browser.sign_in("zhang", "Lake-Tai-2026!")
    assert browser.path == "/notifications/"
    browser.driver.set_window_size(420, 900)
    browser.sign_out()
    assert browser.path.startswith("/accounts/login/")
    assert browser.console_errors() == []


def test_declare_approve_and_see_the_new_score(browser: Browser, officials, staff_user, tmp_path):
    zhang = officials["zhang"]
    evidence = tmp_path / "培训班心得.pdf"
    evidence.write_bytes(TINY_PDF)
    today = timezone.localdate()

    # The official declares a class reflection with its evidence and sees it waiting for review.
    browser.sign_in("zhang", PASSWORD)
    assert browser.path == "/me/"
    assert browser.find("[data-testid=total]").text == "0"
    browser.save_at_both_widths("03-my-credits-before")
    browser.click_and_load(browser.find(f"main a[href='{reverse('portal:my-declare')}']"))
    assert browser.path == reverse("portal:my-declare")
    Select(browser.find("select[name=kind]")).select_by_value("class_reflection")
    browser.find("input[name=quantity]").send_keys("1")
    browser.driver.execute_script(
        "arguments[0].value = arguments[1]", browser.find("input[name=occurred_on]"), today.isoformat()
    )  # a date input's typing order depends on the browser's locale; the value does not
    browser.find("textarea[name=note]").send_keys("市委党校中青班学习心得")
    browser.find("input[name=evidence]").send_keys(str(evidence))
    browser.save_at_both_widths("04-declare")
    browser.click_and_load(browser.find("main form[enctype='multipart/form-data'] button[type=submit]"))
    assert browser.path.startswith("/me/")
    assert "待审核" in browser.text
    record = zhang.records.get()
    assert record.status == "submitted" and record.evidence.name.endswith(".pdf")
    # The page opened at the new record (#record-<id>), scrolled down to it; the user menu is at the top.
    assert browser.driver.execute_script("return location.hash") == f"#record-{record.pk}"
    browser.go("/me/")
    browser.sign_out()

    # The training section approves it in the approval queue.
    browser.sign_in("staff", PASSWORD)
    browser.click_and_load(browser.find(f".navbar a[href='{reverse('portal:staff-queue')}']"))
    assert browser.path == reverse("portal:staff-queue")
    row = browser.visible(f"#record-{record.pk}")
    assert "张伟" in row.text and "待审核" in row.text
    browser.save_at_both_widths("05-approval-queue")
    row.find_element("css selector", f"form[action$='/records/{record.pk}/approve/'] button").click()
    browser.wait.until(lambda d: "已通过" in browser.find(f"#record-{record.pk}").text, "the row never said approved")
    record.refresh_from_db()
    assert record.status == "approved" and record.reviewed_by == staff_user
    browser.sign_out()

    # The official sees the new score and the notification.
    browser.sign_in("zhang", PASSWORD)
    assert browser.find("[data-testid=total]").text == "2"
    assert browser.find("[data-testid=unread]").text == "1"
    browser.save_at_both_widths("06-my-credits-after")
    browser.click_and_load(browser.find(".navbar a[href='/notifications/']"))
    assert "记录已审核通过" in browser.find("[data-testid=notification]").text
    assert browser.console_errors() == []


def test_a_re_declared_record_and_the_session_page(browser: Browser, officials, staff_user, unit_admin_user, tmp_path):
    """Issue 9: a returned record is opened from its notification, corrected and declared again; the same kind and
    date warn at entry; the unit's central-group session opens on its own page (screenshots at 1280 and 390 px)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from credits import services

    zhang = officials["zhang"]
    day = timezone.localdate().replace(day=1)
    returned = services.create_record(
        by=zhang.user,
        official=zhang,
        kind="class_day",
        quantity=3,
        occurred_on=day,
        note="全市年轻干部培训班",
        evidence=SimpleUploadedFile("c.pdf", TINY_PDF),
    )
    services.reject_record(by=staff_user, record=returned, reason="天数有误，应为 2 天")

    # The notification opens the record itself, which offers 修改后重新申报.
    browser.sign_in("zhang", PASSWORD)
    browser.go("/notifications/")
    browser.click_and_load(browser.find("[data-testid=notification]"))
    assert browser.driver.execute_script("return location.hash") == f"#record-{returned.pk}"
    row = browser.visible(f"#record-{returned.pk}")
    assert "天数有误，应为 2 天" in row.text
    browser.click_and_load(row.find_element("css selector", "[data-testid=redeclare]"))
    assert browser.path == f"/me/records/{returned.pk}/redeclare/"
    assert "天数有误" in browser.find("[data-testid=returned]").text
    assert browser.find("input[name=quantity]").get_attribute("value") in ("3.0", "3")
    assert browser.find("input[name=occurred_on]").get_attribute("value") == day.isoformat()
    browser.save_at_both_widths("07-redeclare")
    quantity = browser.find("input[name=quantity]")
    quantity.clear()
    quantity.send_keys("2")
    submit = browser.find("main form[enctype='multipart/form-data'] button[type=submit]")
    browser.mark_page()
    browser.driver.execute_script("arguments[0].click()", submit)  # below the fold of the headless window
    browser.wait_for_load()
    new = zhang.records.exclude(pk=returned.pk).get()
    assert (new.status, new.quantity) == ("submitted", 2)
    returned.refresh_from_db()
    assert returned.status == "rejected"
    assert browser.driver.execute_script("return location.hash") == f"#record-{new.pk}"

    # Declaring the same kind on the same day again: a warning at entry (htmx), before any file is chosen.
    browser.go("/me/declare/")
    Select(browser.find("select[name=kind]")).select_by_value("class_day")
    browser.driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))",
        browser.find("input[name=occurred_on]"), day.isoformat(),
    )  # fmt: skip
    browser.wait.until(lambda d: browser.find_all("[data-testid=similar-warning]"), "no duplicate warning")
    assert "同类记录" in browser.find("[data-testid=similar-warning]").text
    browser.save_at_both_widths("08-declare-duplicate-warning")
    browser.sign_out()

    # The unit administrator opens a session from the list: attendees, roles, the correction form, delete.
    session = services.record_group_study_session(
        by=unit_admin_user, unit=zhang.unit, occurred_on=date(day.year, day.month, 1), topic="学习贯彻全会精神",
        speakers=[zhang], listeners=[officials["li"]],
    )  # fmt: skip
    browser.sign_in("finance_admin", PASSWORD)
    browser.go(f"/unit/sessions/?year={day.year}")
    browser.click_and_load(browser.find(f"a[href^='/unit/sessions/{session.pk}/']"))
    assert "学习贯彻全会精神" in browser.find("[data-testid=session-heading]").text
    assert "张伟" in browser.find("[data-testid=attendees]").text
    browser.save_at_both_widths("09-session-page")
    # The unit's officials with risk words naming the exact cause.
    browser.go(f"/unit/?year={day.year}")
    assert "市干教办“菜单式”讲座 0 次，还需 4 次" in browser.text
    browser.save_at_both_widths("10-unit-officials-risk-words")
    assert browser.console_errors() == []
