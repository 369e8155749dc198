"""The import as a worker runs it: progress on the job row, a redelivered task does nothing, a crash is kept; a job
the broker refused, or whose worker died, is started again by the reconciliation; one that keeps killing its worker
is failed with a plain message."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from credits.models import ActivityRecord
from credits.tasks import reconcile_stale_scores
from imports import services
from imports.models import ImportJob
from imports.tasks import run_import

from .helpers import ACTIVITY_HEADER, upload, xlsx_bytes

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


# ---------------------------------------------------------------------------------------------------
# Jobs that outlive their worker: a refused broker, a dead worker, a file that kills its worker


def _records() -> list[tuple]:
    return sorted(ActivityRecord.objects.values_list("official__staff_no", "kind", "quantity", "occurred_on"))


def _clean_import_records(staff_user) -> list[tuple]:
    """What a single clean import of ROWS puts on record (the reference the resumed imports are held to)."""
    run_import(queued_job(staff_user).pk)
    records = _records()
    ActivityRecord.objects.all().delete()
    ImportJob.objects.all().delete()
    return records


def _silent(job: ImportJob, *, seconds: float, attempts: int = 1) -> ImportJob:
    """The job as its worker left it when it died: running, its heartbeat silent for ``seconds``."""
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", progress=30, attempts=attempts, heartbeat_at=timezone.now() - timedelta(seconds=seconds)
    )
    job.refresh_from_db()
    return job


def test_a_big_import_asked_while_the_broker_is_down_is_started_by_the_reconciliation(
    staff_user, officials, settings, django_capture_on_commit_callbacks
):
    reference = _clean_import_records(staff_user)
    settings.IMPORT_INLINE_MAX_BYTES = 100  # a background job
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with (
        mock.patch.object(run_import, "delay", side_effect=BrokerDown("Connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = services.start_import(
            by=staff_user, kind="activities", upload=upload(xlsx_bytes([ACTIVITY_HEADER, *ROWS])), dry_run=False,
            year=2025,
        )  # fmt: skip
        assert reconcile_stale_scores()["imports"] == []  # still down, and young: nothing raised
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("pending", 0) and not ActivityRecord.objects.exists()
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the broker is back
    assert reconcile_stale_scores()["imports"] == [], "not before IMPORT_PENDING_AFTER_SECONDS"
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.IMPORT_PENDING_AFTER_SECONDS + 1)
    )
    assert reconcile_stale_scores()["imports"] == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.progress, job.created, job.attempts) == ("done", 100, 2, 1)
    assert _records() == reference


def test_an_import_whose_worker_died_is_run_again_by_the_reconciliation(staff_user, officials, settings):
    reference = _clean_import_records(staff_user)
    dead = _silent(queued_job(staff_user), seconds=settings.IMPORT_DEAD_AFTER_SECONDS + 1)
    alive = _silent(queued_job(staff_user, dry_run=True), seconds=settings.IMPORT_HEARTBEAT_SECONDS)
    assert reconcile_stale_scores()["imports"] == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.progress, dead.created, dead.attempts) == ("done", 100, 2, 2)
    assert (alive.status, alive.attempts) == ("running", 1), "a job that beats is left to its worker"
    assert _records() == reference, "the dead run wrote nothing (one transaction): the records of one import"


def test_a_message_for_a_job_alive_in_another_worker_or_finished_does_nothing(staff_user, officials, settings):
    alive = _silent(queued_job(staff_user), seconds=1)
    with mock.patch.object(services, "import_records") as importing:
        run_import(alive.pk)  # redelivered (the pool process died, the message came back at once)
    importing.assert_not_called()
    alive.refresh_from_db()
    assert (alive.status, alive.attempts) == ("running", 1)

    done = queued_job(staff_user)
    run_import(done.pk)
    done.refresh_from_db()
    run_import(done.pk)
    again = ImportJob.objects.get(pk=done.pk)
    assert (again.status, again.attempts, again.finished_at, again.created) == ("done", 1, done.finished_at, 2)
    assert ActivityRecord.objects.count() == 2


def test_two_deliveries_of_one_job_claim_it_once(staff_user, officials):
    job = queued_job(staff_user)
    assert services._claim(job.pk) is True
    assert services._claim(job.pk) is False
    assert ImportJob.objects.get(pk=job.pk).attempts == 1


def test_a_file_that_keeps_killing_its_worker_is_failed_with_a_plain_message(client, staff_user, officials, settings):
    job = _silent(queued_job(staff_user), seconds=3600, attempts=settings.IMPORT_MAX_ATTEMPTS)
    assert reconcile_stale_scores()["imports"] == []
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert job.errors[0]["message"] == (
        f"The import stopped unexpectedly {settings.IMPORT_MAX_ATTEMPTS} times; check the file or ask the "
        "administrator."
    )
    run_import(job.pk)  # the message delivered once more: nothing
    assert ImportJob.objects.get(pk=job.pk).attempts == settings.IMPORT_MAX_ATTEMPTS
    assert not ActivityRecord.objects.exists()
    client.force_login(staff_user)
    page = client.get(reverse("portal:import-job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").text
    assert "The import failed." in page and "stopped unexpectedly 3 times" in page


def test_a_redelivered_message_past_the_cap_fails_the_job_in_its_language(staff_user, officials, settings):
    """The message came back after the dead threshold (a worker that vanished): not a fourth run."""
    job = queued_job(staff_user)
    ImportJob.objects.filter(pk=job.pk).update(language="zh-hans")
    _silent(job, seconds=settings.IMPORT_DEAD_AFTER_SECONDS + 1, attempts=settings.IMPORT_MAX_ATTEMPTS)
    with mock.patch.object(services, "import_records") as importing:
        run_import(job.pk)
    importing.assert_not_called()
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts == settings.IMPORT_MAX_ATTEMPTS
    assert job.errors[0]["message"] == "导入已 3 次意外中断；请检查文件或联系管理员。"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_while_the_import_runs_between_progress_steps(staff_user, officials, settings):
    settings.IMPORT_HEARTBEAT_SECONDS = 0.05
    job = queued_job(staff_user)
    beats = []
    real_read = services.RESOURCES["activities"].read

    def slow_read(self, table):  # a long step with no progress of its own
        started = ImportJob.objects.get(pk=job.pk).heartbeat_at
        time.sleep(0.5)
        beats.append(ImportJob.objects.get(pk=job.pk).heartbeat_at - started)
        return real_read(self, table)

    with mock.patch.object(services.RESOURCES["activities"], "read", slow_read):
        run_import(job.pk)
    assert beats[0] >= timedelta(seconds=0.2)
    assert ImportJob.objects.get(pk=job.pk).status == "done"


def test_a_failing_reconciliation_step_does_not_stop_the_others(staff_user, officials, settings, caplog):
    dead = _silent(queued_job(staff_user), seconds=settings.IMPORT_DEAD_AFTER_SECONDS + 1)
    settings.RECONCILE_HOOKS = {"broken": "imports.services.no_such_step", **settings.RECONCILE_HOOKS}
    result = reconcile_stale_scores()
    assert result["imports"] == [dead.pk] and "broken" not in result
    assert "Reconciliation step broken" in caplog.text
