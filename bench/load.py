"""Load benchmark: 50 signed-in officials on 我的学分 (/me/), then 50 on the approval queue (/staff/) as staff.

    .venv/bin/pip install -r bench/requirements.txt        # locust, psutil (bench only)
    .venv/bin/python bench/load.py                          # 100,000 officials, 50 users, 60 s a page

Uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/kunshan_bench) and the city of
``bench/recompute.py`` (generated here when missing, same arguments, kept for the next run), then:

1. makes sure the scores of the year (and the year before) are computed, and creates — idempotently — 50 accounts
   ``bench_official_01``… linked to 50 officials spread over the city and one org-dept staff account
   ``bench_orgstaff`` (password ``bench-password``);
2. collects the static files into ``bench/out/load/static`` and starts gunicorn on 127.0.0.1 (``-w 4 --threads 2``)
   with production settings (``DEBUG=false``, whitenoise, Redis cache) except plain HTTP;
3. signs every account in through ``/accounts/login/`` (form post with its CSRF token), warms every worker up;
4. for each page: ``locust --headless --users 50 --spawn-rate 50 --run-time 60s`` (``bench/locustfile.py``), each
   user with its own session, 1–3 s between two page views (``--think``); prints requests, RPS, p50/p95/p99/max,
   errors, and the CPU used by gunicorn, PostgreSQL and locust (the client shares the 2 cores with the server);
5. with ``--saturation`` also a closed loop (no think time): the most pages per second the server gives;
6. stops gunicorn. Figures also go to ``bench/out/load/summary.json``, locust's CSVs beside it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

from common import ROOT, database_url, ensure_city, ensure_database, setup_django

OUT = ROOT / "bench" / "out" / "load"
PASSWORD = "bench-password"
OFFICIAL_USER = "bench_official_{:02d}"
STAFF_USER = "bench_orgstaff"
TARGETS_MS = {"official": 100, "staff": 300}  # issue 3: p95 of /me/ and of /staff/
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"  # a database of its own: no other worker takes what the bench queues


# --- the database: city, scores, accounts ------------------------------------------------------------------


def ensure_scores(year: int) -> None:
    """Scores of the year before and of the year, computed once (the pages read stored scores)."""
    from django.db import connection

    from credits.models import AnnualScore
    from credits.scoring import compute_scores, rank_year

    missing = [y for y in (year - 1, year) if not AnnualScore.objects.filter(year=y).exists()]
    for y in missing:  # the year before first: it feeds the two-year flag
        print(f"computing the scores of {y} ...", flush=True)
        compute_scores(year=y)
        rank_year(year=y)
    with connection.cursor() as cursor:
        # Statistics that match the stored scores (see bench/README.md, latency.py).
        cursor.execute("VACUUM ANALYZE credits_annualscore")


def ensure_accounts(*, year: int, users: int) -> dict:
    """``users`` official accounts on officials spread evenly over the city, and one staff account; idempotent."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from credits.scoring import officials_assessed_in
    from organisation.models import Official
    from organisation.roles import OFFICIAL_GROUP, ORG_STAFF_GROUP, ensure_role_groups

    User = get_user_model()
    ensure_role_groups()
    groups = {g.name: g for g in Group.objects.filter(name__in=[OFFICIAL_GROUP, ORG_STAFF_GROUP])}

    def account(username: str, group: str, **extra):
        user, created = User.objects.get_or_create(username=username, defaults=extra)
        if created or not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save()
        user.groups.add(groups[group])
        return user

    staff = account(STAFF_USER, ORG_STAFF_GROUP, is_staff=True, first_name="培训科（压测）")
    linked = dict(Official.objects.filter(user__username__startswith="bench_official_")
                  .values_list("user__username", "staff_no"))  # fmt: skip
    free = list(
        officials_assessed_in(year).filter(user__isnull=True).order_by("staff_no").values_list("pk", "staff_no")
    )
    missing = [i for i in range(users) if OFFICIAL_USER.format(i + 1) not in linked]
    if len(free) < len(missing):
        raise SystemExit(f"Only {len(free):,} officials have no login yet; ask for fewer --users.")
    officials = []
    for i in range(users):
        username = OFFICIAL_USER.format(i + 1)
        user = account(username, OFFICIAL_GROUP)
        staff_no = linked.get(username)
        if staff_no is None:
            # Spread over the city: the middle of each of len(missing) equal slices (distinct officials).
            j = missing.index(i)
            pk, staff_no = free[(2 * j + 1) * len(free) // (2 * len(missing))]
            Official.objects.filter(pk=pk).update(user=user)
        officials.append({"username": username, "password": PASSWORD, "staff_no": staff_no})
    return {"year": year, "official": officials, "staff": [{"username": staff.username, "password": PASSWORD}]}


# --- the server ----------------------------------------------------------------------------------------------


def server_env(url: str, redis: str, port: int) -> dict:
    """Production settings (DEBUG off, whitenoise manifest, Redis cache), plain HTTP on the loopback."""
    settings_dir = OUT / "settings"
    settings_dir.mkdir(parents=True, exist_ok=True)
    # The project's settings with only STATIC_ROOT moved, so collectstatic never touches the checkout.
    (settings_dir / "bench_settings.py").write_text(textwrap.dedent(f"""\
        from kunshan_training.settings import *  # noqa: F403

        STATIC_ROOT = {str(OUT / "static")!r}
    """))  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{settings_dir}{os.pathsep}{ROOT}",
        "DATABASE_URL": url, "REDIS_URL": redis, "CELERY_BROKER_URL": redis, "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0", "LOG_LEVEL": "WARNING", "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
    })  # fmt: skip
    return env


def collectstatic(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)  # fmt: skip


def start_gunicorn(env: dict, *, port: int, workers: int, threads: int) -> subprocess.Popen:
    log = (OUT / "gunicorn.log").open("w")
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "kunshan_training.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
         str(workers), "--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning",
         "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {OUT / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    stop_gunicorn(server)
    raise SystemExit(f"gunicorn did not answer on port {port}; see {OUT / 'gunicorn.log'}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- signing in, warming up ----------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, account: dict) -> tuple[str, float]:
    """Sign in through the form as a browser does (GET for the CSRF token, POST); the session id and seconds."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    started = time.perf_counter()
    with opener.open(f"{base}/accounts/login/", timeout=60) as page:
        html = page.read().decode()
    marker = 'name="csrfmiddlewaretoken" value="'
    if marker not in html:
        raise SystemExit("The sign-in page has no CSRF token.")
    token = html.split(marker, 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode({"username": account["username"], "password": account["password"], "next": "/",
                                   "csrfmiddlewaretoken": token}).encode()  # fmt: skip
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    try:
        opener.open(request, timeout=60)
        status = 200  # the form again: refused
    except urllib.error.HTTPError as answer:
        status = answer.code
    seconds = time.perf_counter() - started
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if status != 302 or not session:
        raise SystemExit(f"Signing in as {account['username']} failed (HTTP {status}).")
    return session, seconds


def fetch(base: str, path: str, session: str) -> tuple[int, int, float]:
    request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})
    opener = urllib.request.build_opener(_NoRedirect)
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=60) as answer:
            return answer.status, len(answer.read()), time.perf_counter() - started
    except urllib.error.HTTPError as answer:
        return answer.code, 0, time.perf_counter() - started


def page_path(template: str, account: dict, year: int) -> str:
    return template.replace("{staff_no}", account.get("staff_no", "")).replace("{year}", str(year))


# --- one run -------------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class CpuMeter:
    """CPU used during a run by gunicorn (master and workers), the bench database's PostgreSQL backends, the load
    generator and the whole machine. Each process is sampled twice a second, so a backend that ends during the
    run still counts what it used up to its last sample."""

    def __init__(self, *, server_pid: int, database: str) -> None:
        import psutil

        self.server_pid, self.database, self.client_pid = server_pid, database, None
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.machine = psutil.cpu_times()
        self.started = time.perf_counter()
        self.sample(baseline=True)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def processes(self):
        import psutil

        try:
            master = psutil.Process(self.server_pid)
            yield from (("gunicorn", p) for p in [master, *master.children(recursive=True)])
        except psutil.NoSuchProcess:
            pass
        if self.client_pid is not None:
            yield "locust", psutil.Process(self.client_pid)
        for process in psutil.process_iter(["name", "cmdline"]):
            if process.info["name"] == "postgres" and any(self.database in c for c in process.info["cmdline"] or []):
                yield "postgres", process

    def sample(self, baseline: bool = False) -> None:
        import psutil

        try:
            for group, process in self.processes():
                try:
                    times = process.cpu_times()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                used = times.user + times.system
                # A process seen at the start counts from there; one started since (locust, a new backend) in full.
                self.first.setdefault(process.pid, used if baseline else 0.0)
                self.last[process.pid] = (group, used)
        except psutil.NoSuchProcess:
            pass

    def loop(self) -> None:
        while not self.stopped.wait(0.5):
            self.sample()

    def stop(self) -> dict:
        """Cores busy on average since the start: per group, and the machine as a whole."""
        import psutil

        self.stopped.set()
        self.thread.join()
        self.sample()
        wall = time.perf_counter() - self.started
        used = {"gunicorn": 0.0, "postgres": 0.0, "locust": 0.0}
        for pid, (group, seconds) in self.last.items():
            used[group] += seconds - self.first[pid]
        after = psutil.cpu_times()
        busy = sum(getattr(after, f) - getattr(self.machine, f) for f in ("user", "system", "nice", "irq", "softirq"))
        return {**{k: v / wall for k, v in used.items()}, "machine": busy / wall, "cores": psutil.cpu_count()}


def run_locust(*, role: str, path: str, base: str, users: int, seconds: int, think: str, sessions: Path,
               label: str, server_pid: int, database: str) -> dict:  # fmt: skip
    times_file = OUT / f"{label}_times.json"
    times_file.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_SESSIONS": str(sessions), "BENCH_PATH": path, "BENCH_THINK": think,
           "BENCH_TIMES": str(times_file)}  # fmt: skip
    command = [
        str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--host", base,
        "--csv", str(OUT / label), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
        "Official" if role == "official" else "Staff",
    ]  # fmt: skip
    meter = CpuMeter(server_pid=server_pid, database=database)
    client = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    meter.client_pid = client.pid
    output = client.stdout.read()
    client.wait()
    cpu = meter.stop()
    (OUT / f"{label}_locust.log").write_text(output)
    if not times_file.exists():
        raise SystemExit(f"locust wrote no figures; see {OUT / f'{label}_locust.log'}")
    samples = json.loads(times_file.read_text())
    if not samples:
        raise SystemExit(f"No request of {path} was made; see {OUT / f'{label}_locust.log'}")
    times = [ms for _, ms, _ in samples]
    started = [at for at, _, _ in samples]
    span = (max(started) - min(started)) or seconds
    return {
        "label": label, "path": path, "users": users, "think": think, "requests": len(samples),
        "errors": sum(1 for _, _, ok in samples if not ok), "rps": len(samples) / span,
        "p50": percentile(times, 50), "p95": percentile(times, 95), "p99": percentile(times, 99), "max": max(times),
        "mean": sum(times) / len(times), "cpu": cpu,
        "server_cpu_ms_per_request": 1000 * (cpu["gunicorn"] + cpu["postgres"]) * span / len(samples),
    }  # fmt: skip


def print_results(results: list[dict], meta: dict) -> None:
    print()
    print(f"{meta['officials']:,} officials, {meta['cores']} cores, gunicorn -w {meta['workers']} "
          f"--threads {meta['threads']} (gthread), PostgreSQL {meta['pg']}, {meta['seconds']} s a run")  # fmt: skip
    columns = ("users", "think s", "reqs", "RPS", "p50", "p95", "p99", "max", "errors", "  CPU ms/req")
    print(f"{'run':<16}" + "".join(f"{c:>9}" for c in columns))
    for r in results:
        print(f"{r['label']:<16}{r['users']:>9}{r['think']:>9}{r['requests']:>9}{r['rps']:>9.1f}{r['p50']:>9.0f}"
              f"{r['p95']:>9.0f}{r['p99']:>9.0f}{r['max']:>9.0f}{r['errors']:>9}"
              f"{r['server_cpu_ms_per_request']:>12.1f}")  # fmt: skip
    print("times in ms, every request (nearest rank); CPU ms/req: gunicorn + PostgreSQL CPU per page served")
    print()
    groups = "".join(f"{g:>9}" for g in ("gunicorn", "postgres", "locust", "other", "machine"))
    print(f"{'run':<16}{'CPU, cores busy on average:':<28}{groups}  path")
    for r in results:
        c = r["cpu"]
        other = max(0.0, c["machine"] - c["gunicorn"] - c["postgres"] - c["locust"])  # not ours: others' work
        print(f"{r['label']:<16}{'':<28}{c['gunicorn']:>9.2f}{c['postgres']:>9.2f}{c['locust']:>9.2f}{other:>9.2f}"
              f"{c['machine']:>9.2f}  {r['path']}")  # fmt: skip
    for r in results:
        if r["think"] != "0":
            target = TARGETS_MS[r["label"].split("_")[0]]
            verdict = "met" if r["p95"] <= target and not r["errors"] else "NOT met"
            print(f"target p95 <= {target} ms for {r['path']}: {verdict} ({r['p95']:.0f} ms, {r['errors']} errors)")


# --- one page, in-process: queries and CPU ----------------------------------------------------------------


def profile_page(*, path: str, username: str, repeat: int = 5, explain: int = 3) -> None:
    """Open ``path`` as ``username`` with Django's test client (same process, same database): queries, SQL time,
    CPU of the Python side, and ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(STATIC_ROOT=str(OUT / "static"), ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for _ in range(2):  # warm: templates, translations, connection
            client.get(path)
        cpu, wall, sql, queries = [], [], [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                answer = client.get(path)
                cpu.append(1000 * (time.process_time() - cpu_started))
                wall.append(1000 * (time.perf_counter() - started))
            sql.append(sum(1000 * float(q["time"]) for q in captured.captured_queries))
            queries = captured.captured_queries
    print(f"{path} as {username}: HTTP {answer.status_code}, {len(answer.content):,} bytes, {len(queries)} queries; "
          f"median of {repeat}: {sorted(wall)[repeat // 2]:.0f} ms in all, {sorted(sql)[repeat // 2]:.0f} ms in SQL, "
          f"{sorted(cpu)[repeat // 2]:.0f} ms CPU in Python")  # fmt: skip
    with connection.cursor() as cursor:
        for query in sorted(queries, key=lambda q: -float(q["time"]))[:explain]:
            print(f"\n-- {1000 * float(query['time']):.1f} ms\n{query['sql']}")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))
    print()


# --- main ----------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", type=int, default=100_000, help="city size (as bench/recompute.py)")
    parser.add_argument("--units", type=int, default=None, help="default: officials / 250, at least 40")
    parser.add_argument("--records-per-official", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--users", type=int, default=50, help="concurrent signed-in users per page")
    parser.add_argument("--run-time", type=int, default=60, help="seconds per page")
    parser.add_argument("--think", default="1-3", help="seconds between a user's page views, lo-hi (0: none)")
    parser.add_argument("--saturation", action="store_true", help="also a closed loop (no think time) per page")
    parser.add_argument("--official-path", default="/me/", help="the officials' page ({staff_no}, {year})")
    parser.add_argument("--staff-path", default="/staff/", help="the staff page ({year})")
    parser.add_argument("--only", choices=["official", "staff"], help="measure one page only")
    parser.add_argument(
        "--profile", action="store_true", help="no load: each page in-process, its queries, SQL and CPU time, EXPLAINs"
    )
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("locust", path=str(ROOT / ".venv" / "bin")) is None:
        raise SystemExit("locust is missing: .venv/bin/pip install -r bench/requirements.txt")

    url = database_url()
    redis = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    ensure_database(url)
    setup_django(url, REDIS_URL=redis, CELERY_BROKER_URL=redis)
    import psutil
    from django.db import connection
    from django.utils import timezone

    year = timezone.localdate().year
    units = args.units or max(40, args.officials // 250)
    meta = ensure_city(officials=args.officials, units=units, year=year, records_per_official=args.records_per_official,
                       seed=args.seed, regenerate=False)  # fmt: skip
    if not meta["reused"]:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    ensure_scores(year)
    accounts = ensure_accounts(year=year, users=args.users)
    database = connection.settings_dict["NAME"]
    pg = connection.pg_version // 10000
    connection.close()

    OUT.mkdir(parents=True, exist_ok=True)
    env = server_env(url, redis, args.port)
    collectstatic(env)
    base = f"http://127.0.0.1:{args.port}"
    pages = [("official", args.official_path), ("staff", args.staff_path)]
    if args.only:
        pages = [p for p in pages if p[0] == args.only]
    if args.profile:
        for role, template in pages:
            account = accounts[role][0]
            profile_page(path=page_path(template, account, year), username=account["username"])
        return
    print(f"load average before the runs: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"(other work on the machine skews the figures)")  # fmt: skip
    server = start_gunicorn(env, port=args.port, workers=args.workers, threads=args.threads)
    results = []
    try:
        # Sign in through the form, a few at a time (each check of a password costs PBKDF2's ~0.3 s of CPU).
        everyone = accounts["official"] + accounts["staff"]
        with ThreadPoolExecutor(max_workers=4) as pool:
            signed = list(pool.map(lambda a: sign_in(base, a), everyone))
        for account, (session, _) in zip(everyone, signed, strict=True):
            account["sessionid"] = session
        seconds = sorted(s for _, s in signed)
        median = 1000 * seconds[len(seconds) // 2]
        print(f"signed in {len(signed)} accounts through /accounts/login/: median {median:.0f} ms each (4 at a time)")
        sessions = OUT / "sessions.json"
        sessions.write_text(json.dumps(accounts, ensure_ascii=False, indent=1))

        # Warm up: every account opens its page, 8 at a time (imports, templates, connections, caches).
        for role, template in pages:
            jobs = [(page_path(template, a, year), a["sessionid"]) for a in accounts[role]]
            jobs = (jobs * (4 * args.workers * args.threads))[: max(2 * len(jobs), 4 * args.workers * args.threads)]
            with ThreadPoolExecutor(max_workers=2 * args.workers) as pool:
                answers = list(pool.map(lambda job: fetch(base, *job), jobs))
            bad = [(status, path) for (status, _, _), (path, _) in zip(answers, jobs, strict=True) if status != 200]
            if bad:
                raise SystemExit(f"{template} answered {bad[0][0]} for {bad[0][1]} ({len(bad)} of {len(jobs)} not 200)")
            size = sorted(n for _, n, _ in answers)[len(answers) // 2]
            print(f"warm-up {template}: {len(jobs)} pages, median {size:,} bytes", flush=True)
            if size < 200:
                print(f"  warning: {template} is tiny — is the page still a placeholder?")

        for role, template in pages:
            path = page_path(template, {"staff_no": "{staff_no}"}, year)
            runs = [args.think] + (["0"] if args.saturation else [])
            for think in runs:
                label = f"{role}_{'closed' if think == '0' else 'think'}"
                print(f"running {path}: {args.users} {role} users, think {think} s, {args.run_time} s", flush=True)
                results.append(run_locust(
                    role=role, path=template, base=base, users=args.users, seconds=args.run_time, think=think,
                    sessions=sessions, label=label, server_pid=server.pid, database=database,
                ))  # fmt: skip
                time.sleep(2)  # let the queues drain between runs
    finally:
        stop_gunicorn(server)
    summary = {"officials": args.officials, "cores": psutil.cpu_count(), "workers": args.workers,
               "threads": args.threads, "pg": pg, "seconds": args.run_time}  # fmt: skip
    (OUT / "summary.json").write_text(json.dumps({**summary, "results": results}, indent=1))
    print_results(results, summary)


if __name__ == "__main__":
    main()
