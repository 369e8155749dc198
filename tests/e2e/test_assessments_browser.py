"""End to end in headless Chromium: a Benxi scorecard from the unit's self-check to its tier on the board.

The training section has created the year's Benxi cards; the finance bureau's study administrator fills in A1's
self-check (points and a note), uploads a picture as evidence and hands in both reports; the training section opens
the card from 单位考评, sees the self value and the picture, enters final values (the rest were entered before, as a
reviewer going through the card would), finalises it, and the board shows 全面完成 for the bureau. The card prints
on one A4 page. Screenshots of the board, the review page and the print page at 1280 and 390 px go to
/tmp/shots-assess/ (and tests/e2e/artifacts/).
"""

from __future__ import annotations

import base64
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessments.models import CardStatus, Scorecard, ScorecardTemplate
from assessments.services import cards as services
from assessments.template_data import ensure_templates
from tests.conftest import YEAR
from tests.e2e.conftest import DESKTOP, PHONE, Browser, read_while_serving
from tests.evidence_files import png

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-secret-123"  # tests.conftest.make_user
SHOTS = Path("/tmp/shots-assess")
# Final values entered before the browser part (with A1 5 and C2 "full" from the page: 93 points, 全面完成).
FINAL = {
    "A2": 5, "A3": 5, "B1": 5, "B2": 10, "B3": 5, "B4": 5, "B5": 5, "B6": 13, "C1": 5, "C3": 5, "C4": 5,
    "D2": 5, "D3": 5, "D4": 5,
}  # fmt: skip


def shoot(browser: Browser, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        path = browser.save(f"assess-{name}-{suffix}", width=width)
        shutil.copy(path, SHOTS / path.name)


def sign_out(browser: Browser) -> None:
    """From a fresh page: after an action the page sits at its anchor, and the user menu is at the top."""
    browser.go("/")
    browser.sign_out()


def test_a_benxi_card_from_self_check_to_the_board(browser: Browser, staff_user, unit_admin_user, units, tmp_path):
    ensure_templates()  # a browser test's database is emptied between tests, the migration's templates with it
    benxi = ScorecardTemplate.objects.get(code="benxi-2010")
    services.create_year_cards(by=staff_user, template=benxi, year=YEAR)
    card = Scorecard.objects.get(template=benxi, unit=units["finance"], year=YEAR)

    # The unit's study administrator: 单位考评 → the card → the self-check of A1, with a picture.
    browser.sign_in(unit_admin_user.username, PASSWORD)
    browser.click_and_load(browser.find(".navbar a[href='/assessments/unit/']"))  # 单位考评
    assert "本单位" in browser.find("h1").text
    browser.go(f"/assessments/unit/?year={YEAR}")  # last year's cards
    browser.click_and_load(browser.button("填写自查", within="main"))
    item = "#item-A1"
    browser.find(f"{item} input[name='self-A1-points']").send_keys("4.5")
    browser.find(f"{item} textarea[name='self-A1-text']").send_keys("训练方案已印发")
    browser.click_and_load(browser.find(f"{item} form button[type=submit]"))
    assert browser.find(f"{item} [data-self-score]").text == "4.5"
    picture = tmp_path / "签到表.png"
    picture.write_bytes(png())
    browser.find(f"{item} input[type=file]").send_keys(str(picture))
    browser.click_and_load(browser.find(f"{item} button[name=upload]"))
    assert browser.find(f"{item} img").get_attribute("alt") == "签到表.png"
    for _report in ("half_year", "full_year"):  # the form offers the next report due each time
        browser.click_and_load(browser.find("#submit button[name=submit]"))
    assert read_while_serving(lambda: Scorecard.objects.get(pk=card.pk).status) == CardStatus.SUBMITTED
    assert "已报送" in browser.find("[data-testid=self-check-state]").text
    sign_out(browser)

    for code, points in FINAL.items():
        services.set_final_value(by=staff_user, card=card, code=code, value={"points": points})

    # The training section: the board, the card, the self value beside the final value, finalise.
    browser.sign_in("staff", PASSWORD)
    browser.click_and_load(browser.find(".navbar a[href='/assessments/']"))  # 单位考评
    browser.go(f"/assessments/?year={YEAR}")
    browser.click_and_load(browser.find("tr[data-unit=B01] td a"))
    assert "4.5" in browser.find("#item-A1 [data-self]").text
    assert browser.find("#item-A1 img").is_displayed()
    browser.find("#item-A1 input[name='final-A1-points']").send_keys("5")
    browser.find("#item-A1 textarea[name='final-A1-text']").send_keys("材料齐全")
    browser.click_and_load(browser.find("#item-A1 form button[type=submit]"))
    browser.driver.execute_script("arguments[0].click()", browser.find("#item-C2 input[value=full]"))
    browser.click_and_load(browser.find("#item-C2 form button[type=submit]"))
    assert browser.find("[data-testid=total]").text == "93"
    shoot(browser, "review")
    browser.find("form[action$='/finalise/'] button").click()
    browser.wait.until(lambda d: d.switch_to.alert, "no confirmation was asked").accept()
    browser.wait_for_text("已定稿", "[data-testid=card-status]")
    assert browser.find("[data-testid=tier]").text == "全面完成"

    browser.go(f"/assessments/?year={YEAR}")
    assert "全面完成" in browser.find("tr[data-unit=B01]").text
    assert "全面完成" in browser.find("[data-testid=tier-chart]").text
    shoot(browser, "board")

    browser.go(f"/assessments/cards/{card.pk}/print/")
    shoot(browser, "print")
    result = browser.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    reader = PdfReader(BytesIO(base64.b64decode(result["data"])))
    (SHOTS / "assess-print.pdf").write_bytes(base64.b64decode(result["data"]))
    assert len(reader.pages) == 1
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (595, 842)
    text = reader.pages[0].extract_text()
    assert "全面完成" in text and "E2" in text
    assert browser.console_errors() == []
