"""Celery task: a large import runs in the worker; its ``ImportJob`` row carries the progress the page polls."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from .services import run_import_job


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def run_import(job_id: int) -> None:
    run_import_job(job_id=job_id)
