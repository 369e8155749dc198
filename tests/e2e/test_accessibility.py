"""WCAG 2.1 AA in a real browser: axe-core on every page of every role (tests/e2e/pages.py, the list the phone test
walks), the sign-in page and the error pages, at 1280 px and at 390 px, and at 390 px with the menu open; then the
keyboard: TAB through 我的学分 and the approval queue, and every focused control must show a focus indicator of at
least 3:1 against what is behind it.

axe-core comes from the npm registry (package.json; ``make browser`` runs ``npm ci``) and is injected with WebDriver's
script evaluation, which the page's Content-Security-Policy (script-src 'self') does not govern: the test checks that
the page sends that policy and that axe still ran. Without node_modules/axe-core the test is skipped, or fails under
E2E_REQUIRED / CI like a missing browser.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from organisation import demo
from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, Browser
from tests.e2e.pages import PAGES, page_values, paths_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FOCUS_CONTRAST = 3.0  # WCAG 1.4.11: user-interface components and their states against adjacent colours
MAX_TABS = 400  # the approval queue's first page of rows has a few controls each; a cycle ends the walk sooner


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        reason = f"{AXE} is missing: run `make browser` (npm ci installs axe-core from package-lock.json)"
        if os.environ.get("E2E_REQUIRED") or os.environ.get("CI"):
            pytest.fail(f"CI must run the accessibility test (E2E_REQUIRED or CI is set), but {reason}")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def small_demo_city() -> dict[str, object]:
    call_command(
        "load_demo_city", "--officials", "200", "--units", "8", "--records-per-official", "20", "--no-audit",
        stdout=io.StringIO(),
    )  # fmt: skip
    return page_values()


RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(results => done(results.violations.map(v => ({
      rule: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(' ') + ' — '
                              + (n.failureSummary || '').split('\\n').slice(1, 2)),
      count: v.nodes.length}))))
  .catch(error => done([{rule: 'axe-error', impact: 'critical', help: String(error), nodes: [], count: 0}]));
"""

# What axe-core 4.x no longer fails on its own (duplicate-id was retired; several labels on a field is "needs
# review"), checked on the page directly: ids unique, every form field exactly one label (or, without a <label>, an
# aria-label), every data table with header cells.
PAGE_CHECKS = """
const found = {}, add = (rule, what) => (found[rule] ||= []).push(what);
const counts = {};
for (const el of document.querySelectorAll('[id]')) counts[el.id] = (counts[el.id] || 0) + 1;
for (const [id, n] of Object.entries(counts)) if (n > 1) add('duplicate-id', '#' + id + ' ×' + n);
const fields = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]),'
             + ' select, textarea';
for (const field of document.querySelectorAll(fields)) {
  const name = field.tagName.toLowerCase() + (field.id ? '#' + field.id : '') + '[name=' + field.name + ']';
  const named = field.getAttribute('aria-label') || field.getAttribute('aria-labelledby');
  if (field.labels.length > 1) add('field-with-several-labels', name + ' ×' + field.labels.length);
  if (field.labels.length === 0 && !named) add('field-without-label', name);
}
for (const table of document.querySelectorAll('table:not([role=presentation]):not([role=none])')) {
  if (table.querySelector('td') && !table.querySelector('th')) {
    add('table-without-headers', (table.id ? '#' + table.id : '') + ' ' + (table.className || 'table'));
  }
}
return found;
"""


class Axe:
    """axe-core injected into each page the browser is on; the violations are collected per page and width."""

    def __init__(self, browser: Browser, source: str) -> None:
        self.browser, self.source = browser, source
        self.problems: dict[str, list[str]] = {}  # the first few nodes of each, for the failure message
        self.full: dict[str, list[str]] = {}
        self.checked = 0
        self.who = "anonymous"  # who is signed in, for the labels
        browser.driver.set_script_timeout(60)  # a long ranking table takes axe a few seconds on a busy machine

    def check(self, label: str) -> None:
        driver = self.browser.driver
        if not driver.execute_script("return typeof window.axe !== 'undefined'"):
            driver.execute_script(self.source)  # WebDriver evaluation: not subject to the page's CSP
        violations = driver.execute_async_script(RUN_AXE, WCAG_TAGS)
        self.checked += 1
        for rule, nodes in driver.execute_script(PAGE_CHECKS).items():
            violations.append({"rule": rule, "impact": "serious", "count": len(nodes), "help": "portal check",
                               "nodes": nodes})  # fmt: skip
        for violation in violations:
            key = f"{label}: {violation['rule']} ({violation['impact']}, {violation['count']}×) {violation['help']}"
            self.problems[key] = violation["nodes"][:8]
            self.full[key] = violation["nodes"]

    def check_page(self, path: str) -> None:
        """The page at 1280 px, at 390 px, and at 390 px with the navigation menu unfolded (signed-in pages)."""
        who = self.who
        self.browser.go(path)
        self.check(f"{who} {path} @{DESKTOP}")
        self.phone()
        try:
            self.browser.go(path)
            self.check(f"{who} {path} @{PHONE}")
            toggler = self.browser.find_all(".navbar-toggler")
            if toggler and toggler[0].is_displayed():
                toggler[0].click()
                self.browser.visible("#mainnav.show")
                self.browser.wait.until(
                    lambda d: not self.browser.find_all("#mainnav.collapsing"), "the menu never finished opening"
                )
                self.check(f"{who} {path} @{PHONE} menu open")
        finally:
            self.browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def phone(self) -> None:
        metrics = {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True}
        self.browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def test_every_page_passes_axe_core_wcag_21_aa_at_both_widths_and_with_the_menu_open(axe_source, browser: Browser,
                                                                                     roles):  # fmt: skip
    values = small_demo_city()
    axe = Axe(browser, axe_source)

    # Signed out: the sign-in page, a page that is not there, a form sent without its CSRF token, and the page of a
    # sign-in locked after too many wrong passwords (for a made-up name, so the demo users can still sign in).
    axe.check_page("/accounts/login/")
    policy = browser.driver.execute_script(
        "return fetch(location.href).then(r => r.headers.get('Content-Security-Policy'))"
    )
    assert "script-src 'self'" in (policy or ""), "the page should send its CSP; axe is injected regardless"
    assert browser.driver.execute_script("return typeof window.axe.run") == "function"
    axe.check_page("/no-such-page/")
    post_without_token(browser, "/accounts/login/")
    axe.check(f"anonymous /accounts/login/ CSRF failure @{DESKTOP}")
    lock_out(browser, "nobody-at-all")
    axe.check(f"anonymous /accounts/login/ locked out @{DESKTOP}")
    browser.go("/accounts/login/")  # a fresh sign-in form: the lock holds for that made-up name only

    for username in PAGES:
        browser.sign_in(username, demo.DEMO_PASSWORD)
        axe.who = username
        for path in paths_of(username, values):
            axe.check_page(path)
        if username == demo.DEMO_OFFICIAL:
            axe.check_page("/staff/")  # 403: an official in the training section's pages
            axe.check_page("/no-such-page/")  # 404 signed in: the navigation bar above it
        browser.sign_out()

    ARTIFACTS.mkdir(exist_ok=True)  # every node of every violation, to read beside the failure
    (ARTIFACTS / "axe-violations.json").write_text(json.dumps(axe.full, ensure_ascii=False, indent=1), encoding="utf-8")
    assert axe.checked > 3 * sum(len(paths) for paths in PAGES.values())
    assert axe.problems == {}, "axe-core found WCAG 2.1 A/AA violations:\n" + json.dumps(
        axe.problems, ensure_ascii=False, indent=1
    )


def post_without_token(browser: Browser, path: str) -> None:
    """A form posted without its CSRF token: the 403 page people see after a stale tab."""
    browser.mark_page()
    browser.driver.execute_script(
        "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "document.body.append(f); f.submit();",
        path,
    )
    browser.wait_for_load()


def lock_out(browser: Browser, username: str) -> None:
    for _ in range(6):  # AXES_FAILURE_LIMIT is 5
        browser.go("/accounts/login/")
        browser.find("input[name=username]").send_keys(username)
        browser.find("input[name=password]").send_keys("wrong-password")
        browser.click_and_load(browser.find("main form button[type=submit]"))
    assert browser.find_all("main"), "the locked-out page should be a portal page"


# The focused element's indicator: its outline (or, failing that, a box-shadow ring) and the colour behind it,
# composited up the ancestors until an opaque background. Colours of any CSS syntax go through a canvas to RGBA.
FOCUS_INDICATOR = """
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const ctx = (window.__a11yCanvas ||= document.createElement('canvas').getContext('2d', {willReadFrequently: true}));
const rgba = (css) => {
  ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1);
  const d = ctx.getImageData(0, 0, 1, 1).data;
  return [d[0], d[1], d[2], d[3] / 255];
};
const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
const behind = (start) => {
  const layers = [];
  for (let node = start; node && node.nodeType === 1; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  return layers.reduceRight((acc, layer) => over(layer, acc), [255, 255, 255, 1]);
};
const lum = (c) => {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const style = getComputedStyle(el);
const box = el.getBoundingClientRect();
const text = el.tagName === 'SELECT' ? '' : (el.innerText || el.value || el.getAttribute('aria-label') || '');
const name = (el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '')
              + ' “' + text.replace(/\\s+/g, ' ').trim().slice(0, 30) + '”');
const candidates = [];
const width = parseFloat(style.outlineWidth);
if (style.outlineStyle !== 'none' && width >= 1) {
  const inside = parseFloat(style.outlineOffset) + width <= 0;
  const back = behind(inside ? el : el.parentElement);
  candidates.push({kind: 'outline ' + style.outlineWidth + ' ' + style.outlineColor,
                   ratio: ratio(over(rgba(style.outlineColor), back), back)});
}
if (style.boxShadow && style.boxShadow !== 'none') {
  for (const shadow of style.boxShadow.split(/,(?![^(]*\\))/)) {
    const colour = shadow.match(/(rgba?|color|oklch|oklab|lab|lch|hsla?)\\([^)]*\\)|#[0-9a-f]+/i);
    const lengths = shadow.replace(colour ? colour[0] : '', '').trim().split(/\\s+/)
      .filter(x => x && x !== 'inset').map(parseFloat);
    const spread = lengths[3] || 0, blur = lengths[2] || 0;
    if (!colour || (spread < 1 && blur < 1)) continue;
    const inset = /inset/.test(shadow);
    const back = behind(inset ? el : el.parentElement);
    candidates.push({kind: 'box-shadow ' + shadow.trim(), ratio: ratio(over(rgba(colour[0]), back), back)});
  }
}
const best = candidates.sort((a, b) => b.ratio - a.ratio)[0] || {kind: 'none', ratio: 1};
return {name, kind: best.kind, ratio: Math.round(best.ratio * 100) / 100, shown: box.width > 0 && box.height > 0,
        key: name + '@' + Math.round(box.left + window.scrollX) + ',' + Math.round(box.top + window.scrollY)};
"""


def tab_through(browser: Browser, label: str) -> dict[str, str]:
    """TAB from the top of the page until focus comes round to the first control again; the stops whose indicator
    is too faint. A control can be several stops (a date field: year, month, day, then its calendar button), so
    every stop is judged, and only the first control seen again ends the walk."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    faint: dict[str, str] = {}
    seen: list[str] = []
    for _ in range(MAX_TABS):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        focus = browser.driver.execute_script(FOCUS_INDICATOR)
        if focus is None:
            continue  # out of the page into the browser's own controls, on the way round
        if seen and focus["key"] == seen[0] and seen[-1] != seen[0]:
            break
        if focus["key"] not in seen:
            seen.append(focus["key"])
        if focus["shown"] and focus["ratio"] < FOCUS_CONTRAST:
            faint[f"{label} {focus['name']}"] = f"{focus['kind']}: {focus['ratio']}:1"
    else:
        pytest.fail(f"{label}: the focus never came round to the first control in {MAX_TABS} TABs")
    assert len(seen) > 10, f"{label}: only {len(seen)} controls took the focus"
    return faint


def test_every_control_on_my_credits_and_the_approval_queue_shows_where_the_keyboard_focus_is(browser: Browser, roles):
    small_demo_city()
    faint: dict[str, str] = {}
    for username, path in ((demo.DEMO_OFFICIAL, "/me/"), (demo.DEMO_ORG_STAFF, "/staff/")):
        browser.sign_in(username, demo.DEMO_PASSWORD)
        browser.go(path)
        faint |= tab_through(browser, f"{username} {path}")
        browser.sign_out()
    assert faint == {}, "focused controls without a visible indicator (≥ 3:1 against what is behind it):\n" + (
        "\n".join(f"{name}: {why}" for name, why in faint.items())
    )
