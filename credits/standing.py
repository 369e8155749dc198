"""Where an official stands during the year: what is missing, whether they keep pace, the forecast grade.

Pure like the rules: plain data in (a stored score reduced to :class:`ScoreSnapshot`), plain data out, Decimal only.
RULES.md says what a year-end result is; it is silent on "behind pace" and "forecast", so these are decisions:

* ``PACE`` — an official is *behind pace* on a pass line when their score (or city-lecture count) is below the line
  times the share of their assessable period that has passed (from 1 January, or from the first day of the month
  after inclusion for a newcomer) times ``PACE_TOLERANCE``.
* ``FORECAST`` — each category projected linearly to the end of the period (score / elapsed share), capped at the
  category cap; city lectures likewise (rounded down); then pass lines and grade bands as at year end.
  The elapsed share is floored at ``MIN_ELAPSED_FOR_FORECAST`` so a January forecast is not wildly inflated.
  Recorded vetoes keep the forecast at ``fail``.
* What is missing is counted in whole activities of the kind the policy names for each requirement
  (``Policy.requirements``: a city lecture for Kunshan's ``menu``, class hours for ``online``, a class day for
  Baoji's year), so the text can say "还需参加 2 次市级讲座".
* Which lines there are, and the grade bands, are the policy's (``Policy.requirements``, ``Policy.grade_bands``):
  this module knows no policy by name. A requirement on the year's total (no category) is reported under the code
  ``TOTAL``. Carried-in credits (Baoji) are part of the total but are not projected by the forecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .rules import Policy, Requirement, get_policy

PACE_TOLERANCE = Decimal(1)
MIN_ELAPSED_FOR_FORECAST = Decimal(1) / Decimal(6)  # two months in
TOTAL = "total"  # the code of a requirement on the year's total rather than on one category
# The org dept's recorded decisions (not computed from the records): they fail the year whatever happens.
RECORDED_VETOES = frozenset({"absent_from_dispatch", "discipline"})
_ZERO = Decimal(0)
_ONE = Decimal(1)


@dataclass(frozen=True)
class ScoreSnapshot:
    """The parts of a stored annual score that standing needs."""

    year: int
    policy: Policy
    exempt: bool
    categories: dict[str, Decimal]  # final category scores
    requirements: tuple[Requirement, ...]  # the lines the result must reach, with what it has
    total: Decimal
    grade: str | None
    recorded_vetoes: tuple[str, ...] = ()  # absent_from_dispatch, discipline: fail whatever happens
    included_month: int | None = None  # 1-12 when included during the year (explanation "pr"."im")
    carried_in: Decimal = _ZERO  # part of the total carried from the year before (not projected)

    @classmethod
    def from_score(cls, score) -> ScoreSnapshot:
        """Build from an ``AnnualScore`` (or anything with its fields)."""
        policy = get_policy(score.policy)
        explanation = score.explanation or {}
        prorated = explanation.get("pr") or {}
        return cls(
            year=score.year,
            policy=policy,
            exempt=score.exempt,
            categories={code: Decimal(str(c["score"])) for code, c in (score.categories or {}).items()},
            requirements=policy.requirements(explanation),
            total=Decimal(score.total),
            grade=score.grade or None,
            recorded_vetoes=tuple(v for v in (score.vetoes or []) if v in RECORDED_VETOES),
            included_month=prorated.get("im"),
            carried_in=Decimal(str((score.figures or {}).get("carry_in") or 0)),
        )

    @classmethod
    def empty(cls, year: int, policy: Policy) -> ScoreSnapshot:
        """An official with nothing approved yet this year."""
        return cls(year=year, policy=policy, exempt=False, categories={c.code: _ZERO for c in policy.categories},
                   requirements=policy.requirements({}), total=_ZERO, grade=None)  # fmt: skip


@dataclass(frozen=True)
class Shortfall:
    """Something still missing to meet a line."""

    category: str  # the category of the line (Kunshan menu / online), or TOTAL
    what: str  # "points" or "count" (a count of ``kind`` records, e.g. city lectures)
    amount: Decimal  # points, or a count
    activities: int  # how many of ``kind`` would close it
    kind: str | None  # the activity counted in ``activities``
    need: Decimal = _ZERO  # the line itself (points, or a count)


@dataclass(frozen=True)
class Cause:
    """One exact reason an official is below a line: what they have, what the line needs, how many are short,
    and whether this part is behind pace for the date. ``what`` is "points" (the category's score, or the total)
    or "count" (a count of ``kind`` records, e.g. the menu line's city lectures): 30 of 30 menu points with 3 of 4
    city lectures is one cause, a count 3 of 4, never "menu behind pace"."""

    category: str
    what: str  # "points" or "count" ("city_lectures" in warnings stored before policies were generic)
    have: Decimal
    need: Decimal
    short: Decimal
    behind_pace: bool
    kind: str | None = None  # what a count counts


@dataclass(frozen=True)
class Standing:
    elapsed: Decimal  # share of the assessable period passed, 0..1
    shortfalls: tuple[Shortfall, ...]  # to meet the lines at year end
    next_grade: str | None  # the grade above the total's current band (None at the top or when exempt)
    points_to_next_grade: Decimal | None
    behind_pace: tuple[str, ...]  # categories (or TOTAL) behind pace for the date
    forecast_grade: str | None  # None when exempt
    forecast_total: Decimal | None
    causes: tuple[Cause, ...] = ()  # every shortfall with what is had and needed, in the policy's order
    failing_grade: str = "fail"

    @property
    def at_risk(self) -> bool:
        return bool(self.behind_pace) or self.forecast_grade == self.failing_grade

    @property
    def risk(self) -> tuple:
        """Sort key, most at risk first when sorted ascending."""
        return (
            -(self.forecast_grade == self.failing_grade),
            -len(self.behind_pace),
            -sum((s.amount for s in self.shortfalls if s.what == "points"), _ZERO),
        )


def elapsed_share(*, year: int, on: date, included_month: int | None = None) -> Decimal:
    """Share of the assessable period of ``year`` that has passed on ``on`` (0 before it starts, 1 after)."""
    start = date(year, 1, 1) if included_month is None else _first_of_next_month(year, included_month)
    end = date(year, 12, 31)
    if on < start:
        return _ZERO
    if on >= end:
        return _ONE
    return Decimal((on - start).days + 1) / Decimal((end - start).days + 1)


def _first_of_next_month(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def grade_for(total: Decimal, *, policy: Policy, lines_met: bool, vetoed: bool) -> str:
    if vetoed or not lines_met:
        return policy.failing_grade
    for band in policy.grade_bands:
        if total >= band.at_least:
            return band.grade
    return policy.failing_grade


def _next_band(total: Decimal, policy: Policy) -> tuple[str, Decimal] | None:
    above = [(band.at_least, band.grade) for band in policy.grade_bands if total < band.at_least]
    if not above:
        return None
    floor, grade = min(above)
    return grade, floor - total


def _count(amount: Decimal, per_activity: Decimal) -> int:
    return int((amount / per_activity).to_integral_value(ROUND_CEILING)) if per_activity > 0 else 0


def standing(snapshot: ScoreSnapshot, *, on: date) -> Standing:
    """Where the official stands on ``on`` (a date in or after the snapshot's year)."""
    policy = snapshot.policy
    elapsed = elapsed_share(year=snapshot.year, on=on, included_month=snapshot.included_month)
    shortfalls: list[Shortfall] = []
    behind: dict[str, None] = {}
    causes: list[Cause] = []
    due = elapsed * PACE_TOLERANCE
    for req in snapshot.requirements:
        code = req.category or TOTAL
        late = elapsed < _ONE and req.have < req.need * due
        if req.have < req.need:
            short = req.need - req.have
            shortfalls.append(Shortfall(code, req.what, short, _count(short, req.per_activity), req.kind, req.need))
            causes.append(Cause(code, req.what, req.have, req.need, short, late, req.kind))
        if late:
            behind[code] = None
    if snapshot.exempt:
        return Standing(elapsed, tuple(shortfalls), None, None, (), None, None, (), policy.failing_grade)
    band = _next_band(snapshot.total, policy)
    forecast_total, forecast_grade = _forecast(snapshot, elapsed)
    return Standing(
        elapsed=elapsed,
        shortfalls=tuple(shortfalls),
        next_grade=band[0] if band else None,
        points_to_next_grade=band[1] if band else None,
        behind_pace=tuple(behind),
        forecast_grade=forecast_grade,
        forecast_total=forecast_total,
        causes=tuple(causes),
        failing_grade=policy.failing_grade,
    )


def _forecast(snapshot: ScoreSnapshot, elapsed: Decimal) -> tuple[Decimal, str]:
    policy = snapshot.policy
    share = max(elapsed, MIN_ELAPSED_FOR_FORECAST)
    projected = {}
    for spec in policy.categories:
        value = (snapshot.categories.get(spec.code, _ZERO) / share).quantize(Decimal("0.1"), ROUND_FLOOR)
        projected[spec.code] = value if spec.cap is None else min(spec.cap, value)
    total = sum(projected.values(), _ZERO) + snapshot.carried_in
    lines_met = True
    for req in snapshot.requirements:
        if req.what == "count":
            have = (req.have / share).to_integral_value(ROUND_HALF_UP)
        elif req.category is None:
            have = total
        else:
            have = projected.get(req.category, _ZERO)
        lines_met = lines_met and have >= req.need
    return total, grade_for(total, policy=policy, lines_met=lines_met, vetoed=bool(snapshot.recorded_vetoes))
