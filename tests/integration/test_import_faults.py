"""Imports survive a worker that dies: a real worker SIGKILLed mid-import, resumed by the periodic reconciliation
with nobody asking; the records equal those of one clean import, and the message that comes back later does
nothing; a file that kills the process running it every time is failed after IMPORT_MAX_ATTEMPTS starts.
(Unit level, SQLite: tests/imports/test_tasks.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import date, timedelta

import psycopg2
import pytest
from django.db import connection

from credits.models import ActivityRecord
from credits.services import IMPORT_LOCK_ID
from credits.tasks import reconcile_stale_scores
from imports.models import ImportJob
from organisation.models import Official
from tests.conftest import YEAR, client_for
from tests.imports.helpers import ACTIVITY_HEADER, upload, xlsx_bytes
from tests.integration.conftest import wait_for
from tests.integration.test_faults import _redis, _settle

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
PEOPLE = 60
KINDS = [("class_day", 2), ("online_hour", 10), ("menu_city_lecture", 1)]


@pytest.fixture
def import_file(officials, units):
    """180 rows: 60 officials × three kinds of activity (a background job: over IMPORT_INLINE_MAX_BYTES below)."""
    Official.objects.bulk_create(
        Official(staff_no=f"M{n:03}", name=f"干部{n}", unit=units["finance" if n % 2 else "education"])
        for n in range(PEOPLE)
    )
    rows = [
        [f"M{n:03}", f"干部{n}", kind, quantity, date(YEAR, 1 + k * 3, 1 + n % 28).isoformat()]
        for n in range(PEOPLE)
        for k, (kind, quantity) in enumerate(KINDS)
    ]
    expected = sorted((staff_no, kind, quantity, day) for staff_no, _name, kind, quantity, day in rows)
    return xlsx_bytes([ACTIVITY_HEADER, *rows]), expected


def _records() -> list[tuple]:
    return sorted(
        (staff_no, kind, int(quantity), day.isoformat())
        for staff_no, kind, quantity, day in ActivityRecord.objects.values_list(
            "official__staff_no", "kind", "quantity", "occurred_on"
        )
    )


def _hold_the_import_lock():
    """Another session holding the records import's advisory lock: an import started now stops at its write,
    deterministically mid-way (claimed, read and checked, beating), until the lock is released."""
    db = connection.settings_dict
    holder = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"] or "postgres", host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )
    holder.cursor().execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK_ID])
    return holder


def test_a_worker_killed_mid_import_is_resumed_by_the_reconciliation(
    celery_worker_process, import_file, staff_user, settings
):
    worker = celery_worker_process
    data, expected = import_file
    settings.IMPORT_INLINE_MAX_BYTES = 100  # this file goes to the worker
    _settle()
    holder = _hold_the_import_lock()
    try:
        response = client_for(staff_user).post(
            "/api/v1/imports/activities/", {"file": upload(data), "year": YEAR, "dry_run": "false"},
            format="multipart",
        )  # fmt: skip
        assert response.status_code == 202
        job_id = response.json()["id"]
        claimed = wait_for(
            lambda: (j := ImportJob.objects.get(pk=job_id)).status == "running" and j.progress >= 60 and j
        )
        # Blocked at its write, the job's heartbeat thread still beats.
        beat_after = claimed.heartbeat_at + timedelta(seconds=1)
        wait_for(lambda: ImportJob.objects.get(pk=job_id).heartbeat_at > beat_after, timeout=10)
        worker.kill()  # SIGKILL: the worker and its pool processes, mid-import
        killed_at = time.monotonic()
    finally:
        holder.close()
    stuck = ImportJob.objects.get(pk=job_id)
    assert (stuck.status, stuck.attempts) == ("running", 1)
    assert not ActivityRecord.objects.exists(), "all or nothing: the killed import wrote nothing"
    assert _redis().hlen("unacked") == 1, "acks_late: the message is still the broker's, not lost"

    # A new worker with the periodic reconciliation (every 2 s here): nobody asks for anything.
    worker.start(beat=True)
    job = wait_for(lambda: (j := ImportJob.objects.get(pk=job_id)).status == "done" and j, timeout=30)
    assert (job.progress, job.rows_total, job.created, job.skipped, job.attempts) == (100, 180, 180, 0, 2)
    assert time.monotonic() - killed_at < 3 + 2 + 10, "resumed within the dead threshold and one interval (+ slack)"
    assert _records() == expected, "the records of one clean import"

    # Past the visibility timeout the first message comes back: it finds the job done and does nothing.
    time.sleep(max(0.0, killed_at + 8.5 - time.monotonic()))
    worker.restart()  # also: without the beat, for the other tests
    _settle()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.created) == ("done", 2, 180)
    assert _records() == expected
    job.file.delete(save=False)


def test_a_file_that_kills_its_pool_process_every_time_is_failed_not_redelivered_forever(
    celery_worker_process, import_file, staff_user, settings
):
    """The process running the import dies each time (the OOM killer): the message comes back at once
    (reject_on_worker_lost) and finds the job still beating, the reconciliation starts it again once silent, and
    after IMPORT_MAX_ATTEMPTS (3) starts the job is failed in plain words, not started a fourth time."""
    worker = celery_worker_process
    data, _expected = import_file
    settings.IMPORT_INLINE_MAX_BYTES = 100
    _settle()
    broker = _redis()
    holder = _hold_the_import_lock()  # every run stops at its write: killed there
    try:
        response = client_for(staff_user).post(
            "/api/v1/imports/activities/", {"file": upload(data), "year": YEAR, "dry_run": "false"},
            format="multipart", HTTP_ACCEPT_LANGUAGE="en",
        )  # fmt: skip
        job_id = response.json()["id"]
        for attempt in (1, 2, 3):
            wait_for(lambda a=attempt: (j := ImportJob.objects.get(pk=job_id)).attempts == a and j.progress >= 60)
            pool = subprocess.run(
                ["ps", "-o", "pid=", "--ppid", str(worker.process.pid)], capture_output=True, text=True
            )
            for pid in pool.stdout.split():
                os.kill(int(pid), signal.SIGKILL)
            # Given back at once, taken again, and left alone: the job still looks alive.
            wait_for(lambda: not broker.hlen("unacked") and not broker.llen("celery"), timeout=6, interval=0.2)
            assert (ImportJob.objects.get(pk=job_id).status, ImportJob.objects.get(pk=job_id).attempts) == (
                "running",
                attempt,
            )
            time.sleep(3.5)  # its heartbeat is now silent for longer than IMPORT_DEAD_AFTER_SECONDS
            reconcile_stale_scores.delay()  # as the beat would
        job = wait_for(lambda: (j := ImportJob.objects.get(pk=job_id)).status == "failed" and j, timeout=10)
    finally:
        holder.close()
    assert job.attempts == 3 and job.finished_at is not None
    assert job.errors == [
        {
            "row": 0,
            "column": "",
            "message": "The import stopped unexpectedly 3 times; check the file or ask the administrator.",
        }
    ]
    assert not ActivityRecord.objects.exists()
    reconcile_stale_scores.delay()  # and it stays failed
    _settle()
    assert (ImportJob.objects.get(pk=job_id).status, ImportJob.objects.get(pk=job_id).attempts) == ("failed", 3)
    job.file.delete(save=False)
