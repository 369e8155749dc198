"""A unit's reads for the study administrator's pages: its officials' standings, its central-group sessions.

Set-based: each function runs a fixed number of queries whatever the size of the unit. The caller has already
decided which unit the user may see (``portal.access.UnitAdminRequiredMixin``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from kunshan_training.years import FIRST_YEAR
from organisation.models import Official, Unit

from ..models import ActivityRecord, AnnualScore, GroupStudySession, Kind, StaleScore, Status
from ..policies import policy_of_year
from ..scoring import officials_assessed_in
from ..standing import ScoreSnapshot, Standing, standing

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

    @property
    def exempt(self) -> bool:
        return bool(self.score and self.score.exempt)

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
    """Every official of the unit assessed in ``year`` with their standing on ``on``, most at risk first.

    Two queries: the officials with a stale flag (EXISTS), and their score of the year (prefetch).
    Officials with no score row yet stand as if nothing were approved (``ScoreSnapshot.empty``).
    """
    officials = (
        unit_officials(unit, year)
        .annotate(stale=Exists(StaleScore.objects.filter(official=OuterRef("pk"), year=year)))
        .prefetch_related(Prefetch("scores", queryset=AnnualScore.objects.filter(year=year), to_attr="year_scores"))
        .order_by("staff_no")
    )
    rows = []
    policy = policy_of_year(year)
    for official in officials:
        score = official.year_scores[0] if official.year_scores else None
        snapshot = ScoreSnapshot.from_score(score) if score else ScoreSnapshot.empty(year, policy)
        rows.append(OfficialStanding(official, score, official.stale, standing(snapshot, on=on)))
    rows.sort(key=lambda row: row.sort_key)
    return rows


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
