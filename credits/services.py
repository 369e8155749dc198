"""Writes to activity records, exemptions, vetoes and years. Views, the API, tasks and imports call these.

Every write checks who may do it, logs the change, marks the affected score stale in the same
transaction and, once the transaction commits, asks the worker to refresh stale scores.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, log_created, snapshot
from kunshan_training.years import check_year_closed
from notifications.services import notify_record_reviewed, notify_records_reviewed
from organisation.models import Official, Unit
from organisation.roles import is_org_staff, scope_of

from .evidence import read_upload, sniff, stored_name
from .models import (
    ActivityRecord,
    Category,
    Exemption,
    ExemptionReason,
    GroupStudySession,
    Kind,
    PublishedYear,
    Source,
    Status,
    Veto,
    VetoReason,
)
from .policies import policies_of_years, policy_of_year, problem_errors
from .rules import ALL_CATEGORIES, ALL_KINDS, Policy, policy_owning
from .scoring import mark_stale

log = logging.getLogger(__name__)

# Which categories each role may put on record is the year's policy's (Policy.declarable_by_official,
# enterable_by_unit_admin; Kunshan RULES §1.8); org-dept staff enter anything.
MAX_QUANTITY = Decimal("1000")
MAX_HOURS = Decimal("1000")  # study hours entered on one record (RULES §3)
# The most points a form offers for a case-by-case record (the largest category cap of any policy); the year's
# policy checks the exact limit.
MAX_DISCRETIONARY_POINTS = max((c.cap for c in ALL_CATEGORIES.values() if c.cap is not None), default=Decimal(100))
TENTH = Decimal("0.1")


def judging_policy(*, kind: str, year: int, policy: Policy | None = None) -> Policy:
    """The policy whose rules a record of ``kind`` in ``year`` must meet: the year's policy when it counts the kind,
    else the policy that names the kind (the record is kept, and shown as not counted under the year's policy)."""
    policy = policy or policy_of_year(year)
    return policy if kind in policy.kinds else policy_owning(kind)


# ---------------------------------------------------------------------------------------------------
# Refresh scheduling


def request_score_refresh() -> None:
    """After this transaction commits, ask the worker to refresh stale scores (once per transaction)."""
    if any(callback is _enqueue_refresh for _ids, callback, *_ in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_refresh)


def _enqueue_refresh() -> None:
    from .tasks import refresh_stale_scores

    try:
        refresh_stale_scores.delay()
    except Exception:  # a down broker must not fail the user's save; the reconciliation heals it
        log.exception("Could not enqueue the score refresh; the periodic reconciliation will pick it up.")


def mark_scores_changed(official_id: int, *years: int) -> None:
    """Mark these years of an official stale and refresh them once the transaction commits."""
    mark_stale((official_id, year) for year in years)
    request_score_refresh()


# ---------------------------------------------------------------------------------------------------
# Published (locked) years


class YearLocked(ValidationError):
    """A write into a published (locked) year. Pages show its message like any ValidationError; the API answers
    409 Conflict with the same words (kunshan_training.api.exception_handler)."""


def year_locked_message(year: int) -> str:
    """The words every refusal of a published year uses: the service's error, the API's 409 and the disabled
    controls' explanation on the pages."""
    message = _("The results of %(year)s are published and locked; the training section must reopen the year first.")
    return message % {"year": year}


def check_year_open(*years: int) -> None:
    """Refuse a change to a published year: the training section must reopen it first, with a reason."""
    locked = sorted(PublishedYear.objects.filter(year__in=set(years)).values_list("year", flat=True))
    if locked:
        raise YearLocked(year_locked_message(locked[0]), code="year_locked")


@transaction.atomic
def publish_year(*, by, year: int, override_reason: str = "") -> PublishedYear:
    """Publish (lock) a year's results: from now on its records and decisions cannot change.

    Refused while something of the year still waits (records waiting for review, imports not finished, scores
    not yet updated: ``year_blockers``), unless ``override_reason`` says why it is published anyway; the reason
    and what was waiting are kept in the audit trail.
    """
    from .selectors.city import year_blockers

    _require_staff(by)
    _check_year_closed(year)
    if PublishedYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s is already published.") % {"year": year}})
    override_reason = (override_reason or "").strip()
    blockers = year_blockers(year=year)
    if blockers and not override_reason:
        raise ValidationError(
            {
                "year": _(
                    "%(year)s cannot be published yet: %(waiting)s. Clear them first, or publish anyway and give "
                    "the reason."
                )
                % {"year": year, "waiting": blockers.text()}
            },
            code="waiting",
        )
    published = PublishedYear.objects.create(year=year, published_by=by)
    new = snapshot(published)
    if blockers:
        new["waiting"] = blockers.as_dict()
    log_change(actor=by, instance=published, action=ChangeLog.Action.CREATE, new=new,
               reason=override_reason[:500] if blockers else "")  # fmt: skip
    return published


def _check_year_closed(year: int) -> None:
    """Only a year from FIRST_YEAR to this year may be published or reopened (not 3000, not next year)."""
    try:
        check_year_closed(year)
    except ValidationError as error:
        raise ValidationError({"year": error.messages}) from error


@transaction.atomic
def reopen_year(*, by, year: int, reason: str) -> None:
    """Unlock a published year. The reason is required and kept in the audit trail."""
    _require_staff(by)
    _check_year_closed(year)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the year.")})
    published = PublishedYear.objects.select_for_update().filter(year=year).first()
    if published is None:
        raise ValidationError({"year": _("%(year)s is not published.") % {"year": year}})
    log_change(actor=by, instance=published, action=ChangeLog.Action.DELETE, old=snapshot(published),
               reason=reason[:500])  # fmt: skip
    published.delete()


# ---------------------------------------------------------------------------------------------------
# Activity records


def _check_may_act_for(by, official: Official) -> None:
    scope = scope_of(by)
    if scope.everything or official.pk == scope.official_id or official.unit_id == scope.unit_id:
        return
    raise PermissionDenied(_("You may not enter records for this official."))


def _check_may_enter(by, official: Official, category: str, policy: Policy) -> None:
    if is_org_staff(by):
        return
    scope = scope_of(by)
    allowed = set()
    if scope.unit_id is not None and official.unit_id == scope.unit_id:
        allowed |= policy.enterable_by_unit_admin
    if scope.official_id == official.pk:
        allowed |= policy.declarable_by_official
    if category not in allowed:
        raise PermissionDenied(_("You may not enter records of this category; the training section enters them."))


def _check_may_set_points(by, kind: str, points) -> None:
    """Points chosen case by case (discretionary points, a class scored below standard) are the approver's."""
    if points is None or is_org_staff(by):
        return
    spec = ALL_KINDS[kind]
    if spec.category is None:
        raise PermissionDenied(_("Only the training section sets discretionary points."))
    if spec.points == "optional":
        raise PermissionDenied(_("Only the training section sets the points of this kind below its standard."))


def _decimal_or_error(value, field: str, errors: dict, *, message: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = message
        return None
    if number != number.quantize(TENTH):
        errors[field] = _("At most one decimal place.")
        return None
    return number


def record_problems(
    *, kind: str | None, quantity: Decimal | None, category: str | None, points: Decimal | None,
    hours: Decimal | None, year: int, policy: Policy | None = None,
) -> tuple[dict[str, str], str | None]:  # fmt: skip
    """What is wrong with a record's values under the rules of its year (first problem per field), and the category
    it files under. Shared by every way a record comes in (forms, the API, imports), so the words are the same."""
    errors: dict[str, str] = {}
    if kind not in ALL_KINDS:
        errors["kind"] = _("Unknown kind “%(kind)s”.") % {"kind": kind}
        return errors, None
    if quantity is not None and (quantity <= 0 or quantity > MAX_QUANTITY):
        errors["quantity"] = _("The quantity must be more than 0 and at most %(max)s.") % {"max": MAX_QUANTITY}
    elif quantity is not None and quantity != quantity.quantize(TENTH):
        errors["quantity"] = _("The quantity may have at most one decimal place.")
    if hours is not None and not (0 <= hours <= MAX_HOURS):
        errors["hours"] = _("The study hours must be from 0 to %(max)s.") % {"max": MAX_HOURS}
    judge = judging_policy(kind=kind, year=year, policy=policy)
    if quantity is not None and "quantity" not in errors:
        for field_name, messages in problem_errors(
            judge.validate_record(kind=kind, category=category or None, quantity=quantity, points=points)
        ).items():
            errors.setdefault(field_name, messages[0])
    own = judge.category_of(kind)
    return errors, own or category


def _clean_record_fields(
    *, kind: str, quantity, occurred_on: date, category: str | None, points, hours=None
) -> tuple[str, Decimal, Decimal | None, Decimal | None]:
    errors: dict[str, str] = {}
    if kind not in ALL_KINDS:
        raise ValidationError({"kind": _("Unknown kind “%(kind)s”.") % {"kind": kind}})
    try:
        quantity = Decimal(str(quantity))
        if not quantity.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"quantity": _("The quantity must be a number.")}) from None
    points = _decimal_or_error(points, "points", errors, message=_("The points must be a number."))
    hours = _decimal_or_error(hours, "hours", errors, message=_("The study hours must be a number."))
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date is in the future.")
    problems, category = record_problems(
        kind=kind, quantity=quantity, category=category, points=points, hours=hours, year=occurred_on.year
    )
    for name, message in problems.items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors)
    return category, quantity.quantize(TENTH), points, hours


def checked_evidence(upload) -> tuple[ContentFile | None, str]:
    """The upload as a file under a generated name with the type found by parsing it, or ValidationError on the
    "evidence" field in plain words. Nothing is written until the record is saved."""
    if not upload:
        return None, ""
    try:
        data = read_upload(upload)
        kind = sniff(data)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from None
    return ContentFile(data, name=stored_name(kind)), kind


@transaction.atomic
def create_record(
    *,
    by,
    official: Official,
    kind: str,
    quantity,
    occurred_on: date,
    note: str = "",
    category: str | None = None,
    points=None,
    class_passed: bool = True,
    evidence=None,
    source: str | None = None,
    hours=None,
) -> ActivityRecord:
    """Put an activity on record. Org-dept staff's entries are approved at once; others wait for review."""
    category, quantity, points, hours = _clean_record_fields(
        kind=kind, quantity=quantity, occurred_on=occurred_on, category=category, points=points, hours=hours
    )
    _check_may_act_for(by, official)
    _check_may_set_points(by, kind, points)
    _check_may_enter(by, official, category, judging_policy(kind=kind, year=occurred_on.year))
    check_year_open(occurred_on.year)
    evidence_file, evidence_type = checked_evidence(evidence)
    staff = is_org_staff(by)
    if source is None:
        source = Source.DECLARED if scope_of(by).official_id == official.pk and not staff else Source.ENTERED
    record = ActivityRecord.objects.create(
        official=official,
        kind=kind,
        category=category,
        quantity=quantity,
        points=points,
        hours=hours,
        class_passed=class_passed,
        occurred_on=occurred_on,
        note=note,
        evidence=evidence_file or "",
        evidence_type=evidence_type,
        source=source,
        status=Status.APPROVED if staff else Status.SUBMITTED,
        created_by=by if by.is_authenticated else None,
        reviewed_by=by if staff else None,
        reviewed_at=timezone.now() if staff else None,
    )
    log_change(actor=by, instance=record, action=ChangeLog.Action.CREATE, new=snapshot(record))
    if record.status == Status.APPROVED:
        mark_scores_changed(official.pk, occurred_on.year)
    return record


# Records that make a new declaration a possible duplicate: the same official, kind and date, waiting or approved.
SIMILAR_STATUSES = (Status.SUBMITTED, Status.APPROVED)


@transaction.atomic
def redeclare_record(
    *, by, record: ActivityRecord, kind: str, quantity, occurred_on: date, note: str = "",
    class_passed: bool = True, evidence=None, points=None, hours=None,
) -> ActivityRecord:  # fmt: skip
    """Correct a returned (rejected) declaration and declare it again: a new record that waits for review.

    The returned record stays as it is (已退回, with its reason) so the review history is kept; the new record's
    audit entry names it ("Re-declared from record N"). Without a new file the returned record's evidence is
    checked again and copied. Only whoever declared it, or the official it is for, may re-declare it.
    """
    record = ActivityRecord.objects.select_for_update().select_related("official").get(pk=record.pk)
    scope = scope_of(by)
    if record.created_by_id != by.pk and scope.official_id != record.official_id:
        raise PermissionDenied(_("Only whoever declared a record, or the official it is for, can declare it again."))
    if record.status != Status.REJECTED:
        raise ValidationError({"status": _("Only a returned record can be corrected and declared again.")})
    if not evidence and record.evidence:
        try:
            with record.evidence.open("rb") as handle:
                evidence = ContentFile(handle.read(), name="evidence")
        except FileNotFoundError:
            raise ValidationError({"evidence": _("The returned record's evidence is gone; attach it again.")}) from None
    new = create_record(
        by=by, official=record.official, kind=kind, quantity=quantity, occurred_on=occurred_on, note=note,
        class_passed=class_passed, evidence=evidence, source=record.source, points=points, hours=hours,
    )  # fmt: skip
    ChangeLog.objects.filter(model="credits.activityrecord", object_id=str(new.pk)).update(
        reason=_("Re-declared from record %(id)s (returned: %(reason)s)")
        % {"id": record.pk, "reason": record.reject_reason[:400]}
    )
    return new


EDITABLE_FIELDS = ("kind", "quantity", "occurred_on", "note", "category", "points", "class_passed", "hours")


@transaction.atomic
def update_record(*, by, record: ActivityRecord, **changes) -> ActivityRecord:
    """Correct a record. Staff may correct any; a declarer only their own record while it waits for review."""
    return _update_record(by, record, changes)


def _update_record(by, record: ActivityRecord, changes: dict, *, reason: str = "", approved_only: bool = False):
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    record = ActivityRecord.objects.select_for_update().get(pk=record.pk)
    if not is_org_staff(by) and (record.created_by_id != by.pk or record.status != Status.SUBMITTED):
        raise PermissionDenied(_("Only the training section can change an approved or someone else's record."))
    if approved_only and record.status != Status.APPROVED:
        raise ValidationError({"status": _("Only an approved record can be corrected here; this one is %(status)s.")
                               % {"status": Status(record.status).label}})  # fmt: skip
    merged = {name: changes.get(name, getattr(record, name)) for name in EDITABLE_FIELDS}
    if "kind" in changes and changes["kind"] != Kind.DISCRETIONARY and "category" not in changes:
        merged["category"] = None  # the new kind brings its own category
    if "kind" in changes and changes["kind"] != record.kind and "points" not in changes:
        merged["points"] = None  # points belong to the kind they were set for
    category, quantity, points, hours = _clean_record_fields(
        kind=merged["kind"], quantity=merged["quantity"], occurred_on=merged["occurred_on"],
        category=merged["category"], points=merged["points"], hours=merged["hours"],
    )  # fmt: skip
    if "points" in changes or "kind" in changes:
        _check_may_set_points(by, merged["kind"], points)
    _check_may_enter(
        by, record.official, category, judging_policy(kind=merged["kind"], year=merged["occurred_on"].year)
    )
    check_year_open(record.occurred_on.year, merged["occurred_on"].year)
    old, old_year = snapshot(record), record.occurred_on.year
    record.kind, record.category, record.quantity, record.points = merged["kind"], category, quantity, points
    record.hours = hours
    record.occurred_on, record.note, record.class_passed = merged["occurred_on"], merged["note"], merged["class_passed"]
    record.save()
    changed_old, changed_new = diff(old, snapshot(record))
    if approved_only and not changed_new:
        raise ValidationError(_("Nothing was changed: the corrected values are the same as the record's."))
    if changed_new:
        log_change(actor=by, instance=record, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new,
                   reason=reason[:500])  # fmt: skip
    if record.status == Status.APPROVED:
        mark_scores_changed(record.official_id, old_year, record.occurred_on.year)
    return record


def _required_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@transaction.atomic
def correct_record(*, by, record: ActivityRecord, reason: str, **changes) -> ActivityRecord:
    """The training section corrects an APPROVED record (quantity, date, points, note…) with a reason: the change
    and the reason are in the audit trail, and the scores of the years touched are recomputed."""
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section revokes or corrects an approved record."))
    reason = _required_reason(reason, _("Give the reason for correcting the record."))
    return _update_record(by, record, changes, reason=reason, approved_only=True)


@transaction.atomic
def revoke_record(*, by, record: ActivityRecord, reason: str) -> ActivityRecord:
    """The training section takes back its approval of a record (撤销): the record is returned with the reason,
    stops counting, the change is audited with the reason and the official is told. The declarer may then correct
    it and declare it again."""
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section revokes or corrects an approved record."))
    reason = _required_reason(reason, _("Give the reason for revoking the approval."))
    record = ActivityRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != Status.APPROVED:
        raise ValidationError({"status": _("Only an approved record can be revoked; this one is %(status)s.")
                               % {"status": Status(record.status).label}})  # fmt: skip
    check_year_open(record.occurred_on.year)
    old = snapshot(record)
    record.status, record.reject_reason = Status.REJECTED, reason[:500]
    record.reviewed_by, record.reviewed_at = by, timezone.now()
    record.save()
    changed_old, changed_new = diff(old, snapshot(record))
    log_change(actor=by, instance=record, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new,
               reason=reason[:500])  # fmt: skip
    mark_scores_changed(record.official_id, record.occurred_on.year)
    notify_record_reviewed(record)
    return record


def _review(by, record: ActivityRecord, status: str, **fields) -> ActivityRecord:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section reviews records."))
    record = ActivityRecord.objects.select_for_update().get(pk=record.pk)
    check_year_open(record.occurred_on.year)
    if record.status != Status.SUBMITTED:
        raise ValidationError(
            {
                "status": _("Only submitted records can be reviewed; this one is %(status)s.")
                % {"status": Status(record.status).label}
            }
        )
    old = snapshot(record)
    record.status, record.reviewed_by, record.reviewed_at = status, by, timezone.now()
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    changed_old, changed_new = diff(old, snapshot(record))
    log_change(actor=by, instance=record, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    return record


@transaction.atomic
def approve_record(*, by, record: ActivityRecord) -> ActivityRecord:
    record = _review(by, record, Status.APPROVED, reject_reason="")
    mark_scores_changed(record.official_id, record.occurred_on.year)
    notify_record_reviewed(record)
    return record


@transaction.atomic
def approve_records(*, by, record_ids: Iterable[int]) -> int:
    """Approve many submitted records at once (the approval queue's bulk action); returns how many.

    Set-based: one UPDATE, one audit insert, one stale mark per (official, year), one notification insert.
    Records that are no longer submitted (someone else got there first) are skipped, not an error.
    """
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section reviews records."))
    records = list(
        ActivityRecord.objects.select_for_update(of=("self",))
        .select_related("official", "session")
        .filter(pk__in=list(record_ids), status=Status.SUBMITTED)
    )
    if not records:
        return 0
    check_year_open(*{r.occurred_on.year for r in records})
    now = timezone.now()
    ActivityRecord.objects.filter(pk__in=[r.pk for r in records]).update(
        status=Status.APPROVED, reviewed_by=by, reviewed_at=now, reject_reason="", updated_at=now
    )
    ChangeLog.objects.bulk_create(
        [
            ChangeLog(
                model="credits.activityrecord",
                object_id=str(r.pk),
                action=ChangeLog.Action.UPDATE,
                actor=by,
                old={"status": r.status},
                new={"status": Status.APPROVED, "reviewed_by": by.pk},
            )
            for r in records
        ],  # fmt: skip
        batch_size=2000,
    )
    for r in records:
        r.status, r.reviewed_by_id, r.reviewed_at, r.reject_reason = Status.APPROVED, by.pk, now, ""
    mark_stale({(r.official_id, r.occurred_on.year) for r in records})
    request_score_refresh()
    notify_records_reviewed(records)
    return len(records)


@transaction.atomic
def reject_record(*, by, record: ActivityRecord, reason: str) -> ActivityRecord:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the record.")})
    record = _review(by, record, Status.REJECTED, reject_reason=reason[:500])
    notify_record_reviewed(record)
    return record


@transaction.atomic
def withdraw_record(*, by, record: ActivityRecord) -> ActivityRecord:
    """A declarer takes back a record before it is reviewed."""
    record = ActivityRecord.objects.select_for_update().get(pk=record.pk)
    if record.created_by_id != by.pk and not is_org_staff(by):
        raise PermissionDenied(_("Only whoever declared a record can withdraw it."))
    if record.status != Status.SUBMITTED:
        raise ValidationError({"status": _("Only records still waiting for review can be withdrawn.")})
    check_year_open(record.occurred_on.year)
    record.status = Status.WITHDRAWN
    record.save(update_fields=["status", "updated_at"])
    log_change(
        actor=by,
        instance=record,
        action=ChangeLog.Action.UPDATE,
        old={"status": Status.SUBMITTED},
        new={"status": Status.WITHDRAWN},
    )
    return record


@transaction.atomic
def delete_record(*, by, record: ActivityRecord) -> None:
    """Staff may delete any record; others only their own records that have not been approved."""
    if not is_org_staff(by):
        _check_may_act_for(by, record.official)
        if record.created_by_id != by.pk or record.status == Status.APPROVED:
            raise PermissionDenied(_("Only the training section can delete an approved or someone else's record."))
    check_year_open(record.occurred_on.year)
    old = snapshot(record)
    counted = record.status == Status.APPROVED
    log_change(actor=by, instance=record, action=ChangeLog.Action.DELETE, old=old)
    record.delete()
    if counted:
        mark_scores_changed(old["official"], date.fromisoformat(old["occurred_on"]).year)


# ---------------------------------------------------------------------------------------------------
# Records that follow from organised training (courses/: a class closed, a lecture checked in, an online course
# passed). The activity is the evidence, so they are approved on entry whoever triggered them.


@dataclass(frozen=True)
class GeneratedRecord:
    """The values of one record an activity gives an official."""

    official_id: int
    kind: str
    quantity: Decimal
    occurred_on: date
    class_passed: bool = True
    points: Decimal | None = None
    hours: Decimal | None = None
    note: str = ""


GENERATED_FIELDS = ("kind", "quantity", "occurred_on", "class_passed", "points", "hours", "note")


def _generated_problem(spec: GeneratedRecord, policy: Policy | None = None) -> str | None:
    problems, _category = record_problems(
        kind=spec.kind, quantity=spec.quantity, category=None, points=spec.points, hours=spec.hours,
        year=spec.occurred_on.year, policy=policy,
    )  # fmt: skip
    if spec.occurred_on > timezone.localdate():
        problems.setdefault("occurred_on", _("The date is in the future."))
    return next(iter(problems.values()), None)


@transaction.atomic
def put_generated_records(
    *,
    by,
    changes: Sequence[tuple[ActivityRecord | None, GeneratedRecord | None]],
    reason: str,
) -> list[ActivityRecord | None]:
    """Bring the records an activity gives in line with it, as one change: each pair is (the record written last
    time or None, the values it should have now or None). New records are created approved (source "generated"),
    changed ones updated in place (never a duplicate), dropped ones deleted; every write is audited with
    ``reason``, every (official, year) whose records changed is marked stale and one refresh follows the commit.

    Returns the records in the order of ``changes`` (None where there is none now). Raises ValidationError naming
    the official when a value breaks the rules of its year, and YearLocked when a year touched is published.
    """
    official_names = dict(
        Official.objects.filter(
            pk__in={spec.official_id for _record, spec in changes if spec} | {r.official_id for r, _s in changes if r}
        ).values_list("pk", "name")
    )
    years = {spec.occurred_on.year for _r, spec in changes if spec} | {r.occurred_on.year for r, _s in changes if r}
    policies = policies_of_years(years)  # one query, not two per record (a class of 500 closes in one change)
    errors = []
    for _record, spec in changes:
        if spec is not None and (problem := _generated_problem(spec, policies[spec.occurred_on.year])):
            errors.append(f"{official_names.get(spec.official_id, spec.official_id)}: {problem}")
    if errors:
        raise ValidationError(errors)
    check_year_open(*sorted(years))
    now, stale, result = timezone.now(), set(), []
    created, deleted = [], []
    for record, spec in changes:
        # Only what changes marks a score stale: closing a class again with nothing corrected recomputes nothing.
        if spec is None:
            if record is not None:
                deleted.append(record)
                stale.add((record.official_id, record.occurred_on.year))
            result.append(None)
            continue
        values = {
            "kind": spec.kind, "quantity": Decimal(spec.quantity).quantize(TENTH), "occurred_on": spec.occurred_on,
            "class_passed": spec.class_passed, "points": spec.points, "hours": spec.hours, "note": spec.note[:500],
        }  # fmt: skip
        values["category"] = judging_policy(
            kind=spec.kind, year=spec.occurred_on.year, policy=policies[spec.occurred_on.year]
        ).category_of(spec.kind)
        if record is None:
            record = ActivityRecord(
                official_id=spec.official_id, source=Source.GENERATED, status=Status.APPROVED,
                created_by=by if by.is_authenticated else None, reviewed_by=by if by.is_authenticated else None,
                reviewed_at=now, **values,
            )  # fmt: skip
            created.append(record)
            stale.add((spec.official_id, spec.occurred_on.year))
        else:
            was = (record.official_id, record.occurred_on.year)
            old = snapshot(record)
            for name, value in values.items():
                setattr(record, name, value)
            record.status = Status.APPROVED
            changed_old, changed_new = diff(old, snapshot(record))
            if changed_new:
                record.save()
                log_change(actor=by, instance=record, action=ChangeLog.Action.UPDATE, old=changed_old,
                           new=changed_new, reason=reason[:500])  # fmt: skip
                stale.update({was, (spec.official_id, spec.occurred_on.year)})
        result.append(record)
    if created:
        ActivityRecord.objects.bulk_create(created)
        log_created(actor=by, instances=created, reason=reason[:500])
    for record in deleted:
        log_change(actor=by, instance=record, action=ChangeLog.Action.DELETE, old=snapshot(record),
                   reason=reason[:500])  # fmt: skip
    if deleted:
        ActivityRecord.objects.filter(pk__in=[record.pk for record in deleted]).delete()
    if stale:
        mark_stale(stale)
        request_score_refresh()
    return result


# ---------------------------------------------------------------------------------------------------
# Exemptions and vetoes (decided by the training section)


def _require_staff(by) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section records exemptions and vetoes."))


@transaction.atomic
def record_exemption(*, by, official: Official, year: int, reason: str, note: str = "") -> Exemption:
    _require_staff(by)
    if reason not in ExemptionReason.values:
        raise ValidationError({"reason": _("Unknown exemption reason “%(reason)s”.") % {"reason": reason}})
    if reason == ExemptionReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Describe the case the organization department decided.")})
    check_year_open(year)
    if Exemption.objects.filter(official=official, year=year).exists():
        raise ValidationError({"year": _("This official already has an exemption for %(year)s.") % {"year": year}})
    exemption = Exemption.objects.create(official=official, year=year, reason=reason, note=note, created_by=by)
    log_change(actor=by, instance=exemption, action=ChangeLog.Action.CREATE, new=snapshot(exemption))
    mark_scores_changed(official.pk, year)
    return exemption


@transaction.atomic
def remove_decision(*, by, decision: Exemption | Veto) -> None:
    """Take back an exemption or a veto."""
    _require_staff(by)
    check_year_open(decision.year)
    log_change(actor=by, instance=decision, action=ChangeLog.Action.DELETE, old=snapshot(decision))
    decision.delete()
    mark_scores_changed(decision.official_id, decision.year)


# A removed exemption or veto can be put back from the official's page for this long (the undo of "Remove"): the
# removal's audit entry holds everything the decision was, so restoring is cheap and exact.
RESTORE_WINDOW = timedelta(days=1)
DECISION_MODELS = {"credits.exemption": Exemption, "credits.veto": Veto}


def removed_decisions(*, official: Official, year: int, now=None) -> list[ChangeLog]:
    """The removals of this official's exemptions and vetoes of ``year`` that may still be undone, newest first:
    within RESTORE_WINDOW, and only while no decision of the same kind and reason is on record again (three
    queries). The audit trail is not changed by a restore: the restored decision has its own entry."""
    since = (now or timezone.now()) - RESTORE_WINDOW
    entries = (
        ChangeLog.objects.filter(model__in=list(DECISION_MODELS), action=ChangeLog.Action.DELETE, at__gte=since)
        .filter(old__official=official.pk, old__year=year)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    current = {("credits.exemption", None) for _e in Exemption.objects.filter(official=official, year=year)[:1]}
    vetoes = Veto.objects.filter(official=official, year=year).values_list("reason", flat=True)
    current |= {("credits.veto", reason) for reason in vetoes}
    offered, seen = [], set()
    for entry in entries:
        key = (entry.model, None if entry.model == "credits.exemption" else (entry.old or {}).get("reason"))
        if key in current or key in seen:
            continue
        seen.add(key)
        offered.append(entry)
    return offered


@transaction.atomic
def restore_decision(*, by, entry: ChangeLog) -> Exemption | Veto:
    """Undo a removal (within RESTORE_WINDOW): the exemption or veto comes back as it was, audited with its own
    entry, scores recomputed. Refused when it is back already (the services say so) or the removal is too old."""
    _require_staff(by)
    model = DECISION_MODELS.get(entry.model)
    if model is None or entry.action != ChangeLog.Action.DELETE or not entry.old:
        raise ValidationError(_("This removal cannot be undone."))
    if entry.at < timezone.now() - RESTORE_WINDOW:
        raise ValidationError(_("This removal is too old to undo; record the decision again instead."))
    old = entry.old
    official = Official.objects.get(pk=old["official"])
    record = record_exemption if model is Exemption else record_veto
    return record(by=by, official=official, year=old["year"], reason=old["reason"], note=old.get("note") or "")


@transaction.atomic
def record_veto(*, by, official: Official, year: int, reason: str, note: str = "") -> Veto:
    _require_staff(by)
    if reason not in VetoReason.values:
        raise ValidationError({"reason": _("Unknown veto reason “%(reason)s”.") % {"reason": reason}})
    check_year_open(year)
    if Veto.objects.filter(official=official, year=year, reason=reason).exists():
        raise ValidationError({"reason": _("This veto is already on record for %(year)s.") % {"year": year}})
    veto = Veto.objects.create(official=official, year=year, reason=reason, note=note, created_by=by)
    log_change(actor=by, instance=veto, action=ChangeLog.Action.CREATE, new=snapshot(veto))
    mark_scores_changed(official.pk, year)
    return veto


# ---------------------------------------------------------------------------------------------------
# Central-group study sessions (entered once for all attendees)


def _session_problems(
    *, unit_id: int, occurred_on: date, topic: str, speakers: list, listeners: list, no_attendee: str
) -> dict[str, str]:
    """What is wrong with a session as entered or corrected, by form field (empty when nothing is)."""
    errors: dict[str, str] = {}
    if not topic:
        errors["topic"] = _("Give the topic of the session.")
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date is in the future.")
    if not speakers and not listeners:
        errors["listeners"] = no_attendee
    both = {o.pk for o in speakers} & {o.pk for o in listeners}
    if both:
        names = "、".join(o.name for o in speakers if o.pk in both)
        errors["listeners"] = _("%(names)s cannot be both speaker and listener.") % {"names": names}
    strangers = [o.name for o in speakers + listeners if o.unit_id != unit_id]
    if strangers:
        errors["speakers"] = _("Not in this unit: %(names)s.") % {"names": "、".join(strangers)}
    return errors


@transaction.atomic
def record_group_study_session(
    *,
    by,
    unit: Unit,
    occurred_on: date,
    topic: str,
    speakers: Iterable[Official] = (),
    listeners: Iterable[Official] = (),
) -> GroupStudySession:
    """Enter a unit's central-group study session and one record per attendee (speaker 2 points, listener 1).

    Unit study administrators enter their own unit's sessions (the records wait for review); the training
    section enters any unit's (approved at once). Every attendee must belong to the unit.
    """
    scope = scope_of(by)
    if not scope.everything and scope.unit_id != unit.pk:
        raise PermissionDenied(_("You may only enter central-group sessions for your own unit."))
    speakers, listeners = list(dict.fromkeys(speakers)), list(dict.fromkeys(listeners))
    topic = (topic or "").strip()
    errors = _session_problems(
        unit_id=unit.pk, occurred_on=occurred_on, topic=topic, speakers=speakers, listeners=listeners,
        no_attendee=_("Choose at least one attendee."),
    )  # fmt: skip
    if not errors and GroupStudySession.objects.filter(unit=unit, occurred_on=occurred_on, topic=topic).exists():
        errors["topic"] = _("This session (same date and topic) is already entered.")
    if errors:
        raise ValidationError(errors)
    check_year_open(occurred_on.year)
    staff = is_org_staff(by)
    session = GroupStudySession.objects.create(unit=unit, occurred_on=occurred_on, topic=topic[:200], created_by=by)
    now = timezone.now()
    attendees = [(o, Kind.CENTRAL_GROUP_SPEAKER) for o in speakers]
    attendees += [(o, Kind.CENTRAL_GROUP_LISTENER) for o in listeners]
    records = ActivityRecord.objects.bulk_create(
        [
            ActivityRecord(
                official=official,
                kind=kind,
                category=Category.GROUP_STUDY,
                quantity=Decimal(1),
                occurred_on=occurred_on,
                note=topic[:500],
                source=Source.ENTERED,
                session=session,
                status=Status.APPROVED if staff else Status.SUBMITTED,
                created_by=by,
                reviewed_by=by if staff else None,
                reviewed_at=now if staff else None,
            )
            for official, kind in attendees
        ]  # fmt: skip
    )
    log_change(actor=by, instance=session, action=ChangeLog.Action.CREATE, new=snapshot(session))
    log_created(actor=by, instances=records, reason=_("Central-group session"))
    if staff:
        mark_stale({(official.pk, occurred_on.year) for official, _kind in attendees})
        request_score_refresh()
    return session


# The records that make someone an attendee of a session (a returned or withdrawn one does not).
ATTENDING_STATUSES = (Status.SUBMITTED, Status.APPROVED)


def _check_session_scope(by, unit_id: int) -> None:
    scope = scope_of(by)
    if not scope.everything and scope.unit_id != unit_id:
        raise PermissionDenied(_("You may only enter central-group sessions for your own unit."))


def _approved_refusal(names: list[str]) -> ValidationError:
    return ValidationError(
        {"listeners": _("Already approved, so only the training section can change or remove it: %(names)s.")
         % {"names": "、".join(names)}}
    )  # fmt: skip


@transaction.atomic
def update_group_study_session(
    *,
    by,
    session: GroupStudySession,
    occurred_on: date,
    topic: str,
    speakers: Iterable[Official] = (),
    listeners: Iterable[Official] = (),
) -> GroupStudySession:
    """Correct a session: its date and topic, each attendee's role (speaker/listener), a latecomer added, an attendee
    removed. Scores follow: every approved record touched is marked stale (old and new year).

    New records wait for review when a unit study administrator adds them and are approved when the training
    section does. A unit administrator cannot change or remove a record already approved (nor move the date or
    topic of a session with approved records): the training section can. Refused in a published year. Audited.
    """
    session = GroupStudySession.objects.select_for_update().get(pk=session.pk)
    _check_session_scope(by, session.unit_id)
    staff = is_org_staff(by)
    speakers, listeners = list(dict.fromkeys(speakers)), list(dict.fromkeys(listeners))
    topic = (topic or "").strip()
    errors = _session_problems(
        unit_id=session.unit_id, occurred_on=occurred_on, topic=topic, speakers=speakers, listeners=listeners,
        no_attendee=_("Choose at least one attendee; to remove the whole session, delete it."),
    )  # fmt: skip
    same = GroupStudySession.objects.filter(unit_id=session.unit_id, occurred_on=occurred_on, topic=topic)
    if not errors and same.exclude(pk=session.pk).exists():
        errors["topic"] = _("This session (same date and topic) is already entered.")
    if errors:
        raise ValidationError(errors)
    check_year_open(session.occurred_on.year, occurred_on.year)

    wanted = {o.pk: Kind.CENTRAL_GROUP_SPEAKER for o in speakers}
    wanted |= {o.pk: Kind.CENTRAL_GROUP_LISTENER for o in listeners}
    attending = session.records.filter(status__in=ATTENDING_STATUSES)
    records = list(attending.select_for_update(of=("self",)).select_related("official"))
    current = {r.official_id: r for r in records}
    moved = occurred_on != session.occurred_on or topic[:200] != session.topic
    removed = [r for r in records if r.official_id not in wanted]
    changed = [r for r in records if r.official_id in wanted and (wanted[r.official_id] != r.kind or moved)]
    if not staff:
        locked = [r.official.name for r in removed + changed if r.status == Status.APPROVED]
        if locked:
            raise _approved_refusal(locked)

    stale = {(r.official_id, r.occurred_on.year) for r in removed + changed if r.status == Status.APPROVED}
    old_session = snapshot(session)
    session.occurred_on, session.topic = occurred_on, topic[:200]
    session.save(update_fields=["occurred_on", "topic"])
    old, new = diff(old_session, snapshot(session))
    if new:
        log_change(actor=by, instance=session, action=ChangeLog.Action.UPDATE, old=old, new=new)
    for record in removed:
        log_change(actor=by, instance=record, action=ChangeLog.Action.DELETE, old=snapshot(record),
                   reason=_("Removed from the central-group session"))  # fmt: skip
    ActivityRecord.objects.filter(pk__in=[r.pk for r in removed]).delete()
    for record in changed:
        before = snapshot(record)
        record.kind, record.occurred_on, record.note = wanted[record.official_id], occurred_on, topic[:500]
        record.save(update_fields=["kind", "occurred_on", "note", "updated_at"])
        changed_old, changed_new = diff(before, snapshot(record))
        log_change(actor=by, instance=record, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new,
                   reason=_("Central-group session corrected"))  # fmt: skip
    now = timezone.now()
    added = ActivityRecord.objects.bulk_create(
        [
            ActivityRecord(
                official_id=official_id, kind=kind, category=Category.GROUP_STUDY, quantity=Decimal(1),
                occurred_on=occurred_on, note=topic[:500], source=Source.ENTERED, session=session,
                status=Status.APPROVED if staff else Status.SUBMITTED, created_by=by,
                reviewed_by=by if staff else None, reviewed_at=now if staff else None,
            )
            for official_id, kind in wanted.items()
            if official_id not in current
        ]
    )  # fmt: skip
    if added:
        log_created(actor=by, instances=added, reason=_("Added to the central-group session"))
    stale |= {(r.official_id, occurred_on.year) for r in changed if r.status == Status.APPROVED}
    if staff:
        stale |= {(r.official_id, occurred_on.year) for r in added}
    if stale:
        mark_stale(stale)
        request_score_refresh()
    return session


@transaction.atomic
def delete_group_study_session(*, by, session: GroupStudySession) -> int:
    """Delete a session entered by mistake with every record of it; scores follow. A unit study administrator may
    delete their unit's session while none of its records is approved; the training section any. Refused in a
    published year. Audited. Returns how many records went with it."""
    session = GroupStudySession.objects.select_for_update().get(pk=session.pk)
    _check_session_scope(by, session.unit_id)
    check_year_open(session.occurred_on.year)
    records = list(session.records.select_for_update(of=("self",)).select_related("official"))
    if not is_org_staff(by):
        approved = [r.official.name for r in records if r.status == Status.APPROVED]
        if approved:
            raise ValidationError(
                _("Records of this session are already approved (%(names)s); only the training section can delete "
                  "it.") % {"names": "、".join(approved[:10])}
            )  # fmt: skip
    stale = {(r.official_id, r.occurred_on.year) for r in records if r.status == Status.APPROVED}
    for record in records:
        log_change(actor=by, instance=record, action=ChangeLog.Action.DELETE, old=snapshot(record),
                   reason=_("Central-group session deleted"))  # fmt: skip
    log_change(actor=by, instance=session, action=ChangeLog.Action.DELETE, old=snapshot(session))
    ActivityRecord.objects.filter(pk__in=[r.pk for r in records]).delete()
    session.delete()
    if stale:
        mark_stale(stale)
        request_score_refresh()
    return len(records)


# ---------------------------------------------------------------------------------------------------
# Imports: many records from one spreadsheet, validated as a whole and written set-based


IMPORT_LOCK_ID = 4_000_001  # PostgreSQL advisory lock: two imports never both miss each other's duplicates
IMPORT_BATCH = 2000
# A record already on record in one of these states makes an imported row a duplicate (as the queue flags them).
DUPLICATE_STATUSES = (Status.SUBMITTED, Status.APPROVED)


@dataclass
class ImportedRecord:
    """One row of an import, as read from the file. ``None`` marks a value that was missing or unreadable."""

    row: int  # the row number the user sees in the spreadsheet, cited in messages
    official: Official | None
    kind: str | None
    quantity: Decimal | None
    occurred_on: date | None
    note: str = ""
    category: str | None = None
    points: Decimal | None = None
    class_passed: bool = True
    hours: Decimal | None = None


@dataclass
class ImportOutcome:
    """What an import did (or, on a dry run or with errors, would do)."""

    new: int = 0  # rows created (or to be created)
    skipped: list[int] = field(default_factory=list)  # rows already on record, left out
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, message); then nothing written
    written: bool = False


def _imported_row_problems(
    row: ImportedRecord, *, staff: bool, scope, year: int | None, today: date, policies: dict
) -> dict:
    """The same rules as ``_clean_record_fields`` and ``_check_may_enter`` (same limits and messages), per field.
    ``policies`` caches the policy of each year met in the file."""
    problems: dict[str, str] = {}
    required = {"official": row.official, "kind": row.kind, "quantity": row.quantity, "occurred_on": row.occurred_on}
    for name, value in required.items():
        if value is None:
            problems[name] = _("This value is required.")
    if row.quantity is not None and not row.quantity.is_finite():
        problems["quantity"] = _("The quantity must be more than 0 and at most %(max)s.") % {"max": MAX_QUANTITY}
    for name, value in (("points", row.points), ("hours", row.hours)):
        if value is not None and (not value.is_finite() or value != value.quantize(TENTH)):
            problems[name] = _("At most one decimal place.")
    if row.occurred_on is not None:
        if row.occurred_on > today:
            problems["occurred_on"] = _("The date is in the future.")
        elif year is not None and row.occurred_on.year != year:
            problems["occurred_on"] = _("The date is not in %(year)s, the year being imported.") % {"year": year}
    record_year = row.occurred_on.year if row.occurred_on is not None else (year or today.year)
    if record_year not in policies:
        policies[record_year] = policy_of_year(record_year)
    found, category = record_problems(
        kind=row.kind, quantity=None if "quantity" in problems else row.quantity, category=row.category,
        points=None if "points" in problems else row.points, hours=None if "hours" in problems else row.hours,
        year=record_year, policy=policies[record_year],
    )  # fmt: skip
    if row.kind is None:
        found.pop("kind", None)
    for name, message in found.items():
        problems.setdefault(name, message)
    if row.kind in ALL_KINDS and not staff:
        spec = ALL_KINDS[row.kind]
        judge = judging_policy(kind=row.kind, year=record_year, policy=policies[record_year])
        if spec.category is None:
            problems["kind"] = _("Only the training section sets discretionary points.")
        elif row.points is not None and spec.points == "optional":
            problems["points"] = _("Only the training section sets the points of this kind below its standard.")
        elif category not in judge.enterable_by_unit_admin:
            problems["kind"] = _("You may not enter records of this category; the training section enters them.")
    row.category = category
    if row.official is not None and not staff and row.official.unit_id != scope.unit_id:
        problems["official"] = _("You may not enter records for this official.")
    return problems


def _duplicate_key(official_id: int, kind: str, occurred_on: date, quantity: Decimal) -> tuple:
    return official_id, kind, occurred_on, quantity.quantize(TENTH)


def _existing_record_keys(rows: Sequence[ImportedRecord]) -> set[tuple]:
    """Keys (official, kind, date, quantity) of records already on record for the officials and dates of ``rows``."""
    official_ids = {r.official.pk for r in rows}
    if not official_ids:
        return set()
    dates = [r.occurred_on for r in rows]
    existing = ActivityRecord.objects.filter(
        official_id__in=official_ids,
        occurred_on__gte=min(dates),
        occurred_on__lte=max(dates),
        status__in=DUPLICATE_STATUSES,
    ).values_list("official_id", "kind", "occurred_on", "quantity")
    return {_duplicate_key(*values) for values in existing.iterator(chunk_size=10000)}


def import_records(
    *,
    by,
    rows: Sequence[ImportedRecord],
    year: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Put the rows of an import file on record, all or nothing; ``source="imported"``.

    Every row is checked with the rules of ``create_record`` (fields, who may enter what, a published year) and
    ``year`` (when given) bounds the dates. A row equal to a record already on record (same official, kind, date
    and quantity, submitted or approved) is skipped and counted, so importing a file twice adds nothing twice; a row
    equal to an earlier row of the file is an error. With any error, or ``dry_run``, nothing is written.
    Org-dept staff's records are approved at once; a unit study administrator's wait for review (their unit only).
    Set-based: one bulk insert, one audit insert, one stale mark per (official, year), one refresh after commit.
    ``progress`` is called with the number of rows written so far.
    """
    staff = is_org_staff(by)
    scope = scope_of(by)
    if not staff and scope.unit_id is None:
        raise PermissionDenied(_("Only unit study administrators and the training section import records."))
    outcome = ImportOutcome()
    today = timezone.localdate()
    first_seen: dict[tuple, int] = {}
    policies: dict = {}
    checked: list[ImportedRecord] = []
    for row in rows:
        problems = _imported_row_problems(row, staff=staff, scope=scope, year=year, today=today, policies=policies)
        if not problems:
            key = _duplicate_key(row.official.pk, row.kind, row.occurred_on, row.quantity)
            if key in first_seen:
                problems["official"] = _(
                    "Same as row %(row)s (same official, kind, date and quantity). If it happened twice, "
                    "put it on one row with the quantities added up."
                ) % {"row": first_seen[key]}
            else:
                first_seen[key] = row.row
        outcome.errors.extend((row.row, name, message) for name, message in problems.items())
        if not problems:
            checked.append(row)
    years = {r.occurred_on.year for r in checked} | ({year} if year else set())
    try:
        check_year_open(*years)
    except ValidationError as error:
        outcome.errors.insert(0, (0, "", " ".join(error.messages)))
    with transaction.atomic():
        if connection.vendor == "postgresql" and not dry_run and not outcome.errors:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_ID])
        existing = _existing_record_keys(checked)
        new_rows = []
        for row in checked:
            if _duplicate_key(row.official.pk, row.kind, row.occurred_on, row.quantity) in existing:
                outcome.skipped.append(row.row)
            else:
                new_rows.append(row)
        outcome.new = len(new_rows)
        if dry_run or outcome.errors or not new_rows:
            return outcome
        now = timezone.now()
        status = Status.APPROVED if staff else Status.SUBMITTED
        records = []
        for start in range(0, len(new_rows), IMPORT_BATCH):
            batch = [
                ActivityRecord(
                    official=row.official, kind=row.kind,
                    category=row.category, quantity=row.quantity.quantize(TENTH),
                    points=None if row.points is None else row.points.quantize(TENTH), hours=row.hours,
                    class_passed=row.class_passed, occurred_on=row.occurred_on, note=(row.note or "")[:500],
                    source=Source.IMPORTED, status=status, created_by=by,
                    reviewed_by=by if staff else None, reviewed_at=now if staff else None,
                )
                for row in new_rows[start : start + IMPORT_BATCH]
            ]  # fmt: skip
            records.extend(ActivityRecord.objects.bulk_create(batch))
            if progress:
                progress(len(records))
        log_created(actor=by, instances=records, reason=_("Imported"))
        if staff:
            mark_stale({(r.official_id, r.occurred_on.year) for r in records})
            request_score_refresh()
        outcome.written = True
    return outcome


# -- evidence already stored: recheck and quarantine (manage.py recheck_evidence) ------------------------------------


@dataclass
class EvidenceCheck:
    record_id: int
    official: str
    name: str
    kind: str = ""  # what the file was found to be, when it is good
    problem: str = ""  # why it is refused, in plain words, when it is bad


def recheck_evidence(*, record: ActivityRecord) -> EvidenceCheck:
    """Check a stored evidence file with the same parser as an upload; record the type found for a good file."""
    check = EvidenceCheck(record.pk, f"{record.official.staff_no} {record.official.name}", record.evidence.name)
    try:
        with record.evidence.open("rb") as handle:
            check.kind = sniff(read_upload(handle))
    except FileNotFoundError:
        check.problem = _("The evidence file is missing from storage.")
    except ValidationError as error:
        check.problem = " ".join(error.messages)
    if check.kind and record.evidence_type != check.kind:
        ActivityRecord.objects.filter(pk=record.pk).update(evidence_type=check.kind)
    return check


@transaction.atomic
def quarantine_evidence(*, by=None, record: ActivityRecord, reason: str, folder) -> str:
    """Move a bad evidence file out of the media folder into ``folder``, clear it from the record and write the
    audit log. Returns where the file went ("" if it was already gone)."""
    from pathlib import Path

    record = ActivityRecord.objects.select_for_update().get(pk=record.pk)
    if not record.evidence:
        return ""
    old = snapshot(record, ["evidence", "evidence_type"])
    name = record.evidence.name
    target = ""
    storage = record.evidence.storage
    if storage.exists(name):
        destination = Path(folder) / f"record-{record.pk}-{Path(name).name}"
        destination.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(destination, "wb") as copy:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                copy.write(chunk)
        target = str(destination)
    ActivityRecord.objects.filter(pk=record.pk).update(evidence="", evidence_type="")
    record.evidence, record.evidence_type = "", ""
    log_change(
        actor=by,
        instance=record,
        action=ChangeLog.Action.UPDATE,
        old=old,
        new=snapshot(record, ["evidence", "evidence_type"]),
        reason=_("Evidence quarantined: %(reason)s") % {"reason": reason},
    )
    if target:
        transaction.on_commit(lambda: storage.delete(name))  # the copy is safe; the original goes once recorded
    return target
