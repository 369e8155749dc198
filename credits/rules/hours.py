"""Study hours (学时), RULES.md section 3: kept for every official whatever the year's credit policy.

Pure, like the policies: no Django, no ORM, ``Decimal`` only. Every rule is one constant below.

* A record's hours are the hours entered on it, or else its kind's default (``DEFAULT_HOURS``) x quantity; a kind
  without a default has 0 hours unless they are entered (``online_course``: the course's hours are entered on the
  record). Only approved records count: the caller sums the approved ones.
* Requirements per rank (``REQUIREMENTS``): a figure for the year, judged every year, and one for the five-year
  cycle (``credits.rules.common.cycle_of``), judged in the cycle's last year only (None before). Rank ``other``
  has no requirement (``required``, ``met`` and ``cycle_met`` are None).

Decisions where RULES.md leaves room:

* ``cycle_hours`` is the sum of the official's hours over the cycle's years up to and including ``year``; the caller
  sums (there is no carry-over of hours, and hours before the official's rank changed count the same). It must be
  at least ``year_hours`` (ValueError otherwise).
* Lines are compared with exact values (``hours >= required``); nothing is rounded.
* The rank judged is the rank given for ``year`` (the caller's rank of the official in that year), for the cycle too.
* Input checks (ValueError): an unknown rank; a year that is not an int; negative, NaN or float hours or quantities
  (int is accepted).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from credits.rules.common import check_amount, cycle_of

# --- default hours per unit of quantity (a day, an hour, a lecture, a session) ------------------------------------
DEFAULT_HOURS: dict[str, Decimal] = {
    "class_day": Decimal(8),
    "online_hour": Decimal(1),
    "menu_city_lecture": Decimal(3),
    "menu_other_lecture": Decimal(3),
    "central_group_speaker": Decimal(3),
    "central_group_listener": Decimal(3),
    "superior_central_group": Decimal(3),
}
NO_DEFAULT_HOURS = Decimal(0)  # any other kind (online_course included) has hours only when they are entered


class HoursRequirement(NamedTuple):
    year: Decimal  # hours a year
    cycle: Decimal  # hours over the five-year cycle


# --- requirements per rank; None: no requirement ---------------------------------------------------------------
REQUIREMENTS: dict[str, HoursRequirement | None] = {
    "division": HoursRequirement(Decimal(110), Decimal(550)),  # 县处级
    "section_chief": HoursRequirement(Decimal(100), Decimal(500)),  # 正科级
    "deputy_section": HoursRequirement(Decimal(100), Decimal(500)),  # 副科级
    "other": None,
}

_ZERO = Decimal(0)


def record_hours(*, kind: str, quantity: Decimal, entered: Decimal | None) -> Decimal:
    """The study hours of one record: ``entered`` when given, else the kind's default x ``quantity``."""
    quantity = check_amount(quantity, "quantity")
    if entered is not None:
        return check_amount(entered, "hours entered")
    return DEFAULT_HOURS.get(kind, NO_DEFAULT_HOURS) * quantity


class HoursResult(NamedTuple):
    year: int
    hours: Decimal  # the year's hours
    required: Decimal | None  # None: no requirement for the rank
    met: bool | None  # None: no requirement
    cycle_first_year: int
    cycle_last_year: int
    cycle_hours: Decimal  # the cycle's hours up to and including ``year``
    cycle_required: Decimal | None  # None: no requirement for the rank
    cycle_met: bool | None  # None before the cycle's last year, or no requirement


def judge_hours(*, rank: str, year: int, year_hours: Decimal, cycle_hours: Decimal) -> HoursResult:
    """Judge an official's study hours of ``year`` at ``rank``. ``cycle_hours`` is the sum of the hours of the
    cycle's years up to and including ``year`` (the caller sums). ValueError on bad input."""
    if rank not in REQUIREMENTS:
        raise ValueError(f"Unknown rank {rank!r}; expected one of {', '.join(REQUIREMENTS)}.")
    first, last = cycle_of(year)
    year_hours = check_amount(year_hours, "year's hours")
    cycle_hours = check_amount(cycle_hours, "cycle's hours")
    if cycle_hours < year_hours:
        raise ValueError(f"The cycle's hours ({cycle_hours}) include the year's ({year_hours}): they cannot be fewer.")
    requirement = REQUIREMENTS[rank]
    if requirement is None:
        return HoursResult(year, year_hours, None, None, first, last, cycle_hours, None, None)
    return HoursResult(
        year=year,
        hours=year_hours,
        required=requirement.year,
        met=year_hours >= requirement.year,
        cycle_first_year=first,
        cycle_last_year=last,
        cycle_hours=cycle_hours,
        cycle_required=requirement.cycle,
        cycle_met=(cycle_hours >= requirement.cycle) if year == last else None,
    )
