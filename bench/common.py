"""Shared set-up of the benchmarks: the bench database, Django, and the generated city (kept between runs)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kunshan_bench"
DOMAIN_TABLES = (
    "credits_annualscore", "credits_stalescore", "credits_recomputejob", "credits_activityrecord",
    "credits_exemption", "credits_veto", "audit_changelog", "organisation_studyadministrator",
    "organisation_official", "organisation_unit",
)  # fmt: skip


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` when it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"The benchmarks need PostgreSQL; DATABASE_URL is {url!r}.")
    name = unquote(parts.path.lstrip("/"))
    conn = psycopg2.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None, dbname="postgres",
    )  # fmt: skip
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")
    conn.close()


def setup_django(url: str, **env: str) -> None:
    """Point Django at ``url`` (plus any other settings in ``env``), set it up and migrate."""
    os.environ["DATABASE_URL"] = url
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunshan_training.settings")
    os.environ.setdefault("DEBUG", "false")  # no query log: time the code, not the debug wrapper
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _meta_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL)")


def read_meta(key: str = "city") -> dict | None:
    from django.db import connection

    _meta_table()
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM bench_meta WHERE key = %s", [key])
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_meta(meta: dict | None, key: str = "city") -> None:
    """Note what the database holds under ``key``; writing the city forgets everything added to it (``baoji``)."""
    from django.db import connection

    _meta_table()
    with connection.cursor() as cursor:
        if key == "city":
            cursor.execute("DELETE FROM bench_meta")
        else:
            cursor.execute("DELETE FROM bench_meta WHERE key = %s", [key])
        if meta is not None:
            cursor.execute("INSERT INTO bench_meta (key, value) VALUES (%s, %s)", [key, json.dumps(meta)])


def ensure_city(*, officials: int, units: int, year: int, records_per_official: int, seed: int,
                regenerate: bool) -> dict:  # fmt: skip
    """The generated city described by the returned meta: reused when it matches, else generated afresh."""
    from django.db import connection

    from organisation.demo import build_city

    wanted = {
        "officials": officials, "units": units, "year": year, "records_per_official": records_per_official,
        "seed": seed,
    }  # fmt: skip
    meta = read_meta()
    if meta and not regenerate and all(meta.get(k) == v for k, v in wanted.items()):
        meta["reused"] = True
        return meta
    print(f"generating {officials:,} officials x ~{records_per_official} records ({units} units, year {year}) ...")
    write_meta(None)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(DOMAIN_TABLES)} RESTART IDENTITY CASCADE")
    started = time.perf_counter()
    summary = build_city(
        officials=officials, units=units, year=year, records_per_official=records_per_official, seed=seed,
        audit=False, progress=lambda message: print(f"  {message}", flush=True),
    )  # fmt: skip
    meta = {**wanted, "summary": summary, "generated_seconds": round(time.perf_counter() - started, 1)}
    write_meta(meta)
    meta["reused"] = False
    return meta


def vacuum_analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def ensure_baoji_years(*, years: list[int], seed: int) -> dict:
    """Baoji-kind records (``organisation.demo.build_baoji_years``) for ``years`` of the city, written once and
    noted in ``bench_meta`` (key ``baoji``); the years are put under baoji-2009. Returns the meta, with ``reused``."""
    meta = read_meta("baoji")
    wanted = {"years": sorted(years), "seed": seed}
    if meta and all(meta.get(k) == v for k, v in wanted.items()):
        meta["reused"] = True
        return meta
    if meta:
        raise SystemExit(
            f"The bench city already holds Baoji-kind records for {meta['years']}; --regenerate starts it again."
        )
    from organisation.demo import build_baoji_years

    print(f"writing Baoji-kind records for {years[0]}-{years[-1]} ...")
    started = time.perf_counter()
    summary = build_baoji_years(
        years=years, seed=seed, audit=False, progress=lambda message: print(f"  {message}", flush=True)
    )
    meta = {**wanted, "summary": summary, "generated_seconds": round(time.perf_counter() - started, 1)}
    write_meta(meta, "baoji")
    meta["reused"] = False
    return meta


_CLOSED_BACKENDS_CPU = [0.0]  # CPU of the PostgreSQL backends of connections closed so far (threads' connections)


def _backend_cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def count_closed_backends() -> None:
    """Count the CPU of every PostgreSQL backend whose Django connection closes (``compute_scores`` reads and writes
    a whole year through threads on connections of their own, closed when done), for ``Meter``."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    close = BaseDatabaseWrapper.close

    def counted_close(self):
        raw = getattr(self, "connection", None)
        if raw is not None and self.vendor == "postgresql" and not raw.closed:
            with contextlib.suppress(OSError, IndexError, ValueError):
                _CLOSED_BACKENDS_CPU[0] += _backend_cpu_of(raw.get_backend_pid())
        return close(self)

    BaseDatabaseWrapper.close = counted_close


class Meter:
    """Wall time, this process's CPU and the CPU of the PostgreSQL backends working for it (read from /proc: the
    server must run on this machine): Django's connection's, and those of connections closed meanwhile when
    ``count_closed_backends`` was called; parallel workers' CPU is not counted. ``with Meter() as m:``, then
    ``m.wall``, ``m.python``, ``m.backend`` (None when /proc is not readable)."""

    def __init__(self):
        self.wall = self.python = 0.0
        self.backend: float | None = None

    @staticmethod
    def backend_cpu() -> float | None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            return _backend_cpu_of(pid) + _CLOSED_BACKENDS_CPU[0]
        except (OSError, IndexError, ValueError):
            return None

    def __enter__(self):
        self._backend = self.backend_cpu()
        self._python = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.python = time.process_time() - self._python
        after = self.backend_cpu()
        self.backend = None if after is None or self._backend is None else after - self._backend
        return False

    @property
    def cpu(self) -> float | None:
        return None if self.backend is None else self.python + self.backend


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"
