"""Printed pages as Chromium prints them (the page's own @page size, as the print dialog does by default), read back
as PDFs: the unit report is a summary page then one A4 landscape page per 40 officials; the registration form's
print page is one A4 page however many records there are."""

from __future__ import annotations

import base64
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from credits import services
from credits.scoring import rank_year, refresh_stale
from organisation.models import Official
from tests.conftest import YEAR
from tests.e2e.conftest import ARTIFACTS, Browser
from tests.reports.test_pdf import MANY_KINDS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests.conftest.make_user
A4_LANDSCAPE = (842, 595)  # points, rounded
A4_PORTRAIT = (595, 842)


def printed(browser: Browser, path: str, name: str) -> PdfReader:
    """``path`` printed by Chromium with the page's CSS page size and margins, as a PDF (also saved for review in
    tests/e2e/artifacts/printed-``name``.pdf)."""
    browser.go(path)
    result = browser.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    content = base64.b64decode(result["data"])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"printed-{name}.pdf").write_bytes(content)
    return PdfReader(BytesIO(content))


def page_size(page) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def test_the_unit_report_prints_a_summary_then_40_officials_a_page(browser: Browser, units, officials, unit_admin_user):
    finance = units["finance"]
    Official.objects.bulk_create(
        Official(staff_no=f"P{n:03d}", name=f"干部{n:03d}", unit=finance, rank="section_chief") for n in range(82)
    )  # 84 in finance with zhang and li: a summary page and 3 pages of officials
    refresh_stale()
    rank_year(year=YEAR)
    browser.sign_in(unit_admin_user.username, PASSWORD)

    reader = printed(browser, f"/unit/report/?year={YEAR}", "unit-report")

    assert len(reader.pages) == 1 + 3
    assert {page_size(page) for page in reader.pages} == {A4_LANDSCAPE}
    summary = reader.pages[0].extract_text()
    assert "等次分布" in summary and "干部001" not in summary
    counts = [sum(f"P{n:03d}" in page.extract_text() for n in range(82)) for page in reader.pages[1:]]
    assert sum(counts) == 82 and max(counts) <= 40
    assert all("工号" in page.extract_text() for page in reader.pages[1:])  # the table's header on every page


def test_the_registration_form_prints_on_one_a4_page(browser: Browser, officials, staff_user):
    zhang = officials["zhang"]
    for n in range(46):
        services.create_record(
            by=staff_user,
            official=zhang,
            kind="online_hour",
            quantity=0.5,
            occurred_on=date(YEAR, n % 12 + 1, n // 12 + 1),
        )
    for n, kind in enumerate(MANY_KINDS, start=1):
        services.create_record(by=staff_user, official=zhang, kind=kind, quantity=1, occurred_on=date(YEAR, n, 5))
    services.record_veto(by=staff_user, official=zhang, year=YEAR, reason="discipline", note="培训期间多次缺课")
    refresh_stale()
    browser.sign_in(zhang.user.username, PASSWORD)

    reader = printed(browser, f"/me/registration-form/{YEAR}/", "registration-form")

    assert len(reader.pages) == 1 and page_size(reader.pages[0]) == A4_PORTRAIT
    words = reader.pages[0].extract_text()
    assert "网络学院学时" in words and "23 学时" in words and "本人签字" in words


def test_the_printed_archive_starts_on_its_first_page(browser: Browser, officials, staff_user):
    zhang = officials["zhang"]
    for n in range(60):
        services.create_record(
            by=staff_user,
            official=zhang,
            kind="online_hour",
            quantity=1,
            occurred_on=date(YEAR, n % 12 + 1, n // 12 + 1),
        )
    refresh_stale()
    browser.sign_in(zhang.user.username, PASSWORD)

    reader = printed(browser, "/me/archive/", "archive")

    assert len(reader.pages) >= 2 and {page_size(page) for page in reader.pages} == {A4_PORTRAIT}
    first = reader.pages[0].extract_text()
    assert f"{YEAR} 年度" in first and f"{YEAR}-01-01" in first and f"{YEAR}-03-01" in first
