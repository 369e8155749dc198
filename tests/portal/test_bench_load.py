"""The load benchmark's own set-up (bench/load.py): its accounts, and signing them in the way the load does."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from organisation.models import Official
from tests.conftest import YEAR

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def load():
    """bench/load.py as a module (it imports its neighbour ``common``; locust itself is never imported here)."""
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def test_accounts_link_distinct_officials_and_are_idempotent(load, officials):
    Official.objects.create(staff_no="F003", name="赵强", unit=officials["li"].unit, rank="section_chief")
    first = load.ensure_accounts(year=YEAR, users=2)
    staff_nos = [a["staff_no"] for a in first["official"]]
    assert sorted(staff_nos) == ["F002", "F003"]  # the two officials without a login, one each
    users = User.objects.count()

    again = load.ensure_accounts(year=YEAR, users=2)
    assert [a["staff_no"] for a in again["official"]] == staff_nos
    assert User.objects.count() == users
    assert Official.objects.get(staff_no="F002").user.username == "bench_official_01"
    staff = User.objects.get(username="bench_orgstaff")
    assert staff.has_perm("credits.review_activityrecord")


def test_more_accounts_than_officials_without_a_login_is_refused(load, officials):
    with pytest.raises(SystemExit, match="fewer --users"):
        load.ensure_accounts(year=YEAR, users=5)
    assert not User.objects.filter(username__startswith="bench_official_").exists()


def test_accounts_sign_in_through_the_form_and_reach_their_page_only(load, transactional_db, officials, live_server):
    accounts = load.ensure_accounts(year=YEAR, users=1)
    official, staff = accounts["official"][0], accounts["staff"][0]

    session, _seconds = load.sign_in(live_server.url, official)  # GET for the CSRF token, then the form post
    assert load.fetch(live_server.url, "/me/", session)[0] == 200
    assert load.fetch(live_server.url, "/staff/", session)[0] == 403

    session, _seconds = load.sign_in(live_server.url, staff)
    assert load.fetch(live_server.url, "/staff/", session)[0] == 200


def test_a_wrong_password_stops_the_bench(load, transactional_db, officials, live_server):
    account = load.ensure_accounts(year=YEAR, users=1)["official"][0]
    with pytest.raises(SystemExit, match="Signing in as bench_official_01 failed"):
        load.sign_in(live_server.url, {**account, "password": "not-it"})


def test_percentile_is_the_nearest_rank(load):
    values = list(range(1, 101))
    assert (load.percentile(values, 50), load.percentile(values, 95), load.percentile(values, 99)) == (50, 95, 99)
    assert load.percentile([7.0], 95) == 7.0
