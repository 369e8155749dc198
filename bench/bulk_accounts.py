"""Accounts for 1,500 officials in one request (账号管理 → 批量创建账号), with the project's real password hasher.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kunshan_j .venv/bin/python bench/bulk_accounts.py [--officials 1500]

Migrates the database, makes a bench unit with N officials without an account (removing the previous run's), then
times one POST to /staff/accounts/bulk/ through Django's test client (the whole request: hashing, bulk inserts,
audit rows, the xlsx of initial passwords) and the sheet's one download. Also prints what one password hash costs
at the default PBKDF2 cost and at the initial passwords' cost, so the saving can be checked.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunshan_training.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kunshan_j")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hasher  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from organisation.models import Official, Unit  # noqa: E402
from organisation.roles import ORG_STAFF_GROUP, ensure_role_groups  # noqa: E402
from organisation.services import INITIAL_PASSWORD_ITERATIONS  # noqa: E402

CODE = "BENCH-ACCOUNTS"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officials", type=int, default=1500)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    ensure_role_groups()
    old = Official.objects.filter(unit__code=CODE)
    User.objects.filter(pk__in=old.values("user_id")).delete()
    old.delete()
    unit, _ = Unit.objects.get_or_create(code=CODE, defaults={"name": "批量账号测试单位", "kind": "department"})
    Official.objects.bulk_create(
        [Official(staff_no=f"BA{i:06d}", name=f"测试干部{i}", unit=unit) for i in range(args.officials)]
    )
    staff, _ = User.objects.get_or_create(username="bench-accounts-staff")
    staff.groups.add(Group.objects.get(name=ORG_STAFF_GROUP))

    hasher = get_hasher("default")
    started = time.perf_counter()
    hasher.encode("Abcdefgh2345", hasher.salt())
    full = time.perf_counter() - started
    started = time.perf_counter()
    hasher.encode("Abcdefgh2345", hasher.salt(), iterations=INITIAL_PASSWORD_ITERATIONS)
    initial = time.perf_counter() - started
    print(f"hasher {hasher.algorithm}: default cost {hasher.iterations:,} iterations {full * 1000:.0f} ms a password; "
          f"initial passwords {INITIAL_PASSWORD_ITERATIONS:,} iterations {initial * 1000:.1f} ms")  # fmt: skip
    print(f"  at the default cost {args.officials:,} accounts would spend ~{full * args.officials:.0f} s hashing")

    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    started = time.perf_counter()
    response = client.post("/staff/accounts/bulk/", {"unit": CODE}, secure=not settings.DEBUG)
    elapsed = time.perf_counter() - started
    made = Official.objects.filter(unit=unit, user__isnull=False).count()
    print(f"POST /staff/accounts/bulk/ ({args.officials:,} officials): {response.status_code}, {made:,} accounts "
          f"in {elapsed:.2f} s")  # fmt: skip
    token = response.content.decode().split("/staff/accounts/sheets/")[1].split("/")[0]
    started = time.perf_counter()
    sheet = client.post(f"/staff/accounts/sheets/{token}/", secure=not settings.DEBUG)
    took = (time.perf_counter() - started) * 1000
    again = client.post(f"/staff/accounts/sheets/{token}/").status_code
    print(f"the xlsx ({len(sheet.content) / 1024:.0f} KB) downloaded in {took:.0f} ms; a second download: {again}")
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, cores: {os.cpu_count()}, "
          f"load: {os.getloadavg()[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
