"""Online courses (网络课程, RULES §5): an official's completion of an online course, one per course and official;
with the exam passed it gives one approved record — ``online_hour`` × the course's hours, or ``online_course`` with
the course's credits in a year whose policy counts whole courses (baoji-2009) — through
``credits.services.put_generated_records``. Posting a completion again updates it and its record; a completion
whose exam was not passed gives no record (one given earlier is deleted).

The training section enters completions, one by one or imported from the online academy's export
(:func:`import_completions`, the ``online_completions`` kind of ``imports``): all rows or none, one recompute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, log_created, snapshot
from credits.policies import policies_of_years
from credits.services import GeneratedRecord, check_year_open, put_generated_records
from organisation.models import Official
from organisation.roles import is_org_staff

from .. import rules
from ..models import CompletionSource, Course, OnlineCompletion
from .catalogue import date_out_of_range

# The policy kind that makes a year count whole courses (RULES §2.1); every other year counts hours.
ONLINE_COURSE_KIND = "online_course"
IMPORT_BATCH = 2000


def _require_staff(by) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section records online course completions."))


def completion_record(*, course: Course, official_id: int, completed_on: date, exam_passed: bool, policies: dict):
    """The record a completion gives (None: the exam was not passed). ``policies``: year → Policy (cached)."""
    if not exam_passed:
        return None
    year = completed_on.year
    if year not in policies:
        policies.update(policies_of_years([year]))
    values = rules.online_record(
        official_id=official_id, hours=course.hours, credits=course.credits,
        year_counts_courses=ONLINE_COURSE_KIND in policies[year].kinds,
    )  # fmt: skip
    return GeneratedRecord(
        official_id=official_id, kind=values.kind, quantity=values.quantity, occurred_on=completed_on,
        points=values.points, hours=values.hours, note=f"{course.title} ({course.code})"[:500],
    )  # fmt: skip


def _completion_problems(*, course: Course, completed_on: date, today: date) -> dict[str, str]:
    problems = {}
    if not course.online:
        problems["course"] = _("“%(course)s” is not an online course.") % {"course": course.code}
    if completed_on > today:
        problems["completed_on"] = _("The date is in the future.")
    elif (problem := date_out_of_range(completed_on)) is not None:
        problems["completed_on"] = problem
    return problems


@transaction.atomic
def record_completion(
    *, by, course: Course, official: Official, completed_on: date, exam_passed: bool, source: str = "entered"
) -> OnlineCompletion:
    """Put on record that ``official`` completed ``course`` (again: the completion and its record are updated)."""
    _require_staff(by)
    if source not in CompletionSource.values:
        raise ValidationError({"source": _("Unknown source “%(source)s”.") % {"source": source}})
    problems = _completion_problems(course=course, completed_on=completed_on, today=timezone.localdate())
    if problems:
        raise ValidationError(problems)
    completion = (
        OnlineCompletion.objects.select_for_update(of=("self",))
        .select_related("record")
        .filter(course=course, official=official)
    ).first()
    spec = completion_record(
        course=course, official_id=official.pk, completed_on=completed_on, exam_passed=exam_passed, policies={}
    )
    (record,) = put_generated_records(
        by=by, changes=[(completion.record if completion else None, spec)],
        reason=_("Online course %(code)s completed") % {"code": course.code},
    )  # fmt: skip
    if completion is None:
        completion = OnlineCompletion.objects.create(
            course=course, official=official, completed_on=completed_on, exam_passed=bool(exam_passed),
            source=source, record=record, created_by=by,
        )  # fmt: skip
        log_change(actor=by, instance=completion, action=ChangeLog.Action.CREATE, new=snapshot(completion))
        return completion
    old = snapshot(completion)
    completion.completed_on, completion.exam_passed = completed_on, bool(exam_passed)
    completion.source, completion.record = source, record
    changed_old, changed_new = diff(old, snapshot(completion))
    if changed_new:
        completion.save()
        log_change(actor=by, instance=completion, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    return completion


def resync_course_records(*, by, course: Course, reason: str) -> int:
    """After a course's hours, credits or being online changed: bring the records of its completions in line (one
    put_generated_records, one recompute). Returns how many completions have a record now."""
    completions = list(course.completions.select_related("record").select_for_update(of=("self",)))
    if not completions:
        return 0
    policies = policies_of_years({c.completed_on.year for c in completions})
    changes = [
        (c.record, completion_record(course=course, official_id=c.official_id, completed_on=c.completed_on,
                                     exam_passed=c.exam_passed and course.online, policies=policies))
        for c in completions
    ]  # fmt: skip
    records = put_generated_records(by=by, changes=changes, reason=reason)
    changed = [c for c, record in zip(completions, records, strict=True) if c.record_id != (record and record.pk)]
    for completion, record in zip(completions, records, strict=True):
        completion.record = record
    OnlineCompletion.objects.bulk_update(changed, ["record"])
    return sum(1 for record in records if record is not None)


# ---------------------------------------------------------------------------------------------------
# The online academy's export, imported (imports' ``online_completions`` kind)


@dataclass
class CompletionRow:
    """One row of the file, typed. ``None``: missing or unreadable (the import reported it already)."""

    row: int
    official: Official | None
    course: Course | None
    completed_on: date | None
    exam_passed: bool | None


@dataclass
class CompletionImport:
    """What an import of completions did (or, on a dry run or with problems, would do)."""

    created: int = 0  # new completions
    updated: int = 0  # completions changed (date or exam result)
    skipped: list[int] = field(default_factory=list)  # rows equal to what is on record
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, message): nothing written
    written: bool = False


def import_completions(
    *,
    by,
    rows: Sequence[CompletionRow],
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> CompletionImport:
    """Put the completions of a file on record, all or none (``source="imported"``), set-based: one bulk insert of
    completions, one ``put_generated_records`` for every record (so one recompute), one bulk update.

    Each row is checked like :func:`record_completion` (an online course, a date not in the future, a year not
    published); the same course and official twice in the file is a problem; a row equal to the completion on
    record (same date and exam result) is skipped, so importing the same file again changes nothing."""
    _require_staff(by)
    outcome = CompletionImport()
    today = timezone.localdate()
    first_seen: dict[tuple[int, int], int] = {}
    checked: list[CompletionRow] = []
    for row in rows:
        problems: dict[str, str] = {}
        for name in ("official", "course", "completed_on", "exam_passed"):
            if getattr(row, name) is None:
                problems[name] = _("This value is required.")
        if row.course is not None and row.completed_on is not None:
            problems.update(_completion_problems(course=row.course, completed_on=row.completed_on, today=today))
        if not problems:
            key = (row.course.pk, row.official.pk)
            if key in first_seen:
                problems["official"] = _("Same official and course as row %(row)s.") % {"row": first_seen[key]}
            else:
                first_seen[key] = row.row
        outcome.problems.extend((row.row, name, message) for name, message in problems.items())
        if not problems:
            checked.append(row)
    existing = _existing_completions(checked)
    creating, changing = [], []
    for row in checked:
        completion = existing.get((row.course.pk, row.official.pk))
        if completion is None:
            creating.append(row)
        elif completion.completed_on == row.completed_on and completion.exam_passed == row.exam_passed:
            outcome.skipped.append(row.row)
        else:
            changing.append((row, completion))
    years = {r.completed_on.year for r in creating} | {r.completed_on.year for r, _c in changing}
    years |= {c.completed_on.year for _r, c in changing}
    try:
        check_year_open(*years)
    except ValidationError as error:
        outcome.problems.insert(0, (0, "", " ".join(error.messages)))
    outcome.created, outcome.updated = len(creating), len(changing)
    if dry_run or outcome.problems or not (creating or changing):
        return outcome
    with transaction.atomic():
        _write_completions(by, creating, changing, progress)
    outcome.written = True
    return outcome


def _existing_completions(rows: Sequence[CompletionRow]) -> dict[tuple[int, int], OnlineCompletion]:
    wanted = {(r.course.pk, r.official.pk) for r in rows}
    if not wanted:
        return {}
    found = OnlineCompletion.objects.filter(
        course_id__in={c for c, _o in wanted}, official_id__in={o for _c, o in wanted}
    ).select_related("record")
    return {
        (c.course_id, c.official_id): c
        for c in found.iterator(chunk_size=5000)
        if (c.course_id, c.official_id) in wanted
    }


def _write_completions(by, creating: list[CompletionRow], changing: list, progress: Callable | None) -> None:
    policies = policies_of_years({r.completed_on.year for r in creating} | {r.completed_on.year for r, _c in changing})

    def spec(row: CompletionRow):
        return completion_record(course=row.course, official_id=row.official.pk, completed_on=row.completed_on,
                                 exam_passed=row.exam_passed, policies=policies)  # fmt: skip

    changes = [(None, spec(row)) for row in creating] + [(c.record, spec(row)) for row, c in changing]
    reason = _("Imported from the online academy")
    records = put_generated_records(by=by, changes=changes, reason=reason)
    new_records, changed_records = records[: len(creating)], records[len(creating) :]
    new = [
        OnlineCompletion(
            course=row.course, official=row.official, completed_on=row.completed_on, exam_passed=row.exam_passed,
            source=CompletionSource.IMPORTED, record=record, created_by=by,
        )
        for row, record in zip(creating, new_records, strict=True)
    ]  # fmt: skip
    created = []
    for start in range(0, len(new), IMPORT_BATCH):
        created.extend(OnlineCompletion.objects.bulk_create(new[start : start + IMPORT_BATCH]))
        if progress:
            progress(len(created))
    log_created(actor=by, instances=created, reason=reason)
    updated = []
    for (row, completion), record in zip(changing, changed_records, strict=True):
        old = snapshot(completion)
        completion.completed_on, completion.exam_passed = row.completed_on, row.exam_passed
        completion.source, completion.record = CompletionSource.IMPORTED, record
        changed_old, changed_new = diff(old, snapshot(completion))
        log_change(actor=by, instance=completion, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new,
                   reason=reason)  # fmt: skip
        updated.append(completion)
    OnlineCompletion.objects.bulk_update(
        updated, ["completed_on", "exam_passed", "source", "record"], batch_size=IMPORT_BATCH
    )
    if progress:
        progress(len(created) + len(updated))
