"""The year's city report (.xlsx) for every official of the bench city, built as the export job builds it (on
PostgreSQL): time, progress updates and peak memory.

    .venv/bin/python bench/export_bench.py [--year 2026] [--rankings] [--keep out.xlsx]

Uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/kunshan_bench), the city that
``bench/recompute.py`` generated and scored (run that first). Prints: the rows read alone (the database's share),
the whole report built by an export job (``exports.services.run_export_job``, what the Celery worker or the
embedded thread runs: rows streamed from one server-side cursor into openpyxl's write-only workbook in a temporary
file, progress and heartbeat written after every batch of 5,000 rows, then the file saved under
``bench/out/export/media``), its queries, progress updates and size, and the process's peak resident memory
(``ru_maxrss``) before and after. Targets (issue 8): the build never in a request, at most 200 MB; 30 s (issue 4).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import time
from pathlib import Path

from common import database_url, setup_django

TARGET_SECONDS = 30
TARGET_MB = 200


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=None, help="default: the latest year with scores")
    parser.add_argument("--rankings", action="store_true", help="also time the city rankings workbook")
    parser.add_argument("--keep", metavar="PATH", help="copy the city report there to open it")
    args = parser.parse_args()

    media = Path(__file__).parent / "out" / "export" / "media"
    media.mkdir(parents=True, exist_ok=True)
    setup_django(database_url(), MEDIA_ROOT=str(media))
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from credits.models import AnnualScore
    from credits.selectors.reports import official_rows
    from exports.models import ExportJob
    from exports.services import run_export_job

    translation.activate("zh-hans")
    year = args.year or AnnualScore.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        raise SystemExit("No scores in this database: run bench/recompute.py first.")
    scored = AnnualScore.objects.filter(year=year).count()
    staff, _ = User.objects.get_or_create(username="bench_export", defaults={"is_superuser": True})
    if not staff.is_superuser:
        raise SystemExit("bench_export exists and is not a superuser")

    def build(kind: str):
        """One export job built in this process, as the worker builds it: (seconds, CPU seconds, job, queries)."""
        job = ExportJob.objects.create(kind=kind, year=year, language="zh-hans", requested_by=staff)
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            run_export_job(job_id=job.pk)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        job.refresh_from_db()
        if job.status != "done":
            raise SystemExit(f"the job failed: {job.error}")
        progress = sum(1 for q in captured.captured_queries if 'UPDATE "exports_exportjob"' in q["sql"])
        return seconds, cpu_seconds, job, len(captured.captured_queries), progress

    baseline, load = peak_mb(), os.getloadavg()[0]  # other work on the machine slows the wall-clock figures

    started, cpu = time.perf_counter(), time.process_time()
    read = sum(1 for _row in official_rows(staff, year=year))
    read_seconds, read_cpu = time.perf_counter() - started, time.process_time() - cpu
    after_read = peak_mb()

    report_seconds, report_cpu, job, queries, updates = build("report")
    size = job.file.size
    if args.keep:
        with job.file.open("rb") as source, open(args.keep, "wb") as out:
            shutil.copyfileobj(source, out)
    after_report = peak_mb()

    rankings = None
    if args.rankings:
        seconds, _cpu, ranking_job, _queries, _updates = build("rankings")
        rankings = (seconds, ranking_job.file.size)
        ranking_job.file.delete(save=False)
        ranking_job.delete()
    job.file.delete(save=False)
    job.delete()

    ok_time, ok_memory = report_seconds <= TARGET_SECONDS, after_report <= TARGET_MB
    print()
    print(f"database            {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version // 10000})")
    print(f"year                {year}: {scored:,} scored officials; load average {load:.1f} at the start")
    print(f"rows read alone     {read:,} in {read_seconds:.2f} s ({read_cpu:.2f} s CPU here; one streamed query)")
    print(
        f"city report (job)   {report_seconds:.2f} s ({report_cpu:.2f} s CPU here), {size / 1e6:.1f} MB .xlsx, "
        f"{job.rows:,} rows, {queries} queries of which {updates} progress updates  "
        f"[target <= {TARGET_SECONDS} s: {'met' if ok_time else 'MISSED'}]"
    )
    if rankings:
        print(f"city rankings (job) {rankings[0]:.2f} s, {rankings[1] / 1e6:.1f} MB .xlsx")
    print(
        f"peak memory (RSS)   {baseline:.0f} MB after start-up, {after_read:.0f} MB after reading, "
        f"{after_report:.0f} MB after the report  [target <= {TARGET_MB} MB: {'met' if ok_memory else 'MISSED'}]"
    )


if __name__ == "__main__":
    main()
