"""Reads of unit scorecards, scoped to who asks (what a user may not see does not exist for them), and the figures
the computed items and the year's facts are made of (RULES §3, §4), set-based.

- ``computed_counts``: per unit, the officials short of study hours (the COMPUTED_SOURCES of the engine) and the
  year's facts (central-group sessions against 12, the share of officials trained): one ``GROUP BY`` of the year's
  approved records per official, one read of the officials, one count of sessions per unit, whatever the size of
  the city.
- ``board``, ``overdue_self_checks``, ``unit_rankings``, ``tier_counts``: the training section's views of a year.

Decisions (named, RULES §4 leaves them open):
- the officials of a unit are those whose ``Official.unit`` it is now, among the officials assessed in the year
  (``credits.scoring.officials_assessed_in``) and not exempt that year (RULES §1.1: an exempt official is not
  assessed);
- an official is *trained* in a year when they have at least one approved ``class_day`` record in it (a day of a
  training class, whoever organised it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from credits.models import ActivityRecord, Exemption, GroupStudySession, Status
from credits.rules.hours import REQUIREMENTS
from credits.scoring import officials_assessed_in
from credits.selectors.hours import record_hours_expression
from organisation.models import Rank, Unit
from organisation.roles import scope_of

from .. import engine
from ..models import CardStatus, ItemEvidence, Scorecard, ScorecardItem, ScorecardTemplate, SelfCheckSubmission

# RULES §4.2 O9: an official of the unit with fewer than this many study hours in the year is one shortfall.
O9_HOURS = Decimal(16)
# The study-hours line of each computed source: (the ranks it counts, None for every rank; the hours below which an
# official is one shortfall). T8 and T9 use the year's requirement of RULES §3 for their ranks.
SOURCE_LINES: dict[str, tuple[frozenset[str] | None, Decimal]] = {
    "officials_below_16_hours": (None, O9_HOURS),
    "division_below_110_hours": (frozenset({Rank.DIVISION}), REQUIREMENTS[Rank.DIVISION].year),
    "section_below_100_hours": (
        frozenset({Rank.SECTION_CHIEF, Rank.DEPUTY_SECTION}),
        REQUIREMENTS[Rank.SECTION_CHIEF].year,
    ),
}
# RULES §4.4 (and §1.8): a unit's central group holds at least this many study sessions a year.
GROUP_SESSIONS_REQUIRED = 12
TRAINED_KIND = "class_day"
UNITS_SHARE_FOR_WHOLE_YEAR = 4  # a refresh of more than a quarter of the units reads the whole year's records
FACTS = "facts"  # the key of the year's facts in ``Scorecard.computed``


# ---------------------------------------------------------------------------------------------------
# Templates


def engine_template(template: ScorecardTemplate) -> engine.Template:
    """The engine's reading of a stored template (parsed once per object: the pages and services reuse it)."""
    parsed = getattr(template, "_engine_template", None)
    if parsed is None:
        parsed = template._engine_template = engine.template_from_data(template.definition)
    return parsed


def active_templates() -> list[ScorecardTemplate]:
    return list(ScorecardTemplate.objects.filter(active=True).order_by("code"))


def due_date_of(due: engine.DueDate, year: int) -> date:
    return date(year, due.month, due.day)


# ---------------------------------------------------------------------------------------------------
# Scope


def cards_visible_to(user) -> QuerySet[Scorecard]:
    """The training section: every card. A unit study administrator: their unit's cards. Anyone else: none."""
    scope = scope_of(user)
    cards = Scorecard.objects.select_related("template", "unit")
    if scope.everything:
        return cards
    if scope.unit_id is not None:
        return cards.filter(unit_id=scope.unit_id)
    return cards.none()


def with_items(cards: QuerySet[Scorecard]) -> QuerySet[Scorecard]:
    """The cards with their items (and each item's evidence) and self-check reports, in three more queries."""
    return cards.prefetch_related(
        Prefetch("items", queryset=ScorecardItem.objects.order_by("pk").prefetch_related("evidence")),
        Prefetch("submissions", queryset=SelfCheckSubmission.objects.order_by("submitted_at")),
    )


# ---------------------------------------------------------------------------------------------------
# One card


@dataclass
class ItemRow:
    item: engine.Item  # the template's item (title, max, method, criteria, options)
    row: ScorecardItem  # the card's values, scores and comments
    evidence: list[ItemEvidence]


@dataclass
class SectionRows:
    section: engine.Section
    items: list[ItemRow]


@dataclass
class CardDetail:
    card: Scorecard
    template: engine.Template
    sections: list[SectionRows]
    submissions: list[SelfCheckSubmission]
    overdue: list[str]  # the due periods whose report is overdue
    facts: dict = field(default_factory=dict)

    @property
    def items(self) -> list[ItemRow]:
        return [row for section in self.sections for row in section.items]


def card_detail(card: Scorecard, *, today: date | None = None) -> CardDetail:
    """The card's items in the template's order with their template item and evidence, its self-check reports, the
    periods overdue and the year's facts (four queries)."""
    template = engine_template(card.template)
    rows = {row.code: row for row in ScorecardItem.objects.filter(card=card).prefetch_related("evidence")}
    sections = []
    for section in template.sections:
        items = []
        for item in section.items:
            row = rows.get(item.code) or ScorecardItem(card=card, code=item.code)
            items.append(ItemRow(item, row, list(row.evidence.all()) if row.pk else []))
        sections.append(SectionRows(section, items))
    submissions = list(card.submissions.order_by("submitted_at"))
    submitted = {s.period for s in submissions}
    overdue = _overdue_periods(card, template, submitted, today or timezone.localdate())
    return CardDetail(card, template, sections, submissions, overdue, (card.computed or {}).get(FACTS, {}))


def self_check_open(card: Scorecard, *, submitted: Iterable[str] | None = None) -> bool:
    """Whether the unit may change its self-check: while the card is a draft or returned, and after a report while
    another of the template's due dates is still to be reported on (Benxi: the full year after the half year)."""
    if card.status in (CardStatus.DRAFT, CardStatus.RETURNED):
        return True
    if card.status != CardStatus.SUBMITTED:
        return False
    if submitted is None:
        submitted = card.submissions.values_list("period", flat=True)
    return bool({due.code for due in engine_template(card.template).due_dates} - set(submitted))


def next_period(card: Scorecard, *, submitted: Iterable[str] | None = None) -> str | None:
    """The due period a report handed in now is for: the first without a report, else the last (a resubmission
    after the card was returned); None when the template has no due dates."""
    dues = engine_template(card.template).due_dates
    if not dues:
        return None
    if submitted is None:
        submitted = card.submissions.values_list("period", flat=True)
    done = set(submitted)
    return next((due.code for due in dues if due.code not in done), dues[-1].code)


def overdue_periods(card: Scorecard, *, submitted: Iterable[str], today: date | None = None) -> list[str]:
    """The due periods of the card whose self-check report is overdue on ``today`` (none once the card is final)."""
    return _overdue_periods(card, engine_template(card.template), set(submitted), today or timezone.localdate())


def _overdue_periods(card: Scorecard, template: engine.Template, submitted: set[str], today: date) -> list[str]:
    if card.status == CardStatus.FINAL:
        return []
    return [due.code for due in template.due_dates if due_date_of(due, card.year) < today and due.code not in submitted]


# ---------------------------------------------------------------------------------------------------
# The year: board, overdue reports, rankings, tiers


class BoardRow(NamedTuple):
    unit: Unit
    cards: dict[str, Scorecard | None]  # template code -> the unit's card of the year, None when there is none
    overdue: dict[str, list[str]]  # template code -> the periods whose self-check report is overdue


def board(*, year: int, today: date | None = None, templates: list[ScorecardTemplate] | None = None) -> list[BoardRow]:
    """Every unit × the active templates for ``year``: its card (or None) and the overdue self-check periods, by
    unit code. Four queries whatever the number of units."""
    today = today or timezone.localdate()
    templates = active_templates() if templates is None else templates
    codes = [t.code for t in templates]
    cards: dict[int, dict[str, Scorecard]] = defaultdict(dict)
    # The board shows status, total and tier: only those are read (decoding the JSON of the template and of the
    # computed facts for 1,200 cards was half the board's time).
    card_list = list(
        Scorecard.objects.filter(year=year, template__in=templates)
        .select_related("template")
        .only("unit", "template__code", "template__name", "year", "status", "total", "tier", "self_total")
        .order_by("pk")
    )
    submitted: dict[int, set[str]] = defaultdict(set)
    handed_in = SelfCheckSubmission.objects.filter(card__year=year, card__template__in=templates)  # not 1,200 ids
    for card_id, period in handed_in.values_list("card_id", "period"):
        submitted[card_id].add(period)
    overdue: dict[int, dict[str, list[str]]] = defaultdict(dict)
    # Each template read once (the cards' own template objects are one per card: 1,200 parses cost 4 s).
    parsed = {template.pk: engine_template(template) for template in templates}
    for card in card_list:
        cards[card.unit_id][card.template.code] = card
        periods = _overdue_periods(card, parsed[card.template_id], submitted[card.pk], today)
        if periods:
            overdue[card.unit_id][card.template.code] = periods
    return [
        BoardRow(unit, {code: cards[unit.pk].get(code) for code in codes}, overdue.get(unit.pk, {}))
        for unit in Unit.objects.order_by("code")
    ]


class Overdue(NamedTuple):
    card: Scorecard
    period: str
    due_on: date


def overdue_self_checks(*, today: date | None = None, cards: QuerySet[Scorecard] | None = None) -> list[Overdue]:
    """Self-check reports overdue on ``today``: a due date of the card's template has passed, no report for that
    period was handed in and the card is not final. By due date, then unit code. Two queries."""
    today = today or timezone.localdate()
    cards = Scorecard.objects.all() if cards is None else cards
    found = list(
        cards.exclude(status=CardStatus.FINAL)
        .filter(year__lte=today.year)
        .select_related("template", "unit")
        .prefetch_related(Prefetch("submissions", queryset=SelfCheckSubmission.objects.only("card_id", "period")))
    )
    rows = []
    for card in found:
        template = engine_template(card.template)
        submitted = {s.period for s in card.submissions.all()}
        for due in template.due_dates:
            due_on = due_date_of(due, card.year)
            if due_on < today and due.code not in submitted:
                rows.append(Overdue(card, due.code, due_on))
    rows.sort(key=lambda row: (row.due_on, row.card.unit.code, row.card.template.code))
    return rows


def unit_rankings(*, template: ScorecardTemplate, year: int, cards: QuerySet[Scorecard] | None = None) -> list:
    """(rank, card) of every card of ``template`` and ``year`` by total, highest first; equal totals share a rank
    and the next is skipped (RULES §1.7: 1, 2, 2, 4). ``cards`` narrows whose cards are listed (a unit's own), the
    ranks stay the city's."""
    ranked = list(
        Scorecard.objects.filter(template=template, year=year)
        .select_related("template", "unit")
        .order_by("-total", "unit__code")
    )
    rows, rank, previous = [], 0, None
    for position, card in enumerate(ranked, start=1):
        if card.total != previous:
            rank, previous = position, card.total
        rows.append((rank, card))
    if cards is not None:
        keep = set(cards.values_list("pk", flat=True))
        rows = [(rank, card) for rank, card in rows if card.pk in keep]
    return rows


def tier_counts(*, year: int) -> dict[str, dict[str, int]]:
    """{template code: {tier code: number of cards}} of ``year`` (one query); every tier of each active template
    is present (0 when no card has it)."""
    counts: dict[str, dict[str, int]] = {}
    for template in active_templates():
        counts[template.code] = {tier.code: 0 for tier in engine_template(template).tiers}
    rows = Scorecard.objects.filter(year=year).values_list("template__code", "tier").annotate(n=Count("pk"))
    for code, tier, n in rows.order_by():
        counts.setdefault(code, {})[tier] = counts.get(code, {}).get(tier, 0) + n
    return counts


# ---------------------------------------------------------------------------------------------------
# The data behind the computed items and the facts


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def computed_counts(*, year: int, unit_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """Per unit: ``{source: officials short of the line, ..., "facts": year_facts}`` for every unit given (every unit
    of the city when None), from one GROUP BY of the year's approved records per official."""
    unit_ids = None if unit_ids is None else sorted(set(unit_ids))
    first, after = _year_bounds(year)
    records = ActivityRecord.objects.filter(status=Status.APPROVED, occurred_on__gte=first, occurred_on__lt=after)
    officials = officials_assessed_in(year).exclude(pk__in=Exemption.objects.filter(year=year).values("official_id"))
    if unit_ids is not None:
        officials = officials.filter(unit_id__in=unit_ids)
        # A few units: their officials' records through the index. Many: the year's one scan is cheaper than a join
        # on hundreds of units (the officials outside them are skipped below).
        if len(unit_ids) * UNITS_SHARE_FOR_WHOLE_YEAR < Unit.objects.count():
            records = records.filter(official__unit_id__in=unit_ids)
    hours: dict[int, Decimal] = {}
    trained: set[int] = set()
    rows = (
        records.values("official_id")
        .annotate(hours=Sum(record_hours_expression()), trained=Count("pk", filter=Q(kind=TRAINED_KIND)))
        .order_by()
        .values_list("official_id", "hours", "trained")
    )
    with _without_jit():
        for official_id, total, class_days in rows.iterator(chunk_size=20000):
            hours[official_id] = total if isinstance(total, Decimal) else Decimal(str(total or 0))
            if class_days:
                trained.add(official_id)
    counts: dict[int, dict] = {}
    sessions = _group_sessions(year, unit_ids)
    units = Unit.objects.values_list("pk", flat=True) if unit_ids is None else unit_ids
    for unit_id in units:
        counts[unit_id] = {**dict.fromkeys(SOURCE_LINES, 0), FACTS: _facts(sessions.get(unit_id, 0), 0, 0)}
    zero = Decimal(0)
    people: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # unit -> [officials, trained]
    for pk, unit_id, rank in officials.values_list("pk", "unit_id", "rank").iterator(chunk_size=20000):
        unit = counts.get(unit_id)
        if unit is None:
            continue
        had = hours.get(pk, zero)
        for source, (ranks, line) in SOURCE_LINES.items():
            if had < line and (ranks is None or rank in ranks):
                unit[source] += 1
        tally = people[unit_id]
        tally[0] += 1
        tally[1] += pk in trained
    for unit_id, (n, k) in people.items():
        counts[unit_id][FACTS] = _facts(sessions.get(unit_id, 0), n, k)
    return counts


@contextmanager
def _without_jit():
    """PostgreSQL: no JIT compilation for the year's aggregation (one pass over a million rows: compiling costs
    more than it saves, as credits.scoring found)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _group_sessions(year: int, unit_ids: list[int] | None) -> dict[int, int]:
    first, after = _year_bounds(year)
    sessions = GroupStudySession.objects.filter(occurred_on__gte=first, occurred_on__lt=after)
    if unit_ids is not None:
        sessions = sessions.filter(unit_id__in=unit_ids)
    return dict(sessions.values("unit_id").annotate(n=Count("pk")).order_by().values_list("unit_id", "n"))


def _facts(sessions: int, officials: int, trained: int) -> dict:
    """The year's facts shown on every card of a unit (JSON-safe: the share is a string with one decimal)."""
    share = (Decimal(trained * 100) / officials).quantize(Decimal("0.1")) if officials else None
    return {
        "group_sessions": sessions,
        "group_sessions_required": GROUP_SESSIONS_REQUIRED,
        "officials": officials,
        "trained": trained,
        "trained_percent": None if share is None else str(share),
    }


def year_facts(*, year: int, unit_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """Per unit: its central-group sessions of ``year`` against the 12 required, how many of its officials were
    trained in the year (at least one approved class day) out of how many, and the share in percent."""
    return {unit_id: values[FACTS] for unit_id, values in computed_counts(year=year, unit_ids=unit_ids).items()}
