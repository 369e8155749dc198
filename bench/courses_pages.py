"""Page speed of the training organisation: the class list and a class page with 500 trainees (issue 11).

    .venv/bin/python bench/courses_pages.py                       # 500 trainees, 300 classes, 300 requests a page
    .venv/bin/python bench/courses_pages.py --requests 1000 --clients 4

Uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/kt_pages; created and migrated when missing)
and, as ``bench/load.py`` does, production settings (``DEBUG=false``, whitenoise, Redis cache at ``--redis``)
under gunicorn on 127.0.0.1 (``-w 2 --threads 2``), signed in through the real sign-in form. Then:

1. makes — idempotently — 20 units, ``--trainees`` officials, one org-dept staff account ``bench_courses_staff``
   (password ``bench-password``), ``--classes`` classes spread over this year (the list and the calendar) and one
   approved by-name class ``bench-500`` with ``--trainees`` trainees, each with a result, and a few sessions;
2. for each page: ``--requests`` GETs by ``--clients`` threads, each with its own session, no think time, after a
   warm-up of 10; prints requests, errors, p50/p95/max in ms against the target of 150 ms at p95.

Figures also go to ``bench/out/courses_pages/summary.json``; gunicorn's log beside it.
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import load
from common import ROOT, database_url, ensure_database, load_average, setup_django

OUT = ROOT / "bench" / "out" / "courses_pages"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kt_pages"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
STAFF = {"username": "bench_courses_staff", "password": load.PASSWORD}
BIG_CLASS = "bench-500"
TARGET_P95_MS = 150
PAGES = {
    "class list (calendar + list)": "/training/classes/",
    "class page, {trainees} trainees": f"/training/classes/{BIG_CLASS}/",
}


def ensure_data(*, trainees: int, classes: int) -> None:
    """The units, officials, classes and the big class; made once (kept between runs)."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from courses.models import ClassSession, ClassStatus, Enrolment, TrainingClass
    from organisation.models import Official, Unit
    from organisation.roles import ORG_STAFF_GROUP, ensure_role_groups

    ensure_role_groups()
    staff, _created = User.objects.get_or_create(username=STAFF["username"], defaults={"is_staff": True})
    staff.set_password(STAFF["password"])
    staff.save()
    staff.groups.add(Group.objects.get(name=ORG_STAFF_GROUP))

    units = list(Unit.objects.filter(code__startswith="BCU").order_by("code"))
    if not units:
        Unit.objects.bulk_create(
            Unit(code=f"BCU{i:02d}", name=f"压测单位{i:02d}", kind="department") for i in range(20)
        )
        units = list(Unit.objects.filter(code__startswith="BCU").order_by("code"))
    have = Official.objects.filter(staff_no__startswith="BCO").count()
    Official.objects.bulk_create(
        Official(staff_no=f"BCO{i:06d}", name=f"学员{i:06d}", unit=units[i % len(units)], rank="section_chief")
        for i in range(have, trainees)
    )
    today = timezone.localdate()
    first = today.replace(month=1, day=1)
    have = TrainingClass.objects.filter(code__startswith="bench-c-").count()
    TrainingClass.objects.bulk_create(
        TrainingClass(
            code=f"bench-c-{i:04d}",
            title=f"压测培训班{i:04d}",
            organiser=units[i % len(units)],
            class_type="thematic",
            starts_on=first + timedelta(days=i % 360),
            ends_on=first + timedelta(days=i % 360 + 2),
            days=Decimal(3),
            capacity=20 + i % 40,
            dispatch="quota" if i % 2 else "by_name",
            status=[s for s, _ in ClassStatus.choices][i % 4],
        )  # fmt: skip
        for i in range(have, classes)
    )
    big, created = TrainingClass.objects.get_or_create(
        code=BIG_CLASS,
        defaults={
            "title": "压测大班（500 人）",
            "organiser": units[0],
            "class_type": "appointment",
            "starts_on": today - timedelta(days=6),
            "ends_on": today - timedelta(days=2),
            "days": Decimal(5),
            "capacity": trainees + 100,
            "dispatch": "by_name",
            "status": ClassStatus.APPROVED,
            "recorded_after": True,
        },  # fmt: skip
    )
    if created:
        ClassSession.objects.bulk_create(
            ClassSession(training_class=big, held_on=big.starts_on + timedelta(days=d), topic=f"专题 {d + 1}")
            for d in range(5)
        )
    enrolled = set(Enrolment.objects.filter(training_class=big).values_list("official_id", flat=True))
    Enrolment.objects.bulk_create(
        Enrolment(
            training_class=big, official=o, unit_id=o.unit_id, days_attended=Decimal(5), passed=True, reflections=1
        )  # fmt: skip
        for o in Official.objects.filter(staff_no__startswith="BCO").order_by("staff_no")[:trainees]
        if o.pk not in enrolled
    )


def measure(base: str, path: str, sessions: list[str], *, requests: int) -> dict:
    for session in sessions:  # warm every worker and connection up
        for _ in range(10 // len(sessions) + 1):
            load.fetch(base, path, session)
    started = time.perf_counter()
    with ThreadPoolExecutor(len(sessions)) as pool:
        answers = list(pool.map(lambda i: load.fetch(base, path, sessions[i % len(sessions)]), range(requests)))
    wall = time.perf_counter() - started
    times = [seconds * 1000 for status, _size, seconds in answers if status == 200]
    return {
        "path": path,
        "requests": requests,
        "errors": sum(1 for status, _size, _s in answers if status != 200),
        "bytes": answers[-1][1],
        "rps": round(requests / wall, 1),
        "p50_ms": round(load.percentile(times, 50), 1) if times else None,
        "p95_ms": round(load.percentile(times, 95), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--classes", type=int, default=300)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    url = database_url() if database_url() != "postgres://postgres@127.0.0.1:5432/kunshan_bench" else DEFAULT_URL
    ensure_database(url)
    setup_django(url)
    ensure_data(trainees=args.trainees, classes=args.classes)

    OUT.mkdir(parents=True, exist_ok=True)
    load.OUT = OUT  # the server's settings, static files and log go here
    env = load.server_env(url, args.redis, args.port)
    load.collectstatic(env)
    server = load.start_gunicorn(env, port=args.port, workers=args.workers, threads=args.threads)
    base = f"http://127.0.0.1:{args.port}"
    try:
        sessions = [load.sign_in(base, STAFF)[0] for _ in range(args.clients)]
        results = [
            {"page": name.format(trainees=args.trainees), **measure(base, path, sessions, requests=args.requests)}
            for name, path in PAGES.items()
        ]
    finally:
        load.stop_gunicorn(server)
    print(f"{'page':36} {'req':>5} {'err':>4} {'rps':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95")
    for r in results:
        verdict = "ok" if r["p95_ms"] is not None and r["p95_ms"] <= TARGET_P95_MS else "MISSED"
        print(f"{r['page']:36} {r['requests']:>5} {r['errors']:>4} {r['rps']:>6} {r['p50_ms']:>8} {r['p95_ms']:>8} "
              f"{r['max_ms']:>8}  ≤ {TARGET_P95_MS} {verdict}")  # fmt: skip
    summary = {"args": vars(args), "load": load_average(), "results": results}
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
