"""Scorecard services and selectors: values and scores, who may act, the self-check → review → final flow, evidence,
overdue reports, the board, rankings with ties and tier counts (RULES §4)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import ItemEvidence, Scorecard, ScorecardItem
from assessments.selectors.cards import (
    board,
    card_detail,
    cards_visible_to,
    overdue_self_checks,
    tier_counts,
    unit_rankings,
)
from assessments.services import cards as services
from audit.models import ChangeLog
from organisation.models import Unit
from tests.assessments.cards_fixtures import *  # noqa: F403 (its fixtures)
from tests.assessments.cards_fixtures import BENXI, ORG, TEAM
from tests.conftest import YEAR
from tests.evidence_files import pdf, png

pytestmark = pytest.mark.django_db


def item(card, code) -> ScorecardItem:
    return ScorecardItem.objects.get(card=card, code=code)


def fresh(card) -> Scorecard:
    return Scorecard.objects.get(pk=card.pk)


# ---------------------------------------------------------------------------------------------------
# Cards and values


def test_a_new_card_has_every_item_and_starts_as_on_paper(new_card, officials):
    benxi = new_card(BENXI)
    assert benxi.items.count() == 19  # A1-A3, B1-B6, C1-C4, D1-D4, E1-E2
    assert (benxi.status, benxi.total, benxi.tier, benxi.self_total) == ("draft", 0, "not_completed", None)
    org = new_card(ORG)
    # Deduction items start full; O9 counts finance's two officials, neither with 16 hours on record.
    assert item(org, "O2").score == 10
    assert (item(org, "O9").computed, item(org, "O9").score) == (2, 8)
    assert item(org, "O1").score == 0
    assert org.computed["officials_below_16_hours"] == 2
    assert org.computed["facts"]["group_sessions_required"] == 12


def test_only_the_training_section_makes_cards_and_never_two_alike(new_card, templates, units, unit_admin_user):
    new_card(BENXI)
    with pytest.raises(ValidationError) as error:
        new_card(BENXI)
    assert "already has a card" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.create_card(by=unit_admin_user, template=templates[ORG], unit=units["finance"], year=YEAR)
    with pytest.raises(ValidationError):
        new_card(ORG, year=1999)


def test_create_year_cards_makes_one_per_unit_without_one(templates, staff_user, units):
    services.create_card(by=staff_user, template=templates[ORG], unit=units["finance"], year=YEAR)
    assert services.create_year_cards(by=staff_user, template=templates[ORG], year=YEAR) == Unit.objects.count() - 1
    assert services.create_year_cards(by=staff_user, template=templates[ORG], year=YEAR) == 0
    cards = Scorecard.objects.filter(template=templates[ORG], year=YEAR)
    assert cards.count() == Unit.objects.count()
    assert all(card.items.count() == 10 and card.computed for card in cards)
    education = cards.get(unit=units["education"])
    assert education.computed["officials_below_16_hours"] == 0  # no officials: nothing computed against it


def test_a_final_value_scores_the_item_and_the_card_and_is_audited(new_card, staff_user):
    card = new_card(BENXI)
    row = services.set_final_value(by=staff_user, card=card, code="B6", value={"points": 12.5}, comment="较好")
    assert (row.score, row.final_value, row.comment) == (Decimal("12.5"), {"points": 12.5}, "较好")
    services.set_final_value(by=staff_user, card=card, code="D1", value={"percent": 65})
    card = fresh(card)
    assert (item(card, "D1").score, card.total, card.base) == (Decimal("2.5"), Decimal("15.0"), Decimal("15.0"))
    log = ChangeLog.objects.filter(model="assessments.scorecarditem", object_id=str(row.pk)).latest("pk")
    assert (log.actor, log.old, log.new) == (staff_user, {"final_value": None, "comment": ""},
                                             {"final_value": {"points": 12.5}, "comment": "较好"})  # fmt: skip


@pytest.mark.parametrize(
    ("code", "value", "words"),
    [
        ("A1", {"points": 5.5}, "0 to 5 points"),
        ("A1", {"points": 2.25}, "halves"),
        ("A1", {"shortfalls": 1}, "takes “points”"),
        ("D1", {"percent": 101}, "from 0 to 100"),
        ("C2", {"choice": "late"}, "full, leave, absent"),
    ],
)
def test_a_value_outside_the_item_is_refused_in_plain_words(new_card, staff_user, code, value, words):
    card = new_card(BENXI)
    with pytest.raises(ValidationError) as error:
        services.set_final_value(by=staff_user, card=card, code=code, value=value)
    assert words in str(error.value.message_dict)
    assert item(card, code).final_value is None


def test_computed_only_items_take_no_entered_value(new_card, staff_user):
    card = new_card(TEAM)
    with pytest.raises(ValidationError) as error:
        services.set_final_value(by=staff_user, card=card, code="T9", value={"shortfalls": 1})
    assert "computed from the data" in str(error.value)
    with pytest.raises(ValidationError):
        services.set_final_value(by=staff_user, card=card, code="T99", value={"shortfalls": 1})


def test_the_unit_fills_its_self_check_and_only_that(new_card, unit_admin_user, officials):
    card = new_card(BENXI)
    row = services.set_self_value(by=unit_admin_user, card=card, code="A1", value={"points": 4}, note="有方案")
    assert (row.self_score, row.self_note, row.score, row.final_value) == (4, "有方案", 0, None)
    card = fresh(card)
    assert (card.self_total, card.total) == (Decimal("4.0"), 0)
    assert item(card, "A2").self_score is None  # nothing entered by the unit yet
    with pytest.raises(PermissionDenied):
        services.set_final_value(by=unit_admin_user, card=card, code="A1", value={"points": 4})
    with pytest.raises(PermissionDenied):
        services.return_card(by=unit_admin_user, card=card, reason="x")
    other = new_card(BENXI, unit="education")
    with pytest.raises(PermissionDenied):
        services.set_self_value(by=unit_admin_user, card=other, code="A1", value={"points": 4})
    with pytest.raises(PermissionDenied):  # an official: nothing
        services.set_self_value(by=officials["zhang"].user, card=card, code="A1", value={"points": 4})


def test_a_null_value_clears_and_a_note_alone_keeps_the_value(new_card, unit_admin_user):
    card = new_card(BENXI)
    services.set_self_value(by=unit_admin_user, card=card, code="A1", value={"points": 4})
    row = services.set_self_value(by=unit_admin_user, card=card, code="A1", value=None, note="补充说明")
    assert (row.self_value, row.self_note) == ({"points": 4}, "补充说明")
    row = services.set_self_value(by=unit_admin_user, card=card, code="A1", value={"points": None})
    assert (row.self_value, row.self_score, fresh(card).self_total) == (None, None, None)


# ---------------------------------------------------------------------------------------------------
# Self-check reports, return, final


def test_benxi_half_year_then_full_year_then_return_and_resubmit(new_card, unit_admin_user, staff_user):
    card = new_card(BENXI)
    first = services.submit_self_check(by=unit_admin_user, card=card)
    assert (first.period, fresh(card).status) == ("half_year", "submitted")
    # The full year is still to come: the unit keeps filling in.
    services.set_self_value(by=unit_admin_user, card=card, code="A1", value={"points": 5})
    second = services.submit_self_check(by=unit_admin_user, card=card)
    assert second.period == "full_year"
    with pytest.raises(ValidationError) as error:
        services.set_self_value(by=unit_admin_user, card=card, code="A1", value={"points": 4})
    assert "returns the card" in str(error.value)
    with pytest.raises(ValidationError):
        services.submit_self_check(by=unit_admin_user, card=card, period="full_year")
    with pytest.raises(ValidationError):
        services.return_card(by=staff_user, card=card, reason="  ")
    card = services.return_card(by=staff_user, card=card, reason="B2 缺签到记录")
    assert (card.status, card.return_reason) == ("returned", "B2 缺签到记录")
    services.set_self_value(by=unit_admin_user, card=card, code="B2", value={"points": 8})
    again = services.submit_self_check(by=unit_admin_user, card=card)
    assert (again.period, fresh(card).status, card.submissions.count()) == ("full_year", "submitted", 2)
    with pytest.raises(ValidationError):
        services.submit_self_check(by=unit_admin_user, card=card, period="quarter")


def test_a_final_card_is_locked_until_reopened_with_a_reason(new_card, staff_user, unit_admin_user):
    card = new_card(ORG)
    with pytest.raises(ValidationError):
        services.return_card(by=staff_user, card=card, reason="太早")  # a draft is not returned
    card = services.finalise_card(by=staff_user, card=card)
    assert (card.status, card.finalised_by) == ("final", staff_user)
    for attempt in (
        lambda: services.set_final_value(by=staff_user, card=card, code="O1", value={"points": 5}),
        lambda: services.set_self_value(by=unit_admin_user, card=card, code="O1", value={"points": 5}),
        lambda: services.submit_self_check(by=unit_admin_user, card=card),
        lambda: services.finalise_card(by=staff_user, card=card),
    ):
        with pytest.raises(ValidationError):
            attempt()
    with pytest.raises(ValidationError):
        services.reopen_card(by=staff_user, card=card, reason="")
    with pytest.raises(PermissionDenied):
        services.reopen_card(by=unit_admin_user, card=card, reason="请重开")
    card = services.reopen_card(by=staff_user, card=card, reason="复核更正O1")
    assert (card.status, card.finalised_at) == ("draft", None)
    log = ChangeLog.objects.filter(model="assessments.scorecard", object_id=str(card.pk)).latest("pk")
    assert (log.reason, log.new["status"]) == ("复核更正O1", "draft")


def test_team_appraisal_only_on_a_team_card(new_card, staff_user, unit_admin_user):
    with pytest.raises(ValidationError):
        services.set_team_appraisal(by=staff_user, card=new_card(ORG), appraisal="good")
    team = new_card(TEAM)
    with pytest.raises(ValidationError):
        services.set_team_appraisal(by=staff_user, card=team, appraisal="great")
    with pytest.raises(PermissionDenied):
        services.set_team_appraisal(by=unit_admin_user, card=team, appraisal="good")
    assert services.set_team_appraisal(by=staff_user, card=team, appraisal="good").team_appraisal == "good"


def _full_marks(by, card, codes_values):
    for code, value in codes_values.items():
        services.set_final_value(by=by, card=card, code=code, value=value)


ORG_FULL = {
    "O1": {"points": 10},
    "O5": {"met": ["meeting", "q1", "q2", "q3", "q4"]},
    "O6": {"points": 10},
    "O8": {"met": ["mechanism", "complement", "self_check"]},
    "O10": {"met": ["c1", "c2", "c3", "c4", "c5"]},
}
TEAM_FULL = {"T3": {"met": ["c1", "c2", "c3", "c4", "c5"]}, "T4": {"met": ["meeting", "q1", "q2", "q3", "q4"]}}


def test_the_rating_chain_follows_the_org_card(new_card, staff_user, officials):
    org, team = new_card(ORG), new_card(TEAM)
    _full_marks(staff_user, team, TEAM_FULL)
    services.set_team_appraisal(by=staff_user, card=team, appraisal="excellent")
    # T9: finance's two section-level officials below 100 hours: 8; the team card is at 98 but the org card unrated.
    assert (fresh(team).total, fresh(team).tier) == (Decimal("98.0"), "not_rated")
    _full_marks(staff_user, org, ORG_FULL)
    assert (fresh(org).total, fresh(org).tier) == (Decimal("98.0"), "learning_org")
    assert fresh(team).tier == "learning_team"  # re-tiered with the org card
    services.set_team_appraisal(by=staff_user, card=team, appraisal="average")
    assert fresh(team).tier == "not_rated"
    services.set_team_appraisal(by=staff_user, card=team, appraisal="good")
    assert fresh(team).tier == "learning_team"
    services.set_final_value(by=staff_user, card=org, code="O6", value={"points": 0})  # 88: below 90
    assert (fresh(org).tier, fresh(team).tier) == ("not_rated", "not_rated")


def test_benxi_bonus_passes_100_and_e2_needs_e1(new_card, staff_user):
    card = new_card(BENXI)
    values = {code: {"points": m} for code, m in
              [("A1", 5), ("A2", 5), ("A3", 5), ("B1", 5), ("B2", 10), ("B3", 5), ("B4", 5), ("B5", 5), ("B6", 15),
               ("C1", 5), ("C3", 5), ("C4", 5), ("D2", 5), ("D3", 5), ("D4", 5)]}  # fmt: skip
    values |= {"C2": {"choice": "full"}, "D1": {"percent": 80}, "E2": {"awarded": True}}
    _full_marks(staff_user, card, values)
    card = fresh(card)
    assert (card.base, card.bonus, card.total, card.tier) == (100, 0, 100, "fully_completed")
    services.set_final_value(by=staff_user, card=card, code="E1", value={"awarded": True})
    card = fresh(card)
    assert (card.bonus, card.total) == (20, Decimal("120.0"))


# ---------------------------------------------------------------------------------------------------
# Evidence


def upload(data: bytes, name: str = "签到表.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_evidence_is_checked_by_parsing_and_follows_the_self_check(new_card, unit_admin_user, staff_user, settings,
                                                                   tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    card = new_card(BENXI)
    row = item(card, "B2")
    evidence = services.add_evidence(by=unit_admin_user, item=row, upload=upload(pdf()))
    assert (evidence.file_type, evidence.original_name) == ("pdf", "签到表.pdf")
    assert evidence.file.name.endswith(".pdf") and "签到" not in evidence.file.name
    services.add_evidence(by=unit_admin_user, item=row, upload=upload(png(), "photo.png"))
    with pytest.raises(ValidationError) as error:
        services.add_evidence(by=unit_admin_user, item=row, upload=upload(b"<html><script>alert(1)</script>", "a.pdf"))
    assert "file" in error.value.message_dict
    services.remove_evidence(by=unit_admin_user, evidence=evidence)
    assert list(ItemEvidence.objects.filter(item=row).values_list("file_type", flat=True)) == ["png"]
    services.finalise_card(by=staff_user, card=card)
    with pytest.raises(ValidationError):
        services.add_evidence(by=unit_admin_user, item=row, upload=upload(pdf()))


# ---------------------------------------------------------------------------------------------------
# The year's views


def test_overdue_reports_by_due_date(new_card, unit_admin_user, staff_user):
    past = new_card(BENXI)  # 2025: both reports are late
    this_year = timezone.localdate().year
    current = new_card(BENXI, unit="education", year=this_year)
    today = date(this_year, 11, 30)
    rows = [(r.card.pk, r.period) for r in overdue_self_checks(today=today)]
    assert rows == [(past.pk, "half_year"), (past.pk, "full_year"), (current.pk, "half_year")]
    # The due date itself is not late; the day after is.
    assert (current.pk, "full_year") in [(r.card.pk, r.period) for r in overdue_self_checks(today=today + timedelta(1))]
    services.submit_self_check(by=unit_admin_user, card=past, period="full_year")
    assert [(r.card.pk, r.period) for r in overdue_self_checks(today=today) if r.card.pk == past.pk] == [
        (past.pk, "half_year")
    ]
    services.finalise_card(by=staff_user, card=past)
    assert [r.card.pk for r in overdue_self_checks(today=today)] == [current.pk]
    assert card_detail(current, today=today).overdue == ["half_year"]


def test_board_rankings_with_ties_and_tier_counts(new_card, staff_user, templates, units, officials):
    finance, education = new_card(ORG), new_card(ORG, unit="education")
    city = services.create_card(by=staff_user, template=templates[ORG], unit=Unit.objects.get(code="CITY"), year=YEAR)
    # Without O6: finance 88 (two officials short of 16 hours), education 89 (one), CITY 90 (no officials).
    for card in (finance, education, city):
        _full_marks(staff_user, card, {k: v for k, v in ORG_FULL.items() if k != "O6"})
    services.set_final_value(by=staff_user, card=finance, code="O6", value={"points": 10})
    services.set_final_value(by=staff_user, card=education, code="O6", value={"points": 1})
    ranks = [(rank, card.unit.code, card.total) for rank, card in unit_rankings(template=templates[ORG], year=YEAR)]
    assert ranks == [(1, "B01", Decimal("98.0")), (2, "B02", Decimal("90.0")), (2, "CITY", Decimal("90.0"))]
    assert tier_counts(year=YEAR)[ORG] == {"learning_org": 3, "not_rated": 0}
    assert tier_counts(year=YEAR)[TEAM] == {"learning_team": 0, "not_rated": 0}
    rows = board(year=YEAR, today=date(YEAR + 1, 1, 1))
    assert [row.unit.code for row in rows] == ["B01", "B02", "CITY"]
    assert rows[0].cards[ORG] == finance and rows[0].cards[BENXI] is None
    assert rows[0].overdue == {ORG: ["full_year"]}


def test_cards_visible_to_each_role(new_card, staff_user, unit_admin_user, officials):
    mine, other = new_card(ORG), new_card(ORG, unit="education")
    assert set(cards_visible_to(staff_user)) == {mine, other}
    assert list(cards_visible_to(unit_admin_user)) == [mine]
    assert list(cards_visible_to(officials["zhang"].user)) == []
