"""Fixtures of the scorecard tests (helper B2's files import them): the three templates (loaded again, since a
transactional test empties the tables the data migration filled) and cards made through the service."""

from __future__ import annotations

import pytest

from assessments.models import ScorecardTemplate
from assessments.services.cards import create_card
from assessments.template_data import TEMPLATES
from tests.conftest import YEAR

BENXI, ORG, TEAM = "benxi-2010", "daxinganling-org-2010", "daxinganling-team-2010"


@pytest.fixture
def templates(db) -> dict[str, ScorecardTemplate]:
    found = {}
    for definition in TEMPLATES:
        found[definition["code"]], _ = ScorecardTemplate.objects.update_or_create(
            code=definition["code"],
            defaults={"name": definition["name"], "version": definition["version"], "definition": definition},
        )
    return found


@pytest.fixture
def new_card(templates, staff_user, units):
    """new_card(code, unit="finance", year=YEAR) -> a card made by the training section."""

    def make(code: str = BENXI, unit: str = "finance", year: int = YEAR):
        return create_card(by=staff_user, template=templates[code], unit=units[unit], year=year)

    return make
