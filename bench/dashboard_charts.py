"""The dashboard's charts on a city of 400 units: what each chart's one query and its drawing cost, and the page.

```sh
DATABASE_URL=postgres://postgres@127.0.0.1:5432/kunshan_bench .venv/bin/python bench/dashboard_charts.py
.venv/bin/python bench/dashboard_charts.py --units 400 --officials 100000 --years 3 --regenerate
```

Writes (once, kept between runs; ``--regenerate`` writes again) units, officials and stored scores only — grades
drawn at random per unit, some exempt — since the charts read nothing else. Then prints, best and median of
``--runs``: ``unit_grade_distribution`` and ``year_trend`` (the selectors, one query each), ``unit_charts`` and
``trend_of`` (query + pygal drawing), and the whole ``/staff/dashboard/`` page with its query count.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_url, ensure_database, setup_django  # noqa: E402

GRADES = ("excellent", "good", "pass", "fail")


def build(*, units: int, officials: int, years: int, year: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from credits.models import AnnualScore
    from organisation.models import Official, Unit

    rng = random.Random(2026)
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE credits_annualscore, organisation_official, organisation_unit CASCADE")
        made = Unit.objects.bulk_create(
            Unit(code=f"C{n:04}", name=f"测试单位{n:04}", kind="department") for n in range(units)
        )
        people = Official.objects.bulk_create(
            (Official(staff_no=f"Q{n:07}", name=f"干部{n}", unit=made[n % units]) for n in range(officials)),
            batch_size=5000,
        )
        fail_share = {unit.pk: rng.uniform(0.0, 0.4) for unit in made}
        rows = []
        for y in range(year - years + 1, year + 1):
            for person in people:
                exempt = rng.random() < 0.03
                failed = rng.random() < fail_share[person.unit_id]
                grade = "" if exempt else ("fail" if failed else rng.choice(GRADES[:3]))
                rows.append(
                    AnnualScore(official=person, year=y, unit_id=person.unit_id, policy="kunshan-2020",
                                exempt=exempt, grade=grade, total=rng.randint(40, 98), computed_at=now)
                )  # fmt: skip
            AnnualScore.objects.bulk_create(rows, batch_size=5000)
            rows = []
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE credits_annualscore")


def timed(function, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=400)
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()

    url = database_url()
    ensure_database(url)
    setup_django(url, ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="false")
    from django.conf import settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # no collectstatic manifest needed
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.common import read_meta, write_meta
    from credits.selectors.city import city_dashboard, unit_grade_distribution, year_trend
    from organisation.roles import ORG_STAFF_GROUP, ensure_role_groups
    from portal.charts import trend_of, unit_charts

    wanted = {"chart_city": [args.units, args.officials, args.years, args.year]}
    meta = read_meta() or {}
    if args.regenerate or meta.get("chart_city") != wanted["chart_city"]:
        started = time.monotonic()
        build(units=args.units, officials=args.officials, years=args.years, year=args.year)
        write_meta(wanted)  # the city of the other benchmarks is gone: TRUNCATE … CASCADE
        print(f"wrote {args.units} units, {args.officials:,} officials, {args.years} years of scores "
              f"in {time.monotonic() - started:.0f} s")  # fmt: skip

    ensure_role_groups()
    staff, _ = User.objects.get_or_create(username="bench_chart_staff")
    staff.groups.add(Group.objects.get(name=ORG_STAFF_GROUP))
    client = Client()
    client.force_login(staff)
    unit_code = "C0007"
    print(f"city: {args.units} units, {args.officials:,} officials, {args.years} years; best / median of {args.runs}")
    for label, function in (
        ("city_dashboard (the figures before the charts)", lambda: city_dashboard(year=args.year)),
        ("unit_grade_distribution (1 query)", lambda: unit_grade_distribution(year=args.year)),
        ("year_trend, city (1 query)", lambda: year_trend()),
        ("year_trend, one unit (1 query)", lambda: year_trend(unit_code=unit_code)),
        ("unit_charts: query + 2 SVG of 10 units", lambda: unit_charts(year=args.year)),
        ("trend_of: query + 1 SVG", lambda: trend_of()),
        ("GET /staff/dashboard/", lambda: client.get("/staff/dashboard/", {"year": args.year})),
        (
            "GET /staff/dashboard/?unit=C0007",
            lambda: client.get("/staff/dashboard/", {"year": args.year, "unit": unit_code}),
        ),
    ):
        best, median = timed(function, args.runs)
        print(f"  {label:<48} {best:8.1f} ms {median:8.1f} ms")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/dashboard/", {"year": args.year})
    assert response.status_code == 200, response.status_code
    print(f"  dashboard: {len(queries)} queries, {len(response.content) / 1024:.0f} KB of HTML")
    print(json.dumps({"svg_count": response.content.decode().count("<svg")}))


if __name__ == "__main__":
    main()
