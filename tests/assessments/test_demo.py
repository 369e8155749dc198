"""The demo city's unit scorecards (manage.py load_demo_city): a year of cards in several states and tiers."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import CardStatus, Scorecard
from organisation import demo
from organisation.models import Unit

YEAR = 2025


@pytest.fixture
def city(db):
    out = StringIO()
    call_command("load_demo_city", officials=80, units=12, year=YEAR, stdout=out)
    return out.getvalue()


def test_every_unit_has_a_card_of_each_template_in_several_states(city):
    units = Unit.objects.count()
    assert Scorecard.objects.filter(year=YEAR).count() == 3 * units
    assert set(Scorecard.objects.values_list("status", flat=True)) == set(CardStatus.values)
    finals = Scorecard.objects.filter(status=CardStatus.FINAL)
    assert finals.filter(template__code="benxi-2010").values("tier").distinct().count() >= 2
    assert finals.filter(template__code="daxinganling-org-2010", tier="learning_org").exists()
    returned = Scorecard.objects.filter(status=CardStatus.RETURNED).first()
    assert returned.return_reason
    assert "scorecards of 2025" in city


def test_the_demo_units_benxi_self_check_is_half_filled_for_the_unit_administrator(city):
    card = Scorecard.objects.get(template__code="benxi-2010", unit__study_admins__user__username=demo.DEMO_UNIT_ADMIN)
    assert card.status == CardStatus.DRAFT
    filled = card.items.exclude(self_value=None).count()
    assert 0 < filled < card.items.count()


def test_reset_clears_the_cards_and_builds_them_again(city):
    call_command("load_demo_city", officials=40, units=4, year=YEAR, reset=True, stdout=StringIO())
    assert Scorecard.objects.filter(year=YEAR).count() == 3 * Unit.objects.count()
