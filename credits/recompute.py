"""A whole-year recompute as a persisted job whose progress can be polled, and that outlives its worker.

A job is handed to the worker after commit; a broker that refuses it leaves it ``pending``. The worker claims it
with a conditional UPDATE (so a redelivered or doubled message runs it once), beats ``heartbeat_at`` while it runs,
and marks it done (``kunshan_training.jobs``, shared with imports and exports). The periodic reconciliation
(``reconcile``) hands over again any job pending too long and any job running with a silent heartbeat (its worker
died), runs the other apps' steps (``RECONCILE_HOOKS``: abandoned imports), ranks every year whose ranking did not
complete, and recomputes stale scores.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from kunshan_training import jobs
from kunshan_training.background import run_after_commit

from .models import RecomputeJob
from .scoring import (
    compute_chain,
    find_outdated_scores,
    later_scored_years,
    mark_ranking_due,
    officials_assessed_in,
    rank_due_years,
    rank_year,
    refresh_stale,
)

log = logging.getLogger(__name__)
State = RecomputeJob.State


def start_recompute(*, by, year: int) -> RecomputeJob:
    """Create the job and hand it to the worker after commit (in-process when there is no broker).

    A broker that refuses the job is logged, not raised: the job stays pending and the reconciliation starts it.
    """
    from .tasks import recompute_year

    job = RecomputeJob.objects.create(year=year, requested_by=by if by and by.is_authenticated else None)
    run_after_commit(recompute_year, job.pk)
    return job


def claim_job(*, job_id: int) -> bool:
    """Take the job for this worker: only a pending one, or a running one whose worker stopped beating.

    One conditional UPDATE (``kunshan_training.jobs.claim``), so of two deliveries of the same job (a redelivered
    message, a reconciliation's hand-over) exactly one runs it; a job already done or failed is left alone.
    """
    return jobs.claim(
        RecomputeJob, job_id, status="state", dead_after=settings.RECOMPUTE_DEAD_AFTER_SECONDS, progress=0, error=""
    )


def run_recompute_job(*, job_id: int) -> RecomputeJob:
    """Run the job if this worker can claim it (see ``claim_job``); otherwise leave it as it is."""
    if not claim_job(job_id=job_id):
        return RecomputeJob.objects.get(pk=job_id)  # done, failed, or alive in another worker
    job = RecomputeJob.objects.get(pk=job_id)
    this = RecomputeJob.objects.filter(pk=job.pk)
    # If this worker dies before ranking, the reconciliation ranks the year and the later years its chain may change.
    due = [job.year, *later_scored_years(year=job.year)]
    mark_ranking_due(due)
    with jobs.Heartbeat(RecomputeJob, job.pk, status="state", every=settings.RECOMPUTE_HEARTBEAT_SECONDS):
        try:
            total = officials_assessed_in(job.year).count()
            this.update(officials=total, heartbeat_at=timezone.now())

            def progress(done: int) -> None:
                percent = min(99, done * 100 // total) if total else 99
                this.update(progress=percent, heartbeat_at=timezone.now())

            # The year, then every later year that reads it (the two-year flag, carry-over, the cycle), in order.
            touched = compute_chain(year=job.year, progress=progress)
            # Every year marked above is ranked (a later year the chain left alone costs one no-op UPDATE), so no
            # mark of this job is left for the reconciliation.
            for year in sorted(set(touched) | set(due)):
                rank_year(year=year)
        except DatabaseError as exc:
            # Retried by the task (a lost connection, a deadlock): pending again, so the retry, or else the
            # reconciliation, can claim it.
            this.filter(state=State.RUNNING).update(
                state=State.PENDING, error=str(exc)[:2000], heartbeat_at=timezone.now()
            )
            raise
        except Exception as exc:
            this.update(state=State.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
            raise
    now = timezone.now()
    this.update(state=State.DONE, progress=100, finished_at=now, heartbeat_at=now)
    job.refresh_from_db()
    return job


def restart_abandoned_jobs() -> list[int]:
    """Hand over again the jobs pending too long (the broker refused them) and those running with a silent
    heartbeat (their worker died); fail the ones started ``RECOMPUTE_MAX_ATTEMPTS`` times. Returns the ids handed over.
    """
    from .tasks import recompute_year

    abandoned = jobs.abandoned(
        status="state",
        pending_after=settings.RECOMPUTE_PENDING_AFTER_SECONDS,
        dead_after=settings.RECOMPUTE_DEAD_AFTER_SECONDS,
    )
    RecomputeJob.objects.filter(abandoned, attempts__gte=settings.RECOMPUTE_MAX_ATTEMPTS).update(
        state=State.FAILED,
        finished_at=timezone.now(),
        error=f"Started {settings.RECOMPUTE_MAX_ATTEMPTS} times without finishing; not started again.",
    )
    return jobs.hand_over(RecomputeJob, abandoned, task=recompute_year, status="state", progress=0)


def reconcile(*, today: date) -> dict[str, list]:
    """The periodic heal: abandoned jobs, scores older than their inputs, stale scores, rankings left undone.

    Each step leaves its marks in the database until it completes, so a run that fails half-way (the database
    or the broker going away) is redone by the next one.
    """
    restarted = restart_abandoned_jobs()
    others = jobs.run_reconcile_hooks()  # the other apps' own slices (RECONCILE_HOOKS), e.g. abandoned imports
    find_outdated_scores(years=(today.year - 1, today.year))
    refreshed = sorted(refresh_stale())
    ranked = rank_due_years()
    return {"jobs": restarted, "refreshed": refreshed, "ranked": ranked, **others}
