"""A unit's reads for the study administrator's pages: its officials' standings with their study hours, the
unit's year in figures (one summary, shared with the year report: ``credits.selectors.reports.unit_summaries``),
its central-group sessions.

Set-based: each function runs a fixed number of queries whatever the size of the unit. The caller has already
decided which unit the user may see (``portal.access.UnitAdminRequiredMixin``). Everything counted here (risk,
grades, pass lines, hours short) is counted here, not in the views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from kunshan_training.years import FIRST_YEAR
from organisation.models import Official, Unit

from ..models import ActivityRecord, AnnualScore, GroupStudySession, Kind, StaleScore, Status
from ..policies import policy_of_year
from ..rules import ActivityLine, OfficialYear, Policy
from ..rules.hours import HoursResult
from ..scoring import officials_assessed_in
from ..standing import ScoreSnapshot, Standing, standing
from .hours import hours_of, official_hours
from .reports import HOURS_FOR_EXEMPT, ScoreFigures, UnitSummary, score_figures, unit_summaries

RISK_HIGH = "high"  # forecast to fail (a missed line, a low total or a recorded veto)
RISK_SOME = "some"  # behind pace on a pass line, forecast still passing


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class OfficialStanding:
    """One official of the unit in a year: the stored score (None before the first computation) and standing."""

    official: Official
    score: AnnualScore | None
    stale: bool  # a change waits for the worker: the figures are about to be updated
    standing: Standing
    hours: HoursResult | None = None  # study hours of the year and the cycle so far (RULES §3)

    @property
    def exempt(self) -> bool:
        return bool(self.score and self.score.exempt)

    @property
    def figures(self) -> ScoreFigures | None:
        """The score's carry figures (baoji-2009); None without a score or when the policy stores none."""
        return score_figures(self.score.figures) if self.score is not None else None

    @property
    def hours_judged(self) -> bool:
        """Whether the official's hours are judged: a requirement for the rank (``HOURS_FOR_EXEMPT``)."""
        return self.hours is not None and self.hours.required is not None and (HOURS_FOR_EXEMPT or not self.exempt)

    @property
    def hours_short(self) -> bool:
        """Below the year's study-hours requirement for the rank."""
        return self.hours_judged and self.hours.met is False

    @property
    def cycle_hours_short(self) -> bool:
        """Below the cycle's requirement, judged in the cycle's last year only."""
        return self.hours_judged and self.hours.cycle_met is False

    @property
    def hours_missing(self) -> Decimal:
        """Hours still needed for the year's requirement (0 when met or not judged)."""
        return self.hours.required - self.hours.hours if self.hours_short else Decimal(0)

    @property
    def risk_level(self) -> str | None:
        if self.exempt:
            return None
        if self.standing.forecast_grade == self.standing.failing_grade:
            return RISK_HIGH
        if self.standing.behind_pace:
            return RISK_SOME
        return None

    @property
    def below_line(self) -> tuple[str, ...]:
        """Categories still below their pass line (score or city lectures), in pass-line order."""
        return tuple(dict.fromkeys(s.category for s in self.standing.shortfalls))

    @property
    def sort_key(self) -> tuple:
        # Most at risk first; exempt officials last; then by staff number for a stable order.
        return (self.exempt, self.standing.risk, self.official.staff_no)


def unit_officials(unit: Unit, year: int) -> QuerySet[Official]:
    """The unit's officials assessed in ``year`` (included by its end, not retired before it)."""
    return officials_assessed_in(year).filter(unit=unit)


def unit_standings(unit: Unit, year: int, on: date) -> list[OfficialStanding]:
    """Every official of the unit assessed in ``year`` with their standing on ``on`` and their study hours, most at
    risk first.

    Four queries: the year's policy, the officials with a stale flag (EXISTS), their score of the year (prefetch),
    their study hours (one aggregate). Officials with no score row yet stand as if nothing were approved
    (``ScoreSnapshot.empty``).
    """
    officials = (
        unit_officials(unit, year)
        .annotate(stale=Exists(StaleScore.objects.filter(official=OuterRef("pk"), year=year)))
        .prefetch_related(Prefetch("scores", queryset=AnnualScore.objects.filter(year=year), to_attr="year_scores"))
        .order_by("staff_no")
    )
    rows = []
    policy = policy_of_year(year)
    officials = list(officials)
    hours = hours_of(officials=officials, year=year)
    for official in officials:
        score = official.year_scores[0] if official.year_scores else None
        snapshot = ScoreSnapshot.from_score(score) if score else ScoreSnapshot.empty(year, policy)
        rows.append(OfficialStanding(official, score, official.stale, standing(snapshot, on=on), hours[official.pk]))
    rows.sort(key=lambda row: row.sort_key)
    return rows


@dataclass(frozen=True)
class UnitOfficial:
    """One official of the unit in a year, for their page: the standing row, the snapshot it stands on, and
    whether they are assessed in the year at all (included by its end, not retired before it)."""

    row: OfficialStanding
    snapshot: ScoreSnapshot
    assessed: bool


def unit_official(unit: Unit, staff_no: str, year: int, on: date) -> UnitOfficial | None:
    """The unit's official ``staff_no`` in ``year`` (None when the unit has no such official: the caller answers
    404), with standing on ``on`` and study hours. A fixed handful of queries."""
    official = Official.objects.filter(unit=unit, staff_no=staff_no).first()
    if official is None:
        return None
    score = AnnualScore.objects.filter(official=official, year=year).first()
    stale = StaleScore.objects.filter(official=official, year=year).exists()
    snapshot = ScoreSnapshot.from_score(score) if score else ScoreSnapshot.empty(year, policy_of_year(year))
    hours = official_hours(official=official, year=year)
    row = OfficialStanding(official, score, stale, standing(snapshot, on=on), hours)
    assessed = unit_officials(unit, year).filter(pk=official.pk).exists()
    return UnitOfficial(row=row, snapshot=snapshot, assessed=assessed)


@dataclass(frozen=True)
class StandingCounts:
    """What the unit's standings add up to: who is at risk, behind pace, short of study hours. No query."""

    officials: int = 0
    high: int = 0  # forecast to fail
    behind: int = 0  # behind pace on a line
    hours_judged: int = 0  # officials whose rank has a study-hours requirement
    hours_short: int = 0  # below the year's hours
    cycle_hours_short: int = 0  # below the cycle's hours (the cycle's last year only)
    stale: int = 0  # scores about to be updated

    @classmethod
    def of(cls, rows: list[OfficialStanding]) -> StandingCounts:
        return cls(
            officials=len(rows),
            high=sum(row.risk_level == RISK_HIGH for row in rows),
            behind=sum(bool(row.standing.behind_pace) for row in rows),
            hours_judged=sum(row.hours_judged for row in rows),
            hours_short=sum(row.hours_short for row in rows),
            cycle_hours_short=sum(row.cycle_hours_short for row in rows),
            stale=sum(row.stale for row in rows),
        )


@dataclass(frozen=True)
class UnitYear:
    """The unit's year on one page (the printed unit report): the officials in report order, the unit's figures
    as the year report counts them (``unit_summaries``), what the standings add up to, and the policy."""

    policy: Policy
    rows: list[OfficialStanding]
    summary: UnitSummary
    counts: StandingCounts
    grades: list[tuple[str, int]] = field(default_factory=list)  # (grade, officials) in the policy's order
    pass_lines: list[tuple[str, int, object]] = field(default_factory=list)  # (category, passed, line)

    @property
    def unscored(self) -> int:
        """Officials of the unit without a score of the year yet."""
        return sum(row.score is None for row in self.rows)


def report_order(row: OfficialStanding) -> tuple:
    """Ranked officials first (by unit rank), then exempt ones and those without a score yet, by staff number."""
    rank = row.score.unit_rank if row.score else None
    return (rank is None, rank or 0, row.official.staff_no)


def unit_year(user, *, unit: Unit, year: int, on: date) -> UnitYear:
    """The unit's year for its report page: standings (``unit_standings``) in report order and the unit's summary
    (``unit_summaries``, the same figures as the year report's unit sheet, scoped to ``user``). A fixed number of
    queries."""
    rows = sorted(unit_standings(unit, year, on), key=report_order)
    policy = policy_of_year(year)
    summary = unit_summaries(user, year=year, unit=unit, policy=policy)[0]
    return UnitYear(
        policy=policy,
        rows=rows,
        summary=summary,
        counts=StandingCounts.of(rows),
        grades=[(grade, summary.grades.get(grade, 0)) for grade in policy.grades],
        pass_lines=[
            (spec.code, summary.passed.get(spec.code, 0), spec.pass_line)
            for spec in policy.categories
            if spec.pass_line is not None
        ],
    )


SESSION_KINDS = (Kind.CENTRAL_GROUP_SPEAKER, Kind.CENTRAL_GROUP_LISTENER)


@cache
def attendance_points(policy: Policy, year: int) -> dict[str, Decimal | None]:
    """What one central-group attendance (speaker, listener) scores under ``policy``, asked of the policy by
    assessing a year with that one record; None when the policy does not count the kind. Pure, no query."""
    found: dict[str, Decimal | None] = {}
    for kind in SESSION_KINDS:
        try:
            category = policy.category_of(kind)
        except KeyError:
            found[kind] = None
            continue
        line = ActivityLine(kind=kind, category=category, quantity=Decimal(1))
        found[kind] = policy.assess(OfficialYear(year=year, activities=(line,))).categories[category].score
    return found


def unit_sessions(unit: Unit, year: int) -> QuerySet[GroupStudySession]:
    """The unit's central-group sessions of ``year``, newest first, with attendee counts (one query)."""
    start, end = year_bounds(year)
    counted = ~Q(records__status__in=[Status.REJECTED, Status.WITHDRAWN])
    return (
        GroupStudySession.objects.filter(unit=unit, occurred_on__range=(start, end))
        .annotate(
            speakers=Count("records", filter=counted & Q(records__kind=Kind.CENTRAL_GROUP_SPEAKER)),
            listeners=Count("records", filter=counted & Q(records__kind=Kind.CENTRAL_GROUP_LISTENER)),
            waiting=Count("records", filter=Q(records__status=Status.SUBMITTED)),
        )
        .order_by("-occurred_on", "-id")
    )


def unit_session_count(unit: Unit, year: int) -> int:
    """Sessions entered for the unit in ``year``: a session counts once entered (see GROUP_STUDY_SESSIONS_REQUIRED)."""
    start, end = year_bounds(year)
    return GroupStudySession.objects.filter(unit=unit, occurred_on__range=(start, end)).count()


def official_year_records(official: Official, year: int) -> QuerySet[ActivityRecord]:
    """All of an official's records of ``year`` (every status), newest first."""
    start, end = year_bounds(year)
    return (
        official.records.filter(occurred_on__range=(start, end))
        .select_related("session")
        .order_by("-occurred_on", "-id")
    )


def unit_session(unit: Unit, pk: int) -> GroupStudySession | None:
    """One of the unit's sessions (None when it is not the unit's: the caller answers 404)."""
    return GroupStudySession.objects.filter(unit=unit, pk=pk).first()


def session_attendees(session: GroupStudySession) -> list[ActivityRecord]:
    """Every record of the session (any status) with its official, speakers first, then by staff number."""
    return list(session.records.select_related("official").order_by("kind", "official__staff_no", "-id"))


def unit_years(unit: Unit, *, this_year: int) -> list[int]:
    """The years a unit's pages offer, newest first: those with a score or a central-group session for the unit,
    and this year. A year without data (2023 with no scores: everyone 预计不合格) is not offered. Two queries."""
    # One EXISTS per possible year: each an index probe on (year, unit), whatever the number of scores.
    candidates = range(FIRST_YEAR, this_year + 1)
    probes = {f"y{y}": Exists(AnnualScore.objects.filter(year=y, unit=unit)) for y in candidates}
    found = Unit.objects.filter(pk=unit.pk).annotate(**probes).values(*probes).first() or {}
    scored = [int(name[1:]) for name, present in found.items() if present]
    sessions = GroupStudySession.objects.filter(unit=unit).dates("occurred_on", "year")
    return sorted({*scored, *(d.year for d in sessions), this_year}, reverse=True)
