"""Celery task: a large import runs in the worker; its ``ImportJob`` row carries the progress the page polls.

A thin wrapper around ``imports.services.run_import_job``, which claims the job first: a message redelivered after
its worker died (``CELERY_TASK_REJECT_ON_WORKER_LOST``), or doubled by the reconciliation, runs the import once, and
one for a finished job does nothing. The reconciliation step is ``imports.services.restart_abandoned_imports``.
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from .services import run_import_job


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, acks_late=True)
def run_import(job_id: int) -> None:
    run_import_job(job_id=job_id)
