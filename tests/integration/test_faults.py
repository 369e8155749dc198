"""Redis and the worker fail, for real: a worker SIGKILLed mid-recompute, a broker port that refuses connections,
a Redis cache that is down. In each case, once the outage ends and the reconciliation runs, every stored score and
rank of the year equals a recompute from scratch (tests/integration/scores.py)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from datetime import date, timedelta
from decimal import Decimal

import psycopg2
import pytest
import redis
from django.db import connection
from django.test import Client

from credits import services, tasks
from credits.models import ActivityRecord, AnnualScore, RankingDue, RecomputeJob, StaleScore, Status
from credits.scoring import compute_scores, rank_year
from organisation.models import Official
from tests.conftest import YEAR, client_for
from tests.integration.conftest import broker_refusing_connections, refused_port, wait_for
from tests.integration.scores import assert_equals_fresh_recompute

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CITY = 40  # officials besides the three of the fixture
KINDS = [("class_day", "offjob"), ("online_hour", "online"), ("menu_city_lecture", "menu")]


@pytest.fixture
def city(officials, units, staff_user):
    """43 officials in two units with approved records of different sizes (so ranks and ties mean something)."""
    people = Official.objects.bulk_create(
        Official(staff_no=f"C{n:03}", name=f"干部{n}", unit=units["finance" if n % 2 else "education"])
        for n in range(CITY)
    )
    people += list(officials.values())
    ActivityRecord.objects.bulk_create(
        ActivityRecord(
            official=person,
            kind=kind,
            category=category,
            quantity=Decimal(1 + (n + k) % 7),
            status=Status.APPROVED,
            occurred_on=date(YEAR, 1 + k, 10),
            source="imported",
        )  # fmt: skip
        for n, person in enumerate(people)
        for k, (kind, category) in enumerate(KINDS)
        if (n + k) % 5
    )
    return people


def _redis():
    return redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])


def _lock_scores_table():
    """Another session holding the scores table against writes: a recompute started now stops at its first write,
    deterministically mid-way (claimed, running, beating), until the lock is released."""
    db = connection.settings_dict
    holder = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"] or "postgres", host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )
    holder.cursor().execute("LOCK TABLE credits_annualscore IN EXCLUSIVE MODE")  # reads pass, writes wait
    return holder


def _settle():
    """Wait until the worker has nothing left to do (refreshes and debounced rankings from the fixtures)."""
    broker = _redis()
    wait_for(
        lambda: (
            not StaleScore.objects.exists()
            and not RankingDue.objects.exists()
            and not broker.hlen("unacked")
            and not broker.llen("celery")
        ),
        timeout=30,
        interval=0.2,
    )


def test_a_worker_killed_mid_recompute_is_resumed_by_the_reconciliation(celery_worker_process, city, staff_user):
    worker = celery_worker_process
    _settle()
    holder = _lock_scores_table()
    try:
        response = client_for(staff_user).post(f"/api/v1/years/{YEAR}/recompute/")
        assert response.status_code == 202
        job_id = response.json()["id"]
        claimed = wait_for(lambda: (j := RecomputeJob.objects.get(pk=job_id)).state == "running" and j)
        # Blocked at its first write, the job's heartbeat thread still beats.
        beat_after = claimed.heartbeat_at + timedelta(seconds=1)
        wait_for(lambda: RecomputeJob.objects.get(pk=job_id).heartbeat_at > beat_after, timeout=10)
        worker.kill()  # SIGKILL: the worker and its pool processes, mid-recompute
        killed_at = time.monotonic()
    finally:
        holder.rollback()
        holder.close()
    stuck = RecomputeJob.objects.get(pk=job_id)
    assert (stuck.state, stuck.progress, stuck.attempts) == ("running", 0, 1)
    assert RankingDue.objects.filter(year=YEAR).exists()
    assert _redis().hlen("unacked") == 1, "acks_late: the message is still the broker's, not lost"

    # A new worker with the periodic reconciliation (every 2 s here): nobody asks for anything.
    worker.start(beat=True)
    job = wait_for(lambda: (j := RecomputeJob.objects.get(pk=job_id)).state == "done" and j, timeout=30)
    assert (job.progress, job.officials, job.attempts) == (100, CITY + 3, 2)
    assert time.monotonic() - killed_at < 3 + 2 + 10, "resumed within the dead threshold and one interval (+ slack)"

    # Past the visibility timeout the first message comes back (a starting worker sweeps the unacked messages):
    # it finds the job done and does nothing.
    time.sleep(max(0.0, killed_at + 8.5 - time.monotonic()))
    worker.restart()  # also: without the beat, for the other tests
    _settle()
    job.refresh_from_db()
    assert (job.state, job.attempts, job.progress) == ("done", 2, 100)
    assert_equals_fresh_recompute(YEAR)


def test_a_pool_process_killed_mid_recompute_gives_the_message_back_and_the_job_is_resumed(
    celery_worker_process, city, staff_user
):
    """The worker survives but the process running the job dies (the OOM killer): reject_on_worker_lost."""
    worker = celery_worker_process
    _settle()
    holder = _lock_scores_table()
    try:
        job_id = client_for(staff_user).post(f"/api/v1/years/{YEAR}/recompute/").json()["id"]
        wait_for(lambda: RecomputeJob.objects.get(pk=job_id).state == "running")
        pool = subprocess.run(["ps", "-o", "pid=", "--ppid", str(worker.process.pid)], capture_output=True, text=True)
        for pid in pool.stdout.split():
            os.kill(int(pid), signal.SIGKILL)
    finally:
        holder.rollback()
        holder.close()
    # Given back at once (not after the visibility timeout) and taken again by a new pool process. Whether that
    # second delivery leaves the job to its silent owner or takes it over depends on how long the new process took
    # to start (the job looks alive for RECOMPUTE_DEAD_AFTER_SECONDS): under load both happen, so either is right,
    # as long as the job is run a second time exactly once.
    broker = _redis()
    wait_for(lambda: not broker.hlen("unacked") and not broker.llen("celery"), timeout=6, interval=0.2)
    if RecomputeJob.objects.get(pk=job_id).state == "running":
        time.sleep(3.5)  # its heartbeat is now silent for longer than RECOMPUTE_DEAD_AFTER_SECONDS
        tasks.reconcile_stale_scores.delay()  # as the beat would
    job = wait_for(lambda: (j := RecomputeJob.objects.get(pk=job_id)).state == "done" and j, timeout=30)
    assert job.attempts == 2
    _settle()
    assert_equals_fresh_recompute(YEAR)


def test_with_the_broker_and_cache_down_the_web_side_keeps_working_and_heals_after(
    celery_worker_process, city, staff_user, settings, caplog
):
    compute_scores(year=YEAR)
    rank_year(year=YEAR)
    zhang = Official.objects.get(staff_no="F001")
    # Inputs changed behind the scores' back (a recompute is due), then the outage.
    ActivityRecord.objects.filter(official__staff_no__startswith="C0").update(quantity=Decimal("6.0"))
    settings.CACHES = {
        "default": {
            "BACKEND": "kunshan_training.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{refused_port()}/13",
        }
    }
    settings.RECOMPUTE_PENDING_AFTER_SECONDS = 0  # the in-process reconciliation below tries to hand the job over
    staff, me = Client(), Client()
    staff.force_login(staff_user)
    me.force_login(zhang.user)
    with broker_refusing_connections(), caplog.at_level(logging.WARNING):
        response = client_for(staff_user).post(f"/api/v1/years/{YEAR}/recompute/")
        assert response.status_code == 202 and response.json()["state"] == "pending"
        assert staff.post(f"/staff/years/{YEAR}/recompute/", **EN).status_code == 302
        page = staff.get("/staff/years/", **EN)
        assert page.status_code == 200
        assert me.get(f"/me/?year={YEAR}", **EN).status_code == 200
        services.create_record(
            by=staff_user, official=zhang, kind="class_day", quantity=5, occurred_on=date(YEAR, 9, 1)
        )
        assert StaleScore.objects.filter(official=zhang, year=YEAR).exists()
        result = tasks.reconcile_stale_scores()  # a reconciliation during the outage: refused hand-overs, no raise
        assert result["jobs"] == []
        assert set(RecomputeJob.objects.values_list("state", flat=True)) == {"pending"}
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "Cache unavailable" in messages and "the reconciliation will start it" in messages

    # The outage ends; the periodic reconciliation runs on the worker, once the jobs are pending for 2 s there.
    time.sleep(2.5)
    tasks.reconcile_stale_scores.delay()
    wait_for(lambda: set(RecomputeJob.objects.values_list("state", flat=True)) == {"done"}, timeout=30)
    wait_for(lambda: not RankingDue.objects.exists() and not StaleScore.objects.exists())
    assert AnnualScore.objects.get(official=zhang, year=YEAR).category_score("offjob") > 0
    assert_equals_fresh_recompute(YEAR)
