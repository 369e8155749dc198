"""Reads for the year-end reports (city or unit workbook, rankings, a unit's year): who may have which report, the
rows, the unit summaries, and a stored score's policy figures and study hours read the same way everywhere.

Row reads never build model instances: they are ``values_list`` tuples streamed with ``.iterator(chunk_size=...)``
(a server-side cursor on PostgreSQL, ``fetchmany`` on SQLite), so memory stays flat whatever the size of the city.
The summaries are a fixed number of aggregate queries.

Decisions where RULES.md is silent:

* Which figures a year shows beside its categories (``policy_figures``) is asked of the year's policy itself: the
  keys of ``Assessment.figures`` for a year with nothing in it (kunshan-2020: none; baoji-2009: earned, carry in,
  effective, carry out and the five-year cycle). No page or report names a policy to decide it.
* Study hours (RULES §3) are judged for every official with a requirement for their rank, exempt from the credit
  assessment or not: the hours rule is kept for everyone whatever the credit policy (``HOURS_FOR_EXEMPT``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Exists, F, FilteredRelation, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from kunshan_training.years import parse_year
from organisation.models import Official, Unit
from organisation.roles import scope_of

from ..models import AnnualScore, GroupStudySession, Status
from ..policies import policy_of_year
from ..rules import ALL_GRADES, OfficialYear, Policy
from ..rules.common import cycle_of
from ..rules.hours import HoursResult, judge_hours, record_hours
from . import scores_visible_to
from .city import judged_categories, passed_counts

GRADES: tuple[str, ...] = ALL_GRADES  # every policy's grades, best first
REPORT_CHUNK = 5000  # rows per fetch from the database cursor

# Sheet 1 of the year report: one row per official with a score of the year. Order matters: the writer unpacks it.
OFFICIAL_ROW_FIELDS: tuple[str, ...] = (
    "official__staff_no",
    "official__name",
    "unit__code",
    "unit__name",
    "official__rank",
    "categories",
    "total",
    "grade",
    "exempt",
    "exempt_reason",
    "exempt_note",
    "vetoes",
    "flags",
    "city_rank",
    "unit_rank",
    "figures",
    "official_id",
)
RANKING_ROW_FIELDS: tuple[str, ...] = (
    "city_rank",
    "unit_rank",
    "official__staff_no",
    "official__name",
    "unit__code",
    "unit__name",
    "official__rank",
    "total",
    "grade",
    "vetoes",
)


HOURS_FOR_EXEMPT = True  # study hours are judged for officials exempt from the credit assessment too (RULES §3)

# The figures a policy may store beside its categories (``AnnualScore.figures``), in the order they are shown; the
# cycle's (``figures["cycle"]``) come after them.
CARRY_FIGURES: tuple[str, ...] = ("earned", "carry_in", "effective", "carry_out")
CYCLE_FIGURES = "cycle"
# Where they stand in a table of scores: earned and carried in before the total (which is the effective credits),
# carried out after it.
BEFORE_TOTAL: tuple[str, ...] = ("earned", "carry_in")
AFTER_TOTAL: tuple[str, ...] = ("carry_out",)


def figure_words() -> dict[str, str]:
    """The carry figures in the active language (column headers, the form's line)."""
    return {
        "earned": _("Earned this year"),
        "carry_in": _("Carried in"),
        "effective": _("Effective credits"),
        "carry_out": _("Carried out"),
    }


def total_words(figures: tuple[str, ...]) -> str:
    """The total column's header: the effective credits when the policy carries credits over (``figures`` from
    ``policy_figures``), else the total."""
    return _("Effective credits") if "effective" in figures else _("Total")


@cache
def policy_figures(policy: Policy, year: int) -> tuple[str, ...]:
    """The figures ``policy`` stores for ``year`` beside its categories, in display order (``CARRY_FIGURES``, then
    ``"cycle"``): asked of the policy by assessing a year with nothing in it. Pure, no query."""
    stored = policy.assess(OfficialYear(year=year)).figures
    return tuple(key for key in (*CARRY_FIGURES, CYCLE_FIGURES) if key in stored)


class ScoreFigures(NamedTuple):
    """A stored score's carry figures (baoji-2009) as numbers; built by ``score_figures``."""

    earned: Decimal | None
    carry_in: Decimal | None
    effective: Decimal | None
    carry_out: Decimal | None
    cycle_first_year: int | None
    cycle_last_year: int | None
    cycle_earned: Decimal | None
    cycle_passed: bool | None  # None before the cycle's last year


def _number(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def score_figures(figures: Mapping | str | None) -> ScoreFigures | None:
    """``AnnualScore.figures`` (a dict, or JSON text as SQLite streams it) as numbers; None when the score has none
    (kunshan-2020 stores ``{}``)."""
    if isinstance(figures, str):
        figures = json.loads(figures)
    if not figures:
        return None
    cycle = figures.get(CYCLE_FIGURES) or {}
    return ScoreFigures(
        *(_number(figures.get(key)) for key in CARRY_FIGURES),
        cycle_first_year=cycle.get("first_year"),
        cycle_last_year=cycle.get("last_year"),
        cycle_earned=_number(cycle.get("earned")),
        cycle_passed=cycle.get("passed"),
    )


def hours_by_year(records: Iterable, *, rank: str, years: Iterable[int] = ()) -> dict[int, HoursResult]:
    """Study hours of each of ``years`` and of every year with approved ``records`` (anything with ``kind``,
    ``quantity``, ``hours``, ``occurred_on`` and ``status``: the training archive's records), judged at ``rank``: the
    year's hours and the cycle's up to that year (RULES §3). No query: the caller holds every approved record."""
    per_year: dict[int, Decimal] = {}
    for record in records:
        if record.status != Status.APPROVED:
            continue
        hours = record_hours(kind=record.kind, quantity=Decimal(record.quantity), entered=record.hours)
        per_year[record.occurred_on.year] = per_year.get(record.occurred_on.year, Decimal(0)) + hours
    results = {}
    for year in sorted({*per_year, *years}):
        first, _last = cycle_of(year)
        cycle = sum((h for y, h in per_year.items() if first <= y <= year), Decimal(0))
        results[year] = judge_hours(rank=rank, year=year, year_hours=per_year.get(year, Decimal(0)), cycle_hours=cycle)
    return results


def report_year(year: int) -> int:
    """The year as asked, when it can have results (kunshan_training.years); else ``ValueError`` in words."""
    try:
        return parse_year(year)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from error


def report_unit_for(user, code: str | None) -> Unit | None:
    """The unit a report covers (``None``: the whole city), as far as ``user`` may have it.

    Org-dept staff: the city, or any unit by ``code``; a unit study administrator: their own unit only (no code
    means theirs, another unit's code is 404 as if it did not exist); anyone else: 403.
    """
    scope = scope_of(user)
    code = (code or "").strip()
    if scope.everything:
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise Http404(_("There is no unit with code “{value}”.").format(value=code))
        return unit
    if scope.unit_id is None:
        raise PermissionDenied(_("Only the training section and unit study administrators may download reports."))
    unit = Unit.objects.get(pk=scope.unit_id)
    if code and code != unit.code:
        raise Http404(_("There is no unit with code “{value}”.").format(value=code))
    return unit


def _year_scores(user, *, year: int, unit: Unit | None):
    # Start from the scoped read, so a caller who skipped report_unit_for still sees only their rows.
    scores = scores_visible_to(user).filter(year=year).select_related(None)
    return scores.filter(unit=unit) if unit is not None else scores


def official_rows(user, *, year: int, unit: Unit | None = None, chunk_size: int = REPORT_CHUNK) -> Iterator[tuple]:
    """Every scored official of the year (of ``unit``, or the city) as ``OFFICIAL_ROW_FIELDS`` tuples, by unit code,
    then unit rank (exempt officials last), then staff number. One query, read ``chunk_size`` rows at a time."""
    # The exemption's note by a LEFT JOIN (one exemption per official and year), not a subquery per row.
    exemption = FilteredRelation("official__exemptions", condition=Q(official__exemptions__year=year))
    return (
        _year_scores(user, year=year, unit=unit)
        .annotate(year_exemption=exemption, exempt_note=F("year_exemption__note"))
        .order_by("unit__code", F("unit_rank").asc(nulls_last=True), "official__staff_no")
        .values_list(*OFFICIAL_ROW_FIELDS)
        .iterator(chunk_size=chunk_size)
    )


def ranking_rows(user, *, year: int, unit: Unit | None = None, chunk_size: int = REPORT_CHUNK) -> Iterator[tuple]:
    """The assessed officials of the year by city rank (or, for one unit, by unit rank) as ``RANKING_ROW_FIELDS``
    tuples; exempt officials have no rank and are left out. One query, streamed."""
    rank = "unit_rank" if unit is not None else "city_rank"
    return (
        _year_scores(user, year=year, unit=unit)
        .filter(exempt=False)
        .order_by(F(rank).asc(nulls_last=True), "official__staff_no")
        .values_list(*RANKING_ROW_FIELDS)
        .iterator(chunk_size=chunk_size)
    )


@dataclass
class UnitSummary:
    """One unit's year: how many were assessed, their grades, pass lines, central-group sessions, mean total."""

    code: str
    name: str
    officials: int = 0  # officials with a score of the year (assessed or exempt)
    assessed: int = 0
    exempt: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    vetoed: int = 0  # assessed officials failed by any veto (a missed pass line or a recorded one)
    passed: dict[str, int] = field(default_factory=dict)  # judged category -> officials who met its line
    sessions: int = 0
    mean_total: Decimal | None = None  # of the assessed
    sessions_required: int | None = None  # the year's policy's rule (None: no rule)
    failed: int = 0
    flags: tuple[str, ...] = ()  # the unit's flags of the year (Policy.unit_flags)

    def rate(self, code: str) -> float | None:
        return self.passed.get(code, 0) / self.assessed if self.assessed else None

    @property
    def sessions_short(self) -> int:
        return max(0, self.sessions_required - self.sessions) if self.sessions_required else 0


def unit_summaries(user, *, year: int, unit: Unit | None = None, policy: Policy | None = None) -> list[UnitSummary]:
    """Per-unit figures of the year, by unit code: three queries (units, score aggregates, session counts), and the
    year's policy unless the caller passes it.

    The city report lists every unit with officials or with scores of the year; a unit report just that unit.
    Scores count under the unit they were computed for (as the unit ranks do).
    """
    assessed = Q(exempt=False)
    policy = policy if policy is not None else policy_of_year(year)
    per_unit = (
        _year_scores(user, year=year, unit=unit)
        .values("unit_id")
        .annotate(
            n=Count("id"),
            n_assessed=Count("id", filter=assessed),
            n_exempt=Count("id", filter=Q(exempt=True)),
            n_vetoed=Count("id", filter=assessed & ~Q(vetoes=[])),
            n_failed=Count("id", filter=assessed & Q(grade=policy.failing_grade)),
            **passed_counts(policy, prefix="p_", assessed=assessed),
            mean=Avg("total", filter=assessed),
            **{f"n_{grade}": Count("id", filter=assessed & Q(grade=grade)) for grade in GRADES},
        )
        .order_by()
    )
    figures = {row["unit_id"]: row for row in per_unit}
    sessions = GroupStudySession.objects.filter(occurred_on__range=(date(year, 1, 1), date(year, 12, 31)))
    if unit is not None:
        sessions = sessions.filter(unit=unit)
    held = dict(sessions.values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n").order_by())
    if unit is not None:
        units = [(unit.pk, unit.code, unit.name)]
    else:
        units = (
            Unit.objects.filter(
                Q(Exists(Official.objects.filter(unit=OuterRef("pk"))))
                | Q(Exists(AnnualScore.objects.filter(unit=OuterRef("pk"), year=year)))
            )
            .order_by("code")
            .values_list("pk", "code", "name")
        )
    summaries = []
    for pk, code, name in units:
        row = figures.get(pk, {})
        mean = row.get("mean")
        summaries.append(
            UnitSummary(
                code=code,
                name=name,
                officials=row.get("n", 0),
                assessed=row.get("n_assessed", 0),
                exempt=row.get("n_exempt", 0),
                grades={grade: row.get(f"n_{grade}", 0) for grade in GRADES},
                vetoed=row.get("n_vetoed", 0),
                passed={code: row.get(f"p_{code}", 0) for code in judged_categories(policy)},
                sessions=held.get(pk, 0),
                sessions_required=policy.group_study_sessions_required,
                failed=row.get("n_failed", 0),
                flags=policy.unit_flags(assessed=row.get("n_assessed", 0), failed=row.get("n_failed", 0)),
                mean_total=None if mean is None else Decimal(str(mean)).quantize(Decimal("0.1")),
            )
        )
    return summaries


@dataclass(frozen=True)
class GradeDistribution:
    assessed: int
    exempt: int
    vetoed: int
    grades: dict[str, int]

    @classmethod
    def of(cls, summaries: list[UnitSummary]) -> GradeDistribution:
        """The whole report's distribution, summed from the unit figures (no query of its own)."""
        return cls(
            assessed=sum(s.assessed for s in summaries),
            exempt=sum(s.exempt for s in summaries),
            vetoed=sum(s.vetoed for s in summaries),
            grades={grade: sum(s.grades.get(grade, 0) for s in summaries) for grade in GRADES},
        )

    def share(self, count: int) -> float | None:
        return count / self.assessed if self.assessed else None
