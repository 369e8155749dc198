"""Redis and the worker may fail (issue 8): the cache degrades to misses, a recompute the broker refused waits as a
pending job, a ranking that failed is redone, a job whose worker died is resumed. Unit level (SQLite); the same
faults with a real worker and broker are in tests/integration/test_faults.py."""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import DatabaseError, OperationalError
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from credits import recompute, scoring, services, tasks
from credits.models import AnnualScore, RankingDue, RecomputeJob, StaleScore
from kunshan_training import cache as cache_backend
from tests.conftest import YEAR, client_for
from tests.integration.conftest import refused_port
from tests.integration.scores import assert_equals_fresh_recompute

pytestmark = pytest.mark.django_db(transaction=True)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def redis_down(settings):
    """The cache is a Redis that refuses connections (the backend the settings pick whenever REDIS_URL is set)."""
    cache_backend._OUTAGES.clear()  # what this process remembers of earlier outages
    settings.CACHES = {
        "default": {
            "BACKEND": "kunshan_training.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{refused_port()}/13",
        }
    }
    return cache


def add(by, official, quantity=2, kind="class_day", **extra):
    return services.create_record(
        by=by, official=official, kind=kind, quantity=quantity, occurred_on=date(YEAR, 5, 1), **extra
    )


@pytest.fixture
def scored(staff_user, officials):
    """Every official with a score of YEAR (different totals), ranked."""
    for n, official in enumerate(officials.values(), start=1):
        add(staff_user, official, quantity=n)
    assert AnnualScore.objects.filter(year=YEAR, city_rank__isnull=False).count() == 3
    return officials


# --- the cache -----------------------------------------------------------------------------------------------


def test_a_down_cache_is_a_miss_and_writes_are_dropped(redis_down, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="kunshan_training.cache"):
        assert redis_down.get("k") is None
        assert redis_down.get("k", "fallback") == "fallback"
        assert redis_down.get_many(["a", "b"]) == {}
        assert redis_down.set("k", 1, 30) is None
        assert redis_down.add("k", 1, timeout=30) is True  # as Django's DummyCache: the caller goes ahead
        assert redis_down.delete("k") is False
        assert redis_down.has_key("k") is False
        assert redis_down.get_or_set("k", 5) == 5
        with pytest.raises(ValueError):
            redis_down.incr("k")
    assert time.monotonic() - started < 2
    warnings = [r for r in caplog.records if r.name == "kunshan_training.cache"]
    assert len(warnings) == 1, "one warning per minute, not one per call"
    assert "Cache unavailable" in warnings[0].getMessage()


def test_the_cache_tries_redis_again_after_a_few_seconds(redis_down):
    redis_down.get("k")
    with mock.patch("django.core.cache.backends.redis.RedisCacheClient.get", return_value="back") as get:
        assert redis_down.get("k") is None  # still taken as down: no connection attempt
        get.assert_not_called()
        redis_down._outage.down_until = 0  # the retry delay has passed
        assert redis_down.get("k") == "back"


def test_my_credits_and_staff_pages_work_with_redis_down(scored, staff_user, redis_down, caplog):
    zhang_client, staff_client = Client(), Client()
    zhang_client.force_login(scored["zhang"].user)
    staff_client.force_login(staff_user)
    with caplog.at_level(logging.WARNING, logger="kunshan_training.cache"):
        me = zhang_client.get(f"/me/?year={YEAR}", **EN)
        assert me.status_code == 200
        assert me.context["score"].city_size == 3, "the ranked count is counted when the cache misses"
        for url in ["/staff/", "/staff/dashboard/", f"/staff/rankings/?year={YEAR}", "/staff/years/"]:
            assert staff_client.get(url, **EN).status_code == 200, url
    assert any("Cache unavailable (get:" in r.getMessage() for r in caplog.records)


def test_the_ranking_debounce_still_ranks_with_the_cache_down(redis_down, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a worker: the ranking is queued as its own task
    with mock.patch.object(tasks.rank_year, "apply_async") as queued:
        tasks.schedule_ranking(YEAR)
        tasks.schedule_ranking(YEAR)  # no debounce without a cache: ranking twice is harmless
    assert queued.call_count == 2


def test_a_refused_ranking_task_leaves_the_mark_for_the_reconciliation(scored, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    RankingDue.objects.create(year=YEAR)
    with mock.patch.object(tasks.rank_year, "apply_async", side_effect=BrokerDown("refused")):
        tasks.schedule_ranking(YEAR)  # logged, not raised
    assert RankingDue.objects.filter(year=YEAR).exists()
    assert cache.add(f"ranking-due:{YEAR}", 1), "the debounce key is released for the next try"


# --- a recompute the broker refused ----------------------------------------------------------------------------


def test_a_recompute_asked_while_the_broker_is_down_waits_for_the_reconciliation(scored, staff_user, settings):
    AnnualScore.objects.filter(year=YEAR).update(total=0, city_rank=None, unit_rank=None, digest="")  # wrong scores
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.object(tasks.recompute_year, "delay", side_effect=BrokerDown("Connection refused")):
        response = client_for(staff_user).post(f"/api/v1/years/{YEAR}/recompute/")
        assert response.status_code == 202
        job = RecomputeJob.objects.get(pk=response.json()["id"])
        assert (job.state, response.json()["state"]) == ("pending", "pending")
        tasks.reconcile_stale_scores()  # still down, and the job is young: left pending, nothing raised
        job.refresh_from_db()
        assert job.state == "pending"
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the broker is back
    tasks.reconcile_stale_scores()
    assert RecomputeJob.objects.get(pk=job.pk).state == "pending", "not before RECOMPUTE_PENDING_AFTER_SECONDS"
    RecomputeJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=1))
    assert tasks.reconcile_stale_scores()["jobs"] == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.progress, job.officials, job.attempts) == ("done", 100, 3, 1)
    assert_equals_fresh_recompute(YEAR)


def test_the_years_page_keeps_a_refused_recompute_as_waiting(scored, staff_user, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    staff_client = Client()
    staff_client.force_login(staff_user)
    with mock.patch.object(tasks.recompute_year, "delay", side_effect=BrokerDown("Connection refused")):
        response = staff_client.post(f"/staff/years/{YEAR}/recompute/", **EN)
        assert response.status_code == 302
        page = staff_client.get(response["Location"], **EN)
    assert page.status_code == 200
    assert f"Recompute of {YEAR} is waiting for the worker" in page.content.decode()
    assert RecomputeJob.objects.get().state == "pending"


# --- rankings: marks in the database -------------------------------------------------------------------------


def test_a_reconciliation_that_fails_at_ranking_leaves_the_mark_and_the_next_one_ranks(staff_user, officials):
    with mock.patch.object(tasks.refresh_stale_scores, "delay"):  # the broker lost the refresh
        for n, official in enumerate(officials.values(), start=1):
            add(staff_user, official, quantity=n)
    assert StaleScore.objects.count() == 3
    with mock.patch.object(scoring, "RANK_SQL", "UPDATE no_such_table SET x = 1"), pytest.raises(DatabaseError):
        tasks.reconcile_stale_scores()  # the scores are written, then the ranking fails
    assert not StaleScore.objects.exists()
    assert AnnualScore.objects.filter(year=YEAR).count() == 3
    assert not AnnualScore.objects.filter(year=YEAR, city_rank__isnull=False).exists()
    assert YEAR in RankingDue.objects.values_list("year", flat=True)
    assert YEAR in tasks.reconcile_stale_scores()["ranked"]
    assert sorted(AnnualScore.objects.filter(year=YEAR).values_list("city_rank", flat=True)) == [1, 2, 3]
    assert_equals_fresh_recompute(YEAR)


def test_scores_written_and_their_ranking_mark_share_a_transaction(staff_user, officials):
    with mock.patch.object(tasks.refresh_stale_scores, "delay"):
        add(staff_user, officials["zhang"])
    lost = OperationalError("connection lost")
    with mock.patch.object(scoring, "compute_scores", side_effect=lost), pytest.raises(OperationalError):
        scoring.refresh_stale()
    assert not RankingDue.objects.exists(), "rolled back with the scores"
    assert StaleScore.objects.filter(official=officials["zhang"]).exists()


def test_a_mark_made_during_a_ranking_survives_it(scored):
    """A change committed while the year is being ranked marks it again; that ranking must not clear the new mark."""
    original = scoring.RankingDue.objects.filter

    def filter_then_remark(*args, **kwargs):
        result = original(*args, **kwargs)
        if kwargs.get("pk__in") is not None:  # the ranking is about to clear the marks it locked
            RankingDue.objects.filter(year=YEAR).delete()
            RankingDue.objects.create(year=YEAR)  # another transaction's new mark (a new row)
            return original(*args, **kwargs)
        return result

    RankingDue.objects.create(year=YEAR)
    with mock.patch.object(scoring.RankingDue.objects, "filter", side_effect=filter_then_remark):
        scoring.rank_year(year=YEAR)
    assert RankingDue.objects.filter(year=YEAR).exists()


# --- a job whose worker died -----------------------------------------------------------------------------------


def _running_job(*, silent_for: timedelta, attempts: int = 1) -> RecomputeJob:
    return RecomputeJob.objects.create(
        year=YEAR, state="running", progress=0, attempts=attempts, heartbeat_at=timezone.now() - silent_for
    )


def test_a_running_job_with_a_silent_heartbeat_is_resumed(scored, settings):
    AnnualScore.objects.filter(year=YEAR).update(city_rank=None, total=0, digest="")
    dead = _running_job(silent_for=timedelta(seconds=settings.RECOMPUTE_DEAD_AFTER_SECONDS + 1))
    alive = _running_job(silent_for=timedelta(seconds=settings.RECOMPUTE_HEARTBEAT_SECONDS))
    assert tasks.reconcile_stale_scores()["jobs"] == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.state, dead.progress, dead.attempts) == ("done", 100, 2)
    assert alive.state == "running", "a job that beats is left to its worker"
    assert_equals_fresh_recompute(YEAR)


def test_a_redelivered_or_doubled_job_runs_once(scored):
    job = recompute.start_recompute(by=None, year=YEAR)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 1)
    again = recompute.run_recompute_job(job_id=job.pk)  # the same message delivered again
    assert (again.state, again.attempts, again.finished_at) == ("done", 1, job.finished_at)
    alive = _running_job(silent_for=timedelta(seconds=1))
    with mock.patch.object(recompute, "compute_chain") as computing:
        assert recompute.run_recompute_job(job_id=alive.pk).state == "running"
    computing.assert_not_called()


def test_two_claims_of_one_job_give_it_to_one_worker(scored):
    job = RecomputeJob.objects.create(year=YEAR)
    assert recompute.claim_job(job_id=job.pk) is True
    assert recompute.claim_job(job_id=job.pk) is False


def test_a_job_that_keeps_dying_is_failed_not_restarted_forever(scored, settings):
    job = _running_job(silent_for=timedelta(hours=1), attempts=settings.RECOMPUTE_MAX_ATTEMPTS)
    assert tasks.reconcile_stale_scores()["jobs"] == []
    job.refresh_from_db()
    assert job.state == "failed" and "not started again" in job.error


def test_the_heartbeat_beats_while_the_job_runs_between_progress_steps(scored, settings):
    settings.RECOMPUTE_HEARTBEAT_SECONDS = 0.05
    job = RecomputeJob.objects.create(year=YEAR)
    beats = []

    def slow_compute(**kwargs):
        started = RecomputeJob.objects.get(pk=job.pk).heartbeat_at
        time.sleep(0.5)  # a long aggregating query: no progress step
        beats.append(RecomputeJob.objects.get(pk=job.pk).heartbeat_at - started)
        return [YEAR]

    with mock.patch.object(recompute, "compute_chain", side_effect=slow_compute):
        recompute.run_recompute_job(job_id=job.pk)
    assert beats[0] >= timedelta(seconds=0.2)


def test_a_database_error_puts_the_job_back_to_pending_for_the_retry(scored):
    job = RecomputeJob.objects.create(year=YEAR)
    lost = OperationalError("server closed the connection")
    with mock.patch.object(recompute, "compute_chain", side_effect=lost), pytest.raises(OperationalError):
        recompute.run_recompute_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "pending" and "server closed" in job.error
    assert recompute.run_recompute_job(job_id=job.pk).state == "done"
