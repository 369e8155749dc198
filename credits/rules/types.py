"""Plain data passed into and out of a credit policy. No Django, no ORM: a policy is a pure function."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple


class ActivityLine(NamedTuple):
    """Approved records of one kind for one official and year, summed.

    A named tuple rather than a dataclass: a city's year builds close to a million of these.

    Callers may pass one line per record or group several records into one line; a policy that
    judges each record on its own (see ``PER_RECORD_KINDS``) must get one line per record for those
    kinds, and lines never mix ``category`` or ``class_passed`` values.
    """

    kind: str
    category: str  # the kind's category; for ``discretionary`` the category the approver chose
    quantity: Decimal  # summed quantity (days, hours, months, count)
    records: int = 1  # how many records were summed into this line
    points: Decimal | None = None  # summed approver-set points (``discretionary`` only)
    class_passed: bool = True  # the class result was passed (``class_day`` only)


@dataclass(frozen=True)
class OfficialYear:
    """Everything a policy needs to assess one official in one year."""

    year: int
    activities: tuple[ActivityLine, ...] = ()
    included_month: int | None = None  # 1-12 when included among city-managed cadres during ``year``
    retires_in_year: bool = False
    exemption: str | None = None  # a recorded exemption reason code, if any
    vetoes: frozenset[str] = frozenset()  # recorded vetoes (absent_from_dispatch, discipline)
    previous_grade: str | None = None  # grade of ``year - 1``; None when exempt or not assessed


@dataclass(frozen=True)
class CategoryResult:
    code: str
    score: Decimal  # final category score (converted when prorated, capped)
    passed: bool | None  # None when the category has no pass line


@dataclass(frozen=True)
class Assessment:
    policy: str
    year: int
    exempt: bool
    exempt_reason: str | None
    categories: dict[str, CategoryResult]
    total: Decimal
    grade: str | None  # None when exempt
    vetoes: tuple[str, ...]
    flags: tuple[str, ...]
    explanation: dict = field(default_factory=dict)  # JSON-serialisable; see the policy's docstring
