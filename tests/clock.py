"""Today as the tests see it: Shanghai's date when the line runs.

A module constant such as ``TODAY = timezone.localdate()`` is taken when pytest collects, and a run that crosses
midnight in Shanghai (16:00 UTC) then compares yesterday's date with the services' today.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from kunshan_training.half_years import HalfYear


def today() -> date:
    return timezone.localdate()


def this_half_year() -> str:
    return str(HalfYear.of(today()))
