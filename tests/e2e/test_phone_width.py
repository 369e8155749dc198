"""Every page of every role at 390 px (a phone): nothing makes the page scroll sideways, and no control (button,
field, link styled as a button) sits outside the screen — except inside a table that scrolls on its own, where the
user swipes the table. A screenshot of each page is kept in tests/e2e/artifacts/phone/ to look at.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.demo_surveys import FOLLOW_UP_CLASS
from courses.models import Enrolment
from kunshan_training.half_years import HalfYear
from organisation import demo
from organisation.models import Official
from reserve_cadres.models import Reserve
from tests.e2e.conftest import ARTIFACTS, PHONE, Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    demo.DEMO_OFFICIAL: [
        "/me/",
        "/me/declare/",
        "/notifications/",
        "/help/",
        "/accounts/password_change/",
        "/training/me/",
        "/training/checkin/",
        "/training/lectures/",
        "/reserves/",
        "/training/surveys/answer/{year}-needs/",
        "/training/classes/{own_class}/self-evaluation/",
        "/training/classes/{own_class}/summary/",
    ],
    demo.DEMO_UNIT_ADMIN: [
        "/unit/",
        "/unit/officials/{unit_staff_no}/",
        "/unit/sessions/",
        "/unit/sessions/new/",
        "/unit/declare/",
        "/unit/report/",
        "/imports/",
        "/training/seats/",
        "/training/seats/{quota_class}/",
        "/training/plan/",
        "/reserves/unit/",
        "/reserves/",
        "/training/feedback/",
    ],
    demo.DEMO_ORG_STAFF: [
        "/staff/",
        "/staff/dashboard/",
        "/staff/rankings/",
        "/staff/officials/",
        "/staff/officials/{staff_no}/?year={year}",
        "/staff/years/",
        "/staff/accounts/",
        "/imports/",
        "/training/classes/",
        "/training/classes/new/",
        "/training/classes/{year}-N01/",
        "/training/catalogue/",
        "/training/faculty/",
        "/training/plans/",
        "/training/lectures/",
        "/training/lectures/{year}-LT1/",
        "/reserves/pool/",
        "/reserves/{reserve}/",
        "/reserves/{reserve}/defense/",
        "/training/surveys/",
        "/training/surveys/?evaluations=1",
        "/training/surveys/new/",
        "/training/surveys/{year}-needs/",
        "/training/surveys/{year}-needs/results/?by=rank",
        "/training/surveys/{year}-needs/summary/{half_year}/",
        "/training/questionnaires/",
        "/training/questionnaires/new/",
        "/training/questionnaires/needs-survey/",
        "/training/follow-up/",
        "/training/classes/{follow_up_class}/",
        "/training/classes/{follow_up_class}/follow-up/",
    ],
}

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
    official = Official.objects.get(user__username=demo.DEMO_OFFICIAL)
    admin_unit = Official.objects.filter(unit__study_admins__user__username=demo.DEMO_UNIT_ADMIN).first()
    values = {
        "year": timezone.localdate().year,
        "staff_no": official.staff_no,
        "unit_staff_no": admin_unit.staff_no if admin_unit else official.staff_no,
        "quota_class": f"{timezone.localdate().year + 1}-Q01",  # the demo's approved quota class (courses/demo.py)
        "reserve": getattr(Reserve.objects.filter(status="active").first(), "pk", None),  # the demo's pool, if any
        # The demo's surveys and follow-up (courses/demo_surveys.py): the class followed up, the half year answered,
        # and a closed class of the demo official's (their self-evaluation and study summary).
        "follow_up_class": FOLLOW_UP_CLASS.format(year=timezone.localdate().year),
        "half_year": HalfYear.of(timezone.localdate()),
        "own_class": Enrolment.objects.filter(official=official, active=True, training_class__status="closed")
        .order_by("-training_class__ends_on")
        .values_list("training_class__code", flat=True)
        .first(),
    }
    out = ARTIFACTS / "phone"
    out.mkdir(parents=True, exist_ok=True)
    metrics = {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    problems: dict[str, object] = {}
    for username, paths in PAGES.items():
        browser.sign_in(username, demo.DEMO_PASSWORD)
        browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        for raw in paths:
            if "{reserve}" in raw and values["reserve"] is None:
                continue  # a demo city without a reserve pool
            if "{own_class}" in raw and values["own_class"] is None:
                continue  # the demo official in no closed class
            path = raw.format(**values)
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
