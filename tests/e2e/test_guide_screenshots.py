"""The user guide's screenshots (/help/, templates/portal/help/guide.html), taken from a small demo city.

Signs in as each demo role through the real sign-in page, opens the pages the guide describes at 1280 px (a few at
390 px, as a phone). The guide shows the committed copies in static/portal/guide/; an ordinary run writes fresh ones
to tests/e2e/artifacts/guide/ (so a test run never changes tracked files) and checks the same set is committed. After
changing a page, refresh the committed ones with
``UPDATE_GUIDE_SCREENSHOTS=1 .venv/bin/python -m pytest -m e2e tests/e2e/test_guide_screenshots.py``.
Each image is a palette PNG of at most 150 KB. Then the guide itself is checked in the browser: it shows every
screenshot (loaded, with a Chinese alt text) and no other, and it is linked from the menu and the footer.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from organisation import demo
from organisation.models import Official
from tests.e2e.conftest import DESKTOP, PHONE, Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GUIDE = Path(__file__).resolve().parents[2] / "static" / "portal" / "guide"  # committed, shown by /help/
OUT = GUIDE if os.environ.get("UPDATE_GUIDE_SCREENSHOTS") == "1" else Path(__file__).parent / "artifacts" / "guide"
MAX_BYTES = 150 * 1024
PHONE_HEIGHT, DESKTOP_HEIGHT = 844, 800

# (role's username, file name, path — "{staff_no}" and "{year}" filled in —, width, element scrolled to the top)
TREND = "/staff/dashboard/?year={year}&unit=T0101"  # a town of the demo city
SHOTS = [
    (demo.DEMO_OFFICIAL, "official-my-credits", "/me/", DESKTOP, None),
    (demo.DEMO_OFFICIAL, "official-declare", "/me/declare/", DESKTOP, None),
    (demo.DEMO_OFFICIAL, "official-my-credits-phone", "/me/", PHONE, None),
    (demo.DEMO_UNIT_ADMIN, "unit-officials", "/unit/", DESKTOP, None),
    (demo.DEMO_UNIT_ADMIN, "unit-session-new", "/unit/sessions/new/", DESKTOP, None),
    (demo.DEMO_UNIT_ADMIN, "unit-report", "/unit/report/", DESKTOP, "main header"),
    (demo.DEMO_UNIT_ADMIN, "imports", "/imports/", DESKTOP, None),
    (demo.DEMO_UNIT_ADMIN, "unit-officials-phone", "/unit/", PHONE, None),
    (demo.DEMO_ORG_STAFF, "staff-queue", "/staff/", DESKTOP, None),
    (demo.DEMO_ORG_STAFF, "staff-queue-phone", "/staff/", PHONE, None),
    (demo.DEMO_ORG_STAFF, "staff-official", "/staff/officials/{staff_no}/?year={year}", DESKTOP, None),
    (demo.DEMO_ORG_STAFF, "staff-dashboard", "/staff/dashboard/?year={year}", DESKTOP, None),
    (demo.DEMO_ORG_STAFF, "staff-dashboard-charts", "/staff/dashboard/?year={year}", DESKTOP, "#unit-charts-heading"),
    (demo.DEMO_ORG_STAFF, "staff-dashboard-trend", TREND, DESKTOP, "#trend-heading"),
    (demo.DEMO_ORG_STAFF, "staff-years", "/staff/years/", DESKTOP, None),
    (demo.DEMO_ORG_STAFF, "staff-accounts", "/staff/accounts/", DESKTOP, None),
]


def shoot(browser: Browser, path: str, name: str, *, width: int, scroll_to: str | None) -> Path:
    """The page's first screen at ``width`` (a phone below 768 px), from ``scroll_to`` when given, as a small PNG."""
    from PIL import Image

    metrics = {
        "width": width, "height": DESKTOP_HEIGHT if width >= 768 else PHONE_HEIGHT,
        "deviceScaleFactor": 1, "mobile": width < 768,
    }  # fmt: skip
    driver = browser.driver
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        browser.go(path)
        browser.visible("main")
        assert "500" not in driver.title and browser.path.split("?")[0] == path.split("?")[0], browser.path
        if scroll_to:
            script = "document.querySelector(arguments[0]).scrollIntoView({block: 'start', behavior: 'instant'})"
            driver.execute_script(script, scroll_to)  # instant: Bootstrap makes scrolling smooth
        driver.execute_script("document.activeElement && document.activeElement.blur()")
        png = driver.get_screenshot_as_png()
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    image = Image.open(io.BytesIO(png)).convert("RGB")
    target = OUT / f"{name}.png"
    for colours in (128, 64, 32):  # UI screenshots are flat colour: a palette keeps text sharp and files small
        palette = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        palette.save(target, optimize=True)
        if target.stat().st_size <= MAX_BYTES:
            break
    return target


def test_the_guides_screenshots_are_taken_for_each_role_and_shown_on_the_help_page(browser: Browser, roles):
    call_command(
        "load_demo_city", "--officials", "300", "--units", "12", "--records-per-official", "30", "--no-audit",
        stdout=io.StringIO(),
    )  # fmt: skip
    values = {
        "year": timezone.localdate().year,
        "staff_no": Official.objects.get(user__username=demo.DEMO_OFFICIAL).staff_no,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()

    signed_in = None
    for username, name, path, width, scroll_to in SHOTS:
        if username != signed_in:
            if signed_in:
                browser.sign_out()
            browser.sign_in(username, demo.DEMO_PASSWORD)
            signed_in = username
        target = shoot(browser, path.format(**values), name, width=width, scroll_to=scroll_to)
        assert target.stat().st_size <= MAX_BYTES, f"{target.name}: {target.stat().st_size} bytes"
    written = sorted(p.stem for p in OUT.glob("*.png"))
    assert written == sorted(name for _u, name, *_rest in SHOTS) and 10 <= len(written) <= 16
    assert sorted(p.stem for p in GUIDE.glob("*.png")) == written  # the committed set is the one the test takes

    # The guide: linked from the menu and the footer; every screenshot shown, loaded, with a Chinese alt text.
    assert browser.find("footer a[href='/help/']").text == "使用帮助"
    assert browser.find_all("nav a[href='/help/']")
    browser.go("/help/")
    assert browser.find("h1").text == "使用帮助"
    images = browser.find_all("main img")
    shown = sorted(re.search(r"/guide/([\w-]+)\.png$", img.get_attribute("src")).group(1) for img in images)
    assert shown == written
    for img in images:
        img.location_once_scrolled_into_view  # noqa: B018 - lazy images load when scrolled to
        browser.wait.until(lambda d, img=img: d.execute_script("return arguments[0].complete", img))
        assert browser.driver.execute_script("return arguments[0].naturalWidth", img) > 0, img.get_attribute("src")
        assert re.search(r"[\u4e00-\u9fff]", img.get_attribute("alt")), img.get_attribute("src")
    for heading in ("干部", "单位学习管理员", "干部教育培训科"):
        assert heading in browser.find("main").text
    assert browser.console_errors() == []

    # On a phone the guide fits the screen: nothing wider than it (the phone screenshots once stuck out 12 px).
    phone = {"width": PHONE, "height": PHONE_HEIGHT, "deviceScaleFactor": 1, "mobile": True}
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        browser.go("/help/")
        widths = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        scroll_width, client_width = browser.driver.execute_script(widths)
        assert scroll_width <= client_width
    finally:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
