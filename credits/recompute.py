"""A whole-year recompute as a persisted job whose progress can be polled."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import RecomputeJob
from .scoring import compute_scores, officials_assessed_in, rank_year


def start_recompute(*, by, year: int) -> RecomputeJob:
    """Create the job and hand it to the worker after commit (in-process when there is no broker)."""
    from .tasks import recompute_year

    job = RecomputeJob.objects.create(year=year, requested_by=by if by and by.is_authenticated else None)
    transaction.on_commit(lambda: recompute_year.delay(job.pk))
    return job


def run_recompute_job(*, job_id: int) -> RecomputeJob:
    job = RecomputeJob.objects.get(pk=job_id)
    if job.state == RecomputeJob.State.DONE:
        return job  # idempotent: a redelivered task does nothing
    total = officials_assessed_in(job.year).count()
    RecomputeJob.objects.filter(pk=job.pk).update(state=RecomputeJob.State.RUNNING, officials=total, progress=0)
    try:

        def progress(done: int) -> None:
            percent = min(99, done * 100 // total) if total else 99
            RecomputeJob.objects.filter(pk=job.pk).update(progress=percent)

        compute_scores(year=job.year, progress=progress)
        rank_year(year=job.year)
    except Exception as exc:
        RecomputeJob.objects.filter(pk=job.pk).update(
            state=RecomputeJob.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    RecomputeJob.objects.filter(pk=job.pk).update(
        state=RecomputeJob.State.DONE, progress=100, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
