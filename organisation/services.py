"""Writes to the organisation directory: units and officials."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot

from .models import Official, Rank, Unit, UnitKind
from .roles import is_org_staff
from .signals import official_changed

SCORE_FIELDS = ("unit", "included_on", "retires_on")


def _require_staff(by) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the organization department maintains units and officials."))


@transaction.atomic
def create_unit(*, by, code: str, name: str, kind: str = UnitKind.DEPARTMENT, parent: Unit | None = None) -> Unit:
    _require_staff(by)
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A unit with code “%(code)s” already exists.") % {"code": code}})
    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent)
    log_change(actor=by, instance=unit, action=ChangeLog.Action.CREATE, new=snapshot(unit))
    return unit


@transaction.atomic
def create_official(
    *,
    by,
    staff_no: str,
    name: str,
    unit: Unit,
    rank: str = Rank.OTHER,
    included_on: date | None = None,
    retires_on: date | None = None,
    user=None,
) -> Official:
    _require_staff(by)
    if Official.objects.filter(staff_no=staff_no).exists():
        raise ValidationError({"staff_no": _("Staff number “%(no)s” is already taken.") % {"no": staff_no}})
    _check_dates(included_on, retires_on)
    official = Official.objects.create(
        staff_no=staff_no, name=name, unit=unit, rank=rank, included_on=included_on, retires_on=retires_on, user=user
    )
    log_change(actor=by, instance=official, action=ChangeLog.Action.CREATE, new=snapshot(official))
    official_changed.send(sender=Official, official=official, years=())
    return official


@transaction.atomic
def update_official(*, by, official: Official, **changes) -> Official:
    _require_staff(by)
    unknown = set(changes) - {"name", "unit", "rank", "included_on", "retires_on", "user"}
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    old = snapshot(official)
    for name, value in changes.items():
        setattr(official, name, value)
    _check_dates(official.included_on, official.retires_on)
    official.save()
    changed_old, changed_new = diff(old, snapshot(official))
    if changed_new:
        log_change(actor=by, instance=official, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    if set(changed_new) & set(SCORE_FIELDS):
        official_changed.send(sender=Official, official=official, years=())
    return official


def _check_dates(included_on: date | None, retires_on: date | None) -> None:
    if included_on and retires_on and retires_on < included_on:
        raise ValidationError({"retires_on": _("The retirement date is before the inclusion date.")})
