"""Training follow-up told to whoever owes it (RULES §5 追踪问效): run daily by beat.

A trainee is told of their own self-evaluation and study summary when it becomes due (DUE_SOON_DAYS before the due
date) and again when it is overdue; the organisers (org staff) are told of a forum or a sampled trainee's yearly
review once it is overdue (the due ones are on their follow-up page). Each item is told once per state: a second run
tells nobody twice, an item done in time is never told overdue.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone

TRAINEE_ITEMS = ("self_evaluation", "study_summary")
STAFF_ITEMS = ("forum", "review")


def _round(item) -> int | None:
    """Which yearly round a review item is (from the class's schedule: the round due on the item's date)."""
    from ..followup_rules import schedule

    klass = item.training_class
    plan = schedule(ends_on=klass.ends_on, key_class=klass.key_class, years=klass.follow_up_years)
    return next((n for n, due_on in plan.reviews if due_on == item.due_on), None)


@transaction.atomic
def notify_follow_up(*, today: date | None = None) -> int:
    """Notify the follow-up items due or overdue on ``today`` (default: today, Asia/Shanghai) not yet told in that
    state. Returns how many notifications were made."""
    from notifications.models import Notification, NotificationKind
    from notifications.services import save_notifications
    from organisation.roles import org_staff_user_ids

    from ..selectors.followup import follow_up_items, follow_up_page, trainee_page

    today = today or timezone.localdate()
    items = [
        item
        for item in follow_up_items(today=today, states=("due", "overdue"))
        if item.what in TRAINEE_ITEMS or (item.what in STAFF_ITEMS and item.state == "overdue")
    ]
    if not items:
        return 0
    kinds = {"due": NotificationKind.FOLLOW_UP_DUE, "overdue": NotificationKind.FOLLOW_UP_OVERDUE}

    def key(recipient_id: int, kind: str, params: dict) -> tuple:
        return (recipient_id, kind, params.get("what"), params.get("class"), params.get("official_id"),
                params.get("due_on"))  # fmt: skip

    told = {
        key(recipient_id, kind, params)
        for recipient_id, kind, params in Notification.objects.filter(
            kind__in=list(kinds.values()), params__class__in=sorted({item.training_class.pk for item in items})
        ).values_list("recipient_id", "kind", "params")
    }
    staff = org_staff_user_ids() if any(item.what in STAFF_ITEMS for item in items) else []
    # A round's reviews are told as one item (the round, with how many sampled trainees are still to be seen), not
    # one notice per trainee to every organiser.
    pending: dict[tuple[int, date], int] = defaultdict(int)
    for item in items:
        if item.what == "review" and item.official is not None:
            pending[(item.training_class.pk, item.due_on)] += 1
    notes, seen_rounds = [], set()
    for item in items:
        klass, official = item.training_class, item.official
        params = {"what": item.what, "class": klass.pk, "class_code": klass.code, "class_title": klass.title,
                  "due_on": item.due_on.isoformat()}  # fmt: skip
        if item.what in TRAINEE_ITEMS:
            params.update(official_id=official.pk, official=official.name)
            recipients = [official.user_id] if official.user_id else []
            url = trainee_page(klass, item.what)
        else:
            recipients = staff
            url = follow_up_page(klass)
        if item.what == "review":
            if (klass.pk, item.due_on) in seen_rounds:
                continue
            seen_rounds.add((klass.pk, item.due_on))
            params.update(round=_round(item), pending=pending.get((klass.pk, item.due_on), 0))
        kind = kinds[item.state]
        for recipient_id in recipients:
            if key(recipient_id, kind, params) in told:
                continue
            told.add(key(recipient_id, kind, params))
            notes.append(Notification(recipient_id=recipient_id, kind=kind, params=params, url=url))
    return len(save_notifications(notes))
