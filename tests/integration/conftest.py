"""A real Celery worker process against the test database, for the integration tests (.ci/run).

These tests run only with PostgreSQL and a broker configured (``DATABASE_URL`` and ``CELERY_BROKER_URL``);
on the embedded SQLite set-up, where tasks run in-process, they are skipped.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
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


# The worker's thresholds, short so a fault heals in seconds (production defaults: kunshan_training/settings.py).
WORKER_SETTINGS = {
    "RECOMPUTE_HEARTBEAT_SECONDS": "1",
    "RECOMPUTE_DEAD_AFTER_SECONDS": "3",
    "RECOMPUTE_PENDING_AFTER_SECONDS": "2",
    "IMPORT_HEARTBEAT_SECONDS": "1",
    "IMPORT_DEAD_AFTER_SECONDS": "3",
    "IMPORT_PENDING_AFTER_SECONDS": "2",
    "SCORE_RECONCILE_SECONDS": "2",  # the beat, when a test starts one
    "CELERY_VISIBILITY_TIMEOUT_SECONDS": "8",
}


class Worker:
    """A `celery worker` process group on the test database that a test may kill (SIGKILL) and start again."""

    def __init__(self, env: dict, log_dir: Path):
        self.env, self.log_dir, self.runs = env, log_dir, 0
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    def start(self, *, beat: bool = False) -> None:
        from kunshan_training.celery import app

        self.runs += 1
        self.name = f"ci-{os.getpid()}-{self.runs}@{socket.gethostname()}"
        self.log_path = self.log_dir / f"worker-{self.runs}.log"
        command = [sys.executable, "-m", "celery", "-A", "kunshan_training", "worker", "-c", "2", "-l", "warning",
                   "--without-gossip", "--without-mingle", "-n", self.name]  # fmt: skip
        if beat:  # the periodic reconciliation, as in production (every SCORE_RECONCILE_SECONDS)
            command += ["-B", "-s", str(self.log_dir / f"beat-schedule-{self.runs}")]
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[self.name], timeout=1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"The Celery worker did not start; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as when its machine or container dies."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self, *, beat: bool = False) -> None:
        self.stop()
        self.start(beat=beat)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """Start `celery worker` on the test database; stop it after the session. Logs in a fresh folder per run."""
    with django_db_blocker.unblock():
        db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", **WORKER_SETTINGS}
    worker = Worker(env, Path(tempfile.mkdtemp(prefix="kunshan-celery-worker-")))
    worker.start()
    yield worker
    worker.stop()


def refused_port() -> int:
    """A local port nobody listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def broker_refusing_connections():
    """This (web) process hands tasks to a broker address that refuses connections; the worker's is unchanged."""
    from kunshan_training.celery import app

    def new_producers():
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_write_url = f"redis://127.0.0.1:{refused_port()}/13"
    new_producers()
    try:
        yield
    finally:
        app.conf.broker_write_url = None
        new_producers()


def wait_for(predicate, timeout: float = 15.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Nothing after {timeout} s")
