"""Overdue follow-up notified to the units (RULES §6, issue 13 §5): a reserve's half-yearly reflection article (due
30 June / 31 December) or yearly assessment (due 25 December) not entered by its due date is told to the study
administrators of the reserve's unit, once per item, by a daily beat task."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from notifications.models import Notification, NotificationKind
from notifications.texts import notification_text
from organisation.models import StudyAdministrator
from organisation.roles import UNIT_ADMIN_GROUP
from reserve_cadres import tasks
from reserve_cadres.services import reserves as services
from reserve_cadres.services.notices import notify_overdue_follow_up
from tests.conftest import make_user

DECIDED = date(2025, 3, 1)


@pytest.fixture
def pool(staff_user, officials, unit_admin_user):
    """zhang (finance, whose study administrator is unit_admin_user) and wang (education, no administrator)."""
    return {
        name: services.add_reserve(
            by=staff_user, official=officials[name], level="section_chief", stream="economic", decided_on=DECIDED
        )  # fmt: skip
        for name in ("zhang", "wang")
    }


def told(user) -> list[tuple]:
    return sorted(
        (n.params["official"], n.params["what"], n.params["period"], n.params["due_on"])
        for n in Notification.objects.filter(recipient=user, kind=NotificationKind.RESERVE_FOLLOW_UP_OVERDUE)
    )


def test_overdue_items_are_told_once_to_the_units_administrator(pool, unit_admin_user, staff_user):
    assert notify_overdue_follow_up(today=date(2026, 1, 5)) == 3
    assert told(unit_admin_user) == [
        ("张伟", "assessment", "2025", "2025-12-25"),
        ("张伟", "reflection", "2025H1", "2025-06-30"),
        ("张伟", "reflection", "2025H2", "2025-12-31"),
    ]
    assert notify_overdue_follow_up(today=date(2026, 1, 5)) == 0  # once per item
    assert notify_overdue_follow_up(today=date(2026, 1, 6)) == 0  # and not again the next morning
    # Nobody else: the training section lists the overdue items on its pages; wang's unit has no administrator.
    assert Notification.objects.count() == 3
    note = Notification.objects.filter(recipient=unit_admin_user).first()
    assert note.url == f"/reserves/{pool['zhang'].pk}/"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 6, 30), []),  # due today: not yet overdue
        (date(2025, 7, 1), [("reflection", "2025H1")]),
        (date(2025, 12, 25), [("reflection", "2025H1")]),
        (date(2025, 12, 26), [("assessment", "2025"), ("reflection", "2025H1")]),
        (date(2025, 12, 31), [("assessment", "2025"), ("reflection", "2025H1")]),
    ],
)
def test_an_item_is_overdue_the_day_after_its_due_date(pool, unit_admin_user, today, expected):
    notify_overdue_follow_up(today=today)
    assert [(what, period) for _name, what, period, _due in told(unit_admin_user)] == expected


def test_items_entered_in_time_or_late_are_not_told(pool, unit_admin_user, staff_user):
    zhang = pool["zhang"]
    services.add_reflection(by=unit_admin_user, reserve=zhang, period="2025H1", title="上半年心得")
    services.record_assessment(by=unit_admin_user, reserve=zhang, year=2025, result="competent")
    assert notify_overdue_follow_up(today=date(2026, 1, 5)) == 1
    assert told(unit_admin_user) == [("张伟", "reflection", "2025H2", "2025-12-31")]


def test_reserves_no_longer_in_the_pool_are_not_followed_up(pool, unit_admin_user, staff_user):
    services.appoint(by=staff_user, reserve=pool["zhang"], on=date(2025, 5, 1))
    assert notify_overdue_follow_up(today=date(2026, 1, 5)) == 0


def test_every_administrator_of_the_unit_is_told(pool, unit_admin_user, units):
    second = make_user("finance_admin_2", UNIT_ADMIN_GROUP)
    StudyAdministrator.objects.create(user=second, unit=units["finance"])
    assert notify_overdue_follow_up(today=date(2025, 7, 1)) == 2
    assert told(second) == told(unit_admin_user) == [("张伟", "reflection", "2025H1", "2025-06-30")]


def test_the_text_in_english_and_chinese(pool, unit_admin_user):
    notify_overdue_follow_up(today=date(2026, 1, 5))
    notes = {n.params["period"]: n for n in Notification.objects.filter(recipient=unit_admin_user)}
    with translation.override("en"):
        assert notification_text(notes["2025H1"]) == (
            "The reflection article of the first half of 2025 of the reserve cadre 张伟 (市财政局) was due on "
            "2025-06-30 and has not been entered."
        )
        assert notification_text(notes["2025"]) == (
            "The yearly assessment of 2025 of the reserve cadre 张伟 (市财政局) was due on 2025-12-25 and has not "
            "been entered."
        )
    with translation.override("zh-hans"):
        assert "2025年下半年" in notification_text(notes["2025H2"])
        assert "后备干部" in notification_text(notes["2025"]) and "2025-12-25" in notification_text(notes["2025"])


def test_the_unit_administrator_reads_it_on_the_notifications_page(pool, unit_admin_user):
    notify_overdue_follow_up(today=date(2025, 7, 1))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(unit_admin_user)
    page = client.get("/notifications/").content.decode()
    assert "The reflection article of the first half of 2025 of the reserve cadre 张伟" in page


def test_the_daily_beat_task(pool, unit_admin_user):
    entry = settings.CELERY_BEAT_SCHEDULE["notify-overdue-reserve-follow-up"]
    assert entry["task"] == tasks.notify_overdue_follow_up.name == "reserve_cadres.tasks.notify_overdue_follow_up"
    # Run as beat runs it: judged on today (2025's items are long overdue).
    made = tasks.notify_overdue_follow_up.apply().get()
    assert made >= 3 and tasks.notify_overdue_follow_up.apply().get() == 0
