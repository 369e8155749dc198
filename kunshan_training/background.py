"""Work that must never run inside a request (big imports, report workbooks, whole-year recomputes).

With a broker the task goes to the Celery worker after commit. In the embedded mode (no broker) it runs in a
daemon thread after commit, so the request returns at once and the page polls the job row for progress;
``EMBEDDED_JOBS = "inline"`` (the test suite) runs it synchronously instead. A broker that refuses the message
is logged, not raised: the job row stays ``pending`` and the periodic reconciliation starts it.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections, transaction

log = logging.getLogger(__name__)


def run_after_commit(task, *args) -> None:
    """Start ``task(*args)`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: start(task, *args))


def start(task, *args) -> bool:
    """Start ``task(*args)`` now, in the worker or the embedded thread; False when the broker refused it."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            task.delay(*args)
        except Exception:  # kombu's OperationalError, a refused connection: the job waits for the reconciliation
            log.exception("Could not hand %s%r to the broker; the reconciliation will start it", task.name, args)
            return False
        return True
    if getattr(settings, "EMBEDDED_JOBS", "thread") == "inline":
        task.apply(args=args, throw=True)
        return True
    thread = threading.Thread(target=_run_in_thread, args=(task, args), name=f"job-{task.name}", daemon=True)
    thread.start()
    return True


def _run_in_thread(task, args: tuple) -> None:
    close_old_connections()
    try:
        task.apply(args=args, throw=False)  # the task records its own failure on its job row
    except Exception:
        log.exception("Background job %s%r failed", task.name, args)
    finally:
        connections.close_all()
