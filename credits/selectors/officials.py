"""Reads for one official's pages: the year's standing and records, the years before, the registration form and the
training archive. Each function runs a fixed number of queries whatever the number of records and years.

The callers have already checked that the user may see ``official`` (the official's own pages, or a unit
administrator's or the training section's page for an official in their scope).

Whatever the year's policy, the pages read its numbers from the policy or the stored result, never from here:

* Carry-over and the five-year cycle (``CarryFigures``) come from ``AnnualScore.figures`` when the result has them
  (baoji-2009); the year's line is the policy's requirement on the total; the cycle's line is
  ``Policy.cycle_credits_required``. A year without a stored result shows no carry or cycle figures: they depend on
  the year before, which only scoring reads.
* Records are grouped by the category they file under in the year's policy (``category_under``, as scoring reads
  them); kinds the policy does not count form one group of their own (``NOT_COUNTED``), shown as not counted.
* Study hours (RULES §3) are read for every year and policy (``credits.selectors.hours.official_hours``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, CharField, Count, IntegerField, OuterRef, Subquery, Value, When

from credits.policies import policy_of_year
from credits.rules import DEFAULT_POLICY, Policy, get_policy
from credits.scoring import ranked_count_key, remember_ranked_count
from credits.selectors.hours import official_hours
from credits.standing import ScoreSnapshot, Standing, standing
from kunshan_training.years import FIRST_YEAR  # noqa: E402, F401  (the one definition; re-exported for old imports)
from organisation.models import Official

from ..models import (
    ActivityRecord,
    AnnualScore,
    Exemption,
    Kind,
    PublishedYear,
    StaleScore,
    Status,
    Veto,
    YearPolicy,
)


@dataclass(frozen=True)
class KindTotal:
    """The approved records of one kind in a year, summed: one line of the registration form."""

    category: str
    kind: str
    count: int
    quantity: Decimal
    first: date
    last: date


def category_order(policy: Policy) -> dict[str, int]:
    """The policy's categories in display order; other categories (records not counted under it) after them."""
    return {spec.code: n for n, spec in enumerate(policy.categories)}


NOT_COUNTED = "not-counted"  # the group of records whose kind the year's policy does not count


def category_under(policy: Policy, kind: str, stored: str) -> str:
    """The category a record files under in a year of ``policy`` (as scoring reads it): the kind's own category,
    the approver's choice for a kind filed case by case, or ``NOT_COUNTED`` for a kind the policy does not count."""
    if kind not in policy.kinds:
        return NOT_COUNTED
    return policy.category_of(kind) or stored


def records_by_kind(records: list[ActivityRecord], policy: Policy) -> list[KindTotal]:
    """``records`` summed by category and kind (categories in display order, kinds in their list order): the
    registration form fits one page however many records there are (46 half-hours of online study are one line).
    The category is the one the record files under in ``policy`` (``category_under``: ``NOT_COUNTED`` last)."""
    category_order_ = category_order(policy)
    kind_order = {code: n for n, code in enumerate(Kind.values)}
    groups: dict[tuple[str, str], list[ActivityRecord]] = defaultdict(list)
    for record in records:
        groups[(category_under(policy, record.kind, record.category), record.kind)].append(record)
    totals = [
        KindTotal(
            category=category,
            kind=kind,
            count=len(group),
            quantity=sum((r.quantity for r in group), Decimal(0)),
            first=min(r.occurred_on for r in group),
            last=max(r.occurred_on for r in group),
        )
        for (category, kind), group in groups.items()
    ]
    return sorted(totals, key=lambda t: (category_order_.get(t.category, 99), kind_order.get(t.kind, 99)))


def total_cap(policy: Policy) -> Decimal | None:
    """The most the year's total can be (the sum of the category caps; Kunshan 100), None when a category is
    uncapped (Baoji)."""
    caps = [spec.cap for spec in policy.categories]
    return None if any(cap is None for cap in caps) else sum(caps, Decimal(0))


def total_line(snapshot: ScoreSnapshot) -> Decimal | None:
    """The line the year's total must reach (Baoji: the effective credits' line), None when the policy judges only
    categories (Kunshan)."""
    return line_on_total(snapshot.requirements)


def line_on_total(requirements) -> Decimal | None:
    """The ``need`` of the requirement on the year's total among ``requirements`` (None when there is none)."""
    return next((req.need for req in requirements if req.category is None and req.what == "points"), None)


@dataclass(frozen=True)
class CycleFigures:
    """The five-year cycle as the stored result holds it (RULES §2.3)."""

    first_year: int
    last_year: int
    earned: Decimal  # credits earned in the cycle's years up to the year shown (carry is not counted again)
    required: Decimal | None  # the cycle's line as the result's policy states it; None if it states none
    passed: bool | None  # judged in the cycle's last year only (None before, and in an exempt last year)
    judged_year: bool  # the year shown is the cycle's last year


@dataclass(frozen=True)
class CarryFigures:
    """A year of a policy with carry-over (``AnnualScore.figures``): earned + carried in = effective; what is above
    the year's line is carried over to the next year."""

    year: int
    earned: Decimal
    carry_in: Decimal
    effective: Decimal
    carry_out: Decimal
    line: Decimal | None  # the year's line on the effective credits (the policy's requirement on the total)
    cycle: CycleFigures | None


def _decimal(value) -> Decimal:
    return Decimal(str(value if value not in (None, "") else 0))


def cycle_line(policy: Policy, explanation=None) -> Decimal | None:
    """The cycle's line as the policy states it (``Policy.cycle_credits_required``; None: no cycle rule)."""
    return policy.cycle_credits_required


def score_figures(score: AnnualScore | None) -> CarryFigures | None:
    """The carry-over and cycle figures of a stored result, None when it has none (no result, or a policy without
    carry-over such as kunshan-2020)."""
    figures = (score.figures or {}) if score is not None else {}
    if "effective" not in figures:
        return None
    policy = get_policy(score.policy)
    cycle = None
    stored = figures.get("cycle")
    if stored:
        cycle = CycleFigures(
            first_year=stored["first_year"],
            last_year=stored["last_year"],
            earned=_decimal(stored.get("earned")),
            required=cycle_line(policy, score.explanation),
            passed=stored.get("passed"),
            judged_year=score.year == stored["last_year"],
        )
    return CarryFigures(
        year=score.year,
        earned=_decimal(figures.get("earned")),
        carry_in=_decimal(figures.get("carry_in")),
        effective=_decimal(figures.get("effective")),
        carry_out=_decimal(figures.get("carry_out")),
        line=line_on_total(policy.requirements(score.explanation or {})),
        cycle=cycle,
    )


def record_groups(records: list[ActivityRecord], policy: Policy) -> list[dict]:
    """The records by the category they file under in the year's policy, in its display order; records of kinds it
    does not count last, in a group marked as not counted. Each group: code, records, counted."""
    order = category_order(policy)
    groups: dict[str, list[ActivityRecord]] = defaultdict(list)
    for record in records:
        groups[category_under(policy, record.kind, record.category)].append(record)
    return [
        {"code": code, "records": group, "counted": code != NOT_COUNTED}
        for code, group in sorted(groups.items(), key=lambda item: (item[0] == NOT_COUNTED, order.get(item[0], 99)))
    ]


def year_choices(scores: list[AnnualScore], *, year: int, today: date) -> list[int]:
    """The years to switch between: every year with a score, this year and the year shown, newest first."""
    return sorted({s.year for s in scores} | {today.year, year}, reverse=True)


def category_rows(score: AnnualScore | None, snapshot: ScoreSnapshot) -> list[dict]:
    """One row per category of the year's policy in display order: code, score, cap (None: uncapped), pass line
    (None: none) and whether it is met."""
    rows = []
    stored = (score.categories or {}) if score is not None else {}
    for spec in snapshot.policy.categories:
        line = spec.pass_line
        passed = (stored.get(spec.code) or {}).get("passed") if line is not None else None
        if line is not None and score is None:
            passed = False
        rows.append(
            {
                "code": spec.code,
                "score": snapshot.categories.get(spec.code, Decimal(0)),
                "cap": spec.cap,
                "line": line,
                "passed": passed,
            }
        )
    return rows


def year_policy(score: AnnualScore | None, year: int) -> Policy:
    """The policy a year's page shows: the one its stored result was assessed under, else the year's."""
    return get_policy(score.policy) if score is not None else policy_of_year(year)


def empty_or_snapshot(score: AnnualScore | None, year: int) -> ScoreSnapshot:
    return ScoreSnapshot.from_score(score) if score is not None else ScoreSnapshot.empty(year, policy_of_year(year))


def _decisions(official: Official, year: int) -> tuple[Exemption | None, list[Veto]]:
    """The recorded exemption and vetoes of the year (their notes say why), in one query."""
    tag = CharField()
    exemptions = Exemption.objects.filter(official=official, year=year).annotate(what=Value("e", output_field=tag))
    recorded = Veto.objects.filter(official=official, year=year).annotate(what=Value("v", output_field=tag))
    exemption, vetoes = None, []
    for what, reason, note in exemptions.values_list("what", "reason", "note").union(
        recorded.values_list("what", "reason", "note")
    ):
        if what == "e":
            exemption = Exemption(official=official, year=year, reason=reason, note=note)
        else:
            vetoes.append(Veto(official=official, year=year, reason=reason, note=note))
    return exemption, sorted(vetoes, key=lambda v: v.reason)


def _scores_with_rank_sizes(official: Official, year: int):
    """Every year's score of the official, newest first; the row of ``year`` also carries how many officials
    were ranked in the city (``city_size``) and in the unit (``unit_size``) that year."""
    assessed = AnnualScore.objects.filter(year=OuterRef("year"), exempt=False).order_by().values("year")
    unit = assessed.filter(unit_id=OuterRef("unit_id")).annotate(n=Count("pk")).values("n")
    # CASE keeps the counting to the one row shown: the years before need only their ranks. The city-wide count
    # comes from the cache the ranking fills (counting 100,000 scores on every view is ~100 ms of database time).
    scores = list(
        AnnualScore.objects.filter(official=official)
        .annotate(unit_size=Case(When(year=year, then=Subquery(unit)), default=None, output_field=IntegerField()))
        .order_by("-year")
    )
    for score in scores:
        score.city_size = None
        if score.year == year and score.city_rank is not None:
            score.city_size = cache.get(ranked_count_key(year))
            if score.city_size is None:  # 0 is a real count, not a miss
                score.city_size = remember_ranked_count(year=year)
    return scores


def credits_year_context(official: Official, *, year: int, today: date) -> dict:
    """Everything the 我的学分 page shows for ``year``: standing, bars, carry-over and the cycle (when the year's policy
    has them), study hours, notes, records, the years before.

    Queries: scores of every year (with how many were ranked in the year shown), the stale mark, the year's
    records, the recorded decisions, whether the year is published, the study hours of the year and its cycle.
    """
    scores = list(_scores_with_rank_sizes(official, year))
    score = next((s for s in scores if s.year == year), None)
    snapshot = empty_or_snapshot(score, year)
    closed = year < today.year
    where: Standing = standing(snapshot, on=today)
    updating = StaleScore.objects.filter(official=official, year=year).exists()
    records = list(
        ActivityRecord.objects.filter(official=official, occurred_on__year=year).order_by("-occurred_on", "-id")
    )
    exemption, vetoes = _decisions(official, year)
    return {
        "official": official,
        "year": year,
        "years": year_choices(scores, year=year, today=today),
        "closed": closed,
        "score": score,
        "snapshot": snapshot,
        "standing": where,
        "updating": updating,
        "categories": category_rows(score, snapshot),
        "total_cap": total_cap(snapshot.policy),
        "total_line": total_line(snapshot),
        "figures": score_figures(score),
        "hours": official_hours(official=official, year=year),
        "records": records,
        "policy": snapshot.policy,
        "record_groups": record_groups(records, snapshot.policy),
        "pending": sum(1 for r in records if r.status == Status.SUBMITTED),
        "exemption": exemption,
        "recorded_vetoes": vetoes,
        "history": scores,
        # A published year's waiting declarations can no longer be withdrawn (the row says so instead).
        "published": PublishedYear.objects.filter(year=year).exists(),
    }


def registration_form_context(official: Official, year: int) -> dict:
    """The training section of 《干部年度考核登记表》 for ``year``: scores, grade, vetoes, the approved records."""
    score = AnnualScore.objects.filter(official=official, year=year).first()
    snapshot = empty_or_snapshot(score, year)
    order = category_order(snapshot.policy)
    records = sorted(  # the form lists records category by category, then by date
        ActivityRecord.objects.filter(official=official, occurred_on__year=year, status=Status.APPROVED),
        key=lambda r: (
            order.get(category_under(snapshot.policy, r.kind, r.category), len(order)),
            r.occurred_on,
            r.id,
        ),
    )
    exemption, vetoes = _decisions(official, year)
    return {
        "official": official,
        "unit": official.unit,
        "year": year,
        "score": score,
        "snapshot": snapshot,
        "categories": category_rows(score, snapshot),
        "total_cap": total_cap(snapshot.policy),
        "total_line": total_line(snapshot),
        "figures": score_figures(score),
        "records": records,
        "policy": snapshot.policy,
        "kinds": records_by_kind(records, snapshot.policy),
        "exemption": exemption,
        "recorded_vetoes": vetoes,
        "published": PublishedYear.objects.filter(year=year).exists(),
        "updating": StaleScore.objects.filter(official=official, year=year).exists(),
    }


def archive_context(official: Official) -> dict:
    """The official's training archive: every year with its result and every approved record, newest year first."""
    scores = {s.year: s for s in AnnualScore.objects.filter(official=official)}
    by_year: dict[int, list[ActivityRecord]] = defaultdict(list)
    for record in ActivityRecord.objects.filter(official=official, status=Status.APPROVED).order_by(
        "occurred_on", "id"
    ):
        by_year[record.occurred_on.year].append(record)
    years = sorted(set(scores) | set(by_year), reverse=True)
    # Each record shows the category it files under in its year's policy (the stored result's, else the year's);
    # ``category`` itself is left as stored (the PDF reads it). The year -> policy table has a row per year at most:
    # read whole in one query, so the count does not depend on which years have a result.
    chosen = dict(YearPolicy.objects.values_list("year", "policy"))
    for year, records in by_year.items():
        policy = get_policy(scores[year].policy if year in scores else chosen.get(year, DEFAULT_POLICY))
        for record in records:
            record.year_category = category_under(policy, record.kind, record.category)
    return {
        "official": official,
        "unit": official.unit,
        "years": [
            {"year": y, "score": scores.get(y), "figures": score_figures(scores.get(y)), "records": by_year.get(y, [])}
            for y in years
        ],
        "record_count": sum(len(records) for records in by_year.values()),
    }


def similar_records(*, official: Official, kind: str, occurred_on: date, exclude: int | None = None) -> list:
    """Records of the same official, kind and date already waiting or approved: a new declaration of them may be a
    duplicate (a warning the declarer may confirm past, not a block). One query."""
    from credits.services import SIMILAR_STATUSES

    records = ActivityRecord.objects.filter(
        official=official, kind=kind, occurred_on=occurred_on, status__in=SIMILAR_STATUSES
    ).order_by("-id")
    if exclude is not None:
        records = records.exclude(pk=exclude)
    return list(records[:10])
