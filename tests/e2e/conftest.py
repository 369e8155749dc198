"""The browser harness: real headless Chromium (Debian's ``chromium`` + ``chromium-driver``) against the live server.

Nothing is downloaded: the driver and browser paths are given, so Selenium Manager is never asked. When either
binary is missing the tests are skipped with the missing path named (``make browser`` installs them); on CI
(``E2E_REQUIRED`` set by .ci/run, or ``CI``) a missing browser is a failure instead, so it cannot silently stop running.

On a failed test the harness saves a screenshot, the page HTML and the browser console of the page the browser
was on to ``tests/e2e/artifacts/`` (git-ignored); tests save review screenshots there too.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Debian's packages put them here; E2E_CHROMIUM / E2E_CHROMEDRIVER point elsewhere (never to a downloaded copy).
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("E2E_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
WAIT_SECONDS = 15  # generous: CI machines are busy; a passing wait returns at once
DESKTOP, PHONE = 1280, 390
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
    "--disable-default-apps", "--mute-audio", "--lang=zh-CN", f"--window-size={DESKTOP},900",
)  # fmt: skip


# What chromedriver may answer while the page it was asked about is being replaced by the next one.
NAVIGATION_RACES = (
    "target frame detached", "cannot determine loading status", "no such execution context",
    "does not belong to the document", "document unloaded", "stale element reference",
)  # fmt: skip


def missing_browser() -> str | None:
    """The first of the two binaries that is not there (or not executable), else None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return path
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so the browser fixture knows whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


class Browser:
    """A Chromium session with the few moves the tests need; waits instead of sleeping."""

    def __init__(self, driver, base_url: str) -> None:
        from selenium.common.exceptions import (
            JavascriptException,
            NoSuchElementException,
            StaleElementReferenceException,
        )
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.base_url = base_url
        # A page being replaced can answer "stale", "not found" or "document unloaded": keep waiting.
        transient = (NoSuchElementException, StaleElementReferenceException, JavascriptException)
        self.wait = WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=transient)

    # -- finding and waiting
    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def visible(self, css: str):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        return self.wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)), f"{css} never showed")

    def button(self, text: str, within: str = "body"):
        """A visible button or link whose text contains ``text`` (buttons are found by what users read)."""
        from selenium.webdriver.common.by import By

        def found(driver):
            for element in driver.find_element(By.CSS_SELECTOR, within).find_elements(
                By.XPATH, ".//button | .//a | .//input[@type='submit']"
            ):
                label = element.text or element.get_attribute("value") or ""
                if text in label and element.is_displayed():
                    return element
            return False

        return self.wait.until(found, f"no button or link “{text}” in {within}")

    def wait_for_text(self, text: str, css: str = "body") -> None:
        self.wait.until(lambda d: text in self.find(css).text, f"“{text}” never appeared in {css}")

    def wait_for_path(self, path: str) -> None:
        self.wait.until(lambda d: self.path == path, f"never reached {path}")

    def mark_page(self) -> None:
        """Tag the current document; ``wait_for_load`` waits for a document without the tag."""
        self.driver.execute_script("window.__e2e_old_page = true")

    def wait_for_load(self) -> None:
        """After a click that submits a form or follows a link: a new document, fully loaded."""
        script = "return window.__e2e_old_page === undefined && document.readyState === 'complete'"
        self.wait.until(lambda d: _during_navigation(lambda: d.execute_script(script)), "the page did not change")

    def click_and_load(self, element) -> None:
        # Into the middle of the window first, as a person would scroll: at an anchor (#record-…) the control sits
        # at the top edge, under the sticky navigation bar, and the click would land on the bar.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        self.mark_page()
        _during_navigation(element.click)  # the click happened even if chromedriver lost the page under it
        self.wait_for_load()

    def choose_and_load(self, css: str, value: str) -> None:
        """Pick an option of a select that submits its form on change (the language switch)."""
        from selenium.webdriver.support.ui import Select

        select = Select(self.find(css))
        self.mark_page()
        _during_navigation(lambda: select.select_by_value(value))
        self.wait_for_load()

    # -- pages
    def go(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    @property
    def path(self) -> str:
        url = self.driver.current_url
        return url[len(self.base_url) :] if url.startswith(self.base_url) else url

    @property
    def text(self) -> str:
        return self.find("body").text

    @property
    def language(self) -> str:
        return self.find("html").get_attribute("lang")

    # -- signing in and out, through the real pages
    def sign_in(self, username: str, password: str) -> None:
        if not self.path.startswith("/accounts/login/"):
            self.go("/accounts/login/")
        self.find("input[name=username]").clear()
        self.find("input[name=username]").send_keys(username)
        self.find("input[name=password]").send_keys(password)
        self.click_and_load(self.find("main form button[type=submit]"))

    def open_user_menu(self) -> None:
        toggler = self.find(".navbar-toggler")
        if toggler.is_displayed() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()  # the phone layout folds the menu
            self.visible("#mainnav.show")
        self.driver.execute_script("window.scrollTo(0, 0)")  # the bar is not sticky: a long page has scrolled it away
        self.find("#user-menu").click()  # the user's own menu (the training section has a second dropdown)
        self.visible("#user-menu + .dropdown-menu.show")

    def sign_out(self) -> None:
        self.open_user_menu()
        self.click_and_load(self.button("退出登录", within="#user-menu + .dropdown-menu"))

    # -- evidence for review
    def console_errors(self) -> list[str]:
        """Errors in the browser console (a missing script or stylesheet, a script error); the favicon aside."""
        entries = self.driver.get_log("browser")
        return [e["message"] for e in entries if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]

    def save(self, name: str, *, width: int = DESKTOP, full_page: bool = True) -> Path:
        """A screenshot (and the HTML beside it) at ``width`` CSS pixels, phone widths as a mobile device."""
        ARTIFACTS.mkdir(exist_ok=True)
        stem = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 768}
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        try:
            if full_page:
                # The page's own content; the document's scroll height also counts off-screen parts (hidden menus).
                height = self.driver.execute_script(
                    "return Math.ceil(document.body.getBoundingClientRect().bottom + window.scrollY)"
                )
                metrics["height"] = max(600, min(int(height), 6000))
                self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            self.driver.save_screenshot(str(stem.with_suffix(".png")))
            stem.with_suffix(".html").write_text(self.driver.page_source, encoding="utf-8")
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return stem.with_suffix(".png")

    def save_at_both_widths(self, name: str) -> None:
        self.save(f"{name}-desktop", width=DESKTOP)
        self.save(f"{name}-phone", width=PHONE)


@pytest.fixture
def e2e_settings(settings, tmp_path):
    """Plain static files (the live server serves them from the finders), uploads in a temp folder, plain HTTP."""
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # no manifest needed
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.NOTIFY_BY_EMAIL = False
    return settings


@pytest.fixture
def browser(request, e2e_settings, live_server, tmp_path, monkeypatch) -> Iterator[Browser]:
    missing = missing_browser()
    if missing:
        reason = f"{missing} is not installed: run `make browser` (apt-get install chromium chromium-driver) as root"
        if os.environ.get("E2E_REQUIRED") or os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test (E2E_REQUIRED or CI is set), but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # belt and braces: Selenium Manager must never download anything
    options = Options()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.add_experimental_option("prefs", {
        "intl.accept_languages": "zh-CN,zh",  # the portal's own default language, as an official's browser asks
        "credentials_enable_service": False,  # no password-manager bubbles over the pages
        "profile.password_manager_enabled": False,
        "profile.password_manager_leak_detection": False,
    })  # fmt: skip
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    # Bootstrap scrolls smoothly unless reduced motion is asked for: a click then lands while the page is still
    # scrolling to the element ("not clickable at point (x, -1454)"), intermittently. People who ask get no smoothing.
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}
    )
    session = Browser(driver, live_server.url)
    for stale in ARTIFACTS.glob(f"FAILED-{request.node.name}.*"):  # only this run's failure should be there
        stale.unlink()
    try:
        yield session
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is None or report.failed:
            _save_failure(session, request.node.name)
        driver.quit()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def _save_failure(session: Browser, test_name: str) -> None:
    try:
        path = session.save(f"FAILED-{test_name}", full_page=True)
        console = "\n".join(f"{e['level']} {e['message']}" for e in session.driver.get_log("browser"))
        path.with_suffix(".console.txt").write_text(f"{session.driver.current_url}\n{console}\n", encoding="utf-8")
    except Exception as error:  # the browser itself may be what broke; the test's own error is what matters
        print(f"could not save the failure artifacts: {error!r}")


def read_while_serving(query):
    """Run a database read from the test while the live server may be writing: the in-memory SQLite database is
    shared between threads with table locks, so a read during the server's write is "not yet" (None), not an error."""
    from django.db import OperationalError

    try:
        return query()
    except OperationalError:
        return None


def _during_navigation(action):
    """Run a driver command that may meet a page on its way out; such an answer counts as "not yet" (None)."""
    from selenium.common.exceptions import WebDriverException

    try:
        return action()
    except WebDriverException as error:
        if any(race in str(error) for race in NAVIGATION_RACES):
            return None
        raise
