"""The import as a worker runs it: progress on the job row, a redelivered task does nothing, a crash is kept."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse

from credits.models import ActivityRecord
from imports import services
from imports.models import ImportJob
from imports.tasks import run_import

from .helpers import ACTIVITY_HEADER, xlsx_bytes

ROWS = [["F001", "张伟", "class_day", 2, "2025-03-05"], ["F002", "李娜", "online_hour", 10, "2025-04-01"]]


def queued_job(user, *, dry_run=False) -> ImportJob:
    job = ImportJob.objects.create(kind="activities", year=2025, dry_run=dry_run, requested_by=user)
    job.file.save("records.xlsx", ContentFile(xlsx_bytes([ACTIVITY_HEADER, *ROWS])))
    return job


def test_the_job_row_carries_the_progress(staff_user, officials, monkeypatch):
    job = queued_job(staff_user)
    seen = []
    real_read, real_write = services.RESOURCES["activities"].read, services.import_records

    def read(self, table):
        seen.append(ImportJob.objects.get(pk=job.pk).progress)
        return real_read(self, table)

    def write(**kwargs):
        seen.append(ImportJob.objects.get(pk=job.pk).progress)
        return real_write(**kwargs)

    monkeypatch.setattr(services.RESOURCES["activities"], "read", read)
    monkeypatch.setattr(services, "import_records", write)
    run_import.delay(job.pk)
    job.refresh_from_db()
    assert seen == [services.READ_DONE, services.CHECK_DONE]
    assert (job.status, job.progress, job.created) == ("done", 100, 2) and job.finished_at is not None


def test_a_redelivered_task_does_nothing(staff_user, officials):
    job = queued_job(staff_user)
    run_import(job.pk)
    run_import(job.pk)
    job.refresh_from_db()
    assert job.created == 2 and ActivityRecord.objects.count() == 2


def test_a_crash_is_kept_on_the_job_and_shown(client, staff_user, officials, monkeypatch):
    job = queued_job(staff_user)

    def broken(self, table):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services.RESOURCES["activities"], "read", broken)
    run_import(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.errors[0]["message"] == "The import failed unexpectedly: RuntimeError"
    assert not ActivityRecord.objects.exists()
    client.force_login(staff_user)
    page = client.get(reverse("portal:import-job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "The import failed." in page.text and "Nothing was written." in page.text
