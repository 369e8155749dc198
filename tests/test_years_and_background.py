"""The shared years module and the background runner of the embedded mode."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kunshan_training import background
from kunshan_training.years import FIRST_YEAR, last_year, parse_year, year_bounds

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize("raw", ["2000", " 2027 ", 2026, "２０２５"])
def test_a_year_in_range_is_read(raw):
    assert FIRST_YEAR <= parse_year(raw, today=TODAY) <= 2027


@pytest.mark.parametrize(
    "raw", ["1999", "2028", "3000", "40000", "99999999999", "-2025", "20.5", "", None, "二〇二五", "2025\x00"]
)
def test_a_bad_year_is_a_plain_error(raw):
    with pytest.raises(ValidationError) as error:
        parse_year(raw, today=TODAY)
    assert "2000" in error.value.messages[0] and "2027" in error.value.messages[0]


def test_last_year_is_next_year_and_bounds_are_whole_days():
    assert last_year(today=TODAY) == 2027
    assert year_bounds(2025) == (date(2025, 1, 1), date(2025, 12, 31))


class _Task:
    name = "test.task"

    def __init__(self):
        self.ran_in: list[str] = []
        self.done = threading.Event()

    def apply(self, args, throw):
        self.ran_in.append(threading.current_thread().name)
        self.done.set()

    def delay(self, *args):
        raise ConnectionRefusedError("broker down")


def test_embedded_thread_mode_runs_the_job_outside_the_calling_thread(settings):
    settings.EMBEDDED_JOBS = "thread"
    task = _Task()
    assert background.start(task, 1)
    assert task.done.wait(5)
    assert task.ran_in and task.ran_in[0] != threading.current_thread().name


def test_inline_mode_runs_the_job_at_once(settings):
    task = _Task()
    background.start(task, 1)
    assert task.ran_in == [threading.current_thread().name]


def test_a_refused_broker_is_reported_not_raised(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert background.start(_Task(), 1) is False
