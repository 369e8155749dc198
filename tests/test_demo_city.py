"""The demo city as someone trying the product meets it: ``manage.py load_demo_city`` on a small city."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from html import escape
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from audit.models import ChangeLog
from credits.models import ActivityRecord, AnnualScore, Exemption, ExemptionReason, Veto, VetoReason
from credits.policies import explanation_notes, policy_code_of_year
from credits.rules import DEFAULT_POLICY, get_policy
from credits.rules.common import cycle_of
from credits.scoring import officials_assessed_in
from organisation import demo
from organisation.models import Official, StudyAdministrator, Unit

KINDS = get_policy("kunshan-2020").kinds
BAOJI = get_policy(demo.BAOJI_POLICY)
YEAR = 2025  # a finished year: the whole year has records
BAOJI_YEARS = demo.baoji_years_for(YEAR)


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
    joined = [score for score in scores if score.explanation.get("pr")]
    assert any(not score.exempt for score in joined)
    assert any(score.exempt and score.exempt_reason == "new_short" for score in joined)


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


def figures_by_official(year: int) -> dict[int, dict]:
    return dict(AnnualScore.objects.filter(year=year).values_list("official_id", "figures"))


@pytest.mark.django_db
def test_earlier_years_run_under_baoji_and_the_recent_ones_under_kunshan(city):
    assert len(BAOJI_YEARS) >= 2 and max(BAOJI_YEARS) < YEAR - 1
    for year in BAOJI_YEARS:
        assert policy_code_of_year(year) == BAOJI.code
        assert set(AnnualScore.objects.filter(year=year).values_list("policy", flat=True)) == {BAOJI.code}
    for year in (YEAR - 1, YEAR):
        assert policy_code_of_year(year) == DEFAULT_POLICY
        assert set(AnnualScore.objects.filter(year=year).values_list("policy", flat=True)) == {DEFAULT_POLICY}
    baoji = ActivityRecord.objects.filter(occurred_on__year__in=BAOJI_YEARS)
    # The Baoji years hold Baoji kinds only, every one of them, filed under the Baoji categories.
    assert set(baoji.filter(status="approved").values_list("kind", flat=True)) == set(BAOJI.kinds)
    assert {(k, c) for k, c in baoji.values_list("kind", "category").distinct()} <= {
        (kind, BAOJI.category_of(kind)) for kind in BAOJI.kinds
    }
    assert not baoji.filter(status="submitted").exists()  # past years: every declaration was decided
    assert baoji.filter(status="rejected").exclude(reject_reason="").exists()
    # Every approved record passes the policy's own checks (an online course's credits and quantity, a class's
    # points); online courses carry their hours; some trainings were too short to count.
    for kind, category, quantity, points in baoji.filter(status="approved").values_list(
        "kind", "category", "quantity", "points"
    ):
        assert BAOJI.validate_record(kind=kind, category=category, quantity=quantity, points=points) == []
    assert not baoji.filter(kind="online_course", hours__isnull=True).exists()
    shortest = BAOJI.kinds["class_day"].rule_params["days"]
    assert baoji.filter(kind="class_day", status="approved", quantity__lt=shortest).exists()
    grades = Counter(AnnualScore.objects.filter(year=BAOJI_YEARS[0], exempt=False).values_list("grade", flat=True))
    assert grades["pass"] > grades["fail"] > 0


@pytest.mark.django_db
def test_records_of_both_policies_carry_entered_hours(city):
    entered = ActivityRecord.objects.filter(hours__isnull=False)
    assert entered.filter(occurred_on__year=YEAR).exists()
    assert entered.filter(occurred_on__year__in=BAOJI_YEARS).exists()
    assert ActivityRecord.objects.filter(occurred_on__year=YEAR, hours__isnull=True).exists()  # most take the default


@pytest.mark.django_db
def test_credits_above_the_line_carry_from_one_baoji_year_into_the_next(city):
    carried = 0
    for year in BAOJI_YEARS[1:]:
        before, after = figures_by_official(year - 1), figures_by_official(year)
        for official_id, figures in after.items():
            expected = before[official_id]["carry_out"] if official_id in before else "0"
            assert Decimal(figures["carry_in"]) == Decimal(expected), (official_id, year)
            carried += Decimal(figures["carry_in"]) > 0
    assert carried > len(BAOJI_YEARS)  # a real chain, not an accident
    # The year after the last Baoji year is under kunshan-2020: nothing is carried into it.
    assert not AnnualScore.objects.filter(year=BAOJI_YEARS[-1] + 1).exclude(figures={}).exists()


@pytest.mark.django_db
def test_the_five_year_figure_is_judged_only_in_a_cycles_last_year(city):
    for year in BAOJI_YEARS:
        first, last = cycle_of(year)
        assessed = AnnualScore.objects.filter(year=year, exempt=False).values_list("figures", flat=True)
        passed = {f["cycle"]["passed"] for f in assessed}
        assert (passed and passed <= {True, False}) if year == last else (passed == {None}), year
        assert {(f["cycle"]["first_year"], f["cycle"]["last_year"]) for f in figures_by_official(year).values()} == {
            (first, last)
        }


@pytest.mark.django_db
def test_an_exempt_baoji_year_passes_its_carry_on_unchanged(city):
    exempt = AnnualScore.objects.filter(year__in=BAOJI_YEARS, exempt=True)
    assert exempt.exists()
    for score in exempt:
        assert score.grade == "" and score.figures["carry_out"] == score.figures["carry_in"]


@pytest.mark.django_db
def test_the_demo_official_sees_a_baoji_year_carrying_credits_in_and_out(city):
    official = Official.objects.get(user__username=demo.DEMO_OFFICIAL)
    scores = AnnualScore.objects.filter(official=official, year__in=BAOJI_YEARS, exempt=False)
    carrying = [s for s in scores if Decimal(s.figures["carry_in"]) > 0 and Decimal(s.figures["carry_out"]) > 0]
    assert carrying
    score = carrying[0]
    browser = Client()
    browser.post("/accounts/login/", {"username": demo.DEMO_OFFICIAL, "password": demo.DEMO_PASSWORD})
    response = browser.get(f"/me/?year={score.year}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("zh-hans"):
        notes = explanation_notes(score.explanation)
    carry_notes = [n for n in notes if str(score.year - 1) in n or str(score.year + 1) in n]
    assert len(carry_notes) >= 2  # carried in from the year before, carried over to the year after
    for note in carry_notes:
        assert escape(note) in page
    assert official.records.filter(occurred_on__year=score.year, kind="online_course").exists() or (
        official.records.filter(occurred_on__year=score.year, kind="class_day").exists()
    )


@pytest.mark.django_db
def test_the_report_names_each_years_policy(city):
    for year in BAOJI_YEARS:
        assert f"scores of {year} ({BAOJI.code})" in city
    assert f"scores of {YEAR} ({DEFAULT_POLICY})" in city
    assert f"Years under {BAOJI.code}" in city


@pytest.mark.django_db
def test_no_baoji_years_when_asked_for_none(db):
    out = load(baoji_years=0)
    assert "baoji" not in out
    assert set(AnnualScore.objects.values_list("year", flat=True)) == {YEAR - 1, YEAR}
    assert set(AnnualScore.objects.values_list("policy", flat=True)) == {DEFAULT_POLICY}
