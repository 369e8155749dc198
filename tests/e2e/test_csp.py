"""The Content-Security-Policy in a real browser: every role's main pages load with no CSP violation in the console,
and the pieces driven by script still work from static files (the declare form's hints, the approval queue's select-all
and evidence preview, the htmx reject, the years page's confirmation, the session form's count, the language switch).

Screenshots of the queue's evidence preview at desktop and phone width land in tests/e2e/artifacts/.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from selenium.webdriver.support.ui import Select

from credits import services
from credits.models import ActivityRecord
from credits.scoring import refresh_stale
from tests import evidence_files
from tests.conftest import YEAR
from tests.e2e.conftest import DESKTOP, PHONE, Browser, read_while_serving

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests.conftest.make_user


def csp_violations(browser: Browser) -> list[str]:
    """Console errors since the last call; a CSP violation reads "Refused to … because it violates …"."""
    return browser.console_errors()


def visit(browser: Browser, path: str, *, sheet: bool = False) -> None:
    """Open a page; the portal's pages have Bootstrap and htmx loaded (print sheets have neither)."""
    browser.go(path)
    browser.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    if not sheet:
        assert browser.driver.execute_script("return typeof htmx !== 'undefined' && typeof bootstrap !== 'undefined'")
    assert csp_violations(browser) == [], path


def declared(official, name: str, content: bytes, on: date) -> ActivityRecord:
    return services.create_record(
        by=official.user, official=official, kind="study_paper", quantity=1, occurred_on=on,
        evidence=SimpleUploadedFile(name, content),
    )  # fmt: skip


def test_every_roles_pages_run_under_the_policy(browser: Browser, officials, staff_user, unit_admin_user):
    zhang = officials["zhang"]
    photo = declared(zhang, "证书.png", evidence_files.image("PNG", size=(900, 600)), date(YEAR, 3, 1))
    scan = declared(zhang, "scan.pdf", evidence_files.pdf(), date(YEAR, 3, 2))
    to_reject = declared(zhang, "other.jpg", evidence_files.jpeg(), date(YEAR, 3, 3))
    services.create_record(
        by=staff_user, official=officials["li"], kind="class_day", quantity=2, occurred_on=date(YEAR, 2, 1)
    )
    refresh_stale()  # the years page lists a year that has scores

    # The official: 我的学分, 申报 (the kind's hint and unit follow the choice), the print sheets.
    browser.sign_in("zhang", PASSWORD)
    assert csp_violations(browser) == []
    visit(browser, "/me/")
    visit(browser, "/me/declare/")
    Select(browser.find("select[name=kind]")).select_by_value("class_day")
    assert browser.find("#class-passed-row").is_displayed()
    unit_for_days = browser.find("#quantity-unit").text
    Select(browser.find("select[name=kind]")).select_by_value("study_paper")
    assert not browser.find("#class-passed-row").is_displayed()
    assert browser.find("#quantity-unit").text != unit_for_days
    visit(browser, f"/me/registration-form/{YEAR}/", sheet=True)
    visit(browser, "/me/archive/", sheet=True)
    assert browser.find("[data-print]").is_displayed()
    # The language switch submits itself from the static file.
    visit(browser, "/notifications/")
    browser.choose_and_load("#language-switch", "en")
    assert browser.language == "en"
    browser.choose_and_load("#language-switch", "zh-hans")
    assert csp_violations(browser) == []
    browser.sign_out()

    # The unit's study administrator: officials, the session form (its count is drawn by script), the report.
    browser.sign_in("finance_admin", PASSWORD)
    visit(browser, "/unit/")
    visit(browser, "/unit/sessions/new/")
    assert browser.find("#attendee-count").text.strip() != ""
    visit(browser, "/unit/declare/")
    visit(browser, "/unit/report/")
    browser.sign_out()

    # The training section: the queue, its select-all, the evidence preview, an htmx reject; the years page.
    browser.sign_in("staff", PASSWORD)
    visit(browser, "/staff/")
    browser.find("#select-all").click()
    boxes = browser.find_all('input[name="record_ids"][form="bulk-form"]')
    assert boxes and all(box.is_selected() for box in boxes)
    browser.find("#select-all").click()

    browser.find(f"#record-{photo.pk} a[data-bs-target='#evidence-modal']").click()
    image = browser.visible("#evidence-image")
    browser.wait.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image))
    assert browser.driver.execute_script("return arguments[0].naturalWidth", image) == 900
    browser.save("csp-queue-evidence-image-desktop", width=DESKTOP, full_page=False)
    browser.save("csp-queue-evidence-image-phone", width=PHONE, full_page=False)
    browser.find("#evidence-modal .btn-close").click()
    browser.wait.until(lambda d: not browser.find("#evidence-modal").is_displayed(), "the preview never closed")

    browser.find(f"#record-{scan.pk} a[data-bs-target='#evidence-modal']").click()
    browser.visible("#evidence-download")
    assert not browser.find("#evidence-image").is_displayed()
    link = browser.find("#evidence-download-link").get_attribute("href")
    assert link.endswith(f"/records/{scan.pk}/evidence/")
    browser.save("csp-queue-evidence-pdf-desktop", width=DESKTOP, full_page=False)
    browser.find("#evidence-modal .btn-close").click()
    browser.wait.until(lambda d: not browser.find("#evidence-modal").is_displayed(), "the preview never closed")
    assert csp_violations(browser) == []

    browser.find(f"#record-{to_reject.pk} a[hx-get*='/reject/']").click()
    reason = browser.visible(f"#record-{to_reject.pk} input[name=reason]")
    reason.send_keys("没有结业证书")
    browser.find(f"#record-{to_reject.pk} button[type=submit]").click()
    rejected = lambda d: read_while_serving(lambda: ActivityRecord.objects.get(pk=to_reject.pk).status) == "rejected"  # noqa: E731
    browser.wait.until(rejected, "never rejected")
    browser.wait.until(lambda d: "已退回" in browser.find(f"#record-{to_reject.pk}").text, "the row never said so")
    assert browser.path == "/staff/"  # htmx swapped the row; the page stayed
    assert csp_violations(browser) == []

    visit(browser, "/staff/years/")
    confirm_forms = browser.find_all("form[data-confirm]")
    assert confirm_forms
    for required in confirm_forms[0].find_elements("css selector", "input[required]"):
        required.send_keys("测试")  # publishing while records wait needs a reason before the question is asked
    confirm_forms[0].find_element("css selector", "button[type=submit]").click()
    alert = browser.wait.until(lambda d: d.switch_to.alert, "no confirmation was asked")
    assert "?" in alert.text or "？" in alert.text
    alert.dismiss()  # 取消: nothing is published
    assert browser.path == "/staff/years/"
    visit(browser, "/staff/")
    visit(browser, "/api/docs/", sheet=True)  # Swagger UI: its own scripts, from static files
    browser.wait.until(lambda d: browser.find_all(".swagger-ui .info"), "Swagger UI never drew the schema")
    assert csp_violations(browser) == []
