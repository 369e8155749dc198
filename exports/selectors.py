"""Reads for export jobs: which jobs a user may see, a fresh one to reuse, how many rows a build writes."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from credits.models import AnnualScore
from credits.selectors import scores_visible_to
from organisation.models import Unit
from organisation.roles import scope_of

from .models import ExportJob

# A done workbook is reused for the same kind, year, unit and language while it is this young and no score of the
# year changed since its build started; after that a new one is built.
EXPORT_FRESH_SECONDS = 600
# A running build that has not reported for this long is taken for dead (its worker was killed): it is restarted.
EXPORT_STALE_SECONDS = 120


def fresh_seconds() -> int:
    return getattr(settings, "EXPORT_FRESH_SECONDS", EXPORT_FRESH_SECONDS)


def stale_seconds() -> int:
    return getattr(settings, "EXPORT_STALE_SECONDS", EXPORT_STALE_SECONDS)


def exports_visible_to(user) -> QuerySet[ExportJob]:
    """The training section: every job; a unit study administrator: their unit's; anyone else: none."""
    scope = scope_of(user)
    jobs = ExportJob.objects.select_related("unit")
    if scope.everything:
        return jobs
    if scope.unit_id is not None:
        return jobs.filter(unit_id=scope.unit_id)
    return jobs.none()


def reusable_job(*, kind: str, year: int, unit: Unit | None, language: str) -> ExportJob | None:
    """A job of the same parameters that is waiting, building (and alive) or done and fresh; else None."""
    now = timezone.now()
    same = ExportJob.objects.filter(kind=kind, year=year, unit=unit, language=language).order_by("-created_at")
    alive = now - timedelta(seconds=stale_seconds())
    for job in same.filter(status__in=(ExportJob.Status.PENDING, ExportJob.Status.RUNNING))[:1]:
        # A job that never started (the broker refused it) or whose worker died is not waited on.
        last_sign = job.created_at if job.status == ExportJob.Status.PENDING else job.heartbeat_at
        if last_sign and last_sign >= alive:
            return job
    done = same.filter(status=ExportJob.Status.DONE, finished_at__gte=now - timedelta(seconds=fresh_seconds())).first()
    if done is None or not done.file:
        return None
    changed = AnnualScore.objects.filter(year=year).aggregate(last=Max("computed_at"))["last"]
    if changed is not None and done.started_at is not None and changed > done.started_at:
        return None  # a score changed since: the file may be out of date
    return done


def rows_to_write(user, *, kind: str, year: int, unit: Unit | None) -> int:
    """How many rows the build's main sheet gets (for the progress figure): one count query."""
    scores = scores_visible_to(user).filter(year=year)
    if unit is not None:
        scores = scores.filter(unit=unit)
    if kind == ExportJob.Kind.RANKINGS:
        scores = scores.filter(exempt=False)
    return scores.order_by().count()
