"""Every page of every role, for the browser tests that walk them all (tests/e2e/test_phone_width.py at phone width,
tests/e2e/test_accessibility.py with axe-core). A page added here is checked by both.

The paths are formatted with ``page_values()`` (what the demo city holds: the demo official's staff number, …)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from assessments.models import Scorecard
from courses.demo_surveys import FOLLOW_UP_CLASS
from courses.models import Enrolment
from kunshan_training.half_years import HalfYear
from organisation import demo
from organisation.models import Official
from reserve_cadres.models import Reserve

PAGES = {
    demo.DEMO_OFFICIAL: [
        "/me/",
        "/me/declare/",
        "/me/archive/",
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
        "/assessments/unit/",
        "/assessments/cards/{unit_card}/",
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
        "/assessments/",
        "/assessments/rankings/",
        "/assessments/cards/{card}/",
    ],
}


def page_values() -> dict[str, object]:
    """What the paths of ``PAGES`` are formatted with, read from the demo city (``load_demo_city``)."""
    official = Official.objects.get(user__username=demo.DEMO_OFFICIAL)
    admin_unit = Official.objects.filter(unit__study_admins__user__username=demo.DEMO_UNIT_ADMIN).first()
    return {
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
        # The unit scorecards (assessments/demo.py): one waiting for review, and the demo unit's own draft.
        "card": getattr(Scorecard.objects.filter(status="submitted").first(), "pk", None),
        "unit_card": getattr(
            Scorecard.objects.filter(unit__study_admins__user__username=demo.DEMO_UNIT_ADMIN, status="draft").first(),
            "pk",
            None,
        ),
    }


def paths_of(username: str, values: dict[str, object]) -> Iterator[str]:
    """The pages of one role, formatted; a page of a reserve, a scorecard or the demo official's closed class only
    when the demo city has one."""
    for raw in PAGES[username]:
        if any(f"{{{name}}}" in raw and value is None for name, value in values.items()):
            continue
        yield raw.format(**values)
