"""Whole-year recompute on PostgreSQL against the floor of one aggregating query, under either credit policy, and
the refresh of a five-year baoji-2009 chain.

    .venv/bin/python bench/recompute.py [--officials 100000] [--policy kunshan-2020|baoji-2009] [--runs 3]
                                        [--chain] [--profile] [--regenerate]

Uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/kunshan_bench; created and migrated when
missing). The generated city is kept in that database and reused by the next run with the same size: the year Y
(default: this year) in detail and Y-1 as imported summaries (kunshan-2020 kinds). With ``--policy baoji-2009`` or
``--chain`` it also gets, once, Baoji-kind records for Y-5 … Y (``organisation.demo.build_baoji_years``): the five
years Y-5 … Y-1 are put under baoji-2009 (the chain), and Y keeps both kinds of records, so that the same year is
measured under either policy (``--policy`` sets Y's ``YearPolicy``).

Prints (a) ``compute_scores`` + ``rank_year`` for Y, a first run (no score of Y stored) and a second run (every
score stored), best of ``--runs``; (b) the floor: one ``GROUP BY official_id, kind`` over Y's approved records, fully
fetched, best of 3 (PostgreSQL's defaults: JIT on, parallel workers allowed), and the same query with JIT off in
one process; the ratios (a)/(b). Beside each wall time, the CPU seconds of this process and of the PostgreSQL backend
(from /proc): the machine is shared, and CPU seconds move less than wall seconds when others' work runs.

``--chain``: (0) one year's whole recompute of Y-5 (every score new), (i) one record of one official changed in Y-5,
then ``refresh_stale`` and ``rank_due_years`` as the worker runs them (that official's five years), (ii) one class
of every official's Y-5 made a day longer (a city-wide change behind the services' back, as an import might), then
``compute_chain(year=Y-5)`` and the ranking of every year it touched; undone and timed again.
``--profile``: cProfile of one more first run of ``compute_scores`` (this thread: the reading and writing threads
show as waits).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from datetime import date

from common import (
    Meter,
    count_closed_backends,
    database_url,
    ensure_baoji_years,
    ensure_city,
    ensure_database,
    load_average,
    setup_django,
    vacuum_analyze,
)

FLOOR_SQL = """
SELECT official_id, kind, sum(quantity), count(*)
FROM credits_activityrecord
WHERE status = 'approved' AND occurred_on >= %s AND occurred_on < %s
GROUP BY official_id, kind
"""
KUNSHAN, BAOJI = "kunshan-2020", "baoji-2009"
CHAIN_YEARS = 5


def floor_query(year: int, *settings: str) -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting}")
        cursor.execute(FLOOR_SQL, [date(year, 1, 1), date(year + 1, 1, 1)])
        return len(cursor.fetchall())


def measure(fn, *args, **kwargs) -> tuple[Meter, object]:
    with Meter() as meter:
        result = fn(*args, **kwargs)
    return meter, result


def fmt(meter: Meter) -> str:
    cpu = "" if meter.backend is None else f" ({meter.python:.1f} + {meter.backend:.1f} CPU)"
    return f"{meter.wall:6.2f}s{cpu}"


def set_year_policy(year: int, policy: str) -> None:
    from credits.models import YearPolicy
    from credits.rules import DEFAULT_POLICY

    if policy == DEFAULT_POLICY:
        YearPolicy.objects.filter(year=year).delete()
    else:
        YearPolicy.objects.update_or_create(year=year, defaults={"policy": policy})


def prepare(years: list[int]) -> None:
    """Score the years before the measured one, in order, where they have no scores under their policy yet."""
    from credits.models import AnnualScore
    from credits.policies import policy_code_of_year
    from credits.scoring import compute_scores, rank_year

    for year in years:
        stored = set(AnnualScore.objects.filter(year=year).values_list("policy", flat=True).distinct())
        if stored == {policy_code_of_year(year)}:
            continue
        meter, _ = measure(compute_scores, year=year)
        rank_year(year=year)
        print(f"  scored {year} ({policy_code_of_year(year)}) first: {fmt(meter)}", flush=True)


def whole_year(year: int, runs: int) -> list[list[tuple[Meter, Meter, int]]]:
    """Run 1 (no score of the year stored) and run 2 (every score stored), ``runs`` times: [[run1, run2], …]."""
    from django.db import connection

    from credits.models import AnnualScore
    from credits.scoring import compute_scores, rank_year

    samples = []
    for _ in range(runs):
        AnnualScore.objects.filter(year=year).delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE credits_annualscore")
        pair = []
        for _run in range(2):
            compute, computed = measure(compute_scores, year=year)
            rank, _ = measure(rank_year, year=year)
            pair.append((compute, rank, computed.assessed))
        samples.append(pair)
        print(f"  run 1 {fmt(pair[0][0])} + {fmt(pair[0][1])};  run 2 {fmt(pair[1][0])} + {fmt(pair[1][1])};  "
              f"load {load_average()}", flush=True)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE credits_annualscore")  # leave statistics that match the stored scores
    return samples


def best(meters: list[Meter]) -> Meter:
    return min(meters, key=lambda m: m.wall)


def chain(first: int, years: list[int]) -> None:
    """The chain figures (``--chain``); ``years``: the chain, ``first`` its first year."""
    from django.db import connection, transaction

    from credits import scoring
    from credits.models import ActivityRecord, AnnualScore, StaleScore
    from credits.scoring import compute_chain, mark_stale, rank_due_years, rank_year, refresh_stale

    print()
    print(f"chain {years[0]}-{years[-1]} (baoji-2009), {AnnualScore.objects.filter(year=first).count():,} officials")
    # (0) one year's whole recompute, every score new (what the chain's later years are compared with).
    AnnualScore.objects.filter(year=first).delete()
    one, _ = measure(scoring.compute_scores, year=first)
    one_rank, _ = measure(rank_year, year=first)
    print(f"(0) one year's recompute of {first}, every score new: {fmt(one)} + rank {fmt(one_rank)}")

    # (i) one record of one official, refreshed as the worker does after a service's change.
    record = (
        ActivityRecord.objects.filter(occurred_on__year=first, status="approved", kind="online_course")
        .order_by("id")
        .first()
    )
    StaleScore.objects.all().delete()
    for points in (record.points - 1 if record.points > 5 else record.points + 1, record.points):
        with transaction.atomic():
            ActivityRecord.objects.filter(pk=record.pk).update(points=points)
            marked = mark_stale([(record.official_id, first)])
        refresh, changed = measure(refresh_stale)
        ranking, ranked = measure(rank_due_years)
        print(f"(i) one record of one official in {first} ({marked} marks): refresh_stale {fmt(refresh)}, "
              f"years {sorted(changed)}; rank_due_years {fmt(ranking)} ({len(ranked)} years)")  # fmt: skip

    # (ii) every official's first year changes (one class a day longer), then compute_chain.
    per_year: list[tuple[int, Meter, int]] = []
    original = scoring.compute_scores

    def timed_compute(*, year, official_ids=None, progress=None):
        meter, result = measure(original, year=year, official_ids=official_ids, progress=progress)
        per_year.append((year, meter, result.assessed))
        return result

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ON (official_id) id FROM credits_activityrecord WHERE kind = 'class_day' "
            "AND status = 'approved' AND class_passed AND quantity >= 3 AND occurred_on >= %s AND occurred_on < %s "
            "ORDER BY official_id, id",
            [date(first, 1, 1), date(first + 1, 1, 1)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    scoring.compute_scores = timed_compute
    try:
        for step, delta in (("one class a day longer", 1), ("undone", -1)):
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE credits_activityrecord SET quantity = quantity + %s WHERE id = ANY(%s)", [delta, ids]
                )
            per_year.clear()
            whole, touched = measure(compute_chain, year=first)
            ranking = Meter()
            with ranking:
                for year in touched:
                    rank_year(year=year)
            later = [m for year, m, _n in per_year if first < year <= years[-1]]
            after = [m for year, m, _n in per_year if year > years[-1]]
            later_wall = sum(m.wall for m in later)
            first_wall = next(m.wall for year, m, _n in per_year if year == first)
            print(f"(ii) {len(ids):,} records {step} in {first}: compute_chain {fmt(whole)}, years {touched}; "
                  f"ranking them {fmt(ranking)}; load {load_average()}")  # fmt: skip
            for year, meter, assessed in per_year:
                print(f"       compute_scores({year}) {fmt(meter)}  {assessed:,} officials")
            print(f"       the chain's {len(later)} later years: {later_wall:.2f}s = {later_wall / first_wall:.2f}x "
                  f"the first year's recompute in the chain, {later_wall / one.wall:.2f}x (0)")  # fmt: skip
            if after:
                print(f"       the year after the chain (reads its last year): {sum(m.wall for m in after):.2f}s")
    finally:
        scoring.compute_scores = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=None, help="default: officials / 250, at least 40")
    parser.add_argument("--year", type=int, default=None, help="default: the current year")
    parser.add_argument("--records-per-official", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="generate the city again even if it matches")
    parser.add_argument("--policy", choices=(KUNSHAN, BAOJI), default=KUNSHAN, help="the measured year's policy")
    parser.add_argument("--runs", type=int, default=1, help="repeat the two runs; best of them is printed")
    parser.add_argument("--chain", action="store_true", help=f"also time the {CHAIN_YEARS}-year baoji-2009 chain")
    parser.add_argument("--profile", action="store_true", help="profile one more first run of compute_scores")
    args = parser.parse_args()

    url = database_url()
    ensure_database(url)
    setup_django(url)
    count_closed_backends()
    from django.db import connection
    from django.utils import timezone

    from credits.models import ActivityRecord
    from credits.policies import policy_code_of_year
    from credits.scoring import compute_scores

    year = args.year or timezone.localdate().year
    units = args.units or max(40, args.officials // 250)
    meta = ensure_city(
        officials=args.officials, units=units, year=year, records_per_official=args.records_per_official,
        seed=args.seed, regenerate=args.regenerate,
    )  # fmt: skip
    chain_years = list(range(year - CHAIN_YEARS, year))
    baoji = None
    if args.policy == BAOJI or args.chain:
        baoji = ensure_baoji_years(years=[*chain_years, year], seed=args.seed)
        for chain_year in chain_years:
            set_year_policy(chain_year, BAOJI)
    set_year_policy(year, args.policy)
    vacuum = vacuum_analyze()
    records_year = ActivityRecord.objects.filter(occurred_on__year=year).count()
    records_all = ActivityRecord.objects.count()
    approved = ActivityRecord.objects.filter(occurred_on__year=year, status="approved").count()

    # The years before feed the flags, the carry and the cycle: scored once, in order (not part of the figures).
    print("preparing the years before ...", flush=True)
    prepare(chain_years if baoji or policy_code_of_year(year - 1) == BAOJI else [year - 1])

    floors = [measure(floor_query, year)[0] for _ in range(3)]
    plain = [measure(floor_query, year, "jit = off", "max_parallel_workers_per_gather = 0")[0] for _ in range(3)]
    groups = floor_query(year)
    floor, floor_plain = best(floors), best(plain)

    print(f"measuring {year} under {policy_code_of_year(year)} ...", flush=True)
    samples = whole_year(year, max(1, args.runs))
    runs = []
    for run in (0, 1):
        compute = best([pair[run][0] for pair in samples])
        rank = best([pair[run][1] for pair in samples])
        together = min(pair[run][0].wall + pair[run][1].wall for pair in samples)
        cpu = [pair[run][0].cpu + pair[run][1].cpu for pair in samples if pair[run][0].cpu is not None]
        runs.append((compute, rank, together, min(cpu) if cpu else None, samples[0][run][2]))

    generation = "reused (generated earlier in {:.1f} s)" if meta["reused"] else "generated in {:.1f} s"
    print()
    print(f"database          {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version // 10000}); "
          f"load average now {load_average()}")  # fmt: skip
    print(f"city              {args.officials:,} officials, {units} units, seed {args.seed}; "
          + generation.format(meta["generated_seconds"]))  # fmt: skip
    if baoji:
        print(f"baoji-2009        {chain_years[0]}-{chain_years[-1]}; Baoji-kind records for {baoji['years'][0]}-"
              f"{baoji['years'][-1]}: {baoji['summary']['records']:,}")  # fmt: skip
    print(
        f"records           {records_year:,} in {year} ({approved:,} approved), {records_all:,} in all; "
        f"{records_year / args.officials:.1f} per official in {year}"
    )
    print(f"VACUUM ANALYZE    {vacuum:.1f} s;  {year} assessed under {policy_code_of_year(year)}")
    print()
    print(f"{'wall (this process + PostgreSQL backend CPU)':50}{'run 1':>26}{'run 2':>26}")
    print(f"{'(a) compute_scores(year=' + str(year) + ')':50}{fmt(runs[0][0]):>26}{fmt(runs[1][0]):>26}")
    print(f"{'    rank_year(year=' + str(year) + ')':50}{fmt(runs[0][1]):>26}{fmt(runs[1][1]):>26}")
    print(f"{'    together':50}{runs[0][2]:>25.2f}s{runs[1][2]:>25.2f}s")
    if runs[0][3] is not None:
        print(f"{'    together, CPU seconds':50}{runs[0][3]:>25.2f}s{runs[1][3]:>25.2f}s")
    print(f"{'    officials (assessed, or found unchanged)':50}{runs[0][4]:>26,}{runs[1][4]:>26,}")
    print(f"{'(b) floor: GROUP BY official_id, kind':50}{fmt(floor):>26}  best of 3 "
          f"({', '.join(f'{m.wall:.2f}' for m in floors)}); {groups:,} groups")  # fmt: skip
    print(f"{'    the same, JIT off, one process':50}{fmt(floor_plain):>26}  best of 3 "
          f"({', '.join(f'{m.wall:.2f}' for m in plain)})")  # fmt: skip
    print(f"{'ratio (a)/(b), wall':50}{runs[0][2] / floor.wall:>25.1f}x{runs[1][2] / floor.wall:>25.1f}x")
    print(f"{'ratio (a)/(b), wall, floor without JIT':50}{runs[0][2] / floor_plain.wall:>25.1f}x"
          f"{runs[1][2] / floor_plain.wall:>25.1f}x")  # fmt: skip
    if runs[0][3] is not None and floor_plain.cpu:
        print(f"{'ratio (a)/(b), CPU (floor in one process)':50}{runs[0][3] / floor_plain.cpu:>25.1f}x"
              f"{runs[1][3] / floor_plain.cpu:>25.1f}x")  # fmt: skip
    print("run 1: no score of the year stored (inserts); run 2: every score stored (nothing changes).")

    if args.chain:
        chain(chain_years[0], chain_years)

    if args.profile:
        from credits.models import AnnualScore

        print()
        print(f"profile of a first run of compute_scores(year={year}) (this thread only: not the reading and writing")
        print("threads, whose work shows as waits in _chunks_in_thread and _Writer.finish)")
        AnnualScore.objects.filter(year=year).delete()
        profiler = cProfile.Profile()
        profiler.enable()
        compute_scores(year=year)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\n(bench/recompute.py took {time.perf_counter() - started:.0f} s)")
