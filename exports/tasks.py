"""Celery task: a thin wrapper around ``exports.services.run_export_job`` (idempotent, safe to redeliver)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from .services import run_export_job


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5, acks_late=True)
def build_export(job_id: int) -> None:
    run_export_job(job_id=job_id)


@shared_task
def clean_old_exports() -> dict[str, int]:
    """Periodic (hourly): delete workbooks past the retention, restart builds whose worker died."""
    from .services import clean_exports

    return clean_exports()
