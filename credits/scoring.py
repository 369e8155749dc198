"""Turning approved records into stored annual scores, set-based.

One path serves every case: a whole year, or the few officials whose inputs just changed.
It reads the year's inputs in a handful of queries (one aggregating ``GROUP BY`` over the records),
applies the year's policy in Python (``credits.rules``: pure, no ORM), writes the results back in
bulk and ranks the year with a window function.

Speed (bench/recompute.py, figures in bench/README.md): a score is assessed again only when a digest of its inputs
and of the rules' code changed; a whole year on PostgreSQL is read by one thread and written by another, each on a
connection of its own, while this one assesses (outside a transaction only: inside one, another connection would
not see its writes); the aggregation runs without JIT; results are written as COPY text with the ranks they will
have, so that the ranking that follows has little to change.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import queue
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, When
from django.dispatch import Signal
from django.utils import timezone

from notifications.services import notify_grades_changed
from organisation.models import Official

from .models import ActivityRecord, AnnualScore, Exemption, RankingDue, StaleScore, Status, Veto
from .policies import policy_of_year
from .rules import ActivityLine, Assessment, OfficialYear, Policy, PreviousYear
from .rules.inputs import inputs_text, line_text

log = logging.getLogger(__name__)

# The stored columns of a score, in the order the writers use (ranks are written by ``rank_year``).
SCORE_COLUMNS = (
    "official_id", "year", "unit_id", "policy", "exempt", "exempt_reason", "categories", "figures", "chain",
    "total", "grade", "vetoes", "flags", "inputs", "legacy_explanation", "computed_at", "digest",
)  # fmt: skip
GRADE_AT = SCORE_COLUMNS.index("grade")
CHAIN_AT = SCORE_COLUMNS.index("chain")
JSON_COLUMNS = frozenset({"categories", "figures", "vetoes", "flags"})
WRITE_BATCH = 10000
TENTH = Decimal("0.1")
# A later year's refresh recomputes only the officials whose earlier year changed what it passes on, unless they are
# more than this share of the year: then the whole year is recomputed (one set-based pass is cheaper than a long
# list of ids).
WHOLE_YEAR_SHARE = 0.5
# A whole-year recompute analyses the scores table afterwards only when it inserted more than this share of the year's
# scores (a first recompute): the planner's statistics are otherwise still good.
ANALYZE_SHARE = 0.1
# The columns queries filter, join and sort scores by: the planner needs their statistics, not the JSON columns'
# (sampling 30,000 rows of JSON was most of the ANALYZE's time).
ANALYZED_COLUMNS = ("id", "official_id", "year", "unit_id", "exempt", "grade", "total", "city_rank", "unit_rank")

# Sent by ``compute_scores`` once a year's scores (or some officials' of it) are stored: arguments ``year``,
# ``official_ids`` and ``unit_ids`` (the units those officials belong to now or were scored under before; both None
# for a whole year). Other apps follow the data through it (the unit scorecards' computed items) without credits
# knowing them. Sent inside the caller's transaction, if any.
scores_computed = Signal()


class Computed(NamedTuple):
    """What ``compute_scores`` did: how many officials it assessed, and whose result now passes on something
    different to the next year (``PreviousYear``), so that year must follow."""

    assessed: int
    chain_changed: frozenset[int]


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


def _activity_lines(
    year: int, policy: Policy, official_ids: Sequence[int] | None
) -> Iterator[tuple[int, list[ActivityLine], list[str]]]:
    """(official id, their lines, each line as text) in official id order: approved records summed per official and
    kind, in one aggregating query.

    Records of the policy's ``per_record_kinds`` and of the kinds the approver files under a category of their
    choice (``category_of`` None: discretionary) stay one line each (the policy judges them one by one; a line
    never mixes categories); ``class_passed`` is a grouping key (class days of passed and failed classes). Each
    line's category is the kind's category under the year's policy, the record's own for a kind the approver files
    (read by id with each chunk: a few records) and "" for a kind the policy does not count. The query groups by
    four keys and reads no category: at a city's scale that costs about what a bare ``GROUP BY official_id, kind``
    does (bench/recompute.py). Equal lines are one shared, immutable ``ActivityLine``: a city's year has ~850,000
    lines but far fewer distinct ones. A whole year on PostgreSQL is read by a thread while the caller assesses
    (``_chunks_in_thread``).
    """
    if official_ids is not None and not official_ids:
        return
    records = _year_records(year)
    if official_ids is not None:
        records = records.filter(official_id__in=official_ids)
    filed = frozenset(k for k in policy.kinds if policy.category_of(k) is None)
    single = sorted(set(policy.per_record_kinds) | filed)
    rows = (
        records.annotate(single=Case(When(kind__in=single, then=F("id")), default=None, output_field=IntegerField()))
        .values_list("official_id", "kind", "class_passed", "single")
        .annotate(quantity=Sum("quantity"), records=Count("*"), points=Sum("points"))
        .order_by("official_id")
    )
    sql, params = rows.query.sql_with_params()
    threaded = official_ids is None and connection.vendor == "postgresql" and not connection.in_atomic_block
    chunks = (_chunks_in_thread if threaded else _chunks)(sql, params, filed)
    # (kind, passed, quantity, records, points, filed category) -> (line, the line as text)
    shared: dict[tuple, tuple[ActivityLine, str]] = {}
    current, lines, texts = None, [], []
    for chunk, chosen in chunks:
        for official_id, kind, class_passed, record_id, quantity, count, points in chunk:
            if official_id != current:
                if lines:
                    yield current, lines, texts
                current, lines, texts = official_id, [], []
            key = (kind, class_passed, quantity, count, points, chosen.get(record_id, "") if kind in filed else "")
            found = shared.get(key)
            if found is None:
                line = ActivityLine(
                    kind,
                    _line_category(policy, kind, key[5]),
                    _decimal(quantity),
                    count,
                    None if points is None else _decimal(points),
                    bool(class_passed),
                )
                found = shared[key] = (line, line_text(line))
            lines.append(found[0])
            texts.append(found[1])
    if lines:
        yield current, lines, texts


LINE_CHUNK = 20000  # GROUP BY rows a fetch


def _chunks(sql: str, params, filed: frozenset[str]) -> Iterator[tuple[list[tuple], dict[int, str]]]:
    """The GROUP BY's rows a chunk at a time, with the category stored on each approver-filed record among them."""
    with _without_jit(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(LINE_CHUNK):
            yield chunk, _categories_of([row[3] for row in chunk if row[1] in filed])


def _chunks_in_thread(sql: str, params, filed: frozenset[str]) -> Iterator[tuple[list[tuple], dict[int, str]]]:
    """``_chunks`` read by a thread on a connection of its own through a server-side cursor, a few chunks ahead.

    PostgreSQL aggregates the next chunk while this process assesses the last one: the query and the rules run on
    two cores instead of one after the other. Only outside a transaction (another connection would not see what
    the caller's transaction wrote). An error in the thread is raised here; leaving early stops the thread.
    """
    handoff: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()
    done = object()

    def hand(item) -> None:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def read() -> None:
        try:
            with (
                _without_jit(),
                connection.cursor() as cursor,
                connection.connection.cursor(name="year_lines") as server_side,
            ):
                server_side.execute(sql, params)
                while not stop.is_set() and (chunk := server_side.fetchmany(LINE_CHUNK)):
                    hand((chunk, _categories_of([row[3] for row in chunk if row[1] in filed], cursor=cursor)))
            hand(done)
        except BaseException as error:  # handed to the caller, raised there
            hand(error)
        finally:
            connection.close()  # this thread's own connection

    reader = threading.Thread(target=read, name="year-lines", daemon=True)
    reader.start()
    try:
        while (item := handoff.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def _categories_of(record_ids: list[int], cursor=None) -> dict[int, str]:
    """The category stored on each of these records (the approver's choice), as many ids a query as the database
    takes (SQLite: 999); through ``cursor`` when given (the reading thread's)."""
    found: dict[int, str] = {}
    size = min(5000, connection.features.max_query_params or 5000)
    for start in range(0, len(record_ids), size):
        chunk = record_ids[start : start + size]
        if cursor is None:
            found.update(ActivityRecord.objects.filter(pk__in=chunk).values_list("pk", "category"))
        else:
            cursor.execute("SELECT id, category FROM credits_activityrecord WHERE id = ANY(%s)", [chunk])
            found.update(cursor.fetchall())
    return found


@contextmanager
def _without_jit():
    """PostgreSQL: no JIT compilation for the statements inside (one transaction). The year's aggregation and
    writes run once over a million rows: JIT spends 1-3 s compiling them and saves less (bench/recompute.py)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _line_category(policy: Policy, kind: str, filed: str) -> str:
    if kind not in policy.kinds:
        return ""  # kept, explained as not counted under this policy
    return policy.category_of(kind) or filed


def _decimal(value) -> Decimal:
    """Stored quantities and points have one decimal place; SQLite hands sums back as floats."""
    return value if type(value) is Decimal else Decimal(str(value)).quantize(TENTH)


def year_contexts(
    *, year: int, policy: Policy, people: Sequence[tuple], ids: Sequence[int] | None
) -> Iterator[tuple[int, int, OfficialYear]]:
    """(official id, unit id, what the policy needs) for each of ``people`` (pk, unit_id, included_on, retires_on),
    in official id order, read in a fixed handful of queries: exemptions, vetoes, the year before's chain values,
    the records' GROUP BY (streamed, see ``_activity_lines``)."""
    for pk, unit_id, context, _inputs in _year_inputs(year=year, policy=policy, people=people, ids=ids):
        yield pk, unit_id, context


def _year_inputs(
    *, year: int, policy: Policy, people: Sequence[tuple], ids: Sequence[int] | None
) -> Iterator[tuple[int, int, OfficialYear, str]]:
    """``year_contexts`` and, fourth, everything in the context as one text (the source of a score's digest, see
    ``compute_scores``): the lines sorted, so the order the database returns them in does not matter."""
    exemptions = dict(_for_year(Exemption, year, ids).values_list("official_id", "reason"))
    vetoes: dict[int, set[str]] = defaultdict(set)
    for official_id, reason in _for_year(Veto, year, ids).values_list("official_id", "reason"):
        vetoes[official_id].add(reason)
    # What each official's year before passes on: a few distinct texts for a whole city, decoded once each.
    decoded: dict[str, PreviousYear | None] = {}
    previous: dict[int, tuple[PreviousYear, str]] = {}
    for official_id, text in _for_year(AnnualScore, year - 1, ids).values_list("official_id", "chain"):
        value = decoded.get(text, False)
        if value is False:
            value = decoded[text] = PreviousYear.decode(text)
        if value is not None:
            previous[official_id] = (value, text)
    # The officials in id order, merged with the lines that come in the same order.
    stream = _activity_lines(year, policy, ids)
    found = next(stream, None)
    for pk, unit_id, included_on, retires_on in sorted(people, key=itemgetter(0)):
        while found is not None and found[0] < pk:
            found = next(stream, None)  # records of an official not assessed in the year
        if found is not None and found[0] == pk:
            activities, texts = tuple(found[1]), found[2]
            found = next(stream, None)
        else:
            activities, texts = (), ()
        before, before_text = previous.get(pk) or (None, "")
        context = OfficialYear(
            year=year,
            activities=activities,
            included_month=included_on.month if included_on and included_on.year == year else None,
            retires_in_year=bool(retires_on and retires_on.year == year),
            exemption=exemptions.get(pk),
            vetoes=frozenset(vetoes.get(pk, ())),
            previous_grade=None if before is None or before.exempt else before.grade,
            previous=before,
        )
        yield pk, unit_id, context, inputs_text(context, before=before_text, line_texts=texts)


def assess_year(*, year: int, policy: Policy) -> Iterator[tuple[int, int, Assessment]]:
    """Every official of ``year`` assessed under ``policy`` (whatever the year's own policy), writing nothing:
    (official id, unit id, result without its explanation). The what-if preview of a policy change reads this."""
    people = list(officials_assessed_in(year).values_list("pk", "unit_id", "included_on", "retires_on"))
    for pk, unit_id, context in year_contexts(year=year, policy=policy, people=people, ids=None):
        yield pk, unit_id, policy.assess(context, explain=False)


def compute_scores(
    *, year: int, official_ids: Sequence[int] | None = None, progress: Callable[[int], None] | None = None
) -> Computed:
    """Recompute and store the scores of ``year`` for ``official_ids`` (all officials when None).

    Returns how many officials were assessed (or found unchanged) and whose result changed what the next year reads
    of it (the caller
    follows the chain: ``refresh_stale`` and ``compute_chain`` do). Officials not assessed in the year lose any
    score. A score's ``digest`` is the MD5 of everything its result is computed from (the policy's code and the
    code of the rules, the unit, the lines, exemption, vetoes, inclusion, retirement, the year before's chain
    value): a score whose digest is unchanged is not assessed again nor rewritten, only stamped with the new
    ``computed_at`` (a few officials; a whole year leaves it alone). Rankings are ``rank_year``'s: call it after.
    A whole year's new and changed rows are written once at the end with the ranks the year will have (computed
    here from every score of the year), so that ``rank_year`` then finds little or nothing to change; a few
    officials' rows are written with the ranks they had.
    """
    policy = policy_of_year(year)
    officials = officials_assessed_in(year)
    whole = official_ids is None
    if not whole:
        officials = officials.filter(pk__in=official_ids)
    people = list(officials.values_list("pk", "unit_id", "included_on", "retires_on"))
    chain_changed: set[int] = set()
    units: set[int] = {unit_id for _pk, unit_id, *_ in people}  # the units they are in now, and were scored under
    if not whole:
        gone = set(official_ids) - {pk for pk, *_ in people}
        if gone:
            units |= set(AnnualScore.objects.filter(year=year, official_id__in=gone).values_list("unit_id", flat=True))
            chain_changed |= set(
                AnnualScore.objects.filter(year=year, official_id__in=gone).values_list("official_id", flat=True)
            )
            AnnualScore.objects.filter(year=year, official_id__in=gone).delete()
    ids = None if whole else [pk for pk, *_ in people]
    # What is stored: the digest (unchanged rows are left alone), the grade (a change is notified), the chain value
    # (a change reaches the next year) and, for a whole year, what ranks it.
    stored: dict[int, tuple] = {}
    standing: dict[int, tuple] = {}  # whole year: official -> (unit id, exempt, total) of every score of the year
    for official_id, digest, grade, chain, unit_id, exempt, total in _for_year(AnnualScore, year, ids).values_list(
        "official_id", "digest", "grade", "chain", "unit_id", "exempt", "total"
    ):
        stored[official_id] = (digest, grade, chain)
        units.add(unit_id)
        if whole:
            standing[official_id] = (unit_id, exempt, total)
    contexts = _year_inputs(year=year, policy=policy, people=people, ids=ids)

    now = timezone.now()
    with _Writer(whole=whole) as writer:
        computed = _compute(year, policy, whole, contexts, stored, standing, chain_changed, writer, now, progress)
    scores_computed.send(
        sender=AnnualScore,
        year=year,
        official_ids=None if whole else sorted(official_ids),
        unit_ids=None if whole else sorted(units),
    )
    return computed


def _compute(
    year: int, policy: Policy, whole: bool, contexts: Iterator, stored: dict, standing: dict, chain_changed: set,
    writer: _Writer, now: datetime, progress: Callable[[int], None] | None,
) -> Computed:  # fmt: skip
    """``compute_scores`` from the contexts on: assess, compare with what is stored, write, tell."""
    changed: list[tuple] = []
    unchanged: list[int] = []
    grade_changes: list[tuple[int, int, str, str]] = []  # (official, year, before, after): the official is told
    inserted = done = 0
    assess = policy.assess
    prefix = f"{_code_fingerprint()}\x1f{policy.code}\x1f{year}\x1f"
    for pk, unit_id, context, inputs in contexts:
        done += 1
        digest = hashlib.md5(f"{prefix}{unit_id}\x1f{inputs}".encode(), usedforsecurity=False).hexdigest()
        before = stored.get(pk)
        if before is not None and before[0] == digest:
            unchanged.append(pk)  # the same inputs under the same rules: the same result
        else:
            result = assess(context, explain=False)  # explained from ``inputs`` when read
            row = _score_row(pk, unit_id, year, result, now, digest, inputs)
            changed.append(row)
            if whole:
                standing[pk] = (unit_id, result.exempt, result.total)
            if before is None:
                chain_changed.add(pk)
                inserted += 1
            else:
                if before[2] != row[CHAIN_AT]:
                    chain_changed.add(pk)
                if before[1] != row[GRADE_AT]:
                    grade_changes.append((pk, year, before[1], row[GRADE_AT]))
        if len(changed) >= WRITE_BATCH or done % WRITE_BATCH == 0:
            writer.add(changed)
            changed = []
            if progress:
                progress(done)
    writer.add(changed)
    writer.finish(_ranks(standing) if whole else None)
    notify_grades_changed(grade_changes)
    if whole:
        # Unchanged rows keep their computed_at: restamping a whole year rewrites every row for nothing. A record
        # changed since then without changing the result is caught by the reconciliation and stamped there.
        if inserted > ANALYZE_SHARE * done:
            _analyze_scores()
    else:
        _stamp(year, unchanged, now)
    if progress:
        progress(done)
    return Computed(done, frozenset(chain_changed))


def _ranks(standing: dict[int, tuple]) -> dict[int, tuple[int, int]]:
    """City and unit ranks as ``rank_year`` gives them (RULES §1.7): among the scores that are not exempt, by
    total, highest first; equal totals share a rank and the next rank is skipped. official -> (city, unit)."""
    ranked = sorted(
        ((total, unit_id, official_id) for official_id, (unit_id, exempt, total) in standing.items() if not exempt),
        key=lambda item: item[0],
        reverse=True,
    )
    ranks: dict[int, tuple[int, int]] = {}
    city_rank, previous = 0, None
    unit_seen: dict[int, int] = defaultdict(int)  # unit -> how many ranked so far
    unit_last: dict[int, tuple] = {}  # unit -> (total, rank) of its last ranked score
    for position, (total, unit_id, official_id) in enumerate(ranked, start=1):
        if total != previous:
            city_rank, previous = position, total
        unit_seen[unit_id] += 1
        last = unit_last.get(unit_id)
        unit_rank = last[1] if last is not None and last[0] == total else unit_seen[unit_id]
        unit_last[unit_id] = (total, unit_rank)
        ranks[official_id] = (city_rank, unit_rank)
    return ranks


def later_scored_years(*, year: int, official_ids: Iterable[int] | None = None) -> list[int]:
    """The years after ``year`` that have scores (of these officials): the chain a change to ``year`` reaches."""
    scores = AnnualScore.objects.filter(year__gt=year)
    if official_ids is not None:
        scores = scores.filter(official_id__in=list(official_ids))
    # No ordering: the model's (year, city_rank) would make DISTINCT repeat a year once per rank.
    return sorted(scores.order_by().values_list("year", flat=True).distinct())


def compute_chain(
    *, year: int, official_ids: Sequence[int] | None = None, progress: Callable[[int], None] | None = None
) -> list[int]:
    """Recompute ``year`` (these officials, or all), then follow the chain in year order: each later year that has
    scores is recomputed for the officials whose year before now passes on something different (the whole year
    when they are most of it). Returns the years whose scores were recomputed; rank them after.
    """
    result = compute_scores(year=year, official_ids=official_ids, progress=progress)
    touched = [year]
    changed = result.chain_changed
    for later in later_scored_years(year=year):
        if not changed:
            break
        if later != touched[-1] + 1:
            break  # a year without scores passes nothing on
        whole = len(changed) > WHOLE_YEAR_SHARE * max(1, AnnualScore.objects.filter(year=later).count())
        changed = compute_scores(year=later, official_ids=None if whole else sorted(changed)).chain_changed
        touched.append(later)
    return touched


def _analyze_scores() -> None:
    """Fresh planner statistics after a whole year was written, so single-official refreshes use the right index."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE credits_annualscore ({', '.join(ANALYZED_COLUMNS)})")


def _for_year(model, year: int, ids: Sequence[int] | None):
    qs = model.objects.filter(year=year)
    return qs if ids is None else qs.filter(official_id__in=ids)


def _score_row(official_id: int, unit_id: int, year: int, result: Assessment, now, digest: str, inputs: str) -> tuple:
    """One score as a tuple of ``SCORE_COLUMNS``; JSON columns as text; ``digest`` (of its inputs) last.

    The small JSON values are written as text directly (a category is a code, a decimal and a flag) or taken from
    a cache (the veto and flag lists: a handful of distinct ones in a city); figures go through one C encoder made
    once. No explanation: ``inputs`` is stored and explained when read (``AnnualScore.explanation``).
    """
    categories = (
        "{"
        + ",".join(
            f'{_key_json(code)}:{{"score":"{c.score}","passed":{_BOOL_JSON[c.passed]}}}'
            for code, c in result.categories.items()
        )
        + "}"
    )
    vetoes = _LIST_JSON.get(result.vetoes) or _list_json(result.vetoes)
    flags = _LIST_JSON.get(result.flags) or _list_json(result.flags)
    values = (
        unit_id, result.policy, result.exempt, result.exempt_reason or "", categories,
        _json(result.figures) if result.figures else "{}", result.chain.encode() if result.chain else "",
        result.total, result.grade or "", vetoes, flags, inputs, None,
    )  # fmt: skip
    return (official_id, year, *values, now, digest)


@functools.cache
def _code_fingerprint() -> str:
    """MD5 of the code a stored result depends on: the policies (``credits/rules/*.py``) and this module (how a
    result is stored). Part of every score's digest, so that changed rules rewrite every score they assess; a new
    random value when the sources cannot be read (nothing is then taken as unchanged across processes)."""
    from . import rules

    paths = sorted(Path(rules.__file__).parent.glob("*.py")) + [Path(__file__)]
    digest = hashlib.md5(usedforsecurity=False)
    try:
        for path in paths:
            digest.update(path.read_bytes())
    except OSError:
        return uuid.uuid4().hex
    return digest.hexdigest()


_BOOL_JSON = {True: "true", False: "false", None: "null"}
_KEY_JSON: dict[str, str] = {}
_LIST_JSON: dict[tuple, str] = {}


def _key_json(code: str) -> str:
    text = _KEY_JSON.get(code)
    if text is None:
        text = _KEY_JSON[code] = json.dumps(code, ensure_ascii=False)
    return text


def _list_json(items: tuple) -> str:
    text = _LIST_JSON[items] = _json(list(items))
    return text


def _make_json_encoder() -> Callable[[object], str]:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` without building an encoder per call."""
    make = getattr(json.encoder, "c_make_encoder", None)
    escape = getattr(json.encoder, "c_encode_basestring", None)
    if make is None or escape is None:  # a Python without the C accelerator
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
        return encoder.encode
    python = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    # (markers, default, encoder, indent, key separator, item separator, sort_keys, skipkeys, allow_nan)
    chunks = make(None, python.default, escape, None, ":", ",", False, False, True)
    return lambda value: "".join(chunks(value, 0))


_json = _make_json_encoder()


class _Writer:
    """Writes new and changed score rows. A few officials: an upsert per batch, ranks left as they were. A whole
    year: the batches are staged (PostgreSQL: COPY into a temporary table; elsewhere: kept in memory) and written
    in one upsert at the end together with the year's ranks (``finish``).

    A whole year on PostgreSQL outside a transaction is written by a thread on a connection of its own (the
    temporary table is that connection's): PostgreSQL parses a batch while this process assesses the next one.
    ``close`` (always called: use ``with``) stops the thread; an error in it is raised by the next call here.
    """

    def __init__(self, *, whole: bool):
        self.whole = whole
        self.staged: list[tuple] = []
        self.any = False
        self.postgres = connection.vendor == "postgresql"
        self.thread: threading.Thread | None = None
        if whole and self.postgres and not connection.in_atomic_block:
            self.handoff: queue.Queue = queue.Queue(maxsize=2)
            self.error: BaseException | None = None
            self.thread = threading.Thread(target=self._run, name="year-scores", daemon=True)
            self.thread.start()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc) -> None:
        try:
            self.close()
        except BaseException:
            if exc_type is None:
                raise  # else the error that stopped the caller is the one to see

    def add(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if not self.whole:
            _write(rows)
        elif self.thread is not None:
            self._hand(("stage", rows, not self.any))
        elif self.postgres:
            _copy_into("score_stage", rows, first=not self.any)
        else:
            self.staged += rows
        self.any = True

    def finish(self, ranks: dict[int, tuple[int, int]] | None) -> None:
        if not (self.whole and self.any):
            return
        if self.thread is not None:
            self._hand(("finish", ranks or {}, False))
            self.close()
        elif self.postgres:
            _upsert_staged(ranks or {})
        else:
            _write(self.staged, ranks=ranks or {})

    def close(self) -> None:
        """Stop the thread (after what was handed to it) and raise its error, if any."""
        if self.thread is None:
            return
        thread, self.thread = self.thread, None
        while thread.is_alive():
            try:
                self.handoff.put(None, timeout=0.2)
                break
            except queue.Full:
                continue
        thread.join()
        if self.error is not None:
            raise self.error

    def _hand(self, item: tuple) -> None:
        while True:
            if self.error is not None or not self.thread.is_alive():
                self.close()
                raise RuntimeError("The thread writing the scores stopped.")
            try:
                self.handoff.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        try:
            while (item := self.handoff.get()) is not None:
                what, payload, first = item
                if what == "stage":
                    _copy_into("score_stage", payload, first=first)
                else:
                    _upsert_staged(payload)
        except BaseException as error:  # raised in the caller's thread
            self.error = error
        finally:
            connection.close()  # this thread's own connection


def _write(rows: list[tuple], ranks: dict[int, tuple[int, int]] | None = None) -> None:
    """Upsert ``rows``; with ``ranks`` (a whole year's), their city and unit ranks too."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_into("score_stage", rows, first=True)
        _upsert_staged(ranks)
        return
    scores = []
    for row in rows:
        score = AnnualScore(
            **{col: json.loads(v) if col in JSON_COLUMNS else v for col, v in zip(SCORE_COLUMNS, row, strict=True)}
        )
        if ranks is not None:
            score.city_rank, score.unit_rank = ranks.get(row[0], (None, None))
        scores.append(score)
    update = [col.removesuffix("_id") for col in SCORE_COLUMNS[2:]] + (["city_rank", "unit_rank"] if ranks else [])
    AnnualScore.objects.bulk_create(
        scores, update_conflicts=True, unique_fields=["official", "year"], update_fields=update
    )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_COPY_ESCAPES)
    return text


def _copy_text(rows: list[tuple]) -> str:
    """``rows`` (``SCORE_COLUMNS``) in COPY's text format: one f-string a row, the text columns escaped only when
    they hold a character COPY reserves (they seldom do)."""
    esc = _copy_escape
    stamps: dict[datetime, str] = {}
    lines = []
    for (
        oid,
        year,
        unit,
        policy,
        exempt,
        reason,
        cats,
        figs,
        chain,
        total,
        grade,
        vetoes,
        flags,
        inputs,
        _legacy,
        at,
        digest,
    ) in rows:
        stamp = stamps.get(at) or stamps.setdefault(at, at.isoformat())
        lines.append(
            f"{oid}\t{year}\t{unit}\t{esc(policy)}\t{'t' if exempt else 'f'}\t{esc(reason)}\t{esc(cats)}\t{esc(figs)}\t"
            f"{esc(chain)}\t{total}\t{esc(grade)}\t{esc(vetoes)}\t{esc(flags)}\t{esc(inputs)}\t\\N\t{stamp}\t"
            f"{digest}\n"
        )
    return "".join(lines)


assert SCORE_COLUMNS == (
    "official_id", "year", "unit_id", "policy", "exempt", "exempt_reason", "categories", "figures", "chain",
    "total", "grade", "vetoes", "flags", "inputs", "legacy_explanation", "computed_at", "digest",
), "_copy_text writes the columns in this order"  # fmt: skip


def _copy_into(table: str, rows: list[tuple], *, first: bool) -> None:
    """PostgreSQL: COPY ``rows`` (``SCORE_COLUMNS``) into the session's temporary table ``table``, emptied first
    when ``first``."""
    columns = ", ".join(SCORE_COLUMNS)
    buffer = io.StringIO(_copy_text(rows))
    with connection.cursor() as cursor:
        if first:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} AS SELECT {columns} FROM credits_annualscore "
                "WITH NO DATA"
            )
            cursor.execute(f"TRUNCATE {table}")
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def _upsert_staged(ranks: dict[int, tuple[int, int]] | None) -> None:
    """PostgreSQL: one INSERT … ON CONFLICT DO UPDATE from ``score_stage``; with ``ranks``, joined to them (COPY
    into ``rank_stage``) and written with the rows."""
    columns = ", ".join(SCORE_COLUMNS)
    updates = ", ".join(f"{col} = EXCLUDED.{col}" for col in SCORE_COLUMNS[2:])
    with _without_jit(), connection.cursor() as cursor:
        if ranks is None:
            cursor.execute(
                f"INSERT INTO credits_annualscore ({columns}) SELECT {columns} FROM score_stage "
                f"ON CONFLICT (official_id, year) DO UPDATE SET {updates}"
            )
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS rank_stage (official_id bigint PRIMARY KEY, city_rank integer, "
            "unit_rank integer)"
        )
        cursor.execute("TRUNCATE rank_stage")
        buffer = io.StringIO("".join(f"{pk}\t{city}\t{unit}\n" for pk, (city, unit) in ranks.items()))
        cursor.cursor.copy_expert("COPY rank_stage (official_id, city_rank, unit_rank) FROM STDIN", buffer)
        staged = ", ".join(f"s.{col}" for col in SCORE_COLUMNS)
        cursor.execute(
            f"INSERT INTO credits_annualscore ({columns}, city_rank, unit_rank) "
            f"SELECT {staged}, r.city_rank, r.unit_rank FROM score_stage s LEFT JOIN rank_stage r USING (official_id) "
            f"ON CONFLICT (official_id, year) DO UPDATE SET {updates}, city_rank = EXCLUDED.city_rank, "
            "unit_rank = EXCLUDED.unit_rank"
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


# The ranks a year's scores should have (none for exempt officials) where they differ from the stored ones, in one
# pass over the year. After a whole-year recompute (which writes the ranks the year will have) nothing differs; after
# one official's change, the officials their total passed. Only those are written, by id.
RANK_SQL = """
SELECT id, city_rank, unit_rank FROM (
    SELECT id, city_rank AS was_city, unit_rank AS was_unit,
           CASE WHEN exempt THEN NULL ELSE RANK() OVER (PARTITION BY exempt ORDER BY total DESC) END AS city_rank,
           CASE WHEN exempt THEN NULL ELSE RANK() OVER (PARTITION BY exempt, unit_id ORDER BY total DESC) END
               AS unit_rank
    FROM credits_annualscore WHERE year = %s
) AS every
WHERE was_city IS DISTINCT FROM city_rank OR was_unit IS DISTINCT FROM unit_rank
"""
# PostgreSQL: the differences as arrays, joined to the scores through their primary key (a join on a subquery of
# unknown size was planned as a scan of every year's scores).
SET_RANKS_SQL = """
UPDATE credits_annualscore SET city_rank = ranked.city_rank, unit_rank = ranked.unit_rank
FROM unnest(%s::bigint[], %s::integer[], %s::integer[]) AS ranked (id, city_rank, unit_rank)
WHERE credits_annualscore.id = ranked.id
"""


def rank_year(*, year: int) -> None:
    """City and unit ranks among assessed officials (RULES §1.7): ties share a rank, the next is skipped.

    Clears the year's "ranking due" mark in the same transaction, so a ranking that fails leaves it for the
    reconciliation. The mark is locked first: scores changed concurrently either commit (with their mark) before
    the ranking reads them, or re-mark the year after it commits (a new row, which this ranking does not delete).
    """
    postgres = connection.vendor == "postgresql"
    sql = RANK_SQL if postgres else RANK_SQL.replace("IS DISTINCT FROM", "IS NOT")
    with transaction.atomic(), connection.cursor() as cursor:
        marks = list(RankingDue.objects.select_for_update().filter(year=year).values_list("pk", flat=True))
        cursor.execute(sql, [year])
        changed = cursor.fetchall()
        if changed and postgres:
            cursor.execute(SET_RANKS_SQL, [list(column) for column in zip(*changed, strict=True)])
        elif changed:
            cursor.executemany(
                "UPDATE credits_annualscore SET city_rank = %s, unit_rank = %s WHERE id = %s",
                [(city, unit, pk) for pk, city, unit in changed],
            )
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


def mark_stale(pairs: Iterable[tuple[int, int]], *, follow_chain: bool = True) -> int:
    """Note that these (official id, year) scores no longer match their inputs. Part of the caller's transaction.

    A year's result is read by the years after it (the two-year fail flag, carry-over, the cycle's figure), so every
    later year of the official that has a score is marked too (``follow_chain``): until the worker has been through
    them, none of them claims to be up to date. The worker recomputes them in year order (``refresh_stale``).
    """
    pairs = set(pairs)
    if follow_chain and pairs:
        pairs |= _later_pairs(pairs)
    now = timezone.now()
    marks = [StaleScore(official_id=o, year=y, marked_at=now) for o, y in pairs]
    if marks:
        StaleScore.objects.bulk_create(
            marks,
            update_conflicts=True,
            unique_fields=["official", "year"],
            update_fields=["marked_at"],
            batch_size=5000,
        )
    return len(marks)


def _later_pairs(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """(official, later year) for every score after a marked year of the same official, one query per 5,000."""
    earliest: dict[int, int] = {}
    for official_id, year in pairs:
        if year < earliest.get(official_id, 10**6):
            earliest[official_id] = year
    later = set()
    ids = sorted(earliest)
    first = min(earliest.values())
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = AnnualScore.objects.filter(official_id__in=chunk, year__gt=first).values_list("official_id", "year")
        later |= {(o, y) for o, y in rows if y > earliest[o]}
    return later


def refresh_stale(*, batch: int = 2000, older_than_seconds: int = 0) -> set[int]:
    """Recompute every stale score, a batch of officials per transaction; returns the years that changed.

    Each batch is claimed with ``SKIP LOCKED`` (PostgreSQL): the first ``batch`` marks, then every other mark of
    the same officials, so an official's years are recomputed together in year order (a year reads the one before
    it). A year whose result now passes on something different marks the next year of those officials (when it has
    a score), in the same transaction; the loop takes that up. The years are marked due for ranking and the claimed
    marks cleared in the same transaction, so two workers never take the same marks and a crash leaves them for
    the next run.
    """
    years: set[int] = set()
    while True:
        with transaction.atomic():
            stale = StaleScore.objects.order_by("id")
            if older_than_seconds:
                stale = stale.filter(marked_at__lte=timezone.now() - timezone.timedelta(seconds=older_than_seconds))
            first = list(stale.select_for_update(skip_locked=True).values_list("id", "official_id", "year")[:batch])
            if not first:
                return years
            officials = {official_id for _id, official_id, _year in first}
            claimed = {row[0]: row for row in first}
            rest = StaleScore.objects.filter(official_id__in=officials).exclude(id__in=list(claimed))
            for row in rest.select_for_update(skip_locked=True).values_list("id", "official_id", "year"):
                claimed[row[0]] = row
            by_year: dict[int, set[int]] = defaultdict(set)
            for _id, official_id, year in claimed.values():
                by_year[year].add(official_id)
            # Committed with the scores (the ranking that follows may fail), and taken first: a ranking holds the
            # year's mark while it updates scores, so taking the mark before the scores cannot deadlock with it.
            mark_ranking_due(by_year)
            follow: list[tuple[int, int]] = []
            for year in sorted(by_year):
                changed = compute_scores(year=year, official_ids=sorted(by_year[year])).chain_changed
                next_year = by_year.get(year + 1, set())
                follow += [(o, year + 1) for o in changed if o not in next_year]
            StaleScore.objects.filter(id__in=list(claimed)).delete()
            if follow:
                _mark_following(follow)
        years.update(by_year)


def _mark_following(pairs: list[tuple[int, int]]) -> None:
    """The next year of officials whose year changed what it passes on, where that year has a score."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for official_id, year in pairs:
        by_year[year].append(official_id)
    scored = set()
    for year, ids in by_year.items():
        scored |= {(o, year) for o in AnnualScore.objects.filter(year=year, official_id__in=ids).values_list(
            "official_id", flat=True)}  # fmt: skip
    if scored:
        mark_stale(scored, follow_chain=False)


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
