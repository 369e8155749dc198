"""Whole-year recompute on PostgreSQL against the floor of one aggregating query.

    .venv/bin/python bench/recompute.py [--officials 100000] [--regenerate] [--profile]

Uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/kunshan_bench; created and migrated when
missing). The generated city is kept in that database and reused by the next run with the same size.
Prints (a) ``compute_scores`` + ``rank_year`` for the year, a first run (no scores of the year stored yet) and a
second run (every score already stored), and (b) the floor: one ``GROUP BY official_id, kind`` over the year's
approved records, fully fetched, best of 3; and the ratio (a)/(b).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from datetime import date

from common import database_url, ensure_city, ensure_database, setup_django, vacuum_analyze

FLOOR_SQL = """
SELECT official_id, kind, sum(quantity), count(*)
FROM credits_activityrecord
WHERE status = 'approved' AND occurred_on >= %s AND occurred_on < %s
GROUP BY official_id, kind
"""


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def floor_query(year: int) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [date(year, 1, 1), date(year + 1, 1, 1)])
        return len(cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=None, help="default: officials / 250, at least 40")
    parser.add_argument("--year", type=int, default=None, help="default: the current year")
    parser.add_argument("--records-per-official", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="generate the city again even if it matches")
    parser.add_argument("--profile", action="store_true", help="profile a third compute_scores run")
    args = parser.parse_args()

    url = database_url()
    ensure_database(url)
    setup_django(url)
    from django.db import connection
    from django.utils import timezone

    from credits.models import ActivityRecord, AnnualScore
    from credits.scoring import compute_scores, rank_year

    year = args.year or timezone.localdate().year
    units = args.units or max(40, args.officials // 250)
    meta = ensure_city(
        officials=args.officials, units=units, year=year, records_per_official=args.records_per_official,
        seed=args.seed, regenerate=args.regenerate,
    )  # fmt: skip
    vacuum = vacuum_analyze()
    records_year = ActivityRecord.objects.filter(occurred_on__year=year).count()
    records_all = ActivityRecord.objects.count()
    approved = ActivityRecord.objects.filter(occurred_on__year=year, status="approved").count()

    # The year before feeds the two-year flag; compute it once (not part of the figures).
    previous, _ = timed(compute_scores, year=year - 1)
    rank_year(year=year - 1)

    floors = []
    groups = 0
    for _ in range(3):
        seconds, groups = timed(floor_query, year)
        floors.append(seconds)
    floor = min(floors)

    AnnualScore.objects.filter(year=year).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE credits_annualscore")
    runs = []
    for _ in range(2):
        compute, written = timed(compute_scores, year=year)
        rank, _ = timed(rank_year, year=year)
        runs.append((compute, rank, written))

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE credits_annualscore")  # leave statistics that match the stored scores

    generation = "reused (generated earlier in {:.1f} s)" if meta["reused"] else "generated in {:.1f} s"
    print()
    print(f"database          {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version // 10000})")
    print(f"city              {args.officials:,} officials, {units} units, seed {args.seed}; "
          + generation.format(meta["generated_seconds"]))  # fmt: skip
    print(
        f"records           {records_year:,} in {year} ({approved:,} approved), {records_all:,} in all; "
        f"{records_year / args.officials:.1f} per official in {year}"
    )
    print(f"VACUUM ANALYZE    {vacuum:.1f} s;  compute_scores({year - 1}) for the flag: {previous:.2f} s")
    print()
    print(f"{'':44}{'run 1':>10}{'run 2':>10}")
    print(f"{'(a) compute_scores(year=' + str(year) + ')':44}{runs[0][0]:>9.2f}s{runs[1][0]:>9.2f}s")
    print(f"{'    rank_year(year=' + str(year) + ')':44}{runs[0][1]:>9.2f}s{runs[1][1]:>9.2f}s")
    a1, a2 = runs[0][0] + runs[0][1], runs[1][0] + runs[1][1]
    print(f"{'    together':44}{a1:>9.2f}s{a2:>9.2f}s")
    print(f"{'    scores written':44}{runs[0][2]:>10,}{runs[1][2]:>10,}")
    print(f"{'(b) floor: GROUP BY official_id, kind':44}{floor:>9.2f}s{'':>10}  best of 3 "
          f"({', '.join(f'{s:.2f}' for s in floors)}); {groups:,} groups")  # fmt: skip
    print(f"{'ratio (a)/(b)':44}{a1 / floor:>9.1f}x{a2 / floor:>9.1f}x")
    print("run 1: no score of the year stored (inserts); run 2: every score stored (upserts).")

    if args.profile:
        print()
        profiler = cProfile.Profile()
        profiler.enable()
        compute_scores(year=year)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
