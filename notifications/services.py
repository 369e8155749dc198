"""Create notifications. Credit services call these; e-mail goes out after commit when SMTP is configured."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Notification, NotificationKind

log = logging.getLogger(__name__)


def notify(*, recipients: Iterable[int], kind: str, params: dict, url: str = "") -> list[Notification]:
    """One notification per recipient user id (duplicates and None dropped); e-mailed after commit if enabled."""
    rows = [
        Notification(recipient_id=user_id, kind=kind, params=params, url=url)
        for user_id in dict.fromkeys(r for r in recipients if r)
    ]
    return save_notifications(rows)


def save_notifications(rows: list[Notification]) -> list[Notification]:
    """Insert prepared notifications in one statement; their e-mails are queued after commit when enabled."""
    if not rows:
        return rows
    created = Notification.objects.bulk_create(rows, batch_size=2000)
    if settings.NOTIFY_BY_EMAIL:
        ids = [n.pk for n in created if n.pk]
        if ids:
            transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


def _enqueue_emails(ids: list[int]) -> None:
    from .tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids)
    except Exception:  # a down broker must not fail the review; the notification is still in the portal
        log.exception("Could not enqueue notification e-mails %s", ids[:10])


def record_url(record, *, for_official: bool) -> str:
    """The record itself: its row (``#record-<id>``) on 我的学分 of its year for the official, on the unit's page of
    the official for whoever declared it for them."""
    year = record.occurred_on.year
    if for_official:
        return f"/me/?year={year}#record-{record.pk}"
    return f"/unit/officials/{quote(record.official.staff_no)}/?year={year}#record-{record.pk}"


def _review_rows(record) -> list[Notification]:
    """Tell the official (if they have a login) and whoever declared the record, but not the reviewer; each
    notification links to the record itself."""
    kind = NotificationKind.RECORD_APPROVED if record.status == "approved" else NotificationKind.RECORD_REJECTED
    params = {
        "record": record.pk,
        "kind": record.kind,
        "occurred_on": record.occurred_on.isoformat(),
        "official": record.official.name,
        "reason": record.reject_reason,
    }
    official_user = record.official.user_id
    recipients = {official_user, record.created_by_id} - {None, record.reviewed_by_id}
    return [
        Notification(
            recipient_id=user_id, kind=kind, params=params,
            url=record_url(record, for_official=user_id == official_user),
        )
        for user_id in sorted(recipients)
    ]  # fmt: skip


def notify_record_reviewed(record) -> None:
    save_notifications(_review_rows(record))


def _group_of(record, recipient: int) -> tuple:
    """Records told together: one central-group session, or one declarer's import, per recipient; else the record."""
    if record.session_id:
        return recipient, "session", record.session_id
    if record.source == "imported":
        return recipient, "import", record.created_by_id, record.occurred_on.year
    return recipient, "record", record.pk


def notify_records_reviewed(records: Iterable) -> None:
    """The bulk form: one insert for a whole approval batch, grouped: whoever entered a central-group session or an
    import hears once per session and per import (with the count), not once per attendee line; each official once
    per session and per import too. A group of one record is told as that record."""
    groups: dict[tuple, list] = {}
    for record in records:
        for row in _review_rows(record):
            groups.setdefault(_group_of(record, row.recipient_id), []).append((record, row))
    rows = []
    for key, members in groups.items():
        if len(members) == 1:
            rows.append(members[0][1])
            continue
        recipient, what = key[0], key[1]
        members.sort(key=lambda member: (member[0].official.staff_no, member[0].pk))
        first, first_row = members[0]
        officials = list(dict.fromkeys(record.official.name for record, _row in members))
        params = {
            "count": len(members),
            "what": what,
            "year": first.occurred_on.year,
            "occurred_on": first.occurred_on.isoformat(),
            "topic": first.session.topic if what == "session" else "",
            "officials": officials[:5],
            "more": max(0, len(officials) - 5),
        }
        url = first_row.url
        if what == "session" and recipient != first.official.user_id:
            url = f"/unit/sessions/{first.session_id}/"
        rows.append(
            Notification(recipient_id=recipient, kind=NotificationKind.RECORDS_APPROVED, params=params, url=url)
        )
    save_notifications(rows)


def notify_grades_changed(changes: Iterable[tuple[int, int, str, str]]) -> list[Notification]:
    """Tell each official (with a login) whose grade of a year changed when their score was recomputed (an import,
    a class, a correction): ``changes`` are (official id, year, grade before, grade after); "" is exempt/none."""
    from organisation.models import Official

    changes = list(changes)
    if not changes:
        return []
    users = dict(
        Official.objects.filter(pk__in={c[0] for c in changes}, user__isnull=False).values_list("pk", "user_id")
    )
    rows = [
        Notification(
            recipient_id=users[official_id], kind=NotificationKind.GRADE_CHANGED,
            params={"year": year, "old": old, "new": new}, url=f"/me/?year={year}",
        )
        for official_id, year, old, new in changes
        if official_id in users
    ]  # fmt: skip
    return save_notifications(rows)


def mark_read(*, user, notification: Notification) -> None:
    """Mark one of the user's own notifications read (the first time only: the first reading is what counts)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied  # views look notifications up through the user, so this is a programming error
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)


def mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read in one UPDATE; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
