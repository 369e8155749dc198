"""Computed items follow the data through the stale-mark pipeline (RULES §3, §4): a record approved, corrected or
deleted, an official's rank or unit changed, an exemption, a whole-year recompute; the year's facts (central-group
sessions, officials trained); the refresh is set-based (the same queries for 3 units or 30)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Scorecard, ScorecardItem
from assessments.selectors.cards import computed_counts, year_facts
from assessments.services.cards import create_year_cards, refresh_computed
from credits import services as credit_services
from credits.models import ActivityRecord
from credits.scoring import compute_scores
from organisation.models import Official, Unit
from organisation.services import update_official
from tests.assessments.cards_fixtures import *  # noqa: F403 (its fixtures)
from tests.assessments.cards_fixtures import ORG, TEAM
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db(transaction=True)


def item(unit: Unit, template: str, code: str) -> ScorecardItem:
    return ScorecardItem.objects.get(card__unit=unit, card__template__code=template, card__year=YEAR, code=code)


def card(unit: Unit, template: str) -> Scorecard:
    return Scorecard.objects.get(unit=unit, template__code=template, year=YEAR)


def days(by, official, n, **extra):
    """``n`` class days (8 hours each) of ``official``, approved on entry by the training section."""
    return credit_services.create_record(by=by, official=official, kind="class_day", quantity=n,
                                         occurred_on=extra.pop("occurred_on", date(YEAR, 5, 1)), **extra)  # fmt: skip


@pytest.fixture
def division(officials, units, staff_user):
    """A division-level official of finance with 104 hours (13 class days): short of 110."""
    official = Official.objects.create(staff_no="F010", name="赵强", unit=units["finance"], rank="division")
    days(staff_user, official, 13)
    return official


@pytest.fixture
def cards(templates, staff_user, division):
    for code in (ORG, TEAM):
        create_year_cards(by=staff_user, template=templates[code], year=YEAR)


def test_an_approved_record_above_110_hours_changes_t8_on_the_team_card(cards, division, units, staff_user):
    finance = units["finance"]
    t8 = item(finance, TEAM, "T8")
    assert (t8.computed, t8.score) == (1, 9)
    before = card(finance, TEAM).total
    days(staff_user, division, 1)  # 112 hours: the refresh after commit reaches the card
    t8 = item(finance, TEAM, "T8")
    assert (t8.computed, t8.score) == (0, 10)
    assert card(finance, TEAM).total == before + 1
    assert card(finance, TEAM).computed["division_below_110_hours"] == 0


def test_a_correction_and_a_deletion_follow_too(cards, division, units, staff_user):
    finance = units["finance"]
    record = days(staff_user, division, 1)
    assert item(finance, TEAM, "T8").computed == 0
    credit_services.correct_record(by=staff_user, record=record, reason="少登一天", quantity=0.5)  # 108 hours
    assert item(finance, TEAM, "T8").computed == 1
    credit_services.correct_record(by=staff_user, record=record, reason="更正", quantity=1)
    assert item(finance, TEAM, "T8").computed == 0
    credit_services.delete_record(by=staff_user, record=record)
    assert item(finance, TEAM, "T8").computed == 1


def test_a_waiting_record_does_not_count_until_approved(cards, division, units, unit_admin_user, staff_user):
    record = days(unit_admin_user, division, 2)  # declared by the unit: waits for review
    assert record.status == "submitted"
    assert item(units["finance"], TEAM, "T8").computed == 1
    credit_services.approve_record(by=staff_user, record=record)
    assert item(units["finance"], TEAM, "T8").computed == 0


def test_o9_and_t9_count_the_unit_officials_by_rank(cards, officials, units, staff_user):
    finance, education = units["finance"], units["education"]
    # finance: zhang, li (section level, 0 hours) and the division official (104 hours).
    assert item(finance, ORG, "O9").computed == 2
    assert item(finance, TEAM, "T9").computed == 2
    assert item(education, TEAM, "T9").computed == 1
    days(staff_user, officials["zhang"], 2)  # 16 hours: no longer below 16, still below 100
    assert (item(finance, ORG, "O9").computed, item(finance, TEAM, "T9").computed) == (1, 2)
    days(staff_user, officials["zhang"], 11)  # 104 hours: at the section line
    assert item(finance, TEAM, "T9").computed == 1
    # Rank "other" has no requirement: li leaves T9, not O9.
    update_official(by=staff_user, official=officials["li"], rank="other")
    assert (item(finance, ORG, "O9").computed, item(finance, TEAM, "T9").computed) == (1, 0)


def test_a_move_to_another_unit_updates_both_units(cards, division, units, staff_user):
    finance, education = units["finance"], units["education"]
    update_official(by=staff_user, official=division, unit=education)
    assert item(finance, TEAM, "T8").computed == 0
    assert item(education, TEAM, "T8").computed == 1
    assert item(education, ORG, "O9").computed == 1  # wang (0 hours) was already short; the division official not


def test_an_exempt_official_is_not_counted(cards, division, units, staff_user):
    credit_services.record_exemption(by=staff_user, official=division, year=YEAR, reason="sick_leave")
    assert item(units["finance"], TEAM, "T8").computed == 0
    facts = card(units["finance"], TEAM).computed["facts"]
    assert facts["officials"] == 2


def test_a_whole_year_recompute_brings_every_card_in_line(cards, division, units):
    # Records changed behind the services' back (as an import might), then the year recomputed.
    ActivityRecord.objects.filter(official=division).update(quantity=14)
    assert item(units["finance"], TEAM, "T8").computed == 1
    compute_scores(year=YEAR)
    assert item(units["finance"], TEAM, "T8").computed == 0


def test_the_facts_sessions_and_officials_trained(cards, officials, division, units, staff_user):
    finance = units["finance"]
    facts = card(finance, ORG).computed["facts"]
    assert facts == {"group_sessions": 0, "group_sessions_required": 12, "officials": 3, "trained": 1,
                     "trained_percent": "33.3"}  # fmt: skip
    credit_services.record_group_study_session(by=staff_user, unit=finance, occurred_on=date(YEAR, 3, 5),
                                               topic="学习党的二十届三中全会精神",
                                               listeners=[officials["zhang"]])  # fmt: skip
    facts = card(finance, TEAM).computed["facts"]
    assert (facts["group_sessions"], facts["trained"]) == (1, 1)  # a central-group session is not a class day
    assert year_facts(year=YEAR, unit_ids=[finance.pk])[finance.pk]["group_sessions"] == 1
    assert card(units["education"], ORG).computed["facts"]["trained_percent"] == "0.0"
    assert card(Unit.objects.get(code="CITY"), ORG).computed["facts"]["trained_percent"] is None


def test_the_refresh_is_set_based(templates, staff_user, units, officials):
    def queries_for(extra_units: int) -> int:
        for i in range(extra_units):
            unit = Unit.objects.create(code=f"X{Unit.objects.count()}{i}", name=f"单位{i}", kind="department")
            Official.objects.create(staff_no=f"X{unit.pk}", name="某", unit=unit, rank="division")
        for code in (ORG, TEAM):
            create_year_cards(by=staff_user, template=templates[code], year=YEAR)
        Scorecard.objects.filter(year=YEAR).update(computed={})  # every card must be refreshed and re-scored
        with CaptureQueriesContext(connection) as queries:
            refreshed = refresh_computed(year=YEAR)
        assert refreshed == Scorecard.objects.filter(year=YEAR).count()
        return len(queries)

    few = queries_for(0)
    many = queries_for(20)
    assert many == few, (few, many)
    counts = computed_counts(year=YEAR)
    assert counts[units["finance"].pk]["section_below_100_hours"] == 2
