"""Writes to training classes (RULES §5): creation, filing and approval, sessions, quotas, trainees, results and
closing. Pages and the API call these; each checks who may act, audits the change and raises ValidationError in
plain words for bad input (PermissionDenied for a role that may not act).

Closing writes the credit records only through ``credits.services.put_generated_records``; the ClassRecord link
rows say which record came from what, so closing again updates or deletes them and never adds a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot
from credits import services as credit_services
from credits.models import ActivityRecord, Veto, VetoReason
from organisation.models import Official, Unit
from organisation.roles import is_org_staff, scope_of

from .. import rules
from ..models import (
    ClassRecord,
    ClassSession,
    ClassStatus,
    ClassType,
    Course,
    Dispatch,
    Enrolment,
    FacultyMember,
    Quota,
    TrainingClass,
)
from .evaluations import open_class_evaluation

MAX_CAPACITY = 10000
MAX_DAYS = Decimal("365")
TENTH = Decimal("0.1")
# Fields that may change only while a class is a draft or filed: what its filing and approval were about.
PLANNED_FIELDS = ("starts_on", "ends_on", "days", "capacity", "dispatch")
UPDATABLE_FIELDS = ("title", "organiser", "class_type", "filing_note", *PLANNED_FIELDS)


# ---------------------------------------------------------------------------------------------------
# Who may act


def _require_staff(by, message: str | None = None) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(message or _("Only the training section may do this."))


def _may_nominate_for(by, unit_id: int) -> bool:
    """The training section for any unit; a unit study administrator for their own unit."""
    return is_org_staff(by) or (scope_of(by).unit_id is not None and scope_of(by).unit_id == unit_id)


def _lock(training_class: TrainingClass) -> TrainingClass:
    """The class row locked for this transaction, so two nominations cannot both take the last seat."""
    return TrainingClass.objects.select_for_update().get(pk=training_class.pk)


def _audit_update(by, instance, old: dict, reason: str = "") -> None:
    changed_old, changed_new = diff(old, snapshot(instance))
    if changed_new:
        log_change(actor=by, instance=instance, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new,
                   reason=reason[:500])  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# The class itself


def _as_decimal(value, field: str, errors: dict) -> Decimal | None:
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = _("Enter a number.")
        return None
    return number


def _check_plan(*, starts_on: date, ends_on: date, days, capacity, errors: dict) -> Decimal | None:
    """Dates, days and size of a class: plain-words errors into ``errors``; the days as a Decimal."""
    if ends_on < starts_on:
        errors["ends_on"] = _("The class cannot end before it starts.")
    days = _as_decimal(days, "days", errors)
    if days is not None:
        if days <= 0 or days > MAX_DAYS:
            errors["days"] = _("The days must be more than 0 and at most %(max)s.") % {"max": MAX_DAYS}
        elif days != days.quantize(TENTH):
            errors["days"] = _("The days may have at most one decimal place.")
        elif "ends_on" not in errors and days > (ends_on - starts_on).days + 1:
            errors["days"] = _("The class has more days than there are from its first day to its last.")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = _("The planned trainees must be a whole number from 1 to %(max)s.") % {"max": MAX_CAPACITY}
    return days


@transaction.atomic
def create_class(
    *,
    by,
    code: str,
    title: str,
    organiser: Unit,
    class_type: str,
    starts_on: date,
    ends_on: date,
    days,
    capacity: int,
    dispatch: str,
    filing_note: str = "",
    recorded_after: bool = False,
) -> TrainingClass:
    """A new class. A class of fewer than 30 planned trainees is approved at once; a larger one is a draft until it
    is filed and approved. A class entered after the fact (``recorded_after``, already ended) is approved at once
    whatever its size, so its trainees and results can be entered."""
    _require_staff(by, _("Only the training section creates classes."))
    errors: dict[str, str] = {}
    code = (code or "").strip()
    if not code:
        errors["code"] = _("Give the class a code.")
    elif TrainingClass.objects.filter(code=code).exists():
        errors["code"] = _("A class with the code “%(code)s” already exists.") % {"code": code}
    if not (title or "").strip():
        errors["title"] = _("Give the class a title.")
    if class_type not in ClassType.values:
        errors["class_type"] = _("Unknown class type “%(value)s”.") % {"value": class_type}
    if dispatch not in Dispatch.values:
        errors["dispatch"] = _("Unknown dispatch “%(value)s”.") % {"value": dispatch}
    days = _check_plan(starts_on=starts_on, ends_on=ends_on, days=days, capacity=capacity, errors=errors)
    if recorded_after and ends_on > timezone.localdate():
        errors["recorded_after"] = _("Only a class that has ended can be entered after the fact.")
    if errors:
        raise ValidationError(errors)
    approved = recorded_after or not rules.needs_filing(capacity)
    now = timezone.now()
    training_class = TrainingClass.objects.create(
        code=code, title=title.strip(), organiser=organiser, class_type=class_type, starts_on=starts_on,
        ends_on=ends_on, days=days, capacity=capacity, dispatch=dispatch, filing_note=filing_note or "",
        recorded_after=recorded_after, created_by=by,
        status=ClassStatus.APPROVED if approved else ClassStatus.DRAFT,
        approved_at=now if approved else None, approved_by=by if approved else None,
    )  # fmt: skip
    log_change(actor=by, instance=training_class, action=ChangeLog.Action.CREATE, new=snapshot(training_class))
    return training_class


@transaction.atomic
def update_class(*, by, training_class: TrainingClass, **changes) -> TrainingClass:
    """Change a class's title, organiser, type or filing note at any time before it closes; its dates, days, size
    and dispatch only while it is a draft or filed (what was approved stays as approved). A draft grown to 30 or
    more stays a draft; a filed class that changes size is still judged by its filing."""
    _require_staff(by, _("Only the training section changes classes."))
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    training_class = _lock(training_class)
    if training_class.status == ClassStatus.CLOSED:
        raise ValidationError(_("A closed class cannot be changed."))
    planned = {name for name in PLANNED_FIELDS if name in changes and changes[name] != getattr(training_class, name)}
    if planned and training_class.status not in (ClassStatus.DRAFT, ClassStatus.FILED):
        raise ValidationError(
            {name: _("The dates, days, size and dispatch of an approved class cannot change.") for name in planned}
        )
    errors: dict[str, str] = {}
    if "title" in changes and not (changes["title"] or "").strip():
        errors["title"] = _("Give the class a title.")
    if "class_type" in changes and changes["class_type"] not in ClassType.values:
        errors["class_type"] = _("Unknown class type “%(value)s”.") % {"value": changes["class_type"]}
    if "dispatch" in changes and changes["dispatch"] not in Dispatch.values:
        errors["dispatch"] = _("Unknown dispatch “%(value)s”.") % {"value": changes["dispatch"]}
    merged = {name: changes.get(name, getattr(training_class, name)) for name in PLANNED_FIELDS}
    days = _check_plan(starts_on=merged["starts_on"], ends_on=merged["ends_on"], days=merged["days"],
                       capacity=merged["capacity"], errors=errors)  # fmt: skip
    if "dispatch" in planned and training_class.quotas.exists():
        errors["dispatch"] = _("Remove the quotas before the class stops being a quota class.")
    if "capacity" in planned and "capacity" not in errors:
        seats = training_class.quotas.aggregate(total=Sum("seats"))["total"] or 0
        if merged["capacity"] < seats:
            errors["capacity"] = _("The quotas already allot %(seats)s seats.") % {"seats": seats}
    if errors:
        raise ValidationError(errors)
    old = snapshot(training_class)
    for name, value in changes.items():
        setattr(training_class, name, days if name == "days" else value)
    if "title" in changes:
        training_class.title = training_class.title.strip()
    training_class.save()
    _audit_update(by, training_class, old)
    return training_class


@transaction.atomic
def file_class(*, by, training_class: TrainingClass) -> TrainingClass:
    """File a draft for approval: at least 30 days before it starts (RULES §5). The organiser's study administrator
    may file their unit's class, the training section any."""
    if not _may_nominate_for(by, training_class.organiser_id):
        raise PermissionDenied(_("Only the training section or the organising unit files a class."))
    training_class = _lock(training_class)
    if training_class.status != ClassStatus.DRAFT:
        raise ValidationError(_("Only a draft can be filed; this class is “%(status)s”.")
                              % {"status": training_class.get_status_display()})  # fmt: skip
    deadline = rules.filing_deadline(training_class.starts_on)
    if timezone.localdate() > deadline:
        raise ValidationError(
            _(
                "A class of %(size)s or more trainees must be filed at least %(days)s days before it starts: this "
                "class starts on %(starts)s, so the last day to file it was %(deadline)s."
            )
            % {
                "size": rules.LARGE_CLASS_TRAINEES,
                "days": rules.FILING_LEAD_DAYS,
                "starts": training_class.starts_on.isoformat(),
                "deadline": deadline.isoformat(),
            }  # fmt: skip
        )
    old = snapshot(training_class)
    training_class.status, training_class.filed_at, training_class.filed_by = ClassStatus.FILED, timezone.now(), by
    training_class.save(update_fields=["status", "filed_at", "filed_by"])
    _audit_update(by, training_class, old)
    return training_class


@transaction.atomic
def approve_class(*, by, training_class: TrainingClass) -> TrainingClass:
    """The training section approves a filed class; from now on trainees can be enrolled."""
    _require_staff(by, _("Only the training section approves classes."))
    training_class = _lock(training_class)
    if training_class.status != ClassStatus.FILED:
        raise ValidationError(_("Only a filed class can be approved; this class is “%(status)s”.")
                              % {"status": training_class.get_status_display()})  # fmt: skip
    old = snapshot(training_class)
    training_class.status, training_class.approved_at, training_class.approved_by = (
        ClassStatus.APPROVED, timezone.now(), by,
    )  # fmt: skip
    training_class.save(update_fields=["status", "approved_at", "approved_by"])
    _audit_update(by, training_class, old)
    return training_class


@transaction.atomic
def return_class(*, by, training_class: TrainingClass, reason: str) -> TrainingClass:
    """The training section sends a filed class back to its organiser as a draft, saying why."""
    _require_staff(by, _("Only the training section returns a filed class."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the class is returned.")})
    training_class = _lock(training_class)
    if training_class.status != ClassStatus.FILED:
        raise ValidationError(_("Only a filed class can be returned; this class is “%(status)s”.")
                              % {"status": training_class.get_status_display()})  # fmt: skip
    old = snapshot(training_class)
    training_class.status, training_class.filed_at, training_class.filed_by = ClassStatus.DRAFT, None, None
    training_class.save(update_fields=["status", "filed_at", "filed_by"])
    _audit_update(by, training_class, old, reason=reason)
    return training_class


# ---------------------------------------------------------------------------------------------------
# The schedule


@transaction.atomic
def add_session(
    *,
    by,
    training_class: TrainingClass,
    held_on: date,
    course: Course | None = None,
    topic: str = "",
    teacher: Official | None = None,
    teacher_name: str = "",
) -> ClassSession:
    """One session of the schedule: within the class's dates, a course or a topic, taught by an official (who gets a
    teaching record when the class closes) or by an outside teacher (named only)."""
    _require_staff(by, _("Only the training section sets a class's schedule."))
    if training_class.status == ClassStatus.CLOSED:
        raise ValidationError(_("A closed class's schedule cannot change."))
    errors: dict[str, str] = {}
    if not training_class.starts_on <= held_on <= training_class.ends_on:
        errors["held_on"] = _("The session must be held between %(starts)s and %(ends)s.") % {
            "starts": training_class.starts_on.isoformat(), "ends": training_class.ends_on.isoformat(),
        }  # fmt: skip
    topic, teacher_name = (topic or "").strip(), (teacher_name or "").strip()
    if course is None and not topic:
        errors["topic"] = _("Give the session a course or a topic.")
    if teacher is not None and teacher_name:
        errors["teacher_name"] = _("Name either an official or an outside teacher, not both.")
    if errors:
        raise ValidationError(errors)
    session = ClassSession.objects.create(training_class=training_class, held_on=held_on, course=course,
                                          topic=topic, teacher=teacher, teacher_name=teacher_name)  # fmt: skip
    log_change(actor=by, instance=session, action=ChangeLog.Action.CREATE, new=snapshot(session))
    return session


@transaction.atomic
def remove_session(*, by, session: ClassSession) -> None:
    _require_staff(by, _("Only the training section sets a class's schedule."))
    if session.training_class.status == ClassStatus.CLOSED:
        raise ValidationError(_("A closed class's schedule cannot change."))
    log_change(actor=by, instance=session, action=ChangeLog.Action.DELETE, old=snapshot(session))
    session.delete()


# ---------------------------------------------------------------------------------------------------
# Quotas


@transaction.atomic
def set_quota(*, by, training_class: TrainingClass, unit: Unit, seats: int) -> Quota | None:
    """Allot ``seats`` of a quota class to ``unit`` (0 takes the quota away). The seats of all units never exceed
    the class's capacity, and a unit never gets fewer seats than it has already filled."""
    _require_staff(by, _("Only the training section allots seats."))
    training_class = _lock(training_class)
    if training_class.dispatch != Dispatch.QUOTA:
        raise ValidationError(_("Seats are allotted only in a quota class; this class's trainees are named."))
    if training_class.status == ClassStatus.CLOSED:
        raise ValidationError(_("The seats of a closed class cannot change."))
    if isinstance(seats, bool) or not isinstance(seats, int) or not 0 <= seats <= MAX_CAPACITY:
        raise ValidationError(
            {"seats": _("The seats must be a whole number from 0 to %(max)s.") % {"max": MAX_CAPACITY}}
        )
    taken = Enrolment.objects.filter(training_class=training_class, unit=unit, active=True).count()
    if seats < taken:
        raise ValidationError(
            {"seats": _("%(unit)s has already named %(taken)s trainees; remove some before lowering its seats.")
             % {"unit": unit.name, "taken": taken}}
        )  # fmt: skip
    others = (
        Quota.objects.filter(training_class=training_class).exclude(unit=unit).aggregate(total=Sum("seats"))["total"]
        or 0
    )
    if others + seats > training_class.capacity:
        raise ValidationError(
            {"seats": _("Only %(left)s of the class's %(capacity)s seats are not allotted to other units.")
             % {"left": training_class.capacity - others, "capacity": training_class.capacity}}
        )  # fmt: skip
    quota = Quota.objects.filter(training_class=training_class, unit=unit).first()
    if seats == 0:
        if quota is not None:
            log_change(actor=by, instance=quota, action=ChangeLog.Action.DELETE, old=snapshot(quota))
            quota.delete()
        return None
    if quota is None:
        quota = Quota.objects.create(training_class=training_class, unit=unit, seats=seats)
        log_change(actor=by, instance=quota, action=ChangeLog.Action.CREATE, new=snapshot(quota))
    elif quota.seats != seats:
        old = snapshot(quota)
        quota.seats = seats
        quota.save(update_fields=["seats"])
        _audit_update(by, quota, old)
    return quota


# ---------------------------------------------------------------------------------------------------
# Trainees


def _check_seat(training_class: TrainingClass, unit_id: int, *, excluding: Enrolment | None = None) -> None:
    """Refuse when the class is full, or (quota class) the unit's seats are all taken."""
    active = Enrolment.objects.filter(training_class=training_class, active=True)
    if excluding is not None:
        active = active.exclude(pk=excluding.pk)
    if active.count() >= training_class.capacity:
        raise ValidationError(
            {
                "official": _("The class is full: all %(capacity)s places are taken.")
                % {"capacity": training_class.capacity}
            }
        )
    if training_class.dispatch == Dispatch.QUOTA:
        seats = Quota.objects.filter(training_class=training_class, unit_id=unit_id).values_list("seats", flat=True)
        seats = seats.first() or 0
        if seats == 0:
            raise ValidationError({"official": _("The official's unit has no seats in this class.")})
        if active.filter(unit_id=unit_id).count() >= seats:
            raise ValidationError(
                {"official": _("The unit's %(seats)s seats in this class are all taken.") % {"seats": seats}}
            )


def _check_may_nominate(by, training_class: TrainingClass, official: Official) -> None:
    if training_class.dispatch == Dispatch.BY_NAME:
        _require_staff(by, _("The trainees of this class are named by the training section."))
    elif not _may_nominate_for(by, official.unit_id):
        raise PermissionDenied(_("A unit study administrator names only their own unit's officials."))


def _check_open_for_trainees(training_class: TrainingClass) -> None:
    if training_class.status == ClassStatus.CLOSED:
        raise ValidationError(_("The class is closed; its trainees cannot change."))
    if training_class.status != ClassStatus.APPROVED:
        raise ValidationError(_("No one can be enrolled before the class is approved."))


@transaction.atomic
def enrol_trainee(*, by, training_class: TrainingClass, official: Official) -> Enrolment:
    """Enrol an official in an approved class: named by the training section (by-name class), or by their unit's
    study administrator within the unit's seats (quota class). Never beyond capacity."""
    _check_may_nominate(by, training_class, official)
    training_class = _lock(training_class)
    _check_open_for_trainees(training_class)
    if Enrolment.objects.filter(training_class=training_class, official=official, active=True).exists():
        raise ValidationError({"official": _("%(name)s is already a trainee of this class.") % {"name": official.name}})
    _check_seat(training_class, official.unit_id)
    enrolment = Enrolment.objects.create(training_class=training_class, official=official, unit_id=official.unit_id,
                                         nominated_by=by)  # fmt: skip
    log_change(actor=by, instance=enrolment, action=ChangeLog.Action.CREATE, new=snapshot(enrolment))
    return enrolment


def _has_result(enrolment: Enrolment) -> bool:
    return enrolment.days_attended is not None or enrolment.passed is not None


@transaction.atomic
def remove_trainee(*, by, enrolment: Enrolment) -> None:
    """Take a trainee off the roster before their result is entered (their seat is free again)."""
    training_class = _lock(enrolment.training_class)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)  # as it is now, not as the caller last read it
    if training_class.dispatch == Dispatch.BY_NAME:
        _require_staff(by, _("The trainees of this class are named by the training section."))
    elif not _may_nominate_for(by, enrolment.unit_id):
        raise PermissionDenied(_("A unit study administrator names only their own unit's officials."))
    if training_class.status == ClassStatus.CLOSED:
        raise ValidationError(_("The class is closed; its trainees cannot change."))
    if not enrolment.active:
        raise ValidationError(_("This trainee was already replaced."))
    if _has_result(enrolment):
        raise ValidationError(_("This trainee's result is entered; they can no longer be taken off the roster."))
    log_change(actor=by, instance=enrolment, action=ChangeLog.Action.DELETE, old=snapshot(enrolment))
    enrolment.delete()


@transaction.atomic
def substitute_trainee(*, by, enrolment: Enrolment, official: Official, reason: str) -> Enrolment:
    """Put ``official`` in the place of a trainee, before results. In a by-name class only the training section
    substitutes, and only for a recorded reason (RULES §5); in a quota class the unit's administrator may give the
    seat to another official of the same unit. The replaced trainee's row stays, marked replaced."""
    training_class = _lock(enrolment.training_class)
    reason = (reason or "").strip()
    if training_class.dispatch == Dispatch.BY_NAME:
        _require_staff(by, _("The trainees of this class are named by the training section."))
        if not reason:
            raise ValidationError({"reason": _("A named trainee is replaced only for a recorded reason.")})
    else:
        if not _may_nominate_for(by, enrolment.unit_id):
            raise PermissionDenied(_("A unit study administrator names only their own unit's officials."))
        if official.unit_id != enrolment.unit_id:
            raise ValidationError(
                {"replaced_by": _("The seat is the unit's: give it to an official of the same unit.")}
            )
    _check_open_for_trainees(training_class)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not enrolment.active:
        raise ValidationError(_("This trainee was already replaced."))
    if _has_result(enrolment):
        raise ValidationError(_("This trainee's result is entered; they can no longer be replaced."))
    if Enrolment.objects.filter(training_class=training_class, official=official, active=True).exists():
        raise ValidationError(
            {"replaced_by": _("%(name)s is already a trainee of this class.") % {"name": official.name}}
        )
    old = snapshot(enrolment)
    enrolment.active = False
    enrolment.replacement_reason = reason[:500]
    enrolment.save(update_fields=["active", "replacement_reason"])
    unit_id = official.unit_id if training_class.dispatch == Dispatch.BY_NAME else enrolment.unit_id
    replacement = Enrolment.objects.create(training_class=training_class, official=official, unit_id=unit_id,
                                           nominated_by=by)  # fmt: skip
    enrolment.replaced_by = replacement
    enrolment.save(update_fields=["replaced_by"])
    _audit_update(by, enrolment, old, reason=reason)
    log_change(actor=by, instance=replacement, action=ChangeLog.Action.CREATE, new=snapshot(replacement),
               reason=reason[:500])  # fmt: skip
    return replacement


# ---------------------------------------------------------------------------------------------------
# Results


def _count(value, field: str, errors: dict) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        errors[field] = _("Enter a whole number from 0 to 100.")
        return None
    return value


@transaction.atomic
def record_result(
    *,
    by,
    training_class: TrainingClass,
    official: Official,
    days_attended,
    passed: bool,
    absent_without_reason: bool = False,
    speeches: int | None = None,
    reflections: int | None = None,
) -> Enrolment:
    """A trainee's result: days attended (0 to the class's days), passed or not, absent without reason; the
    exchange speeches and study reflections they gave (None keeps what was entered). Entered while the class is
    approved, or corrected after it closed (closing it again brings the records in line)."""
    _require_staff(by, _("Only the training section enters results."))
    training_class = _lock(training_class)
    if training_class.status not in (ClassStatus.APPROVED, ClassStatus.CLOSED):
        raise ValidationError(_("Results are entered once the class is approved."))
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(training_class=training_class, official=official, active=True)
        .first()
    )
    if enrolment is None:
        raise ValidationError({"official": _("%(name)s is not a trainee of this class.") % {"name": official.name}})
    errors: dict[str, str] = {}
    days = _as_decimal(days_attended, "days_attended", errors)
    if days is not None:
        if not 0 <= days <= training_class.days:
            errors["days_attended"] = _("The days attended must be from 0 to the class's %(days)s days.") % {
                "days": format(Decimal(training_class.days).normalize(), "f")
            }
        elif days != days.quantize(TENTH):
            errors["days_attended"] = _("The days may have at most one decimal place.")
    if not isinstance(passed, bool):
        errors["passed"] = _("Say whether the trainee passed.")
    speeches = _count(speeches, "speeches", errors)
    reflections = _count(reflections, "reflections", errors)
    if errors:
        raise ValidationError(errors)
    old = snapshot(enrolment)
    enrolment.days_attended, enrolment.passed = days.quantize(TENTH), passed
    enrolment.absent_without_reason = bool(absent_without_reason)
    if speeches is not None:
        enrolment.speeches = speeches
    if reflections is not None:
        enrolment.reflections = reflections
    enrolment.result_at = timezone.now()
    enrolment.save()
    changed_old, changed_new = diff(old, snapshot(enrolment))
    changed_new.pop("result_at", None)
    if changed_new:
        changed_old.pop("result_at", None)
        reason = _("Correction after the class closed.") if training_class.status == ClassStatus.CLOSED else ""
        log_change(actor=by, instance=enrolment, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new,
                   reason=reason)  # fmt: skip
    return enrolment


# ---------------------------------------------------------------------------------------------------
# Closing


@dataclass(frozen=True)
class ClosingOutcome:
    """What closing (or closing again) changed: credit records created, updated and removed; vetoes recorded and
    taken back."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    vetoes_recorded: int = 0
    vetoes_removed: int = 0


def _differs(record: ActivityRecord, spec: credit_services.GeneratedRecord) -> bool:
    return any(
        getattr(record, name) != (Decimal(spec.quantity).quantize(TENTH) if name == "quantity" else getattr(spec, name))
        for name in credit_services.GENERATED_FIELDS
    )


def _wanted_records(training_class: TrainingClass, enrolments: list[Enrolment]) -> list[rules.RecordValues]:
    """What the class gives: the trainees' records (rules.class_records) and the teachers' (rules.teaching_records,
    with the faculty pool)."""
    wanted = rules.class_records(
        rules.TraineeResult(e.official_id, e.days_attended, e.passed, e.speeches, e.reflections) for e in enrolments
    )
    sessions = [
        rules.TaughtSession(s.teacher_id, s.held_on, s.topic or (s.course.title if s.course else ""))
        for s in training_class.sessions.filter(teacher__isnull=False).select_related("course")
    ]
    if sessions:
        memberships = [
            rules.Membership(m.official_id, m.joined_on, m.left_on)
            for m in FacultyMember.objects.filter(official_id__in={s.teacher_id for s in sessions})
        ]
        wanted += rules.teaching_records(sessions, memberships)
    return wanted


def _sync_vetoes(by, training_class: TrainingClass, enrolments: list[Enrolment]) -> tuple[int, int]:
    """Absent without reason from a by-name class: the veto ``absent_from_dispatch`` of the class's year (an existing
    one of the official and year is reused); a corrected result takes it back, unless another class still holds it."""
    year = training_class.ends_on.year
    by_name = training_class.dispatch == Dispatch.BY_NAME
    to_veto = [e for e in enrolments if by_name and e.absent_without_reason and e.veto_id is None]
    to_clear = [e for e in enrolments if e.veto_id is not None and not (by_name and e.absent_without_reason)]
    recorded = removed = 0
    if to_veto:
        existing = {
            v.official_id: v
            for v in Veto.objects.filter(
                official_id__in=[e.official_id for e in to_veto], year=year, reason=VetoReason.ABSENT_FROM_DISPATCH
            )  # fmt: skip
        }
        for enrolment in to_veto:
            veto = existing.get(enrolment.official_id)
            if veto is None:
                note = _("Absent without reason from the class %(code)s.") % {"code": training_class.code}
                veto = credit_services.record_veto(by=by, official=enrolment.official, year=year,
                                                   reason=VetoReason.ABSENT_FROM_DISPATCH, note=note)  # fmt: skip
                recorded += 1
            enrolment.veto = veto
        Enrolment.objects.bulk_update(to_veto, ["veto"])
    if to_clear:
        held_elsewhere = set(
            Enrolment.objects.filter(veto_id__in=[e.veto_id for e in to_clear])
            .exclude(training_class=training_class)
            .values_list("veto_id", flat=True)
        )
        vetoes = Veto.objects.in_bulk([e.veto_id for e in to_clear])
        for enrolment in to_clear:
            veto = vetoes.get(enrolment.veto_id)
            if veto is not None and veto.pk not in held_elsewhere:
                credit_services.remove_decision(by=by, decision=veto)
                removed += 1
            enrolment.veto = None
        Enrolment.objects.bulk_update(to_clear, ["veto"])
    return recorded, removed


@transaction.atomic
def close_class(*, by, training_class: TrainingClass) -> ClosingOutcome:
    """Close a class once it has ended and every trainee has a result: its credit records are written (approved,
    dated on its last day) through put_generated_records, linked to the class; closing again after a correction
    updates or removes them, never duplicates them; one recompute follows. A by-name trainee absent without reason
    gets the veto ``absent_from_dispatch`` of that year."""
    _require_staff(by, _("Only the training section closes classes."))
    training_class = _lock(training_class)
    if training_class.status not in (ClassStatus.APPROVED, ClassStatus.CLOSED):
        raise ValidationError(_("Only an approved class can be closed; this class is “%(status)s”.")
                              % {"status": training_class.get_status_display()})  # fmt: skip
    if training_class.ends_on > timezone.localdate():
        raise ValidationError(_("The class ends on %(ends)s; it can be closed from that day on.")
                              % {"ends": training_class.ends_on.isoformat()})  # fmt: skip
    enrolments = list(Enrolment.objects.filter(training_class=training_class, active=True).select_related("official"))
    missing = [e.official for e in enrolments if e.days_attended is None or e.passed is None]
    if missing:
        names = "、".join(f"{o.name} ({o.staff_no})" for o in missing[:20])
        more = len(missing) - 20
        message = _("Enter the result of every trainee first; %(count)s have none: %(names)s.") % {
            "count": len(missing), "names": names + (" …" if more > 0 else ""),
        }  # fmt: skip
        raise ValidationError(message)
    occurred_on = training_class.ends_on
    note = _("Class %(code)s") % {"code": training_class.code}
    wanted = {
        (v.official_id, v.kind): credit_services.GeneratedRecord(
            official_id=v.official_id,
            kind=v.kind,
            quantity=v.quantity,
            occurred_on=occurred_on,
            class_passed=v.class_passed,
            points=v.points,
            hours=v.hours,
            note=note[:500],
        )  # fmt: skip
        for v in _wanted_records(training_class, enrolments)
    }
    links = {
        (link.official_id, link.kind): link
        for link in ClassRecord.objects.filter(training_class=training_class).select_related("record")
    }
    changes: list[tuple[ActivityRecord | None, credit_services.GeneratedRecord | None]] = []
    new_keys: list[tuple[int, str]] = []
    updated = 0
    for key, spec in wanted.items():
        link = links.get(key)
        if link is None:
            new_keys.append(key)
        elif _differs(link.record, spec):
            updated += 1
        changes.append((link.record if link else None, spec))
    removed = [(link.record, None) for key, link in links.items() if key not in wanted]
    changes += removed
    reason = _("Closing the class %(code)s") % {"code": training_class.code}
    records = credit_services.put_generated_records(by=by, changes=changes, reason=reason)
    created_links = [
        ClassRecord(training_class=training_class, official_id=key[0], kind=key[1], record=record)
        for key, record, (old, _spec) in zip(wanted, records, changes, strict=False)
        if old is None
    ]
    ClassRecord.objects.bulk_create(created_links)
    vetoes_recorded, vetoes_removed = _sync_vetoes(by, training_class, enrolments)
    old = snapshot(training_class)
    training_class.status, training_class.closed_at, training_class.closed_by = (
        ClassStatus.CLOSED, timezone.now(), by,
    )  # fmt: skip
    training_class.save(update_fields=["status", "closed_at", "closed_by"])
    outcome = ClosingOutcome(created=len(new_keys), updated=updated, removed=len(removed),
                             vetoes_recorded=vetoes_recorded, vetoes_removed=vetoes_removed)  # fmt: skip
    changed_old, changed_new = diff(old, snapshot(training_class))
    log_change(actor=by, instance=training_class, action=ChangeLog.Action.UPDATE, old=changed_old,
               new={**changed_new, "outcome": asdict(outcome)})  # fmt: skip
    # The trainees evaluate the class from the day it closes (RULES §5 追踪问效); a re-close reopens a closed one.
    open_class_evaluation(training_class=training_class, by=by)
    return outcome


def trainee_enrolments(training_class: TrainingClass, officials: Iterable[Official]) -> dict[int, Enrolment]:
    """The active enrolments of these officials in the class, by official id (for pages entering many results)."""
    return {
        e.official_id: e
        for e in Enrolment.objects.filter(
            training_class=training_class, active=True, official__in=list(officials)
        )  # fmt: skip
    }
