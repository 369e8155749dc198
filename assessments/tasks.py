"""Celery tasks: thin wrappers around the scorecard services."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError


@shared_task(ignore_result=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def notify_overdue_self_checks() -> int:
    """Run by beat every morning: each unit's study administrators are told once of a self-check report overdue."""
    from .services.cards import notify_overdue_self_checks as notify

    return notify()
