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
* What is missing is counted in whole activities of the cheapest usual kind (a city lecture for ``menu``, class
  hours for ``online``), so the text can say "还需参加 2 次市级讲座".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .rules.kunshan_2020 import CATEGORIES, FAIL, GRADE_BANDS, KINDS, PASS_LINES

PACE_TOLERANCE = Decimal(1)
MIN_ELAPSED_FOR_FORECAST = Decimal(1) / Decimal(6)  # two months in
# The activity a shortfall is counted in, per category with a pass line.
SHORTFALL_KIND = {"menu": "menu_city_lecture", "online": "online_hour"}
_ZERO = Decimal(0)
_ONE = Decimal(1)


@dataclass(frozen=True)
class ScoreSnapshot:
    """The parts of a stored annual score that standing needs."""

    year: int
    exempt: bool
    categories: dict[str, Decimal]  # final category scores
    city_lectures: int  # city lectures counted (explanation "cl")
    city_lectures_required: int  # prorated requirement (explanation "clr")
    total: Decimal
    grade: str | None
    recorded_vetoes: tuple[str, ...] = ()  # absent_from_dispatch, discipline: fail whatever happens
    included_month: int | None = None  # 1-12 when included during the year (explanation "pr"."im")

    @classmethod
    def from_score(cls, score) -> ScoreSnapshot:
        """Build from an ``AnnualScore`` (or anything with its fields)."""
        explanation = score.explanation or {}
        menu = explanation.get("c", {}).get("menu", {})
        prorated = explanation.get("pr") or {}
        return cls(
            year=score.year,
            exempt=score.exempt,
            categories={code: Decimal(getattr(score, code)) for code in CATEGORIES},
            city_lectures=int(Decimal(str(menu.get("cl", 0)))),
            city_lectures_required=int(menu.get("clr", PASS_LINES["menu"].lectures)),
            total=Decimal(score.total),
            grade=score.grade or None,
            recorded_vetoes=tuple(v for v in (score.vetoes or []) if v not in _COMPUTED_VETOES),
            included_month=prorated.get("im"),
        )

    @classmethod
    def empty(cls, year: int) -> ScoreSnapshot:
        """An official with nothing approved yet this year."""
        return cls(year=year, exempt=False, categories=dict.fromkeys(CATEGORIES, _ZERO), city_lectures=0,
                   city_lectures_required=PASS_LINES["menu"].lectures, total=_ZERO, grade=None)  # fmt: skip


_COMPUTED_VETOES = frozenset(line.veto for line in PASS_LINES.values())


@dataclass(frozen=True)
class Shortfall:
    """Something still missing to meet a pass line."""

    category: str  # menu / online
    what: str  # "points" or "city_lectures"
    amount: Decimal  # points, or a count of lectures
    activities: int  # how many of ``kind`` would close it
    kind: str  # the activity counted in ``activities``


@dataclass(frozen=True)
class Cause:
    """One exact reason an official is below a pass line: what they have, what the line needs, how many are short,
    and whether this part is behind pace for the date. ``what`` is "points" (the category's score) or
    "city_lectures" (the menu line's count of city lectures): 30 of 30 menu points with 3 of 4 city lectures is one
    cause, ``city_lectures`` 3 of 4, never "menu behind pace"."""

    category: str  # menu / online
    what: str  # "points" or "city_lectures"
    have: Decimal
    need: Decimal
    short: Decimal
    behind_pace: bool


@dataclass(frozen=True)
class Standing:
    elapsed: Decimal  # share of the assessable period passed, 0..1
    shortfalls: tuple[Shortfall, ...]  # to meet the pass lines at year end
    next_grade: str | None  # the grade above the total's current band (None at the top or when exempt)
    points_to_next_grade: Decimal | None
    behind_pace: tuple[str, ...]  # categories (menu, online) behind pace for the date
    forecast_grade: str | None  # None when exempt
    forecast_total: Decimal | None
    causes: tuple[Cause, ...] = ()  # every shortfall with what is had and needed, in pass-line order

    @property
    def at_risk(self) -> bool:
        return bool(self.behind_pace) or self.forecast_grade == FAIL

    @property
    def risk(self) -> tuple:
        """Sort key, most at risk first when sorted ascending."""
        return (
            -(self.forecast_grade == FAIL),
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


def grade_for(total: Decimal, *, lines_met: bool, vetoed: bool) -> str:
    if vetoed or not lines_met:
        return FAIL
    for floor, grade in GRADE_BANDS:
        if total >= floor:
            return grade
    return FAIL


def _next_band(total: Decimal) -> tuple[str, Decimal] | None:
    above = [(floor, grade) for floor, grade in GRADE_BANDS if total < floor]
    if not above:
        return None
    floor, grade = min(above)
    return grade, floor - total


def _count(points: Decimal, kind: str) -> int:
    return int((points / KINDS[kind].rate).to_integral_value(ROUND_CEILING))


def standing(snapshot: ScoreSnapshot, *, on: date) -> Standing:
    """Where the official stands on ``on`` (a date in or after the snapshot's year)."""
    elapsed = elapsed_share(year=snapshot.year, on=on, included_month=snapshot.included_month)
    shortfalls: list[Shortfall] = []
    behind: list[str] = []
    causes: list[Cause] = []
    for code, line in PASS_LINES.items():
        score = snapshot.categories[code]
        due = elapsed * PACE_TOLERANCE
        behind_score = elapsed < _ONE and score < line.score * due
        behind_lectures = (
            elapsed < _ONE
            and bool(line.lecture_kind)
            and snapshot.city_lectures < snapshot.city_lectures_required * due
        )
        if score < line.score:
            kind = SHORTFALL_KIND[code]
            shortfalls.append(Shortfall(code, "points", line.score - score, _count(line.score - score, kind), kind))
            causes.append(Cause(code, "points", score, line.score, line.score - score, behind_score))
        lectures_short = snapshot.city_lectures_required - snapshot.city_lectures if line.lecture_kind else 0
        if lectures_short > 0:
            shortfalls.append(Shortfall(code, "city_lectures", Decimal(lectures_short), lectures_short,
                                        line.lecture_kind))  # fmt: skip
            causes.append(Cause(code, "city_lectures", Decimal(snapshot.city_lectures),
                                Decimal(snapshot.city_lectures_required), Decimal(lectures_short),
                                behind_lectures))  # fmt: skip
        if behind_score or behind_lectures:
            behind.append(code)
    if snapshot.exempt:
        return Standing(elapsed, tuple(shortfalls), None, None, (), None, None, ())
    band = _next_band(snapshot.total)
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
    )


def _forecast(snapshot: ScoreSnapshot, elapsed: Decimal) -> tuple[Decimal, str]:
    share = max(elapsed, MIN_ELAPSED_FOR_FORECAST)
    projected = {
        code: min(cap, (snapshot.categories[code] / share).quantize(Decimal("0.1"), ROUND_FLOOR))
        for code, cap in CATEGORIES.items()
    }
    lectures = int((Decimal(snapshot.city_lectures) / share).to_integral_value(ROUND_HALF_UP))
    lines_met = all(
        projected[code] >= line.score and (not line.lecture_kind or lectures >= snapshot.city_lectures_required)
        for code, line in PASS_LINES.items()
    )
    total = sum(projected.values(), _ZERO)
    return total, grade_for(total, lines_met=lines_met, vetoed=bool(snapshot.recorded_vetoes))
