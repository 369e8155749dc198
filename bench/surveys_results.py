"""Page speed of a survey's results with 50,000 answers (issue 14: results pages p95 ≤ 200 ms).

    .venv/bin/python bench/surveys_results.py                          # 50,000 answers, 300 requests a page
    .venv/bin/python bench/surveys_results.py --answers 100000 --clients 1

Uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/kt_surv_c; created and migrated when missing)
and, as ``bench/load.py`` does, production settings (``DEBUG=false``, whitenoise, Redis cache at ``--redis``)
under gunicorn on 127.0.0.1 (``-w 2 --threads 2``), signed in through the real sign-in form. Then:

1. makes — idempotently — 12 units (districts, towns, city departments), one official per response, the org-dept
   staff account ``bench_surveys_staff`` (password ``bench-password``) and the survey ``bench-needs`` of the
   ready-made needs questionnaire (10 questions: single and multiple choice, 1–5 scales, free text), answered in
   this half year and the previous one until it holds ``--answers`` answer rows (SurveyAnswer: one row per chosen
   option, scale value or text; ~12 a response, so 50,000 answers are ~4,300 responses), written in bulk as
   ``courses.demo_surveys`` writes the demo's (the rows ``answer_survey`` writes), then ``VACUUM ANALYZE``;
2. for each page: ``--requests`` GETs by ``--clients`` threads, each with its own session, no think time, after a
   warm-up of 10; prints requests, errors, p50/p95/max in ms against the target of 200 ms at p95.

The pages: the printable half-year summary (every question against the previous half year, charts, the free
texts), the results page of the survey (courses.views.surveys, when that page exists in the tree) whole and by
rank, and the API's results by rank. Figures also go to ``bench/out/surveys_results/summary.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import time

import load
from common import ROOT, database_url, ensure_database, load_average, setup_django, vacuum_analyze
from courses_pages import measure

OUT = ROOT / "bench" / "out" / "surveys_results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kt_surv_c"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
STAFF = {"username": "bench_surveys_staff", "password": load.PASSWORD}
SURVEY = "bench-needs"
TARGET_P95_MS = 200
KINDS = ("district", "town", "department")
RANKS = ("division", "section_chief", "deputy_section", "other")


def ensure_data(*, answers: int) -> dict:
    """The units, the staff account, the survey and its answers; made once (kept between runs)."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from courses.demo_surveys import _fill, _Writer
    from courses.models import Questionnaire, Survey, SurveyAnswer, SurveyResponse
    from courses.questionnaire_data import NEEDS, ensure_questionnaires
    from courses.selectors.surveys import question_specs
    from kunshan_training.half_years import HalfYear
    from organisation.models import Official, Unit
    from organisation.roles import ORG_STAFF_GROUP, ensure_role_groups

    ensure_role_groups()
    ensure_questionnaires()
    staff, _created = User.objects.get_or_create(username=STAFF["username"], defaults={"is_staff": True})
    staff.set_password(STAFF["password"])
    staff.save()
    staff.groups.add(Group.objects.get(name=ORG_STAFF_GROUP))
    today = timezone.localdate()
    now = HalfYear.of(today)
    survey, _created = Survey.objects.get_or_create(
        code=SURVEY,
        defaults={"title": "压测需求调查（5万条作答）", "questionnaire": Questionnaire.objects.get(code=NEEDS),
                  "opens_on": now.previous().first_day, "closes_on": now.last_day},
    )  # fmt: skip
    have = SurveyAnswer.objects.filter(survey=survey).count()
    if have < answers:
        units = list(Unit.objects.filter(code__startswith="BSU").order_by("code"))
        if not units:
            Unit.objects.bulk_create(
                Unit(code=f"BSU{i:02d}", name=f"压测调查单位{i:02d}", kind=KINDS[i % 3]) for i in range(12)
            )
            units = list(Unit.objects.filter(code__startswith="BSU").order_by("code"))
        rng = random.Random(have)
        specs = question_specs(survey=survey)
        writer = _Writer(rng)
        start = Official.objects.filter(staff_no__startswith="BSO").count()
        n = start
        while have + len(writer.answers) < answers:
            official = Official(staff_no=f"BSO{n:06d}", name=f"答卷人{n:06d}", unit=units[n % len(units)],
                                rank=RANKS[n % len(RANKS)])  # fmt: skip
            official.save()
            period = now if n % 2 else now.previous()
            writer.add(survey, official, official.unit.kind, period, _fill(specs, rng=rng, taste=period.half))
            n += 1
        writer.save()
        vacuum_analyze()
    return {
        "responses": SurveyResponse.objects.filter(survey=survey).count(),
        "answers": SurveyAnswer.objects.filter(survey=survey).count(),
        "period": str(now),
    }


def pages(period: str) -> dict[str, str]:
    from django.urls import NoReverseMatch, reverse

    paths = {
        "half-year summary (print page)": reverse("courses:survey-summary", args=[SURVEY, period]),
        "API results by rank": f"/api/v1/surveys/{SURVEY}/results/?by=rank",
    }
    try:  # the results page (helper B's courses.views.surveys), when the tree has it
        results = reverse("courses:survey-results", args=[SURVEY])
        paths["results page"] = results
        paths["results page by rank"] = f"{results}?by=rank"
    except NoReverseMatch:
        pass
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    url = database_url() if database_url() != "postgres://postgres@127.0.0.1:5432/kunshan_bench" else DEFAULT_URL
    ensure_database(url)
    setup_django(url)
    started = time.perf_counter()
    data = ensure_data(answers=args.answers)
    print(f"survey {SURVEY}: {data['responses']} responses, {data['answers']} answers "
          f"({time.perf_counter() - started:.1f} s to make or check)")  # fmt: skip

    OUT.mkdir(parents=True, exist_ok=True)
    load.OUT = OUT  # the server's settings, static files and log go here
    env = load.server_env(url, args.redis, args.port)
    load.collectstatic(env)
    server = load.start_gunicorn(env, port=args.port, workers=args.workers, threads=args.threads)
    base = f"http://127.0.0.1:{args.port}"
    try:
        sessions = [load.sign_in(base, STAFF)[0] for _ in range(args.clients)]
        results = [
            {"page": name, **measure(base, path, sessions, requests=args.requests)}
            for name, path in pages(data["period"]).items()
        ]
    finally:
        load.stop_gunicorn(server)
    print(f"{'page':32} {'req':>5} {'err':>4} {'rps':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95")
    for r in results:
        verdict = "ok" if r["p95_ms"] is not None and r["p95_ms"] <= TARGET_P95_MS else "MISSED"
        print(f"{r['page']:32} {r['requests']:>5} {r['errors']:>4} {r['rps']:>6} {r['p50_ms']!s:>8} "
              f"{r['p95_ms']!s:>8} {r['max_ms']!s:>8}  ≤ {TARGET_P95_MS} {verdict}")  # fmt: skip
    summary = {"args": vars(args), "data": data, "load": load_average(), "results": results}
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
