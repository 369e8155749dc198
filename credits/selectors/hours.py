"""Study hours (RULES §3) read from the approved records, set-based: one aggregating query for one official, a unit
or a whole year, whatever the number of records and officials.

A record's hours are the hours entered on it, or else its kind's default x quantity (``credits.rules.hours``); the
default is applied in SQL (a CASE over the kinds that have one), so a year of a city is one ``GROUP BY``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from organisation.models import Official

from ..models import ActivityRecord, Status
from ..rules.common import cycle_of
from ..rules.hours import DEFAULT_HOURS, HoursResult, judge_hours

_HOURS = DecimalField(max_digits=12, decimal_places=1)
_ZERO = Decimal(0)


def record_hours_expression():
    """The hours of each record in SQL: entered, else the kind's default x quantity, else 0."""
    defaults = [
        When(kind=kind, then=ExpressionWrapper(F("quantity") * Value(rate), output_field=_HOURS))
        for kind, rate in DEFAULT_HOURS.items()
    ]
    return Coalesce("hours", Case(*defaults, default=Value(_ZERO), output_field=_HOURS), output_field=_HOURS)


def _sums(year: int, officials: Q) -> dict[int, tuple[Decimal, Decimal]]:
    """(year's hours, cycle's hours up to ``year``) per official with approved records in the cycle."""
    first, _last = cycle_of(year)
    hours = record_hours_expression()
    rows = (
        ActivityRecord.objects.filter(
            officials, status=Status.APPROVED, occurred_on__gte=date(first, 1, 1), occurred_on__lt=date(year + 1, 1, 1)
        )
        .values("official_id")
        .annotate(year_hours=Sum(hours, filter=Q(occurred_on__gte=date(year, 1, 1))), cycle_hours=Sum(hours))
        .order_by()
        .values_list("official_id", "year_hours", "cycle_hours")
    )
    return {pk: (_decimal(y), _decimal(c)) for pk, y, c in rows}


def _decimal(value) -> Decimal:
    """SQLite hands sums back as floats; hours have one decimal place."""
    if value is None:
        return _ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(Decimal("0.1"))


def official_hours(*, official: Official, year: int) -> HoursResult:
    """The official's study hours of ``year`` and of its cycle so far, judged against their rank. One query."""
    return hours_of(officials=[official], year=year)[official.pk]


def hours_of(*, officials: Iterable[Official], year: int) -> dict[int, HoursResult]:
    """Study hours of ``year`` for each of ``officials`` (official id -> result), in one query."""
    officials = list(officials)
    sums = _sums(year, Q(official_id__in=[o.pk for o in officials])) if officials else {}
    results = {}
    for official in officials:
        year_hours, cycle_hours = sums.get(official.pk, (_ZERO, _ZERO))
        results[official.pk] = judge_hours(
            rank=official.rank, year=year, year_hours=year_hours, cycle_hours=cycle_hours
        )
    return results


def hours_by_official(*, year: int, officials: Q | None = None) -> dict[int, tuple[Decimal, Decimal]]:
    """(year's hours, cycle's hours) per official with approved records, for reports over a whole year; officials
    without any record in the cycle are absent (0 and 0). ``officials`` narrows it (a Q on ``official_id``)."""
    return _sums(year, officials or Q())
