"""Celery tasks: thin wrappers around the reserve pool's services."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError


@shared_task(ignore_result=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def notify_overdue_follow_up() -> int:
    """Run by beat every morning: the units' study administrators are told once of a reserve's reflection article or
    yearly assessment overdue."""
    from .services.notices import notify_overdue_follow_up as notify

    return notify()
