"""Celery tasks: thin wrappers around the scoring services. Idempotent; retried on database errors."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from . import scoring
from .recompute import run_recompute_job

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
    """Queue one ranking pass for the year unless one is already waiting."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        scoring.rank_year(year=year)
    elif cache.add(f"ranking-due:{year}", 1, timeout=300):
        rank_year.apply_async(args=[year], countdown=RANKING_DELAY_SECONDS)


@shared_task(**DB_RETRY)
def rank_year(year: int) -> None:
    cache.delete(f"ranking-due:{year}")  # changes from now on schedule another pass
    scoring.rank_year(year=year)


@shared_task(**DB_RETRY)
def recompute_year(job_id: int) -> None:
    run_recompute_job(job_id=job_id)


@shared_task(**DB_RETRY)
def reconcile_stale_scores() -> list[int]:
    """Periodic: catch scores older than their inputs (a lost task, a write that bypassed the services)."""
    this_year = timezone.localdate().year
    scoring.find_outdated_scores(years=(this_year - 1, this_year))
    return refresh_stale_scores()
