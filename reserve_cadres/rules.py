"""The reserve-cadre rules of RULES §6 as plain data in, plain data out: no ORM, Decimal arithmetic.

- Exam: pass at 60 or more; only a reserve who passed that year's exam may take the defense, so a dated defense is
  never before that year's dated exam (the same day is fine).
- Defense: 5–7 examiners, each 0–100, panel score = their mean; 15–20 voters; vote score = (excellent × 100 +
  competent × 80 + basically competent × 60) / voters (incompetent counts 0, in the denominator); defense score =
  panel × 60 % + vote × 40 %; pass at 60 or more, compared exactly (never rounded before comparing); shown with two
  decimals rounded half up.
- Age flag: on the day checked, a section-chief reserve aged 41 or more full years, a deputy-section reserve 36 or
  more (超过 40/35 周岁); the list looks ahead ``AGE_LOOKAHEAD_DAYS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from kunshan_training.half_years import half_years_between

PASS_MARK = Decimal(60)
EXAMINERS = (5, 7)  # fewest, most
VOTERS = (15, 20)
PANEL_WEIGHT, VOTE_WEIGHT = Decimal("0.6"), Decimal("0.4")
VOTE_POINTS = {"excellent": Decimal(100), "competent": Decimal(80), "basically_competent": Decimal(60),
               "incompetent": Decimal(0)}  # fmt: skip
# The age at which a reserve of each level is too old (full years on the day checked): over 40 / over 35.
AGE_LIMITS = {"section_chief": 41, "deputy_section": 36}
AGE_LOOKAHEAD_DAYS = 90
# Annual appraisal results that disqualify (RULES §6 reason `appraisal`).
FAILING_APPRAISALS = frozenset({"basically_competent", "incompetent"})
TWO_PLACES = Decimal("0.01")


class DefenseProblem(ValueError):
    """The defense's input breaks a rule; ``field`` names the input, the message says what is wrong in plain words
    (an English msgid with ``params``: the caller translates)."""

    def __init__(self, field: str, message: str, **params):
        super().__init__(message % params if params else message)
        self.field, self.message, self.params = field, message, params


@dataclass(frozen=True)
class DefenseResult:
    panel_score: Decimal  # exact (not rounded)
    vote_score: Decimal
    score: Decimal
    passed: bool


def shown(value: Decimal) -> Decimal:
    """A score as shown: two decimals, rounded half up (only for display; comparisons use the exact value)."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def exam_passed(score: Decimal) -> bool:
    return score >= PASS_MARK


def defense_before_exam(exam_on: date | None, defense_on: date | None) -> bool:
    """A defense dated before that year's exam (both dated; the same day is fine): the defense comes after the exam
    it stands on, so such dates are refused."""
    return exam_on is not None and defense_on is not None and defense_on < exam_on


def exam_day_on_file(held_on: date | None, entered_on: date, defense_on: date | None) -> date:
    """The day a reserve's file shows an exam on: its own date when it has one; else its entry day (already kept in
    its year), but never after that year's defense — the exam comes first, at the latest on the defense's day."""
    if held_on is not None:
        return held_on
    return entered_on if defense_on is None else min(entered_on, defense_on)


def defense_day_on_file(held_on: date | None, entered_on: date, exam_on: date | None) -> date:
    """The day a reserve's file shows a defense on: its own date when it has one; else its entry day (kept in its
    year), but never before that year's dated exam."""
    if held_on is not None:
        return held_on
    return entered_on if exam_on is None else max(entered_on, exam_on)


def defense_result(panel: Sequence[Decimal], votes: Mapping[str, int]) -> DefenseResult:
    """The defense score of RULES §6. Raises DefenseProblem for 4 or 8 examiners, a score outside 0–100, an unknown
    vote or a negative count, or fewer than 15 / more than 20 voters."""
    low, high = EXAMINERS
    if not low <= len(panel) <= high:
        raise DefenseProblem("panel", "A defense has %(low)s to %(high)s examiners, not %(count)s.",
                             low=low, high=high, count=len(panel))  # fmt: skip
    for score in panel:
        if not Decimal(0) <= score <= Decimal(100):
            raise DefenseProblem("panel", "Each examiner scores from 0 to 100; %(score)s is outside.", score=score)
    unknown = set(votes) - set(VOTE_POINTS)
    if unknown:
        raise DefenseProblem("votes", "Unknown vote “%(vote)s”.", vote=sorted(unknown)[0])
    if any(int(n) < 0 for n in votes.values()):
        raise DefenseProblem("votes", "A number of votes cannot be negative.")
    voters = sum(int(n) for n in votes.values())
    low, high = VOTERS
    if not low <= voters <= high:
        raise DefenseProblem("votes", "An evaluation group has %(low)s to %(high)s voters, not %(count)s.",
                             low=low, high=high, count=voters)  # fmt: skip
    panel_score = sum(panel, Decimal(0)) / len(panel)
    vote_score = sum((VOTE_POINTS[k] * int(n) for k, n in votes.items()), Decimal(0)) / voters
    score = panel_score * PANEL_WEIGHT + vote_score * VOTE_WEIGHT
    return DefenseResult(panel_score, vote_score, score, score >= PASS_MARK)


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on ``day`` (a 29 February birthday is reached on 1 March in other years)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def too_old(level: str, birth_date: date | None, day: date) -> bool:
    limit = AGE_LIMITS.get(level)
    return limit is not None and birth_date is not None and age_on(birth_date, day) >= limit


def turns_too_old_on(level: str, birth_date: date | None) -> date | None:
    """The first day the reserve is too old for the level (their birthday of the limit year), or None."""
    limit = AGE_LIMITS.get(level)
    if limit is None or birth_date is None:
        return None
    year = birth_date.year + limit
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February in a common year: the age is reached on 1 March
        return date(year, 3, 1)


@dataclass(frozen=True)
class ReserveFacts:
    """What the flags read about one reserve (plain data from the selectors)."""

    level: str
    birth_date: date | None
    appraisals: Mapping[int, str]  # year → result
    exams: Mapping[int, Decimal]  # year → score
    defenses: Mapping[int, bool]  # year → passed


def flags(facts: ReserveFacts, day: date) -> list[str]:
    """The disqualification flags detected from the data on ``day`` (RULES §6), for staff to confirm:
    `age`, `appraisal` (any appraisal result basically competent or incompetent), `exam_failed` (a failed exam
    of a year, with no passed exam that year), `defense_failed` (a failed defense of a year)."""
    found = []
    if too_old(facts.level, facts.birth_date, day):
        found.append("age")
    if any(result in FAILING_APPRAISALS for result in facts.appraisals.values()):
        found.append("appraisal")
    if any(not exam_passed(score) for score in facts.exams.values()):
        found.append("exam_failed")
    if any(not passed for passed in facts.defenses.values()):
        found.append("defense_failed")
    return found


def soon_too_old(level: str, birth_date: date | None, day: date, days: int = AGE_LOOKAHEAD_DAYS) -> date | None:
    """The day within the next ``days`` days the reserve becomes too old (not yet on ``day``), else None."""
    when = turns_too_old_on(level, birth_date)
    if when is None or when <= day or when > day + timedelta(days=days):
        return None
    return when


def periods_due(first: date, day: date) -> Iterable[tuple[str, date]]:
    """The half-yearly reflection periods from ``first`` up to ``day``: ("2026H1", due 30 June), ("2026H2", due 31
    December) … (the article is due at the end of its half year). The half year ``day`` is in is the last one: its
    article is due at its end (the next half year is not due yet, even on 30 June)."""
    return [(str(half), half.last_day) for half in half_years_between(first, day)]
