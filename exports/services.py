"""Export jobs: ask for a workbook (reusing a fresh one), build it in the background, clean old files away.

A build never runs inside a request: ``request_export`` saves a job row and starts ``exports.tasks.build_export``
after commit (``kunshan_training.background``: the Celery worker, or a thread in the embedded mode). The task is a
thin wrapper around ``run_export_job``, which is idempotent: a redelivered message for a job that is done, failed or
being built by a live worker does nothing.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credits import reports
from kunshan_training import jobs
from kunshan_training.background import run_after_commit
from kunshan_training.downloads import safe_filename
from organisation.models import Unit

from .models import ExportJob
from .selectors import reusable_job, rows_to_write, stale_seconds

log = logging.getLogger(__name__)

# Finished jobs and their files are deleted this long after they finished (``manage.py clean_exports``).
EXPORT_RETENTION = timedelta(days=7)
FILE_KINDS = {ExportJob.Kind.REPORT: "training-credits", ExportJob.Kind.RANKINGS: "rankings"}
WRITERS = {ExportJob.Kind.REPORT: reports.write_year_report, ExportJob.Kind.RANKINGS: reports.write_rankings}
SHEET_SHARE = 95  # percent of the progress bar for the main sheet's rows; the rest is the summaries and saving


def retention() -> timedelta:
    return getattr(settings, "EXPORT_RETENTION", EXPORT_RETENTION)


def download_name(job: ExportJob) -> str:
    """The workbook's file name in the job's language: ``2026年度干部教育培训学分.xlsx``,
    ``2026年度干部教育培训学分排名（市财政局）.xlsx``."""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        if job.kind == ExportJob.Kind.RANKINGS:
            title = _("%(year)s training credit rankings") % {"year": job.year}
        else:
            title = _("%(year)s training credits") % {"year": job.year}
        if job.unit is not None:
            title = _("%(title)s (%(unit)s)") % {"title": title, "unit": job.unit.name}
    return safe_filename(f"{title}.xlsx")


def ascii_download_name(job: ExportJob) -> str:
    """The same as an ASCII name, for tools that read only ``filename=``: ``training-credits-2026-B01.xlsx``."""
    return reports.report_filename(FILE_KINDS[job.kind], job.year, job.unit)


def request_export(*, user, kind: str, year: int, unit: Unit | None) -> ExportJob:
    """The job that gives ``user`` this workbook: a fresh or running one of the same parameters, else a new one
    started after commit. The caller has checked the user may have it (``report_unit_for``) and the year."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    job = reusable_job(kind=kind, year=year, unit=unit, language=language)
    if job is not None:
        return job
    job = ExportJob.objects.create(kind=kind, year=year, unit=unit, language=language, requested_by=user)
    start_export(job)
    return job


def start_export(job: ExportJob) -> None:
    from .tasks import build_export  # the task module imports this one

    run_after_commit(build_export, job.pk)


def _claim(job_id: int) -> ExportJob | None:
    """Mark the job running for this worker, unless it is finished or a live worker builds it: one conditional
    UPDATE (``kunshan_training.jobs.claim``), so of two deliveries of one job exactly one builds it."""
    now = timezone.now()
    if not jobs.claim(ExportJob, job_id, dead_after=stale_seconds(), started_at=now, progress=0, rows=0, error=""):
        return None
    return ExportJob.objects.filter(pk=job_id).first()


def run_export_job(*, job_id: int) -> None:
    """Build the job's workbook into its file, telling progress and a heartbeat after every batch of rows."""
    job = _claim(job_id)
    if job is None:
        return
    try:
        with translation.override(job.language):
            _build(job)
    except Exception as error:
        log.exception("Export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=_("The workbook could not be built: %(error)s") % {"error": str(error) or type(error).__name__},
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )


def _build(job: ExportJob) -> None:
    user = job.requested_by
    if user is None:
        raise ValueError(_("the account that asked for it no longer exists."))
    total = rows_to_write(user, kind=job.kind, year=job.year, unit=job.unit)

    def progress(rows: int) -> None:
        percent = min(SHEET_SHARE, rows * SHEET_SHARE // total) if total else SHEET_SHARE
        ExportJob.objects.filter(pk=job.pk).update(progress=percent, rows=rows, heartbeat_at=timezone.now())

    with tempfile.TemporaryFile(suffix=".xlsx") as target:
        WRITERS[job.kind](user, year=job.year, unit=job.unit, target=target, progress=progress)
        target.seek(0)
        job.refresh_from_db(fields=["rows"])
        job.file.save(ascii_download_name(job), File(target), save=False)
    job.status, job.progress, job.finished_at = ExportJob.Status.DONE, 100, timezone.now()
    job.heartbeat_at = job.finished_at
    job.save(update_fields=["file", "status", "progress", "finished_at", "heartbeat_at"])


def clean_exports(*, now=None) -> dict[str, int]:
    """Delete jobs (and files) finished longer than the retention ago; restart builds whose worker died and jobs
    that never started."""
    now = now or timezone.now()
    old = ExportJob.objects.filter(
        status__in=(ExportJob.Status.DONE, ExportJob.Status.FAILED), finished_at__lt=now - retention()
    )
    deleted = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    since = now - timedelta(seconds=stale_seconds())
    dead = ExportJob.objects.filter(
        jobs.silent(dead_after=stale_seconds(), now=now)
        | Q(status=ExportJob.Status.PENDING, created_at__lt=since)  # never started: the broker refused it
    )
    restarted = 0
    for job in dead:
        start_export(job)
        restarted += 1
    return {"deleted": deleted, "restarted": restarted}
