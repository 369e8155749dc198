"""Writes to the organisation directory: units, officials, their sign-in accounts and study administrators."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot

from .models import Official, Rank, StudyAdministrator, Unit, UnitKind
from .roles import OFFICIAL_GROUP, UNIT_ADMIN_GROUP, is_org_staff
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


# ---------------------------------------------------------------------------------------------------
# Sign-in accounts: made by the training section (or by import), never by self-registration.

INITIAL_PASSWORD_LENGTH = 12


def _initial_password() -> str:
    # Readable: no 0/O, 1/l/I; the official changes it after the first sign-in.
    return get_random_string(INITIAL_PASSWORD_LENGTH, "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")


@transaction.atomic
def create_official_login(*, by, official: Official, username: str = "") -> tuple[User, str]:
    """Give an official a sign-in account; returns the user and the initial password (shown once)."""
    _require_staff(by)
    if official.user_id:
        raise ValidationError({"username": _("%(name)s already has an account.") % {"name": official.name}})
    username = (username or official.staff_no).strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%(u)s” is taken.") % {"u": username}})
    password = _initial_password()
    user = User.objects.create_user(username=username, password=password, first_name=official.name[:150])
    user.groups.add(Group.objects.get(name=OFFICIAL_GROUP))
    official.user = user
    official.save(update_fields=["user"])
    log_change(actor=by, instance=official, action=ChangeLog.Action.UPDATE, old={"user": None}, new={"user": user.pk},
               reason=_("Account created"))  # fmt: skip
    return user, password


@transaction.atomic
def reset_password(*, by, official: Official) -> str:
    """A new initial password for an official's account (shown once); sign-in throttling is lifted too."""
    _require_staff(by)
    if not official.user_id:
        raise ValidationError(_("%(name)s has no account yet.") % {"name": official.name})
    password = _initial_password()
    official.user.set_password(password)
    official.user.save(update_fields=["password"])
    from axes.utils import reset as axes_reset

    axes_reset(username=official.user.username)
    log_change(actor=by, instance=official, action=ChangeLog.Action.UPDATE, reason=_("Password reset"))
    return password


@transaction.atomic
def appoint_study_administrator(*, by, official: Official) -> StudyAdministrator:
    """Make an official (who has an account) the study administrator of their unit."""
    _require_staff(by)
    if not official.user_id:
        raise ValidationError(_("Create an account for %(name)s first.") % {"name": official.name})
    admin, created = StudyAdministrator.objects.update_or_create(user=official.user, defaults={"unit": official.unit})
    official.user.groups.add(Group.objects.get(name=UNIT_ADMIN_GROUP))
    log_change(actor=by, instance=admin, action=ChangeLog.Action.CREATE if created else ChangeLog.Action.UPDATE,
               new=snapshot(admin))  # fmt: skip
    return admin


@transaction.atomic
def dismiss_study_administrator(*, by, official: Official) -> None:
    _require_staff(by)
    admin = StudyAdministrator.objects.filter(user_id=official.user_id).first() if official.user_id else None
    if admin is None:
        raise ValidationError(_("%(name)s is not a study administrator.") % {"name": official.name})
    log_change(actor=by, instance=admin, action=ChangeLog.Action.DELETE, old=snapshot(admin))
    admin.delete()
    official.user.groups.remove(Group.objects.get(name=UNIT_ADMIN_GROUP))
