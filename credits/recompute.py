"""A whole-year recompute as a persisted job whose progress can be polled, and that outlives its worker.

A job is handed to the worker after commit; a broker that refuses it leaves it ``pending``. The worker claims it
with a conditional UPDATE (so a redelivered or doubled message runs it once), beats ``heartbeat_at`` while it runs,
and marks it done. The periodic reconciliation (``reconcile``) hands over again any job pending too long and any
job running with a silent heartbeat (its worker died), ranks every year whose ranking did not complete, and
recomputes stale scores.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import F, Q
from django.utils import timezone

from kunshan_training.background import run_after_commit, start

from .models import RecomputeJob
from .scoring import (
    compute_scores,
    find_outdated_scores,
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

    One conditional UPDATE, so of two deliveries of the same job (a redelivered message, a reconciliation's
    hand-over) exactly one runs it; a job already done or failed is left alone.
    """
    now = timezone.now()
    dead = now - timedelta(seconds=settings.RECOMPUTE_DEAD_AFTER_SECONDS)
    claimed = (
        RecomputeJob.objects.filter(pk=job_id)
        .filter(Q(state=State.PENDING) | Q(state=State.RUNNING, heartbeat_at__lt=dead))
        .update(state=State.RUNNING, progress=0, heartbeat_at=now, attempts=F("attempts") + 1, error="")
    )
    return claimed == 1


class _Heartbeat(threading.Thread):
    """Beats the job's ``heartbeat_at`` every ``RECOMPUTE_HEARTBEAT_SECONDS`` while the job runs (also between
    progress steps, e.g. during the year's aggregating query). Dies with its process, which is the point."""

    def __init__(self, job_id: int):
        super().__init__(name=f"recompute-heartbeat-{job_id}", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.RECOMPUTE_HEARTBEAT_SECONDS):
                RecomputeJob.objects.filter(pk=self.job_id, state=State.RUNNING).update(heartbeat_at=timezone.now())
        except DatabaseError:
            log.exception("Recompute job %s: the heartbeat could not be written", self.job_id)
        finally:
            connections.close_all()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()


def run_recompute_job(*, job_id: int) -> RecomputeJob:
    """Run the job if this worker can claim it (see ``claim_job``); otherwise leave it as it is."""
    if not claim_job(job_id=job_id):
        return RecomputeJob.objects.get(pk=job_id)  # done, failed, or alive in another worker
    job = RecomputeJob.objects.get(pk=job_id)
    jobs = RecomputeJob.objects.filter(pk=job.pk)
    mark_ranking_due([job.year])  # if this worker dies before ranking, the reconciliation ranks the year
    heartbeat = _Heartbeat(job.pk)
    heartbeat.start()
    try:
        total = officials_assessed_in(job.year).count()
        jobs.update(officials=total, heartbeat_at=timezone.now())

        def progress(done: int) -> None:
            percent = min(99, done * 100 // total) if total else 99
            jobs.update(progress=percent, heartbeat_at=timezone.now())

        compute_scores(year=job.year, progress=progress)
        rank_year(year=job.year)
    except DatabaseError as exc:
        # Retried by the task (a lost connection, a deadlock): pending again, so the retry, or else the
        # reconciliation, can claim it.
        jobs.filter(state=State.RUNNING).update(state=State.PENDING, error=str(exc)[:2000], heartbeat_at=timezone.now())
        raise
    except Exception as exc:
        jobs.update(state=State.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    finally:
        heartbeat.stop()
    now = timezone.now()
    jobs.update(state=State.DONE, progress=100, finished_at=now, heartbeat_at=now)
    job.refresh_from_db()
    return job


def restart_abandoned_jobs() -> list[int]:
    """Hand over again the jobs pending too long (the broker refused them) and those running with a silent
    heartbeat (their worker died); fail the ones started ``RECOMPUTE_MAX_ATTEMPTS`` times. Returns the ids handed over.
    """
    from .tasks import recompute_year

    now = timezone.now()
    pending = Q(state=State.PENDING, heartbeat_at__lt=now - timedelta(seconds=settings.RECOMPUTE_PENDING_AFTER_SECONDS))
    dead = Q(state=State.RUNNING, heartbeat_at__lt=now - timedelta(seconds=settings.RECOMPUTE_DEAD_AFTER_SECONDS))
    abandoned = RecomputeJob.objects.filter(pending | dead)
    abandoned.filter(attempts__gte=settings.RECOMPUTE_MAX_ATTEMPTS).update(
        state=State.FAILED,
        finished_at=now,
        error=f"Started {settings.RECOMPUTE_MAX_ATTEMPTS} times without finishing; not started again.",
    )
    handed_over = []
    for job_id in abandoned.order_by("pk").values_list("pk", flat=True):
        # Conditional, so two reconciliations running at once hand a job over once; back to pending (the worker
        # claims pending jobs) with a fresh heartbeat (not handed over again before the threshold).
        if RecomputeJob.objects.filter(Q(pk=job_id) & (pending | dead)).update(
            state=State.PENDING, progress=0, heartbeat_at=now
        ):
            log.warning("Recompute job %s was abandoned (never started, or its worker died); starting it again", job_id)
            if start(recompute_year, job_id):
                handed_over.append(job_id)
    return handed_over


def reconcile(*, today: date) -> dict[str, list[int]]:
    """The periodic heal: abandoned jobs, scores older than their inputs, stale scores, rankings left undone.

    Each step leaves its marks in the database until it completes, so a run that fails half-way (the database
    or the broker going away) is redone by the next one.
    """
    jobs = restart_abandoned_jobs()
    find_outdated_scores(years=(today.year - 1, today.year))
    refreshed = sorted(refresh_stale())
    ranked = rank_due_years()
    return {"jobs": jobs, "refreshed": refreshed, "ranked": ranked}
