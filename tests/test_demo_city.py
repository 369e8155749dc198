"""The demo city as someone trying the product meets it: ``manage.py load_demo_city`` on a small city."""

from __future__ import annotations

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from audit.models import ChangeLog
from credits.models import ActivityRecord, AnnualScore, Exemption, ExemptionReason, Veto, VetoReason
from credits.rules import get_policy
from credits.scoring import officials_assessed_in
from organisation import demo
from organisation.models import Official, StudyAdministrator, Unit

KINDS = get_policy("kunshan-2020").kinds
YEAR = 2025  # a finished year: the whole year has records


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo_city", officials=30, units=4, year=YEAR, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def city(db):
    return load()


@pytest.mark.django_db
def test_every_kind_appears_within_the_year(city):
    records = ActivityRecord.objects.filter(occurred_on__year=YEAR)
    assert set(records.filter(status="approved").values_list("kind", flat=True)) == set(KINDS)
    assert not ActivityRecord.objects.filter(occurred_on__gt=date(YEAR, 12, 31)).exists()
    assert ActivityRecord.objects.filter(occurred_on__year=YEAR - 1).exists()  # the year before, for the flag
    statuses = Counter(records.values_list("status", flat=True))
    assert statuses["approved"] > 0.9 * sum(statuses.values())
    assert statuses["rejected"] >= 1
    assert all(records.filter(status="rejected").values_list("reject_reason", flat=True))
    assert {"entered", "declared", "imported", "generated"} <= set(records.values_list("source", flat=True))


@pytest.mark.django_db
def test_some_officials_are_exempt_for_every_reason(city):
    scores = AnnualScore.objects.filter(year=YEAR)
    assert scores.filter(exempt=True).exists()
    assert not scores.filter(exempt=True).exclude(grade="").exists()
    assert set(Exemption.objects.filter(year=YEAR).values_list("reason", flat=True)) == set(ExemptionReason.values)
    assert Exemption.objects.get(year=YEAR, reason="other").note
    assert set(Veto.objects.filter(year=YEAR).values_list("reason", flat=True)) == set(VetoReason.values)
    # Joined during the year: one prorated, one exempt for too few months.
    joined = AnnualScore.objects.filter(year=YEAR, explanation__pr__isnull=False)
    assert joined.filter(exempt=False).exists()
    assert joined.filter(exempt=True, exempt_reason="new_short").exists()


@pytest.mark.django_db
def test_the_three_demo_accounts_sign_in(city):
    landing = {demo.DEMO_ORG_STAFF: "/staff/", demo.DEMO_UNIT_ADMIN: "/unit/", demo.DEMO_OFFICIAL: "/me/"}
    for username, start_page in landing.items():
        browser = Client()
        response = browser.post("/accounts/login/", {"username": username, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert browser.get(response["Location"])["Location"] == start_page, username
    assert User.objects.get(username=demo.DEMO_ORG_STAFF).is_staff
    admin = StudyAdministrator.objects.get(user__username=demo.DEMO_UNIT_ADMIN)
    assert Official.objects.get(user__username=demo.DEMO_UNIT_ADMIN).unit == admin.unit
    official = Official.objects.get(user__username=demo.DEMO_OFFICIAL)
    assert official.unit == admin.unit
    statuses = Counter(official.records.filter(occurred_on__year=YEAR).values_list("status", flat=True))
    assert statuses["approved"] >= 5 and statuses["submitted"] >= 1 and statuses["rejected"] >= 1
    score = AnnualScore.objects.get(official=official, year=YEAR)
    assert not score.exempt and score.grade
    assert "demo_orgstaff" in city and "demo-password" in city and "http://127.0.0.1:8000/" in city


@pytest.mark.django_db
def test_every_assessed_official_has_a_score(city):
    for year in (YEAR - 1, YEAR):
        assessed = set(officials_assessed_in(year).values_list("pk", flat=True))
        assert assessed
        assert set(AnnualScore.objects.filter(year=year).values_list("official_id", flat=True)) == assessed
    assert not AnnualScore.objects.filter(year=YEAR, exempt=False, city_rank=None).exists()


@pytest.mark.django_db
def test_grades_spread_with_some_fails(city):
    grades = Counter(AnnualScore.objects.filter(year=YEAR, exempt=False).values_list("grade", flat=True))
    assert grades["fail"] >= 1
    assert len({"excellent", "good", "pass"} & set(grades)) >= 2
    flags = Counter(f for row in AnnualScore.objects.filter(year=YEAR).values_list("flags", flat=True) for f in row)
    assert flags["political_subhealth"] >= 1  # failed two years running
    assert "Grades" in city and "fail" in city


@pytest.mark.django_db
def test_a_second_run_adds_nothing(city):
    def counts():
        return [m.objects.count() for m in (Unit, Official, ActivityRecord, Exemption, Veto, User, ChangeLog)]

    before = counts()
    assert before[-1] > before[2]  # the generated rows are in the change log
    out = load()
    assert "already loaded" in out
    assert counts() == before


@pytest.mark.django_db
def test_the_current_year_has_no_record_after_today(db):
    today = date(2026, 11, 20)
    summary = demo.build_city(officials=30, units=4, year=today.year, today=today, audit=False)
    assert summary["records"] > 30 * 30
    dates = ActivityRecord.objects.filter(occurred_on__year=today.year).values_list("occurred_on", flat=True)
    assert max(dates) <= today
    assert ActivityRecord.objects.filter(status="submitted").exists()  # recent declarations wait for review


@pytest.mark.django_db
def test_units_hold_central_group_sessions_and_the_records_point_to_them(city):
    from django.db.models import F

    from credits.models import GroupStudySession

    GROUP_STUDY_SESSIONS_REQUIRED = get_policy("kunshan-2020").group_study_sessions_required

    held = Counter(GroupStudySession.objects.filter(occurred_on__year=YEAR).values_list("unit__code", flat=True))
    assert set(held) == set(Unit.objects.filter(officials__isnull=False).values_list("code", flat=True))
    assert any(n >= GROUP_STUDY_SESSIONS_REQUIRED for n in held.values())  # some units meet the twelve ...
    assert any(0 < n < GROUP_STUDY_SESSIONS_REQUIRED for n in held.values())  # ... and some fall short
    attendance = ActivityRecord.objects.filter(
        occurred_on__year=YEAR, kind__in=["central_group_speaker", "central_group_listener"]
    )
    linked = attendance.filter(session__isnull=False)
    assert linked.exists() and linked.count() >= 0.95 * attendance.count()
    # Each record points to a session of its official's unit on the record's date.
    assert not linked.exclude(session__unit=F("official__unit")).exists()
    assert not linked.exclude(session__occurred_on=F("occurred_on")).exists()
    assert not GroupStudySession.objects.filter(occurred_on__year=YEAR - 1).exists()
    assert not ActivityRecord.objects.filter(occurred_on__year=YEAR - 1, session__isnull=False).exists()
