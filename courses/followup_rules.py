"""Training follow-up (RULES §5 追踪问效, seed 002 annex 4): when each item is due, how a sample is drawn, what state
an item is in. Plain data in, plain data out: no ORM.

Where the source leaves a choice open, the choice is one named constant here (the README's follow-up section).
"""

from __future__ import annotations

import calendar
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# A forum (座谈会) and a study summary per trainee 1–3 months after a class ends (annex 4 第七条).
FORUM_FROM_MONTHS, FORUM_BY_MONTHS = 1, 3
SUMMARY_DUE_MONTHS = 3
# A one-year follow-up of sampled trainees (第五条); pilot or key classes up to three years, one round a year.
REVIEW_EVERY_MONTHS = 12
MAX_FOLLOW_UP_YEARS = 3
# Choice: the default sample is a fifth of the trainees, at least 5 (all of them when fewer), at most 30.
DEFAULT_SAMPLE_SHARE = Decimal("0.2")
MIN_SAMPLE, MAX_DEFAULT_SAMPLE = 5, 30
# Choice: an item is "due soon" (listed and told to whoever owes it) from this many days before its due date.
DUE_SOON_DAYS = 14

NOT_YET, DUE, OVERDUE, DONE = "not_yet", "due", "overdue", "done"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days: 31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Schedule:
    forum_from: date
    forum_by: date
    summary_due: date
    reviews: tuple[tuple[int, date], ...]  # (round 1..3, due on)


def follow_up_years(*, key_class: bool, years: int) -> int:
    """How many yearly rounds a class is followed up: one, or 1–3 for a pilot or key class."""
    if not key_class:
        return 1
    return max(1, min(MAX_FOLLOW_UP_YEARS, years))


def schedule(*, ends_on: date, key_class: bool, years: int) -> Schedule:
    """A closed class's follow-up: the forum between 1 and 3 months after its last day, the study summaries due 3
    months after it, a review round 12, 24, 36 months after it (one for an ordinary class)."""
    rounds = follow_up_years(key_class=key_class, years=years)
    return Schedule(
        forum_from=add_months(ends_on, FORUM_FROM_MONTHS),
        forum_by=add_months(ends_on, FORUM_BY_MONTHS),
        summary_due=add_months(ends_on, SUMMARY_DUE_MONTHS),
        reviews=tuple((n, add_months(ends_on, REVIEW_EVERY_MONTHS * n)) for n in range(1, rounds + 1)),
    )


def default_sample_size(population: int) -> int:
    """A fifth of the trainees, at least MIN_SAMPLE (everyone when fewer), at most MAX_DEFAULT_SAMPLE."""
    if population <= MIN_SAMPLE:
        return population
    wanted = math.ceil(Decimal(population) * DEFAULT_SAMPLE_SHARE)
    return max(MIN_SAMPLE, min(MAX_DEFAULT_SAMPLE, wanted))


def draw_sample(candidates: Sequence[int], *, size: int, seed: int) -> list[int]:
    """``size`` of the ``candidates`` (ids) drawn at random with ``seed``: the same ids, size and seed always give
    the same sample (the draw can be repeated and checked), whatever order the ids come in."""
    population = sorted(set(candidates))
    if not 0 < size <= len(population):
        raise ValueError(f"sample size {size} not in 1..{len(population)}")
    return sorted(random.Random(seed).sample(population, size))


def item_state(*, today: date, due_on: date, done: bool, opens_on: date | None = None) -> str:
    """An item's state on ``today``: done; not yet (before it opens, or more than DUE_SOON_DAYS before its due
    date); due (from then up to its due date); overdue (after it, not done)."""
    if done:
        return DONE
    if today > due_on:
        return OVERDUE
    if (opens_on is not None and today < opens_on) or today < due_on - timedelta(days=DUE_SOON_DAYS):
        return NOT_YET
    return DUE
