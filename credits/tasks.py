"""Celery tasks: thin wrappers around the scoring services. Idempotent; retried on database errors.

Messages are acknowledged late and given back when the worker process dies (settings: ``CELERY_TASK_ACKS_LATE``,
``CELERY_TASK_REJECT_ON_WORKER_LOST``), so any of these may run twice: each one is safe to repeat.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from . import scoring
from .recompute import reconcile, run_recompute_job

log = logging.getLogger(__name__)

RANKING_DELAY_SECONDS = 1  # coalesce bursts: one ranking pass per year however many scores changed
DB_RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**DB_RETRY)
def refresh_stale_scores() -> list[int]:
    """Recompute every stale score, then (debounced) re-rank the years that changed."""
    years = scoring.refresh_stale()
    for year in years:
        schedule_ranking(year)
    return sorted(years)


def schedule_ranking(year: int) -> None:
    """Queue one ranking pass for the year unless one is already waiting.

    The debounce lives in the cache; a cache that is down answers ``add`` with True, so the year is ranked anyway.
    A broker that refuses the task is logged: the year's ``RankingDue`` mark stays and the reconciliation ranks it.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        scoring.rank_year(year=year)
        return
    key = f"ranking-due:{year}"
    if cache.add(key, 1, timeout=300):
        try:
            rank_year.apply_async(args=[year], countdown=RANKING_DELAY_SECONDS)
        except Exception:  # kombu's OperationalError: the broker is down
            cache.delete(key)
            log.exception("Could not queue the ranking of %s; the reconciliation will rank it", year)


@shared_task(**DB_RETRY)
def rank_year(year: int) -> None:
    cache.delete(f"ranking-due:{year}")  # changes from now on schedule another pass
    scoring.rank_year(year=year)


@shared_task(
    **DB_RETRY,
    soft_time_limit=settings.RECOMPUTE_TIME_LIMIT_SECONDS,
    time_limit=settings.RECOMPUTE_TIME_LIMIT_SECONDS + 60,
)
def recompute_year(job_id: int) -> None:
    run_recompute_job(job_id=job_id)


@shared_task(**DB_RETRY)
def reconcile_stale_scores() -> dict[str, list[int]]:
    """Periodic (every SCORE_RECONCILE_SECONDS): abandoned recompute jobs, scores older than their inputs or left
    stale (a lost task, a write that bypassed the services), and rankings that did not complete."""
    return reconcile(today=timezone.localdate())
