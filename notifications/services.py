"""Create notifications. Credit services call these; e-mail goes out after commit when SMTP is configured."""

from __future__ import annotations

import logging
from collections.abc import Iterable

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


def _review_rows(record) -> list[Notification]:
    """Tell the official (if they have a login) and whoever declared the record, but not the reviewer."""
    kind = NotificationKind.RECORD_APPROVED if record.status == "approved" else NotificationKind.RECORD_REJECTED
    params = {
        "record": record.pk,
        "kind": record.kind,
        "occurred_on": record.occurred_on.isoformat(),
        "official": record.official.name,
        "reason": record.reject_reason,
    }
    recipients = {record.official.user_id, record.created_by_id} - {None, record.reviewed_by_id}
    return [Notification(recipient_id=user_id, kind=kind, params=params, url="/me/") for user_id in sorted(recipients)]


def notify_record_reviewed(record) -> None:
    save_notifications(_review_rows(record))


def notify_records_reviewed(records: Iterable) -> None:
    """The bulk form: one insert for a whole approval batch."""
    save_notifications([row for record in records for row in _review_rows(record)])


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
