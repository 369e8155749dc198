"""Page speed of 单位考评: the training section's board for 400 units × 3 templates (issue 12: p95 ≤ 200 ms).

    .venv/bin/python bench/scorecards_board.py                     # 400 units, 300 requests
    .venv/bin/python bench/scorecards_board.py --requests 600 --clients 4

Uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/kt_apages; created and migrated when missing)
and, as ``bench/load.py`` does, production settings (``DEBUG=false``, whitenoise, Redis cache at ``--redis``)
under gunicorn on 127.0.0.1 (``-w 2 --threads 2``), signed in through the real sign-in form. Then:

1. makes — idempotently — ``--units`` units, one org-dept staff account ``bench_assess_staff`` (password
   ``bench-password``) and the year's cards of the three templates for every unit (``create_year_cards``), a
   third of them with final values (so totals and tiers vary) and some finalised;
2. ``--requests`` GETs of the board by ``--clients`` threads, each with its own session, no think time, after a
   warm-up; prints requests, errors, p50/p95/max in ms against the target of 200 ms at p95.

Figures also go to ``bench/out/scorecards_board/summary.json``; gunicorn's log beside it.
"""

from __future__ import annotations

import argparse
import json

import load
from common import ROOT, database_url, ensure_database, load_average, setup_django
from courses_pages import measure

OUT = ROOT / "bench" / "out" / "scorecards_board"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kt_apages"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
STAFF = {"username": "bench_assess_staff", "password": load.PASSWORD}
TARGET_P95_MS = 200


def ensure_data(*, units: int, year: int) -> None:
    """The units, the staff account and every unit's three cards of ``year``; made once (kept between runs)."""
    from django.contrib.auth.models import Group, User

    from assessments.models import CardStatus, Scorecard, ScorecardTemplate
    from assessments.services.cards import create_year_cards, finalise_card, set_final_value
    from organisation.models import Unit
    from organisation.roles import ORG_STAFF_GROUP, ensure_role_groups

    ensure_role_groups()
    staff, _created = User.objects.get_or_create(username=STAFF["username"], defaults={"is_staff": True})
    staff.set_password(STAFF["password"])
    staff.save()
    staff.groups.add(Group.objects.get(name=ORG_STAFF_GROUP))
    have = Unit.objects.filter(code__startswith="BAU").count()
    Unit.objects.bulk_create(
        Unit(code=f"BAU{i:03d}", name=f"考评压测单位{i:03d}", kind="department") for i in range(have, units)
    )
    for template in ScorecardTemplate.objects.filter(active=True):
        create_year_cards(by=staff, template=template, year=year)
    benxi = Scorecard.objects.filter(template__code="benxi-2010", year=year, unit__code__startswith="BAU")
    if not benxi.exclude(total=0).exists():  # a third scored, a ninth finalised: totals and tiers vary
        for n, card in enumerate(benxi.order_by("unit__code")[: units // 3]):
            for code in ("A1", "A2", "A3", "B1", "B3", "B4", "B5", "C1", "C3", "C4", "D2", "D3", "D4"):
                set_final_value(by=staff, card=card, code=code, value={"points": 5 - (n % 4)})
            set_final_value(by=staff, card=card, code="B6", value={"points": 15 - n % 10})
            if n % 3 == 0:
                finalise_card(by=staff, card=card)
    assert Scorecard.objects.filter(year=year, status=CardStatus.FINAL).exists()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=400)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    url = database_url() if database_url() != "postgres://postgres@127.0.0.1:5432/kunshan_bench" else DEFAULT_URL
    ensure_database(url)
    setup_django(url)
    ensure_data(units=args.units, year=args.year)
    from organisation.models import Unit

    OUT.mkdir(parents=True, exist_ok=True)
    load.OUT = OUT  # the server's settings, static files and log go here
    env = load.server_env(url, args.redis, args.port)
    load.collectstatic(env)
    server = load.start_gunicorn(env, port=args.port, workers=args.workers, threads=args.threads)
    base = f"http://127.0.0.1:{args.port}"
    path = f"/assessments/?year={args.year}"
    try:
        sessions = [load.sign_in(base, STAFF)[0] for _ in range(args.clients)]
        result = {"page": f"board, {Unit.objects.count()} units x 3 templates", **measure(
            base, path, sessions, requests=args.requests)}  # fmt: skip
    finally:
        load.stop_gunicorn(server)
    verdict = "ok" if result["p95_ms"] is not None and result["p95_ms"] <= TARGET_P95_MS else "MISSED"
    print(f"{'page':36} {'req':>5} {'err':>4} {'rps':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95")
    r = result
    print(f"{r['page']:36} {r['requests']:>5} {r['errors']:>4} {r['rps']:>6} {r['p50_ms']:>8} {r['p95_ms']:>8} "
          f"{r['max_ms']:>8}  ≤ {TARGET_P95_MS} {verdict}")  # fmt: skip
    summary = {"args": vars(args), "load": load_average(), "result": result}
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
