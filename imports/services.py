"""Imports: start one (inline when small, in the worker when large), run it, keep its result on the ``ImportJob``.

The flow of every kind: the file is read (``files.read_table``), the rows typed by the kind's resource
(``resources``), then checked and written by a service, all rows or none: activity records by
``credits.services.import_records``, units and officials by :func:`import_units` / :func:`import_officials` below.
A dry run stops before writing and reports what would happen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import ChangeLog
from audit.services import diff, log_change, log_created, snapshot
from credits.scoring import mark_stale
from credits.services import ImportedRecord, import_records, request_score_refresh
from kunshan_training import jobs
from kunshan_training.background import run_after_commit
from organisation.models import Official, Rank, Unit, UnitKind
from organisation.roles import is_org_staff, scope_of

from . import files, limits, registry
from .files import check_size, read_table
from .models import ImportJob, ImportKind
from .resources import COLUMNS, RESOURCES, ReadRows

log = logging.getLogger(__name__)

# Above this many rows an import runs in the worker with a progress bar; smaller ones run in the request.
INLINE_MAX_ROWS = 2000
# Problems and skipped rows kept on the job (the count is always exact); a file with more is shown in part.
KEEP_PROBLEMS = 2000
KEEP_SKIPPED = 2000
READ_DONE, CHECK_DONE = 30, 60  # progress (percent) after reading the file and after checking the rows


def may_import(user, kind: str) -> bool:
    """Units and officials: the training section only; activity records: also unit study administrators; a kind
    another app registered: as it says."""
    if (other := registry.registered(kind)) is not None:
        return bool(other.may_import(user))
    if is_org_staff(user):
        return True
    return kind == ImportKind.ACTIVITIES and scope_of(user).unit_id is not None


def check_may_import(user, kind: str) -> None:
    if not registry.is_known(kind):
        raise ValidationError({"kind": _("Unknown kind of import “%(kind)s”.") % {"kind": kind}})
    if not may_import(user, kind):
        if (other := registry.registered(kind)) is not None:
            raise PermissionDenied(str(other.refusal))
        if kind == ImportKind.ACTIVITIES:
            raise PermissionDenied(_("Only unit study administrators and the training section import records."))
        raise PermissionDenied(_("Only the organization department maintains units and officials."))


def jobs_visible_to(user):
    """The training section sees every import; anyone else only their own."""
    jobs = ImportJob.objects.select_related("requested_by")
    return jobs if is_org_staff(user) else jobs.filter(requested_by=user)


# ---------------------------------------------------------------------------------------------------
# Starting and running a job


def start_import(
    *, by, kind: str, upload, dry_run: bool = True, year: int | None = None, create_accounts: bool = False
) -> ImportJob:
    """Keep the upload on a new job and run it: in the request when small, else in the worker (after commit).

    A file over the size limit is refused here, before it is stored or read.
    """
    check_may_import(by, kind)
    check_size(getattr(upload, "size", None))
    if kind != ImportKind.ACTIVITIES:
        year = None
    job = ImportJob.objects.create(
        kind=kind, file=upload, original_name=(getattr(upload, "name", "") or "")[-255:], year=year,
        dry_run=dry_run, requested_by=by, language=translation.get_language() or "",
        create_accounts=create_accounts and kind == ImportKind.OFFICIALS,
    )  # fmt: skip
    return _dispatch(job)


def confirm_import(*, by, job: ImportJob) -> ImportJob:
    """Import for real the file of a dry run that found no problems (a new job on the same stored file)."""
    check_may_import(by, job.kind)
    if not job.dry_run or job.status != ImportJob.Status.DONE:
        raise ValidationError(_("Only a dry run without problems can be imported."))
    new = ImportJob.objects.create(
        kind=job.kind, file=job.file.name, original_name=job.original_name, year=job.year, dry_run=False,
        requested_by=by, language=translation.get_language() or "", create_accounts=job.create_accounts,
    )  # fmt: skip
    return _dispatch(new)


def _dispatch(job: ImportJob) -> ImportJob:
    """Small files are checked (or imported) here; any other file becomes a background job with a progress bar,
    also without a broker (a thread of this process, after commit), so the request returns at once."""
    if runs_in_background(job):
        from .tasks import run_import

        run_after_commit(run_import, job.pk)
        return job
    return run_import_job(job_id=job.pk)


def runs_in_background(job: ImportJob) -> bool:
    """By the stored file's size first (never read whole); a small file by its estimated rows (streaming)."""
    if job.file.size > limits.current().inline_max_bytes:
        return True
    return estimate_rows(job) > INLINE_MAX_ROWS


def estimate_rows(job: ImportJob) -> int:
    with job.file.open("rb") as source:
        return files.estimate_rows(source)


def run_import_job(*, job_id: int) -> ImportJob:
    """Read, check and (unless a dry run) write; the job row keeps progress and result. Idempotent.

    The job is claimed first (``kunshan_training.jobs.claim``: a pending job, or a running one whose heartbeat went
    silent for ``IMPORT_DEAD_AFTER_SECONDS``), so a redelivered message or a doubled hand-over runs it once and a
    finished job is left as it is; its heartbeat beats while it runs. The write is one transaction and re-importing
    skips duplicates, so a job whose worker died simply runs again. One started ``IMPORT_MAX_ATTEMPTS`` times
    (a file that kills its worker) is marked failed instead.
    """
    if not _claim(job_id):
        _give_up(ImportJob.objects.filter(_takeable(), pk=job_id, attempts__gte=settings.IMPORT_MAX_ATTEMPTS))
        return ImportJob.objects.select_related("requested_by").get(pk=job_id)  # finished, alive elsewhere, failed
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    with (
        translation.override(job.language or None),
        jobs.Heartbeat(ImportJob, job.pk, every=settings.IMPORT_HEARTBEAT_SECONDS) as heartbeat,
    ):
        try:
            outcome = _run(job, heartbeat)
        except ValidationError as error:
            outcome = Outcome(problems=[{"row": 0, "column": "", "message": m} for m in error.messages])
        except PermissionDenied as error:
            outcome = Outcome(problems=[{"row": 0, "column": "", "message": str(error)}])
        except Exception as error:
            log.exception("Import %s failed", job.pk)
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.FAILED, finished_at=timezone.now(),
                errors=[{"row": 0, "column": "", "message": _("The import failed unexpectedly: %(error)s")
                         % {"error": type(error).__name__}}],
            )  # fmt: skip
            job.refresh_from_db()
            return job
    written = not outcome.problems  # with a problem nothing was written (nor would be)
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE if written else ImportJob.Status.INVALID,
        progress=100, rows_total=outcome.rows, created=outcome.created if written else 0,
        updated=outcome.updated if written else 0, skipped=len(outcome.skipped),
        error_count=len(outcome.problems) + outcome.more_problems, errors=outcome.problems[:KEEP_PROBLEMS],
        skipped_rows=outcome.skipped[:KEEP_SKIPPED], finished_at=now, heartbeat_at=now,
        password_sheet=outcome.password_sheet if written else "",
    )  # fmt: skip
    job.refresh_from_db()
    return job


def _claim(job_id: int) -> bool:
    return jobs.claim(
        ImportJob, job_id, dead_after=settings.IMPORT_DEAD_AFTER_SECONDS, max_attempts=settings.IMPORT_MAX_ATTEMPTS,
        progress=1,
    )  # fmt: skip


def _takeable():
    return jobs.takeable(dead_after=settings.IMPORT_DEAD_AFTER_SECONDS)


def _give_up(abandoned) -> list[int]:
    """Mark failed, in each job's language, the abandoned jobs started ``IMPORT_MAX_ATTEMPTS`` times: a file that
    stops its worker (e.g. out of memory) is not started again and again. Conditional, job by job."""
    failed = []
    for job in abandoned.only("pk", "language", "attempts"):
        with translation.override(job.language or None):
            message = ngettext(
                "The import stopped unexpectedly %(count)s time; check the file or ask the administrator.",
                "The import stopped unexpectedly %(count)s times; check the file or ask the administrator.",
                job.attempts,
            ) % {"count": job.attempts}
        now = timezone.now()
        if abandoned.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=now, heartbeat_at=now, error_count=1,
            errors=[{"row": 0, "column": "", "message": message}],
        ):  # fmt: skip
            log.error("Import %s stopped its worker %s times; marked failed", job.pk, job.attempts)
            failed.append(job.pk)
    return failed


def restart_abandoned_imports() -> list[int]:
    """The imports' step of the periodic reconciliation (``RECONCILE_HOOKS``): fail the jobs started
    ``IMPORT_MAX_ATTEMPTS`` times, hand over again those pending longer than ``IMPORT_PENDING_AFTER_SECONDS`` (the
    broker refused them) or running with a heartbeat silent for ``IMPORT_DEAD_AFTER_SECONDS`` (their worker died).
    Returns the ids handed over."""
    from .tasks import run_import

    abandoned = jobs.abandoned(
        pending_after=settings.IMPORT_PENDING_AFTER_SECONDS, dead_after=settings.IMPORT_DEAD_AFTER_SECONDS
    )
    _give_up(ImportJob.objects.filter(abandoned, attempts__gte=settings.IMPORT_MAX_ATTEMPTS))
    return jobs.hand_over(ImportJob, abandoned, task=run_import, progress=0)


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0  # written, or on a dry run: would be written
    updated: int = 0
    skipped: list[int] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    more_problems: int = 0  # counted past the KEEP_PROBLEMS listed in ``problems``
    accounts: int = 0  # officials' accounts created (the "create accounts" option)
    password_sheet: str = ""  # the token of their initial passwords' workbook


def _run(job: ImportJob, heartbeat: jobs.Heartbeat) -> Outcome:
    by = job.requested_by
    if by is None:
        raise PermissionDenied(_("The person who started this import no longer has an account."))
    check_may_import(by, job.kind)

    def progress(percent: int) -> None:  # reading and checking: outside any transaction
        ImportJob.objects.filter(pk=job.pk).update(progress=max(1, min(99, percent)), heartbeat_at=timezone.now())

    def writing(percent: int) -> None:  # inside the write's transaction: by the heartbeat's own connection
        heartbeat.report(progress=max(1, min(99, percent)))

    other = registry.registered(job.kind)
    columns = other.columns if other else COLUMNS[job.kind]
    with job.file.open("rb") as source:
        table = read_table(source, columns, name=job.original_name)  # streaming, within imports.limits
    progress(READ_DONE)
    read = (other.resource if other else RESOURCES[job.kind])(by=by, year=job.year).read(table)
    read.problems = table.problems + read.problems  # a bad cell of the file stops the write like any other
    progress(CHECK_DONE)
    headers = {c.code: c.header for c in columns}
    if other is not None:
        write = other.write
    else:
        write = {ImportKind.ACTIVITIES: _import_activities, ImportKind.OFFICIALS: import_officials,
                 ImportKind.UNITS: import_units}[job.kind]  # fmt: skip
    extra = {"create_accounts": job.create_accounts} if job.kind == ImportKind.OFFICIALS else {}
    outcome = write(by=by, read=read, year=job.year, dry_run=job.dry_run, progress=writing, **extra)
    outcome.rows = len(table.rows)
    outcome.problems, outcome.more_problems = _merge_problems(read.problems, outcome.problems, headers)
    if not table.rows and not outcome.problems:
        outcome.problems = [{"row": 0, "column": "", "message": _("The file has no data rows below the header.")}]
    return outcome


def _merge_problems(cells: list, rules: list, headers: dict[str, str]) -> tuple[list[dict], int]:
    """Cell problems first (the file's own, then the widgets'); one problem a cell, the first. Sorted by row.

    The first :data:`KEEP_PROBLEMS` as the job keeps them, and how many more there are (a file of 100,000 bad rows
    has 400,000 problems: counted, not all made into dicts)."""
    seen: set[tuple[int, str]] = set()
    merged = []
    for problem in [*cells, *rules]:
        if (problem[0], problem[1]) not in seen:
            seen.add((problem[0], problem[1]))
            merged.append(problem)
    order = {code: index for index, code in enumerate(headers)}
    merged.sort(key=lambda p: (p[0], order.get(p[1], len(order))))
    # A column not imported is named by its letters (a file problem in it, e.g. an unbalanced quote mark).
    kept = [
        {"row": row, "column": headers.get(column, column), "message": message}
        for row, column, message in merged[:KEEP_PROBLEMS]
    ]
    return kept, len(merged) - len(kept)


# ---------------------------------------------------------------------------------------------------
# Activity records: the rules and the write are credits.services.import_records

_ACTIVITY_FIELDS = {"official": "staff_no"}  # the service's field names → the file's columns


def _import_activities(*, by, read: ReadRows, year: int | None, dry_run: bool, progress: Callable) -> Outcome:
    rows = [
        ImportedRecord(
            row=number, official=v.official, kind=v.kind, quantity=v.quantity, occurred_on=v.occurred_on,
            note=v.note or "", category=v.category, points=v.points, hours=v.hours,
            class_passed=True if v.class_passed is None else v.class_passed,
        )
        for number, v in read.rows
    ]  # fmt: skip
    total = max(1, len(rows))
    result = import_records(
        by=by, rows=rows, year=year, dry_run=dry_run or bool(read.problems),
        progress=lambda done: progress(CHECK_DONE + (100 - CHECK_DONE) * done // total),
    )  # fmt: skip
    return Outcome(
        created=result.new,
        skipped=result.skipped,
        problems=[(row, _ACTIVITY_FIELDS.get(name, name), message) for row, name, message in result.errors],
    )


# ---------------------------------------------------------------------------------------------------
# Units and officials (the training section only): new rows created in bulk, changed ones updated, equal ones
# skipped, so a file imported twice changes nothing the second time.


def _require_staff(by) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the organization department maintains units and officials."))


@transaction.atomic
def import_units(*, by, read: ReadRows, dry_run: bool, progress: Callable | None = None, **_kwargs) -> Outcome:
    """Units by code; a parent is named by code, in the database or anywhere in the file (no cycles)."""
    _require_staff(by)
    outcome = Outcome()
    existing = {u.code: u for u in Unit.objects.all()}
    first_row: dict[str, int] = {}
    rows = []
    for number, v in read.rows:
        if v.code is None:
            continue
        if v.code in first_row:
            outcome.problems.append((number, "code", _("Same unit code as row %(row)s.") % {"row": first_row[v.code]}))
            continue
        first_row[v.code] = number
        rows.append((number, v))
    file_parents = {v.code: v.parent for _n, v in rows}
    for number, v in rows:
        if v.parent and v.parent not in existing and v.parent not in file_parents:
            outcome.problems.append((number, "parent", _("There is no unit “%(value)s”.") % {"value": v.parent}))
        elif v.parent == v.code:
            outcome.problems.append((number, "parent", _("A unit cannot be its own parent.")))
        elif _has_cycle(v.code, file_parents, existing):
            outcome.problems.append((number, "parent", _("The parent units go round in a circle.")))
    if outcome.problems or read.problems:
        return outcome
    code_of = {u.pk: code for code, u in existing.items()}
    creating, changing = [], []
    for number, v in rows:
        unit = existing.get(v.code)
        # An empty optional cell keeps what is on record (an import never clears a value).
        wanted = {"name": v.name, "kind": v.kind or (unit.kind if unit else UnitKind.DEPARTMENT)}
        current_parent = code_of.get(unit.parent_id) if unit else None
        v.parent = v.parent or current_parent
        if unit is None:
            creating.append((number, v, wanted))
        elif unit.name != wanted["name"] or unit.kind != wanted["kind"] or current_parent != v.parent:
            changing.append((number, v, wanted))
        else:
            outcome.skipped.append(number)
    outcome.created, outcome.updated = len(creating), len(changing)
    if dry_run:
        return outcome
    created = Unit.objects.bulk_create([Unit(code=v.code, name=w["name"], kind=w["kind"]) for _n, v, w in creating])
    units = existing | {u.code: u for u in created}
    for unit, (_number, v, _w) in zip(created, creating, strict=True):
        unit.parent = units.get(v.parent) if v.parent else None
    Unit.objects.bulk_update([u for u in created if u.parent is not None], ["parent"], batch_size=2000)
    log_created(actor=by, instances=created, reason=_("Imported"))
    for _number, v, wanted in changing:
        unit = units[v.code]
        old = snapshot(unit)
        unit.name, unit.kind, unit.parent = wanted["name"], wanted["kind"], units.get(v.parent) if v.parent else None
        unit.save()
        changed_old, changed_new = diff(old, snapshot(unit))
        log_change(actor=by, instance=unit, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new,
                   reason=_("Imported"))  # fmt: skip
    if progress:
        progress(99)
    return outcome


def _has_cycle(code: str, file_parents: dict[str, str | None], existing: dict[str, Unit]) -> bool:
    by_pk = {u.pk: c for c, u in existing.items()}
    seen, current = {code}, code
    for _step in range(len(file_parents) + len(existing) + 1):
        if current in file_parents:
            current = file_parents[current]
        elif current in existing and existing[current].parent_id:
            current = by_pk.get(existing[current].parent_id)
        else:
            return False
        if current is None:
            return False
        if current in seen:
            return True
        seen.add(current)
    return True


OFFICIAL_FIELDS = ("name", "unit", "rank", "included_on", "retires_on", "birth_date")
SCORE_FIELDS = ("unit", "included_on", "retires_on")


@transaction.atomic
def import_officials(
    *, by, read: ReadRows, dry_run: bool, progress: Callable | None = None, create_accounts: bool = False, **_kwargs
) -> Outcome:
    """Officials by staff number: new ones created, changed ones updated (their scores marked for recompute).
    With ``create_accounts``, every official of the file without an account gets one (the initial passwords in one
    workbook, downloadable once by whoever imported)."""
    _require_staff(by)
    outcome = Outcome()
    first_row: dict[str, int] = {}
    rows = []
    for number, v in read.rows:
        if v.staff_no is None:
            continue
        if v.staff_no in first_row:
            outcome.problems.append(
                (number, "staff_no", _("Same staff number as row %(row)s.") % {"row": first_row[v.staff_no]})
            )
            continue
        first_row[v.staff_no] = number
        rows.append((number, v))
    if outcome.problems or read.problems:
        return outcome
    existing = {o.staff_no: o for o in Official.objects.filter(staff_no__in=list(first_row))}
    creating, changing = [], []
    for number, v in rows:
        official = existing.get(v.staff_no)
        # An empty optional cell keeps what is on record (an import never clears a value).
        wanted = {
            "name": v.name, "unit": v.unit, "rank": v.rank or (official.rank if official else Rank.OTHER),
            "included_on": v.included_on or (official.included_on if official else None),
            "retires_on": v.retires_on or (official.retires_on if official else None),
            "birth_date": v.birth_date or (official.birth_date if official else None),
        }  # fmt: skip
        if wanted["included_on"] and wanted["retires_on"] and wanted["retires_on"] < wanted["included_on"]:
            outcome.problems.append((number, "retires_on", _("The retirement date is before the inclusion date.")))
        elif official is None:
            creating.append(Official(staff_no=v.staff_no, **wanted))
        elif any(_value(official, name) != _value(wanted, name) for name in OFFICIAL_FIELDS):
            changing.append((official, wanted))
        else:
            outcome.skipped.append(number)
    outcome.created, outcome.updated = len(creating), len(changing)
    if dry_run or outcome.problems:
        return outcome
    this_year = timezone.localdate().year
    created = Official.objects.bulk_create(creating, batch_size=2000)
    log_created(actor=by, instances=created, reason=_("Imported"))
    stale = {(o.pk, this_year) for o in created}
    for official, wanted in changing:
        old = snapshot(official)
        for name, value in wanted.items():
            setattr(official, name, value)
        official.save()
        changed_old, changed_new = diff(old, snapshot(official))
        log_change(actor=by, instance=official, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new,
                   reason=_("Imported"))  # fmt: skip
        if set(changed_new) & set(SCORE_FIELDS):
            stale |= {(official.pk, year) for year in _scored_years(official, this_year)}
    if stale:
        mark_stale(stale)
        request_score_refresh()
    if create_accounts:
        from organisation.services import create_logins_in_bulk

        made = create_logins_in_bulk(by=by, officials=Official.objects.filter(staff_no__in=list(first_row)),
                                     label=_("import"))  # fmt: skip
        outcome.accounts = made.created
        outcome.password_sheet = made.sheet.token if made.sheet else ""
    if progress:
        progress(99)
    return outcome


def _value(source, name: str):
    if isinstance(source, dict):
        value = source[name]
        return value.pk if isinstance(value, Unit) else value
    return source.unit_id if name == "unit" else getattr(source, name)


def _scored_years(official: Official, this_year: int) -> set[int]:
    from credits.models import AnnualScore

    return set(AnnualScore.objects.filter(official=official).values_list("year", flat=True)) | {this_year}
