"""From a committed record to its refreshed score, through a live Celery worker.

    .venv/bin/python bench/latency.py [--samples 200]

Runs on the bench database of ``bench/recompute.py`` (``DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/kunshan_bench; run recompute.py first to generate the city). Starts
``celery -A kunshan_training worker -c 2`` with the same database and ``CELERY_BROKER_URL``/``REDIS_URL``
(default redis://127.0.0.1:6379/0), then, ``--samples`` times: creates one approved record for a random
official through ``credits.services.create_record`` in a transaction, notes the commit time and polls the
official's ``AnnualScore.computed_at`` every 5 ms until it is later than the commit. Prints p50, p95 and max.
The records it created are removed at the end (and those officials' scores recomputed).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import ROOT, database_url, ensure_database, setup_django

NOTE = "bench/latency.py"
TARGET_P95_MS = 1000
POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 30


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[k]


def start_worker(env: dict, log_path: Path) -> tuple[subprocess.Popen, str]:
    name = f"bench-latency-{os.getpid()}@%h"
    celery = ROOT / ".venv" / "bin" / "celery"
    command = [str(celery) if celery.exists() else sys.executable, *([] if celery.exists() else ["-m", "celery"])]
    log = log_path.open("w")
    worker = subprocess.Popen(
        [*command, "-A", "kunshan_training", "worker", "-c", "2", "-l", "warning", "-n", name],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    from kunshan_training.celery import app

    deadline = time.monotonic() + 60
    while True:
        replies = app.control.ping(timeout=1)
        names = {n for reply in replies for n in reply}
        if any(n.startswith(f"bench-latency-{os.getpid()}@") for n in names):
            others = sorted(n for n in names if not n.startswith(f"bench-latency-{os.getpid()}@"))
            if others:
                print(f"warning: other workers share this broker and may take the tasks: {', '.join(others)}")
            return worker, name
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise SystemExit(f"The Celery worker did not start; see {log_path}")


def stop_worker(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGTERM)  # warm shutdown: finish the running task
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--year", type=int, default=None, help="default: the current year")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    url = database_url()
    broker = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    env = {"CELERY_BROKER_URL": broker, "REDIS_URL": os.environ.get("REDIS_URL") or broker}
    ensure_database(url)
    setup_django(url, **env)  # Django in this process: same database, same broker

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from credits.models import ActivityRecord, AnnualScore
    from credits.scoring import compute_scores, officials_assessed_in, rank_year
    from credits.services import create_record
    from organisation.models import Official

    year = args.year or timezone.localdate().year
    officials = list(officials_assessed_in(year).values_list("pk", flat=True))
    if not officials:
        raise SystemExit("The bench database has no city; run bench/recompute.py first.")
    with connection.cursor() as cursor:
        # Fresh statistics: scores analysed while the year had none make the planner scan the whole year's scores
        # for one official (see the README).
        cursor.execute("VACUUM ANALYZE credits_annualscore")
    if not AnnualScore.objects.filter(year=year).exists():
        print(f"computing the scores of {year - 1} and {year} first ...")
        for y in (year - 1, year):
            compute_scores(year=y)
            rank_year(year=y)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE credits_annualscore")
    user, created = get_user_model().objects.get_or_create(
        username="bench_superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    rng = random.Random(args.seed)
    last = min(date(year, 12, 31), timezone.localdate())
    first = date(year, 1, 1)

    worker_env = {**os.environ, **env, "DATABASE_URL": url}
    log_path = Path(tempfile.gettempdir()) / "kunshan-bench-latency-worker.log"
    worker, name = start_worker(worker_env, log_path)
    print(f"worker {name} up (log {log_path}); {len(officials):,} officials on {connection.settings_dict['NAME']}")
    visible: list[float] = []
    started_ms: list[float] = []
    timeouts = 0
    touched: set[int] = set()
    try:
        for i in range(args.samples):
            official = Official.objects.get(pk=rng.choice(officials))
            touched.add(official.pk)
            occurred_on = first + timedelta(days=rng.randint(0, (last - first).days))
            committed = {}
            with transaction.atomic():
                # Registered first, so it runs right at the commit, before the service's own enqueue callback.
                transaction.on_commit(lambda c=committed: c.update(at=timezone.now(), t=time.perf_counter()))
                create_record(
                    by=user, official=official, kind="online_hour", quantity="1", occurred_on=occurred_on, note=NOTE
                )
            scores = AnnualScore.objects.filter(official=official, year=year).values_list("computed_at", flat=True)
            while True:
                computed_at = scores.first()
                now = time.perf_counter()
                if computed_at is not None and computed_at > committed["at"]:
                    visible.append((now - committed["t"]) * 1000)
                    started_ms.append((computed_at - committed["at"]).total_seconds() * 1000)
                    break
                if now - committed["t"] > TIMEOUT_SECONDS:
                    timeouts += 1
                    break
                time.sleep(POLL_SECONDS)
            if (i + 1) % 50 == 0:
                print(f"  {i + 1}/{args.samples}", flush=True)
    finally:
        stop_worker(worker)
        ActivityRecord.objects.filter(note=NOTE).delete()
        if touched:
            compute_scores(year=year, official_ids=sorted(touched))
            rank_year(year=year)

    if not visible:
        raise SystemExit(f"No score was refreshed; see {log_path}")
    p95 = percentile(visible, 95)
    print()
    print(f"commit -> refreshed score visible, {len(visible)} samples ({timeouts} timed out after {TIMEOUT_SECONDS} s)")
    print(f"{'':34}{'p50':>9}{'p95':>9}{'max':>9}")
    print(f"{'visible to a reader (ms)':34}{percentile(visible, 50):>9.0f}{p95:>9.0f}{max(visible):>9.0f}")
    print(f"{'computed_at - commit (ms)':34}{percentile(started_ms, 50):>9.0f}{percentile(started_ms, 95):>9.0f}"
          f"{max(started_ms):>9.0f}")  # fmt: skip
    print(f"target p95 <= {TARGET_P95_MS} ms: {'met' if p95 <= TARGET_P95_MS and not timeouts else 'NOT met'}")


if __name__ == "__main__":
    main()
