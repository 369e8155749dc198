"""A real Celery worker process against the test database, for the integration tests (.ci/run).

These tests run only with PostgreSQL and a broker configured (``DATABASE_URL`` and ``CELERY_BROKER_URL``);
on the embedded SQLite set-up, where tasks run in-process, they are skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    if settings.CELERY_TASK_ALWAYS_EAGER or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        skip = pytest.mark.skip(reason="needs PostgreSQL, a broker and a live worker (run by .ci/run)")
        for item in items:
            if "integration" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """Start `celery worker` on the test database; stop it after the session."""
    with django_db_blocker.unblock():
        db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    log_path = Path(tempfile.gettempdir()) / "kunshan-celery-worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "kunshan_training", "worker", "-c", "2", "-l", "warning",
             "--without-gossip", "--without-mingle", "-n", f"ci-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        from kunshan_training.celery import app

        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                worker.kill()
                pytest.fail(f"The Celery worker did not start; see {log_path}")
        yield worker
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(predicate, timeout: float = 15.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Nothing after {timeout} s")
