"""The scorecard engine (RULES §4): templates as plain data in, item scores, total, tier and an explanation out.

Pure: no ORM, no Django; Decimal arithmetic, one decimal place. A template is stored as JSON
(``ScorecardTemplate.definition``) and read with :func:`template_from_data`; the three templates of RULES §4.1–4.3
are in ``assessments/template_data.py``.

Methods (RULES §4):
- ``deduction``: ``max(0, max − per × shortfalls − computed_per × computed shortfalls)``;
- ``criteria``: the sum of the points of the criteria met, at most ``max``;
- ``ladder``: the points of the highest step whose minimum percentage is reached (else 0);
- ``choice``: the chosen option's points;
- ``manual``: 0 to ``max``, half points allowed;
- ``bonus``: ``max`` on top of the total when awarded (only when the item it ``requires`` is awarded too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

METHODS = ("deduction", "criteria", "ladder", "choice", "manual", "bonus")
TENTH = Decimal("0.1")

# The named data sources a computed item takes its shortfalls from (counted by assessments/selectors, RULES §3).
COMPUTED_SOURCES = {
    "officials_below_16_hours": "officials of the unit with fewer than 16 study hours in the year",
    "division_below_110_hours": "division-level officials of the unit below 110 study hours in the year",
    "section_below_100_hours": "section-level officials of the unit below 100 study hours in the year",
}
TEAM_APPRAISALS = ("excellent", "good", "average", "poor")


@dataclass(frozen=True)
class Criterion:
    code: str
    points: Decimal
    title: str = ""


@dataclass(frozen=True)
class Step:
    """A ladder step: ``points`` when the percentage reaches ``minimum``."""

    minimum: Decimal
    points: Decimal


@dataclass(frozen=True)
class Option:
    code: str
    points: Decimal
    title: str = ""


@dataclass(frozen=True)
class Item:
    code: str
    title: str
    max: Decimal
    method: str
    per: Decimal | None = None  # deduction: points per entered shortfall
    computed: str | None = None  # deduction: a COMPUTED_SOURCES key giving further shortfalls from the data
    computed_per: Decimal | None = None  # deduction: points per computed shortfall
    entered: bool = True  # deduction: False when every shortfall comes from the data (O9)
    criteria: tuple[Criterion, ...] = ()
    steps: tuple[Step, ...] = ()
    options: tuple[Option, ...] = ()
    requires: str | None = None  # bonus: only with this other bonus item awarded (Benxi E2 needs E1)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Tier:
    """A tier (or rating) reached at ``minimum`` total, when its conditions hold; tiers are tried in order and the
    last one (minimum 0, no conditions) is the fallback."""

    code: str
    minimum: Decimal
    title: str = ""
    requires_card: tuple[str, str] | None = None  # (template code, tier code) of the unit's card of the same year
    excluded_appraisals: tuple[str, ...] = ()  # the team's appraisal must be entered and not one of these


@dataclass(frozen=True)
class DueDate:
    code: str  # "half_year", "full_year"
    month: int
    day: int
    title: str = ""


@dataclass(frozen=True)
class Template:
    code: str
    name: str
    version: int
    sections: tuple[Section, ...]
    tiers: tuple[Tier, ...]
    due_dates: tuple[DueDate, ...] = ()
    appraisal: bool = False  # the card carries the team's annual appraisal (Daxinganling team card)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)


@dataclass(frozen=True)
class ItemValue:
    """What a person entered for an item (one of these, by method); None/empty = nothing entered yet."""

    shortfalls: int | None = None
    met: tuple[str, ...] | None = None
    percent: Decimal | None = None
    choice: str | None = None
    points: Decimal | None = None
    awarded: bool | None = None


@dataclass(frozen=True)
class ItemResult:
    code: str
    score: Decimal
    explanation: str  # plain words (English msgid-style text; translated by the caller)
    computed: int | None = None  # the computed shortfalls used, for computed items


@dataclass(frozen=True)
class RatingContext:
    other_cards: Mapping[str, str] = field(default_factory=dict)  # template code → tier code of the same unit/year
    team_appraisal: str | None = None


@dataclass(frozen=True)
class CardResult:
    items: tuple[ItemResult, ...]
    base: Decimal  # the items other than bonus
    bonus: Decimal
    total: Decimal
    tier: str
    explanation: tuple[str, ...]
