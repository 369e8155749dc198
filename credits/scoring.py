"""Turning approved records into stored annual scores, set-based.

One path serves every case: a whole year, or the few officials whose inputs just changed.
It reads the year's inputs in a handful of queries (one aggregating ``GROUP BY`` over the records),
applies the year's policy in Python (``credits.rules``: pure, no ORM), writes the results back in
bulk and ranks the year with a window function.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, When
from django.utils import timezone

from notifications.services import notify_grades_changed
from organisation.models import Official

from .models import ActivityRecord, AnnualScore, Exemption, RankingDue, StaleScore, Status, Veto, YearPolicy
from .rules import DEFAULT_POLICY, ActivityLine, Assessment, OfficialYear, get_policy

log = logging.getLogger(__name__)

# The stored columns of a score, in the order the writers use (ranks are written by ``rank_year``).
SCORE_COLUMNS = (
    "official_id", "year", "unit_id", "policy", "exempt", "exempt_reason", "offjob", "menu", "online",
    "group_study", "self_study", "menu_passed", "online_passed", "total", "grade", "vetoes", "flags",
    "explanation", "computed_at", "digest",
)  # fmt: skip
GRADE_AT = SCORE_COLUMNS.index("grade")
CATEGORY_FIELDS = ("offjob", "menu", "online", "group_study", "self_study")
WRITE_BATCH = 10000
TENTH = Decimal("0.1")


def policy_code_for(year: int) -> str:
    return YearPolicy.objects.filter(year=year).values_list("policy", flat=True).first() or DEFAULT_POLICY


def officials_assessed_in(year: int):
    """Officials who are city-managed at some point of ``year`` (included by its end, not retired before it)."""
    return Official.objects.filter(
        Q(included_on__isnull=True) | Q(included_on__lt=date(year + 1, 1, 1)),
        Q(retires_on__isnull=True) | Q(retires_on__gte=date(year, 1, 1)),
    )


def _year_records(year: int):
    return ActivityRecord.objects.filter(
        status=Status.APPROVED, occurred_on__gte=date(year, 1, 1), occurred_on__lt=date(year + 1, 1, 1)
    )


def _activity_lines(year: int, per_record_kinds: Iterable[str], official_ids: Sequence[int] | None):
    """Approved records summed per official and kind, in one aggregating query.

    Records of ``per_record_kinds`` stay one line each (the policy judges them one by one). The rows are
    read with a plain cursor: at a city's scale Django's per-value converters would cost more than the query.
    """
    if official_ids is not None and not official_ids:
        return {}
    records = _year_records(year)
    if official_ids is not None:
        records = records.filter(official_id__in=official_ids)
    per_record = list(per_record_kinds)
    rows = (
        records.annotate(
            single=Case(When(kind__in=per_record, then=F("id")), default=None, output_field=IntegerField())
        )
        .values_list("official_id", "kind", "category", "class_passed", "single")
        .annotate(quantity=Sum("quantity"), records=Count("id"), points=Sum("points"))
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    lines: dict[int, list[ActivityLine]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(50000):
            for official_id, kind, category, class_passed, _single, quantity, count, points in chunk:
                lines[official_id].append(
                    ActivityLine(
                        kind=kind,
                        category=category,
                        quantity=_decimal(quantity),
                        records=count,
                        points=None if points is None else _decimal(points),
                        class_passed=bool(class_passed),
                    )
                )
    return lines


def _decimal(value) -> Decimal:
    """Stored quantities and points have one decimal place; SQLite hands sums back as floats."""
    return value if type(value) is Decimal else Decimal(str(value)).quantize(TENTH)


def compute_scores(
    *, year: int, official_ids: Sequence[int] | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Recompute and store the scores of ``year`` for ``official_ids`` (all officials when None).

    Returns how many officials were assessed. Officials not assessed in the year lose any score. Rows whose
    result did not change are not rewritten, only stamped with the new ``computed_at``. Rankings are not
    touched; call ``rank_year`` after.
    """
    policy = get_policy(policy_code_for(year))
    officials = officials_assessed_in(year)
    if official_ids is not None:
        officials = officials.filter(pk__in=official_ids)
    people = list(officials.values_list("pk", "unit_id", "included_on", "retires_on"))
    if official_ids is not None:
        gone = set(official_ids) - {pk for pk, *_ in people}
        if gone:
            AnnualScore.objects.filter(year=year, official_id__in=gone).delete()
    ids = None if official_ids is None else [pk for pk, *_ in people]

    exemptions = dict(_for_year(Exemption, year, ids).values_list("official_id", "reason"))
    vetoes: dict[int, set[str]] = defaultdict(set)
    for official_id, reason in _for_year(Veto, year, ids).values_list("official_id", "reason"):
        vetoes[official_id].add(reason)
    previous = dict(_for_year(AnnualScore, year - 1, ids).filter(exempt=False).values_list("official_id", "grade"))
    digests, grades_before = {}, {}
    for official_id, digest, grade in _for_year(AnnualScore, year, ids).values_list("official_id", "digest", "grade"):
        digests[official_id], grades_before[official_id] = digest, grade
    lines = _activity_lines(year, policy.PER_RECORD_KINDS, ids)

    now = timezone.now()
    changed: list[tuple] = []
    unchanged: list[int] = []
    grade_changes: list[tuple[int, int, str, str]] = []  # (official, year, before, after): the official is told
    done = 0
    for pk, unit_id, included_on, retires_on in people:
        context = OfficialYear(
            year=year,
            activities=tuple(lines.get(pk, ())),
            included_month=included_on.month if included_on and included_on.year == year else None,
            retires_in_year=bool(retires_on and retires_on.year == year),
            exemption=exemptions.get(pk),
            vetoes=frozenset(vetoes.get(pk, ())),
            previous_grade=previous.get(pk) or None,
        )
        row = _score_row(pk, unit_id, year, policy.assess(context), now)
        if digests.get(pk) == row[-1]:
            unchanged.append(pk)
        else:
            changed.append(row)
            if pk in grades_before and grades_before[pk] != row[GRADE_AT]:
                grade_changes.append((pk, year, grades_before[pk], row[GRADE_AT]))
        done += 1
        if len(changed) >= WRITE_BATCH:
            _write(changed)
            changed = []
            if progress:
                progress(done)
    _write(changed)
    notify_grades_changed(grade_changes)
    if official_ids is None:
        # Unchanged rows keep their computed_at: restamping a whole year rewrites every row for nothing. A record
        # changed since then without changing the result is caught by the reconciliation and stamped there.
        _analyze_scores()
    else:
        _stamp(year, unchanged, now)
    if progress:
        progress(done)
    return done


def _analyze_scores() -> None:
    """Fresh planner statistics after a whole year was written, so single-official refreshes use the right index."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE credits_annualscore")


def _for_year(model, year: int, ids: Sequence[int] | None):
    qs = model.objects.filter(year=year)
    return qs if ids is None else qs.filter(official_id__in=ids)


def _score_row(official_id: int, unit_id: int, year: int, result: Assessment, now) -> tuple:
    """One score as a tuple of ``SCORE_COLUMNS``; JSON columns as text; the digest of it all last."""
    c = result.categories
    values = (
        unit_id, result.policy, result.exempt, result.exempt_reason or "", c["offjob"].score, c["menu"].score,
        c["online"].score, c["group_study"].score, c["self_study"].score, c["menu"].passed, c["online"].passed,
        result.total, result.grade or "", json.dumps(list(result.vetoes)), json.dumps(list(result.flags)),
        json.dumps(result.explanation, ensure_ascii=False, separators=(",", ":")),
    )  # fmt: skip
    digest = hashlib.md5(repr(values).encode(), usedforsecurity=False).hexdigest()
    return (official_id, year, *values, now, digest)


def _write(rows: list[tuple]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_upsert(rows)
        return
    json_columns = {"vetoes", "flags", "explanation"}
    scores = [
        AnnualScore(
            **{col: json.loads(v) if col in json_columns else v for col, v in zip(SCORE_COLUMNS, row, strict=True)}
        )
        for row in rows
    ]
    AnnualScore.objects.bulk_create(
        scores, update_conflicts=True, unique_fields=["official", "year"],
        update_fields=[col.removesuffix("_id") for col in SCORE_COLUMNS[2:]],
    )  # fmt: skip


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _copy_upsert(rows: list[tuple]) -> None:
    """PostgreSQL: COPY into a temporary table, then one INSERT … ON CONFLICT DO UPDATE."""
    columns = ", ".join(SCORE_COLUMNS)
    updates = ", ".join(f"{col} = EXCLUDED.{col}" for col in SCORE_COLUMNS[2:])
    buffer = io.StringIO()
    buffer.writelines("\t".join(map(_copy_value, row)) + "\n" for row in rows)
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS score_load AS SELECT {columns} FROM credits_annualscore WITH NO DATA"
        )
        cursor.execute("TRUNCATE score_load")
        cursor.cursor.copy_expert(f"COPY score_load ({columns}) FROM STDIN", buffer)
        cursor.execute(
            f"INSERT INTO credits_annualscore ({columns}) SELECT {columns} FROM score_load "
            f"ON CONFLICT (official_id, year) DO UPDATE SET {updates}"
        )


def _stamp(year: int, official_ids: list[int], now) -> None:
    """Unchanged results: only record that they were checked against the current inputs."""
    if not official_ids:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE credits_annualscore SET computed_at = %s WHERE year = %s AND official_id = ANY(%s)",
                [now, year, official_ids],
            )
        return
    for start in range(0, len(official_ids), 10000):
        AnnualScore.objects.filter(year=year, official_id__in=official_ids[start : start + 10000]).update(
            computed_at=now
        )


RANK_SQL = """
UPDATE credits_annualscore SET city_rank = ranked.city_rank, unit_rank = ranked.unit_rank
FROM (
    SELECT id,
           RANK() OVER (ORDER BY total DESC) AS city_rank,
           RANK() OVER (PARTITION BY unit_id ORDER BY total DESC) AS unit_rank
    FROM credits_annualscore WHERE year = %s AND NOT exempt
) AS ranked
WHERE credits_annualscore.id = ranked.id
  AND (credits_annualscore.city_rank IS DISTINCT FROM ranked.city_rank
       OR credits_annualscore.unit_rank IS DISTINCT FROM ranked.unit_rank)
"""


def rank_year(*, year: int) -> None:
    """City and unit ranks among assessed officials (RULES §1.7): ties share a rank, the next is skipped.

    Clears the year's "ranking due" mark in the same transaction, so a ranking that fails leaves it for the
    reconciliation. The mark is locked first: scores changed concurrently either commit (with their mark) before
    the ranking reads them, or re-mark the year after it commits (a new row, which this ranking does not delete).
    """
    sql = RANK_SQL if connection.vendor == "postgresql" else RANK_SQL.replace("IS DISTINCT FROM", "IS NOT")
    with transaction.atomic(), connection.cursor() as cursor:
        marks = list(RankingDue.objects.select_for_update().filter(year=year).values_list("pk", flat=True))
        AnnualScore.objects.filter(year=year, exempt=True).exclude(city_rank=None, unit_rank=None).update(
            city_rank=None, unit_rank=None
        )
        cursor.execute(sql, [year])
        RankingDue.objects.filter(pk__in=marks).delete()
    remember_ranked_count(year=year)


def mark_ranking_due(years: Iterable[int]) -> None:
    """Note that these years need ranking again. Part of the caller's transaction (the one writing their scores)."""
    marks = [RankingDue(year=year) for year in set(years)]
    if marks:
        RankingDue.objects.bulk_create(
            marks, update_conflicts=True, unique_fields=["year"], update_fields=["marked_at"]
        )


def years_due_ranking() -> list[int]:
    """Years whose scores changed since their last completed ranking."""
    return sorted(RankingDue.objects.values_list("year", flat=True))


def rank_due_years() -> list[int]:
    """Rank every year marked due (a ranking that failed or was never delivered); returns those years."""
    years = years_due_ranking()
    for year in years:
        rank_year(year=year)
    return years


# Refreshed by every ranking; the expiry covers a per-process cache (no Redis) that a worker's ranking cannot reach.
RANKED_COUNT_SECONDS = 300


def ranked_count_key(year: int) -> str:
    return f"credits:ranked-count:{year}"


def remember_ranked_count(*, year: int) -> int:
    """How many officials were ranked city-wide in ``year``, kept in the shared cache: 我的学分 shows it on every
    view, and counting a year of 100,000 scores costs ~100 ms of database time. Refreshed by every ranking."""
    from django.core.cache import cache

    count = AnnualScore.objects.filter(year=year, exempt=False).count()
    cache.set(ranked_count_key(year), count, RANKED_COUNT_SECONDS)
    return count


def mark_stale(pairs: Iterable[tuple[int, int]]) -> int:
    """Note that these (official id, year) scores no longer match their inputs. Part of the caller's transaction."""
    now = timezone.now()
    marks = [StaleScore(official_id=o, year=y, marked_at=now) for o, y in set(pairs)]
    if marks:
        StaleScore.objects.bulk_create(
            marks,
            update_conflicts=True,
            unique_fields=["official", "year"],
            update_fields=["marked_at"],
            batch_size=5000,
        )
    return len(marks)


def refresh_stale(*, batch: int = 2000, older_than_seconds: int = 0) -> set[int]:
    """Recompute every stale score, a batch per transaction; returns the years that changed.

    Each batch is claimed with ``SKIP LOCKED`` (PostgreSQL), recomputed, its years marked due for ranking and its
    stale marks cleared in one transaction, so two workers never take the same marks and a crash leaves them for
    the next run.
    """
    years: set[int] = set()
    while True:
        with transaction.atomic():
            stale = StaleScore.objects.order_by("id")
            if older_than_seconds:
                stale = stale.filter(marked_at__lte=timezone.now() - timezone.timedelta(seconds=older_than_seconds))
            claimed = list(stale.select_for_update(skip_locked=True).values_list("id", "official_id", "year")[:batch])
            if not claimed:
                return years
            by_year: dict[int, list[int]] = defaultdict(list)
            for _id, official_id, year in claimed:
                by_year[year].append(official_id)
            # Committed with the scores (the ranking that follows may fail), and taken first: a ranking holds the
            # year's mark while it updates scores, so taking the mark before the scores cannot deadlock with it.
            mark_ranking_due(by_year)
            for year, official_ids in by_year.items():
                compute_scores(year=year, official_ids=official_ids)
            StaleScore.objects.filter(id__in=[row[0] for row in claimed]).delete()
        years.update(by_year)


def find_outdated_scores(*, years: Iterable[int]) -> int:
    """Mark stale any score older than its inputs (a record changed after it was computed), or missing.

    A safety net for writes that bypassed the services; returns how many were marked.
    """
    pairs: list[tuple[int, int]] = []
    for year in years:
        newer = (
            ActivityRecord.objects.filter(occurred_on__gte=date(year, 1, 1), occurred_on__lt=date(year + 1, 1, 1))
            .filter(Q(official__scores__year=year, updated_at__gt=F("official__scores__computed_at")))
            .values_list("official_id", flat=True)
            .distinct()
        )
        missing = officials_assessed_in(year).exclude(scores__year=year).values_list("pk", flat=True)
        pairs += [(pk, year) for pk in newer] + [(pk, year) for pk in missing]
    return mark_stale(pairs)
