"""The training section's city-wide reads: the approval queue, the dashboard, rankings, officials and years.

Every function here is set-based: a fixed handful of queries whatever the number of rows. Callers are org-dept
staff pages; the querysets still start from the scoped reads so a wrong caller sees only their own rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import ChangeLog
from organisation.models import Official, Unit
from organisation.roles import scope_of

from ..models import (
    ActivityRecord,
    AnnualScore,
    Exemption,
    GroupStudySession,
    PublishedYear,
    RecomputeJob,
    StaleScore,
    Status,
    Veto,
)
from ..policies import policy_of_year
from ..rules import ALL_GRADES, Policy
from ..rules.hours import HoursResult
from ..standing import Standing, standing
from . import records_visible_to, scores_visible_to
from .hours import official_hours
from .officials import (
    CarryFigures,
    category_rows,
    category_under,
    empty_or_snapshot,
    score_figures,
    total_cap,
    total_line,
)

GRADES: tuple[str, ...] = ALL_GRADES  # every policy's grades, best first (excellent, good, pass, fail)
FAIL = "fail"  # the failing grade of every policy (credits.rules: Policy.failing_grade)


def judged_categories(policy: Policy) -> tuple[str, ...]:
    """The categories with a pass line (Kunshan: menu, online): the dashboards count who met each."""
    return tuple(spec.code for spec in policy.categories if spec.pass_line is not None)


def passed_counts(policy: Policy, *, prefix: str, assessed: Q | None = None) -> dict:
    """Aggregates counting, per judged category, the scores whose category met its line (one JSON key lookup)."""
    base = assessed if assessed is not None else Q()
    return {
        f"{prefix}{code}": Count("id", filter=base & Q(**{f"categories__{code}__passed": True}))
        for code in judged_categories(policy)
    }


# A record "counts twice" when another record of the same official, kind and date is waiting or counted.
DUPLICATE_STATUSES = (Status.SUBMITTED, Status.APPROVED)


# ---------------------------------------------------------------------------------------------------
# Approval queue


def review_queue(user) -> QuerySet[ActivityRecord]:
    """Records the user may review, each flagged ``suspected_duplicate`` in the same query (an EXISTS subquery)."""
    twins = ActivityRecord.objects.filter(
        official_id=OuterRef("official_id"),
        kind=OuterRef("kind"),
        occurred_on=OuterRef("occurred_on"),
        status__in=DUPLICATE_STATUSES,
    ).exclude(pk=OuterRef("pk"))
    return records_visible_to(user).select_related("created_by").annotate(suspected_duplicate=Exists(twins))


# ---------------------------------------------------------------------------------------------------
# Years


def score_years() -> list[int]:
    """Years that have stored scores, newest first."""
    return list(AnnualScore.objects.values_list("year", flat=True).distinct().order_by("-year"))


def default_year(years: Sequence[int], today: date) -> int:
    """This year when it has scores, else the latest year that has, else this year."""
    if today.year in years or not years:
        return today.year
    return max(years)


@dataclass
class YearBlockers:
    """What of a year still waits before it can be published (RULES: only approved records count, so a record still
    waiting, an import still running or a score not yet updated would leave the published results wrong)."""

    year: int
    waiting: int = 0  # records waiting for review
    imports: int = 0  # imports of activity records not finished
    stale: int = 0  # scores waiting for the worker
    recomputing: int = 0  # whole-year recomputes not finished of this year or an earlier one (their chain reaches it)

    def __bool__(self) -> bool:
        return bool(self.waiting or self.imports or self.stale or self.recomputing)

    def as_dict(self) -> dict[str, int]:
        counts = {"waiting": self.waiting, "imports": self.imports, "stale": self.stale}
        return counts | ({"recomputing": self.recomputing} if self.recomputing else {})

    def parts(self) -> list[str]:
        """Each thing that waits, in plain words with its count."""
        parts = []
        if self.waiting:
            parts.append(
                ngettext("%(n)s record waiting for review", "%(n)s records waiting for review", self.waiting)
                % {"n": self.waiting}
            )
        if self.imports:
            parts.append(ngettext("%(n)s import not finished", "%(n)s imports not finished", self.imports)
                         % {"n": self.imports})  # fmt: skip
        if self.stale:
            parts.append(
                ngettext("%(n)s score waiting to be updated", "%(n)s scores waiting to be updated", self.stale)
                % {"n": self.stale}
            )
        if self.recomputing:
            parts.append(
                ngettext("%(n)s recompute not finished", "%(n)s recomputes not finished", self.recomputing)
                % {"n": self.recomputing}
            )
        return parts

    def text(self) -> str:
        return _("; ").join(self.parts())


def _unfinished_imports():
    from imports.models import ImportJob, ImportKind
    from imports.registry import record_writing_codes

    return ImportJob.objects.filter(
        kind__in=[ImportKind.ACTIVITIES, *record_writing_codes()],  # every import that writes records
        dry_run=False,
        status__in=(ImportJob.Status.PENDING, ImportJob.Status.RUNNING),
    )


def year_blockers(*, year: int) -> YearBlockers:
    """What still waits in ``year``: four counts (an import without a year may write into any year; a recompute of an
    earlier year follows its chain into this one)."""
    return YearBlockers(
        year=year,
        waiting=ActivityRecord.objects.filter(
            status=Status.SUBMITTED, occurred_on__gte=date(year, 1, 1), occurred_on__lte=date(year, 12, 31)
        ).count(),
        imports=_unfinished_imports().filter(Q(year=year) | Q(year__isnull=True)).count(),
        stale=StaleScore.objects.filter(year=year).count(),
        recomputing=_unfinished_recomputes().filter(year__lte=year).count(),
    )


def _unfinished_recomputes():
    return RecomputeJob.objects.filter(state__in=[RecomputeJob.State.PENDING, RecomputeJob.State.RUNNING])


@dataclass
class YearRow:
    year: int
    scores: int = 0
    assessed: int = 0
    stale: int = 0  # scores waiting for the worker
    waiting: int = 0  # records of the year waiting for review
    imports: int = 0  # imports of activity records not finished that may write into the year
    recomputing: int = 0  # whole-year recomputes not finished of this year or an earlier one
    published: PublishedYear | None = None
    last_job: RecomputeJob | None = None

    @property
    def blockers(self) -> YearBlockers:
        return YearBlockers(
            year=self.year, waiting=self.waiting, imports=self.imports, stale=self.stale, recomputing=self.recomputing
        )


def years_overview() -> list[YearRow]:
    """Each year with scores or a publication: counts, lock, the latest recompute job, unfinished imports. Seven
    queries."""
    rows: dict[int, YearRow] = {}

    def row(year: int) -> YearRow:
        return rows.setdefault(year, YearRow(year=year))

    for item in AnnualScore.objects.values("year").annotate(n=Count("id"), a=Count("id", filter=Q(exempt=False))):
        found = row(item["year"])
        found.scores, found.assessed = item["n"], item["a"]
    for published in PublishedYear.objects.select_related("published_by"):
        row(published.year).published = published
    latest = RecomputeJob.objects.filter(year=OuterRef("year")).order_by("-id").values("id")[:1]
    for job in RecomputeJob.objects.filter(id=Subquery(latest)):
        row(job.year).last_job = job
    for item in StaleScore.objects.values("year").annotate(n=Count("id")):
        if item["year"] in rows:
            rows[item["year"]].stale = item["n"]
    waiting = (
        ActivityRecord.objects.filter(status=Status.SUBMITTED)
        .annotate(y=ExtractYear("occurred_on"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in waiting:
        if item["y"] in rows:
            rows[item["y"]].waiting = item["n"]
    unfinished = dict(_unfinished_imports().values("year").annotate(n=Count("id")).order_by().values_list("year", "n"))
    recomputes = list(_unfinished_recomputes().values_list("year", flat=True))
    for found in rows.values():
        found.imports = unfinished.get(found.year, 0) + unfinished.get(None, 0)
        found.recomputing = sum(1 for year in recomputes if year <= found.year)
    return sorted(rows.values(), key=lambda r: -r.year)


def reopen_log() -> QuerySet[ChangeLog]:
    """Every reopening of a published year (the deleted publication, who, when and why), newest first."""
    return ChangeLog.objects.filter(model="credits.publishedyear", action=ChangeLog.Action.DELETE).select_related(
        "actor"
    )


# ---------------------------------------------------------------------------------------------------
# City dashboard


@dataclass
class UnitRow:
    code: str
    name: str
    assessed: int = 0
    passed: dict[str, int] = field(default_factory=dict)  # judged category -> officials who met its line
    failed: int = 0
    sessions: int = 0
    sessions_required: int | None = None  # the year's policy's rule (None: no rule)
    flags: tuple[str, ...] = ()  # the unit's flags of the year (Policy.unit_flags)

    @property
    def pass_rates(self) -> dict[str, Decimal | None]:
        return {code: _percent(n, self.assessed) for code, n in self.passed.items()}

    @property
    def sessions_short(self) -> int:
        return max(0, self.sessions_required - self.sessions) if self.sessions_required else 0


@dataclass
class Dashboard:
    year: int
    assessed: int
    exempt: int
    grades: dict[str, int]  # grade code -> count of assessed officials
    vetoes: int  # vetoes recorded by the training section for the year
    vetoed_officials: int  # assessed officials failed by any veto, recorded or computed
    waiting: int  # records of the year waiting for review
    policy: Policy
    units: list[UnitRow] = field(default_factory=list)

    @property
    def sessions_required(self) -> int | None:
        return self.policy.group_study_sessions_required

    @property
    def judged(self) -> tuple[str, ...]:
        return judged_categories(self.policy)

    @property
    def grade_rows(self) -> list[tuple[str, int, Decimal | None]]:
        return [
            (grade, self.grades.get(grade, 0), _percent(self.grades.get(grade, 0), self.assessed))
            for grade in self.policy.grades
        ]

    @property
    def units_short_of_sessions(self) -> list[UnitRow]:
        return sorted((u for u in self.units if u.sessions_short), key=lambda u: (u.sessions, u.code))


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def city_dashboard(*, year: int) -> Dashboard:
    """The year's figures for the whole city, in six aggregate queries."""
    policy = policy_of_year(year)
    scores = AnnualScore.objects.filter(year=year)
    assessed = Q(exempt=False)
    totals = scores.aggregate(  # names of their own: an aggregate may not shadow a field (exempt)
        n_assessed=Count("id", filter=assessed),
        n_exempt=Count("id", filter=Q(exempt=True)),
        n_vetoed=Count("id", filter=assessed & ~Q(vetoes=[])),
        **{f"n_{grade}": Count("id", filter=assessed & Q(grade=grade)) for grade in GRADES},
    )
    per_unit = (
        scores.filter(assessed)
        .values("unit_id")
        .annotate(
            n=Count("id"),
            failed=Count("id", filter=Q(grade=policy.failing_grade)),
            **passed_counts(policy, prefix="p_"),
        )
        .order_by()
    )
    by_unit = {row["unit_id"]: row for row in per_unit}
    sessions = (
        GroupStudySession.objects.filter(unit=OuterRef("pk"), occurred_on__year=year)
        .values("unit")
        .annotate(n=Count("id"))
        .values("n")
    )
    units = (
        Unit.objects.annotate(sessions=Coalesce(Subquery(sessions, output_field=IntegerField()), Value(0)))
        .filter(Q(Exists(Official.objects.filter(unit=OuterRef("pk")))) | Q(pk__in=list(by_unit)))
        .values("pk", "code", "name", "sessions")
    )
    unit_rows = []
    for unit in units:
        figures = by_unit.get(unit["pk"], {})
        unit_rows.append(
            UnitRow(
                code=unit["code"],
                name=unit["name"],
                assessed=figures.get("n", 0),
                passed={code: figures.get(f"p_{code}", 0) for code in judged_categories(policy)},
                failed=figures.get("failed", 0),
                sessions=unit["sessions"],
                sessions_required=policy.group_study_sessions_required,
                flags=policy.unit_flags(assessed=figures.get("n", 0), failed=figures.get("failed", 0)),
            )
        )
    return Dashboard(
        year=year,
        assessed=totals["n_assessed"],
        exempt=totals["n_exempt"],
        grades={grade: totals[f"n_{grade}"] for grade in GRADES},
        vetoes=Veto.objects.filter(year=year).count(),
        vetoed_officials=totals["n_vetoed"],
        waiting=ActivityRecord.objects.filter(status=Status.SUBMITTED, occurred_on__year=year).count(),
        policy=policy,
        units=unit_rows,
    )


# ---------------------------------------------------------------------------------------------------
# Rankings and officials


def rankings(user, *, year: int, unit_code: str | None = None) -> QuerySet[AnnualScore]:
    """Assessed officials of the year by city rank (exempt officials have no rank), optionally one unit's."""
    scores = scores_visible_to(user).filter(year=year, exempt=False)
    if unit_code:
        scores = scores.filter(unit__code=unit_code)
    return scores.order_by(F("city_rank").asc(nulls_last=True), "official__staff_no")


def officials_directory(user, *, year: int, search: str = "", unit_code: str = "") -> QuerySet[Official]:
    """Officials the user may see, with the year's stored total and grade (two scalar subqueries, one query)."""
    officials = Official.objects.filter(scope_of(user).officials_q()).select_related("unit")
    search = search.strip()
    if search:
        officials = officials.filter(Q(name__icontains=search) | Q(staff_no__istartswith=search))
    if unit_code:
        officials = officials.filter(unit__code=unit_code)
    score = AnnualScore.objects.filter(official=OuterRef("pk"), year=year)
    return officials.annotate(
        year_total=Subquery(score.values("total")[:1], output_field=DecimalField(max_digits=5, decimal_places=1)),
        year_grade=Subquery(score.values("grade")[:1]),
        year_exempt=Subquery(score.values("exempt")[:1]),
    ).order_by("unit__code", "staff_no")


@dataclass
class OfficialYearFile:
    """What the training section sees of one official's year."""

    official: Official
    year: int
    score: AnnualScore | None
    snapshot: object  # credits.standing.ScoreSnapshot
    standing: Standing
    categories: list[dict]  # code, score, cap, line, passed (display order)
    records: list[ActivityRecord]
    exemptions: list[Exemption]
    vetoes: list[Veto]
    score_current: bool
    published: bool
    hours: HoursResult | None = None  # study hours of the year and its cycle (RULES §3)
    figures: CarryFigures | None = None  # carry-over and the cycle, when the result's policy has them (baoji-2009)
    total_cap: Decimal | None = None  # the most the total can be (None: uncapped categories)
    total_line: Decimal | None = None  # the line the total must reach (None: lines on categories only)

    @property
    def policy(self) -> Policy:
        return self.snapshot.policy

    @property
    def waiting(self) -> int:
        return sum(1 for record in self.records if record.status == Status.SUBMITTED)


def official_year_file(user, *, official: Official, year: int, today: date) -> OfficialYearFile:
    """The official's stored score and standing, records (each with the category it files under in the year's
    policy: ``year_category``), exemptions, vetoes and study hours of ``year``: seven queries."""
    score = scores_visible_to(user).filter(official=official, year=year).first()
    snapshot = empty_or_snapshot(score, year)
    records = list(
        records_visible_to(user)
        .filter(official=official, occurred_on__year=year)
        .select_related("reviewed_by", "created_by")
        .order_by("-occurred_on", "-id")
    )
    for record in records:
        record.year_category = category_under(snapshot.policy, record.kind, record.category)
    return OfficialYearFile(
        official=official,
        year=year,
        score=score,
        snapshot=snapshot,
        standing=standing(snapshot, on=today),
        categories=category_rows(score, snapshot),
        records=records,
        exemptions=list(Exemption.objects.filter(official=official, year=year).select_related("created_by")),
        vetoes=list(Veto.objects.filter(official=official, year=year).select_related("created_by").order_by("id")),
        score_current=not StaleScore.objects.filter(official=official, year=year).exists(),
        published=PublishedYear.objects.filter(year=year).exists(),
        hours=official_hours(official=official, year=year),
        figures=score_figures(score),
        total_cap=total_cap(snapshot.policy),
        total_line=total_line(snapshot),
    )


# ---------------------------------------------------------------------------------------------------
# Charts (portal/charts.py draws them): one aggregate query each, whatever the number of units or years


@dataclass(frozen=True)
class UnitGrades:
    """One unit's assessed officials of a year by grade (``GRADES`` order), and its pass rate (graded, not failed)."""

    code: str
    name: str
    assessed: int
    grades: dict[str, int]

    @property
    def passed(self) -> int:
        return self.assessed - self.grades.get(FAIL, 0)

    @property
    def pass_rate(self) -> Decimal | None:
        return _percent(self.passed, self.assessed)

    def share(self, grade: str) -> Decimal | None:
        return _percent(self.grades.get(grade, 0), self.assessed)


def unit_grade_distribution(*, year: int) -> list[UnitGrades]:
    """Every unit with assessed officials in ``year`` (by the unit of the stored score), lowest pass rate first
    (ties: more officials first, then the unit code). One query."""
    rows = (
        AnnualScore.objects.filter(year=year, exempt=False)
        .values("unit__code", "unit__name")
        .annotate(n=Count("id"), **{f"g_{grade}": Count("id", filter=Q(grade=grade)) for grade in GRADES})
        .order_by()
    )
    units = [
        UnitGrades(
            code=row["unit__code"],
            name=row["unit__name"],
            assessed=row["n"],
            grades={grade: row[f"g_{grade}"] for grade in GRADES},
        )
        for row in rows
    ]
    return sorted(units, key=lambda u: (u.passed / u.assessed, -u.assessed, u.code))


@dataclass(frozen=True)
class YearFigures:
    """The assessed officials of one year (of the city or a unit): how many, how many passed, the mean total."""

    year: int
    assessed: int
    passed: int
    average: Decimal

    @property
    def pass_rate(self) -> Decimal | None:
        return _percent(self.passed, self.assessed)


def year_trend(*, unit_code: str = "", up_to: int | None = None) -> list[YearFigures]:
    """Every year with assessed officials, oldest first, for the city or one unit (``unit_code``, by the unit of
    the stored score), optionally only up to ``up_to``. One query."""
    scores = AnnualScore.objects.filter(exempt=False)
    if unit_code:
        scores = scores.filter(unit__code=unit_code)
    if up_to is not None:
        scores = scores.filter(year__lte=up_to)
    rows = (
        scores.values("year")
        .annotate(n=Count("id"), failed=Count("id", filter=Q(grade=FAIL)), mean=Avg("total"))
        .order_by("year")
    )
    return [
        YearFigures(
            year=row["year"],
            assessed=row["n"],
            passed=row["n"] - row["failed"],
            average=Decimal(str(row["mean"] or 0)).quantize(Decimal("0.1")),
        )
        for row in rows
    ]
