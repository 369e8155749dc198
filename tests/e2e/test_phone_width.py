"""Every page of every role (tests/e2e/pages.py) at 390 px (a phone): nothing makes the page scroll sideways, and no
control (button, field, link styled as a button) sits outside the screen — except inside a table that scrolls on its
own, where the user swipes the table. A screenshot of each page is kept in tests/e2e/artifacts/phone/ to look at.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from organisation import demo
from tests.e2e.conftest import ARTIFACTS, PHONE, Browser
from tests.e2e.pages import PAGES, page_values, paths_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Controls a finger must reach; those inside a container that scrolls sideways by itself are reached by swiping it.
OUT_OF_REACH = """
const width = window.innerWidth, found = [];
for (const el of document.querySelectorAll('main button, main input:not([type=hidden]), main select, main textarea,'
                                         + ' main a.btn, nav button, nav a.btn')) {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
  let swiped = false;
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowX;
    if (overflow === 'auto' || overflow === 'scroll') { swiped = true; break; }
  }
  if (!swiped && (box.left < -1 || box.right > width + 1)) {
    found.push((el.name || el.textContent || el.outerHTML).trim().slice(0, 40) + ' @' + Math.round(box.left)
               + '..' + Math.round(box.right));
  }
}
return found;
"""

# What sticks out, to name it in the failure: the outermost elements wider than the screen.
WIDE = """
const width = document.documentElement.clientWidth, found = [];
const clipped = (el) => {
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
  }
  return false;
};
for (const el of document.querySelectorAll('body *')) {
  const box = el.getBoundingClientRect();
  const free = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
  if (box.right > width + 1 && (free || !clipped(el))) {
    found.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' ' + Math.round(box.right));
  }
}
return found.slice(-5);
"""


def test_no_page_needs_a_sideways_scroll_and_every_control_is_in_reach_on_a_phone(browser: Browser, roles):
    call_command(
        "load_demo_city", "--officials", "200", "--units", "8", "--records-per-official", "20", "--no-audit",
        stdout=io.StringIO(),
    )  # fmt: skip
    values = page_values()
    out = ARTIFACTS / "phone"
    out.mkdir(parents=True, exist_ok=True)
    metrics = {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    problems: dict[str, object] = {}
    for username in PAGES:
        browser.sign_in(username, demo.DEMO_PASSWORD)
        browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        for path in paths_of(username, values):
            browser.go(path)
            widths = browser.driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if widths[0] > widths[1] + 1:
                problems[f"{username} {path} scrolls sideways"] = [widths, browser.driver.execute_script(WIDE)]
            missing = browser.driver.execute_script(OUT_OF_REACH)
            if missing:
                problems[f"{username} {path} controls off screen"] = missing
            name = f"{username}{path}".replace("/", "_").replace("?", "_").strip("_")
            browser.driver.save_screenshot(str(out / f"{name}.png"))
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.sign_out()
    assert problems == {}
