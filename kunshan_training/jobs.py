"""Persisted background jobs that outlive their worker: one claim, one heartbeat, one abandoned-job query.

Whole-year recomputes (``credits.recompute``), imports (``imports.services``) and report workbooks
(``exports.services``) are rows with a status (``pending`` → ``running`` → finished) and a ``heartbeat_at``:

- :func:`claim` takes a job for this worker with one conditional ``UPDATE`` — a pending job, or a running one whose
  heartbeat went silent (its worker died) — so of two deliveries of one job (a redelivered message, a hand-over by
  the reconciliation) exactly one runs it, and a finished job is left alone;
- :class:`Heartbeat` beats ``heartbeat_at`` from a thread of its own (its own database connection) while the job
  runs, also during a long query or a long transaction, and dies with its process, which is the point;
- :func:`abandoned` is the query of the jobs the periodic reconciliation starts again: pending too long (the broker
  refused them) or running with a silent heartbeat;
- :func:`hand_over` sets such jobs back to pending and hands them to the worker again;
- :func:`run_reconcile_hooks` runs each app's own slice of the periodic reconciliation (``RECONCILE_HOOKS``).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import F, Model, Q
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

PENDING, RUNNING = "pending", "running"  # the same two values in every job table


def _has_field(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def silent(*, dead_after: float, status: str = "status", now: datetime | None = None) -> Q:
    """Running, with no heartbeat for ``dead_after`` seconds (or none at all): its worker died."""
    since = (now or timezone.now()) - timedelta(seconds=dead_after)
    return Q(**{status: RUNNING}) & (Q(heartbeat_at__lt=since) | Q(heartbeat_at__isnull=True))


def abandoned(*, pending_after: float, dead_after: float, status: str = "status", now: datetime | None = None) -> Q:
    """Pending for ``pending_after`` seconds since it was asked for or last handed over (``heartbeat_at``: the
    broker refused it), or running with a silent heartbeat."""
    now = now or timezone.now()
    waiting = Q(**{status: PENDING, "heartbeat_at__lt": now - timedelta(seconds=pending_after)})
    return waiting | silent(dead_after=dead_after, status=status, now=now)


def takeable(*, dead_after: float, status: str = "status", now: datetime | None = None) -> Q:
    """What a worker may claim: pending, or running with a silent heartbeat."""
    return Q(**{status: PENDING}) | silent(dead_after=dead_after, status=status, now=now)


def claim(
    model: type[Model],
    pk: int,
    *,
    dead_after: float,
    status: str = "status",
    max_attempts: int | None = None,
    **changes,
) -> bool:
    """Take job ``pk`` for this worker: running, heartbeat now, one more attempt (when the table counts them) and
    ``changes``. Only a pending job, or a running one silent for ``dead_after`` seconds, and (with
    ``max_attempts``) one started fewer times than that. One conditional ``UPDATE``: True for exactly one caller."""
    now = timezone.now()
    jobs = model.objects.filter(takeable(dead_after=dead_after, status=status, now=now), pk=pk)
    if _has_field(model, "attempts"):
        changes.setdefault("attempts", F("attempts") + 1)
        if max_attempts is not None:
            jobs = jobs.filter(attempts__lt=max_attempts)
    return jobs.update(**{status: RUNNING, "heartbeat_at": now, **changes}) == 1


class Heartbeat:
    """``with Heartbeat(ImportJob, job.pk, every=10): ...`` — beats the running job's ``heartbeat_at`` every
    ``every`` seconds from a daemon thread, and writes the progress handed to :meth:`report` at once.

    The thread has its own database connection, so it beats while the job's own connection waits on a long query
    or holds a long transaction (progress written from inside that transaction would stay invisible, and lock the
    job row, until it commits). Only a running job is touched: a beat after the job finished does nothing.
    """

    def __init__(self, model: type[Model], pk: int, *, every: float, status: str = "status"):
        self.jobs = model.objects.filter(pk=pk, **{status: RUNNING})
        self.every = every
        self.changes: dict = {}
        self.lock = threading.Lock()
        self.wake, self.stopped = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{model._meta.label}-{pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.wake.set()
        # No beat after the job's end: a late one would touch the database after the caller moved on (a finished
        # request, a test whose database is gone). The job's transaction has ended here, so nothing blocks the beat.
        self.thread.join(timeout=30)

    def report(self, **changes) -> None:
        """Write these fields (e.g. ``progress``) with the next beat, which is now."""
        with self.lock:
            self.changes.update(changes)
        self.wake.set()

    def _run(self) -> None:
        try:
            while not self.stopped.is_set():
                self.wake.wait(self.every)
                self.wake.clear()
                if self.stopped.is_set():
                    break
                with self.lock:
                    changes, self.changes = self.changes, {}
                try:
                    self.jobs.update(heartbeat_at=timezone.now(), **changes)
                except DatabaseError:  # e.g. SQLite busy past its timeout: the next beat tries again
                    log.warning("%s: the heartbeat could not be written", self.thread.name, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connection


def hand_over(model: type[Model], where: Q, *, task, status: str = "status", **changes) -> list[int]:
    """Start again the jobs ``where`` selects (see :func:`abandoned`): each set back to pending with a fresh
    heartbeat (not handed over again before the threshold; a worker claims pending jobs) and given to ``task``.

    Conditional, job by job, so two reconciliations running at once hand a job over once. A broker that refuses is
    logged (``background.start``) and the job waits for the next run. Returns the ids handed over."""
    from .background import start

    handed = []
    for pk in model.objects.filter(where).order_by("pk").values_list("pk", flat=True):
        if model.objects.filter(where, pk=pk).update(**{status: PENDING, "heartbeat_at": timezone.now(), **changes}):
            log.warning("%s %s was abandoned (never started, or its worker died); starting it again",
                        model._meta.label, pk)  # fmt: skip
            if start(task, pk):
                handed.append(pk)
    return handed


def run_reconcile_hooks() -> dict[str, object]:
    """Each app's slice of the periodic reconciliation: ``settings.RECONCILE_HOOKS`` maps a name to the dotted path
    of a function without arguments; its result is kept under that name. One that fails is logged and does not stop
    the others (nor the scores' heal); the next run redoes it."""
    results: dict[str, object] = {}
    for name, path in getattr(settings, "RECONCILE_HOOKS", {}).items():
        try:
            results[name] = import_string(path)()
        except Exception:
            log.exception("Reconciliation step %s (%s) failed; the next reconciliation runs it again", name, path)
    return results
