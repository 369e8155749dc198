"""Celery tasks: thin wrappers around the notification services."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import DatabaseError


@shared_task(
    ignore_result=True,
    autoretry_for=(smtplib.SMTPException, OSError, DatabaseError),
    retry_backoff=60,
    max_retries=5,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Retried while the mail server is unreachable; notifications already sent are not sent again."""
    from .delivery import send_emails

    return send_emails(notification_ids=notification_ids)


@shared_task(ignore_result=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def warn_behind_pace_today() -> int:
    """Run by beat on the warning dates (notifications.pace.WARNING_DATES); idempotent within a month."""
    from django.utils import timezone

    from .pace import warn_behind_pace_with_fresh_scores

    today = timezone.localdate()
    return warn_behind_pace_with_fresh_scores(year=today.year, on=today)
