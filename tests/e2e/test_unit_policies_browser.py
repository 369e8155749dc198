"""The unit's pages in a baoji-2009 year, in Chromium: screenshots at 1280 and 390 px of the officials page, one
official and the report (no sideways scroll on a phone), and the report printed as A4 landscape."""

from __future__ import annotations

import base64
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from credits import services
from credits.models import YearPolicy
from credits.scoring import rank_year, refresh_stale
from organisation.models import Official
from tests.conftest import YEAR
from tests.e2e.conftest import ARTIFACTS, PHONE, Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests.conftest.make_user
A4_LANDSCAPE = (842, 595)


def scrolls_sideways(browser: Browser) -> bool:
    metrics = {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        scroll, client = browser.driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    finally:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return scroll > client + 1


def test_the_unit_pages_of_a_baoji_year_at_both_widths(browser: Browser, staff_user, officials, units,
                                                      unit_admin_user):  # fmt: skip
    for year in (YEAR - 1, YEAR):
        YearPolicy.objects.create(year=year, policy="baoji-2009")
    zhang, li = officials["zhang"], officials["li"]
    other = Official.objects.create(staff_no="F003", name="赵敏", unit=units["finance"], rank="other")
    for official, kind, quantity, year, extra in (
        (zhang, "class_day", 14, YEAR - 1, {}),
        (zhang, "class_day", 10, YEAR, {}),
        (li, "class_day", 4, YEAR, {}),
        (li, "online_course", 1, YEAR, {"points": 15, "hours": 20}),
        (other, "class_day", 12, YEAR, {}),
    ):
        services.create_record(by=staff_user, official=official, kind=kind, quantity=quantity,
                               occurred_on=date(year, 5, 1), **extra)  # fmt: skip
    refresh_stale()
    for year in (YEAR - 1, YEAR):
        rank_year(year=year)
    browser.sign_in(unit_admin_user.username, PASSWORD)

    wide = []
    for name, path in (
        ("unit-baoji-officials", f"/unit/?year={YEAR}"),
        ("unit-baoji-official", f"/unit/officials/F001/?year={YEAR}"),
        ("unit-baoji-report", f"/unit/report/?year={YEAR}"),
    ):
        browser.go(path)
        assert "学时" in browser.text
        browser.save_at_both_widths(name)
        if scrolls_sideways(browser):
            wide.append(path)
    assert wide == []

    browser.go(f"/unit/report/?year={YEAR}")
    result = browser.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    content = base64.b64decode(result["data"])
    (ARTIFACTS / "printed-unit-baoji-report.pdf").write_bytes(content)
    reader = PdfReader(BytesIO(content))
    assert len(reader.pages) == 2  # the summary, then one page of three officials
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes == {A4_LANDSCAPE}
    assert "三分之一" in reader.pages[0].extract_text()
    officials_page = " ".join(reader.pages[1].extract_text().split())
    assert "有效学分" in officials_page and "少 20 学时" in officials_page
