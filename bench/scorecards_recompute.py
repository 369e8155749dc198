"""Every scorecard of a year brought in line with the data after a change of study hours (issue 12: ≤ 5 s at
100,000 officials), on the city of ``recompute.py``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kt_cards .venv/bin/python bench/scorecards_recompute.py
        [--officials 100000] [--runs 3] [--regenerate]

Uses the generated city of ``bench/recompute.py`` (``bench/common.ensure_city``: made when missing, kept in the
database) and, once, a card of each of the three templates for every unit of the year (``create_year_cards``; kept).
Then times, best of ``--runs``:

- (floor) ``assessments.selectors.cards.computed_counts(year)``: the one GROUP BY of the year's approved records per
  official, the officials, the sessions, counted per unit; nothing written;
- (a) ``refresh_computed(year)`` with every card's counts forgotten: every card of the year read, counted, scored
  again and written (the worst case: a whole-year recompute after every unit's hours moved);
- (b) one division official below 110 hours given 200 hours on a record behind the services' back, then
  ``refresh_computed(year)`` for the whole year (what ``compute_scores(year)`` sends through
  ``scores_computed``): only the cards whose counts changed are written; then undone the same way;
- (c) the same change through the pipeline for that one official: ``compute_scores(year, official_ids=[…])``, whose
  ``scores_computed`` refreshes the cards of that official's unit (the worker's path after a record changes).

Beside each wall time: CPU seconds of this process and of the PostgreSQL backend (from /proc), as recompute.py.
"""

from __future__ import annotations

import argparse
import time

from common import Meter, database_url, ensure_city, ensure_database, load_average, setup_django, vacuum_analyze


def fmt(meter: Meter) -> str:
    cpu = "" if meter.backend is None else f" ({meter.python:.2f} + {meter.backend:.2f} CPU)"
    return f"{meter.wall:6.2f}s{cpu}"


def best(meters: list[Meter]) -> Meter:
    return min(meters, key=lambda m: m.wall)


def timed(fn, *args, **kwargs):
    with Meter() as meter:
        result = fn(*args, **kwargs)
    return meter, result


def ensure_cards(year: int) -> int:
    """A card of every active template for every unit of ``year`` (made once, by a bench member of the training
    section)."""
    from django.contrib.auth.models import User

    from assessments.models import Scorecard, ScorecardTemplate
    from assessments.services.cards import create_year_cards

    staff, _ = User.objects.get_or_create(username="bench-scorecards", defaults={"is_superuser": True})
    made = 0
    for template in ScorecardTemplate.objects.filter(active=True):
        started = time.perf_counter()
        n = create_year_cards(by=staff, template=template, year=year)
        if n:
            print(f"  {n} cards of {template.code} made in {time.perf_counter() - started:.1f} s", flush=True)
        made += n
    return Scorecard.objects.filter(year=year).count()


def forget_counts(year: int) -> None:
    from assessments.models import Scorecard

    Scorecard.objects.filter(year=year).update(computed={}, computed_at=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=None, help="default: officials / 250, at least 40")
    parser.add_argument("--year", type=int, default=None, help="default: the current year")
    parser.add_argument("--records-per-official", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    url = database_url()
    ensure_database(url)
    setup_django(url)
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from assessments.models import Scorecard
    from assessments.selectors.cards import computed_counts
    from assessments.services.cards import refresh_computed
    from credits.models import ActivityRecord
    from credits.scoring import compute_scores, officials_assessed_in
    from credits.selectors.hours import record_hours_expression
    from organisation.models import Official

    year = args.year or timezone.localdate().year
    units = args.units or max(40, args.officials // 250)
    meta = ensure_city(officials=args.officials, units=units, year=year, records_per_official=args.records_per_official,
                       seed=args.seed, regenerate=args.regenerate)  # fmt: skip
    print("cards ...", flush=True)
    cards = ensure_cards(year)
    vacuum_analyze()
    records = ActivityRecord.objects.filter(occurred_on__year=year, status="approved").count()

    floor, worst, one_change, pipeline = [], [], [], []
    for _ in range(max(1, args.runs)):
        meter, counts = timed(computed_counts, year=year)
        floor.append(meter)
        forget_counts(year)
        meter, refreshed = timed(refresh_computed, year=year)
        assert refreshed == cards, (refreshed, cards)
        worst.append(meter)

    # One division official below 110 hours in the year: one of their records given 200 hours, then back.
    below = (
        ActivityRecord.objects.filter(occurred_on__year=year, status="approved", official__rank="division")
        .filter(official__in=officials_assessed_in(year))
        .exclude(official__exemptions__year=year)
        .values("official_id")
        .annotate(hours=Sum(record_hours_expression()))
        .filter(hours__lt=110)
        .order_by("official_id")
        .values_list("official_id", flat=True)
        .first()
    )
    record = ActivityRecord.objects.filter(occurred_on__year=year, status="approved", official_id=below).first()
    changes = []

    def set_hours(hours) -> None:
        ActivityRecord.objects.filter(pk=record.pk).update(hours=hours)

    for _ in range(max(1, args.runs)):
        for hours in (200, record.hours):  # changed, then back
            set_hours(hours)
            meter, refreshed = timed(refresh_computed, year=year)
            one_change.append(meter)
            changes.append(refreshed)
        for hours in (200, record.hours):
            set_hours(hours)
            meter, _ = timed(compute_scores, year=year, official_ids=[below])
            pipeline.append(meter)

    generation = "reused" if meta["reused"] else f"generated in {meta['generated_seconds']:.0f} s"
    print()
    print(f"database   {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version // 10000}); "
          f"load average now {load_average()}")  # fmt: skip
    print(f"city       {Official.objects.count():,} officials, {units} units ({generation}); {records:,} approved "
          f"records in {year}; {cards:,} cards ({Scorecard.objects.filter(year=year).values('template').distinct().count()} templates)")  # fmt: skip  # noqa: E501
    print(f"floor      computed_counts({year}): {fmt(best(floor))}  ({len(counts)} units)")
    print(f"(a)        refresh_computed({year}), every card counted, scored, written: {fmt(best(worst))}")
    print(f"(b)        one official's hours changed, refresh_computed({year}): {fmt(best(one_change))}  "
          f"(cards whose counts changed: {sorted(set(changes))})")  # fmt: skip
    print(f"(c)        compute_scores({year}, [that official]) with its scores_computed refresh: {fmt(best(pipeline))}")
    print(f"runs       {len(worst)}; every run (a): {', '.join(f'{m.wall:.2f}' for m in worst)} s")


if __name__ == "__main__":
    main()
