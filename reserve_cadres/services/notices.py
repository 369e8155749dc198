"""Overdue follow-up told to the units (RULES §6): a reserve's half-yearly reflection article or yearly assessment
whose due date has passed with nothing entered is notified to the study administrators of the reserve's unit, once
per item (run daily by beat: a second run tells nobody twice; an item entered late is no longer overdue)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone


@transaction.atomic
def notify_overdue_follow_up(*, today: date | None = None) -> int:
    """Notify each unit's study administrators of every follow-up item of an active reserve of theirs overdue on
    ``today`` (default: today, Asia/Shanghai) and not yet told. Returns how many notifications were made."""
    from notifications.models import Notification, NotificationKind
    from notifications.services import save_notifications
    from organisation.models import StudyAdministrator

    from ..selectors.reserves import due_items

    today = today or timezone.localdate()
    rows = [row for row in due_items(day=today) if row.overdue]
    if not rows:
        return 0
    told = {
        (params.get("reserve"), params.get("what"), params.get("period"))
        for params in Notification.objects.filter(
            kind=NotificationKind.RESERVE_FOLLOW_UP_OVERDUE,
            params__reserve__in=sorted({row.reserve.pk for row in rows}),
        ).values_list("params", flat=True)
    }
    admins: dict[int, list[int]] = defaultdict(list)
    units = {row.reserve.official.unit_id for row in rows}
    for unit_id, user_id in StudyAdministrator.objects.filter(unit_id__in=units).values_list("unit_id", "user_id"):
        admins[unit_id].append(user_id)
    notes = []
    for row in rows:
        if (row.reserve.pk, row.what, row.period) in told:
            continue
        official = row.reserve.official
        params = {"reserve": row.reserve.pk, "what": row.what, "period": row.period, "official": official.name,
                  "unit": official.unit.name, "due_on": row.due_on.isoformat()}  # fmt: skip
        url = f"/reserves/{row.reserve.pk}/"
        notes += [
            Notification(recipient_id=user_id, kind=NotificationKind.RESERVE_FOLLOW_UP_OVERDUE, params=params, url=url)
            for user_id in admins.get(official.unit_id, ())
        ]
    return len(save_notifications(notes))
