"""The year's city report (.xlsx) for every official of the bench city, on PostgreSQL: time and peak memory.

    .venv/bin/python bench/export_bench.py [--year 2026] [--rankings] [--keep out.xlsx]

Uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/kunshan_bench), the city that
``bench/recompute.py`` generated and scored (run that first). Prints: the rows read alone (the database's share),
the whole report written (``credits.reports.write_year_report``: rows streamed from one server-side cursor into
openpyxl's write-only workbook in a temporary file), its queries and size, and the process's peak resident memory
(``ru_maxrss``) before and after. Targets (issue 4): at most 30 s and 300 MB for 100,000 officials.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import time

from common import database_url, setup_django

TARGET_SECONDS = 30
TARGET_MB = 300


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=None, help="default: the latest year with scores")
    parser.add_argument("--rankings", action="store_true", help="also time the city rankings workbook")
    parser.add_argument("--keep", metavar="PATH", help="copy the city report there to open it")
    args = parser.parse_args()

    setup_django(database_url())
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from credits.models import AnnualScore
    from credits.reports import write_rankings, write_year_report
    from credits.selectors.reports import official_rows

    translation.activate("zh-hans")
    year = args.year or AnnualScore.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        raise SystemExit("No scores in this database: run bench/recompute.py first.")
    scored = AnnualScore.objects.filter(year=year).count()
    staff = User(username="bench", is_superuser=True, is_active=True)  # in memory: the training section's scope
    baseline, load = peak_mb(), os.getloadavg()[0]  # other work on the machine slows the wall-clock figures

    started, cpu = time.perf_counter(), time.process_time()
    read = sum(1 for _row in official_rows(staff, year=year))
    read_seconds, read_cpu = time.perf_counter() - started, time.process_time() - cpu
    after_read = peak_mb()

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        report = write_year_report(staff, year=year)
        report_seconds, report_cpu = time.perf_counter() - started, time.process_time() - cpu
    size = report.seek(0, 2)
    if args.keep:
        report.seek(0)
        with open(args.keep, "wb") as out:
            shutil.copyfileobj(report, out)
    report.close()
    after_report = peak_mb()

    rankings = None
    if args.rankings:
        started = time.perf_counter()
        file = write_rankings(staff, year=year)
        rankings = (time.perf_counter() - started, file.seek(0, 2))
        file.close()

    ok_time, ok_memory = report_seconds <= TARGET_SECONDS, after_report <= TARGET_MB
    print()
    print(f"database            {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version // 10000})")
    print(f"year                {year}: {scored:,} scored officials; load average {load:.1f} at the start")
    print(f"rows read alone     {read:,} in {read_seconds:.2f} s ({read_cpu:.2f} s CPU here; one streamed query)")
    print(
        f"city report         {report_seconds:.2f} s ({report_cpu:.2f} s CPU here), {size / 1e6:.1f} MB .xlsx, "
        f"{len(queries)} queries  [target <= {TARGET_SECONDS} s: {'met' if ok_time else 'MISSED'}]"
    )
    if rankings:
        print(f"city rankings       {rankings[0]:.2f} s, {rankings[1] / 1e6:.1f} MB .xlsx")
    print(
        f"peak memory (RSS)   {baseline:.0f} MB after start-up, {after_read:.0f} MB after reading, "
        f"{after_report:.0f} MB after the report  [target <= {TARGET_MB} MB: {'met' if ok_memory else 'MISSED'}]"
    )


if __name__ == "__main__":
    main()
