"""Writes to the organisation directory: units, officials, their sign-in accounts and study administrators."""

from __future__ import annotations

import io
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot

from .models import (
    InitialPasswordSheet,
    Official,
    PasswordChangeRequired,
    Rank,
    StudyAdministrator,
    Unit,
    UnitKind,
)
from .roles import OFFICIAL_GROUP, UNIT_ADMIN_GROUP, is_org_staff
from .signals import official_changed

# Changes that can change an official's scores or what is computed from them: the rank sets the study-hours
# requirement the unit scorecards count shortfalls against (RULES §3, §4).
SCORE_FIELDS = ("unit", "rank", "included_on", "retires_on")


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
    birth_date: date | None = None,
) -> Official:
    _require_staff(by)
    if Official.objects.filter(staff_no=staff_no).exists():
        raise ValidationError({"staff_no": _("Staff number “%(no)s” is already taken.") % {"no": staff_no}})
    _check_dates(included_on, retires_on)
    _check_birth_date(birth_date)
    official = Official.objects.create(
        staff_no=staff_no,
        name=name,
        unit=unit,
        rank=rank,
        included_on=included_on,
        retires_on=retires_on,
        user=user,
        birth_date=birth_date,
    )
    log_change(actor=by, instance=official, action=ChangeLog.Action.CREATE, new=snapshot(official))
    official_changed.send(sender=Official, official=official, years=())
    return official


@transaction.atomic
def update_official(*, by, official: Official, **changes) -> Official:
    _require_staff(by)
    unknown = set(changes) - {"name", "unit", "rank", "included_on", "retires_on", "user", "birth_date"}
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    old = snapshot(official)
    for name, value in changes.items():
        setattr(official, name, value)
    _check_dates(official.included_on, official.retires_on)
    _check_birth_date(official.birth_date)
    official.save()
    changed_old, changed_new = diff(old, snapshot(official))
    if changed_new:
        log_change(actor=by, instance=official, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    if set(changed_new) & set(SCORE_FIELDS):
        official_changed.send(sender=Official, official=official, years=())
    return official


def _check_birth_date(birth_date: date | None) -> None:
    """A date of birth in the past and no earlier than 1900 (the reserve pool's age rule reads it)."""
    if birth_date is not None and not date(1900, 1, 1) <= birth_date <= timezone.localdate():
        raise ValidationError({"birth_date": _("The date of birth must be a past date after 1900.")})


def _check_dates(included_on: date | None, retires_on: date | None) -> None:
    if included_on and retires_on and retires_on < included_on:
        raise ValidationError({"retires_on": _("The retirement date is before the inclusion date.")})


# ---------------------------------------------------------------------------------------------------
# Sign-in accounts: made by the training section (or by import), never by self-registration.

INITIAL_PASSWORD_LENGTH = 12
# Initial passwords are 12 random characters of 55 (~69 bits) and must be changed at the first sign-in, so they are
# hashed with fewer PBKDF2 iterations than chosen passwords: 1,500 accounts in one request take seconds, not the
# ~10 minutes of the default 1,000,000 iterations. Django re-hashes with the default cost at that first sign-in
# (``must_update``). Figures: bench/bulk_accounts.py.
INITIAL_PASSWORD_ITERATIONS = 10_000
PASSWORD_SHEET_LIFETIME = timedelta(days=1)


def _initial_password() -> str:
    # Readable: no 0/O, 1/l/I; the official changes it after the first sign-in.
    return get_random_string(INITIAL_PASSWORD_LENGTH, "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def _hash_initial(password: str) -> str:
    hasher = get_hasher("default")
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=INITIAL_PASSWORD_ITERATIONS)
    return make_password(password)  # another default hasher (the tests' MD5): its own cost


def _require_password_change(users) -> None:
    """The users' next sign-in leads to the password change page until they change it."""
    PasswordChangeRequired.objects.bulk_create(
        [PasswordChangeRequired(user=user) for user in users], ignore_conflicts=True
    )


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
    user = User.objects.create(username=username, password=_hash_initial(password), first_name=official.name[:150])
    user.groups.add(Group.objects.get(name=OFFICIAL_GROUP))
    _require_password_change([user])
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
    official.user.password = _hash_initial(password)
    official.user.save(update_fields=["password"])
    PasswordChangeRequired.objects.update_or_create(user=official.user)
    from axes.utils import reset as axes_reset

    axes_reset(username=official.user.username)
    log_change(actor=by, instance=official, action=ChangeLog.Action.UPDATE, reason=_("Password reset"))
    return password


@dataclass
class BulkAccounts:
    """What a bulk creation did: accounts made, officials skipped (their staff number is another account's
    username) and the once-downloadable sheet of initial passwords (None when nothing was made)."""

    created: int
    skipped: list[Official]
    sheet: InitialPasswordSheet | None


@transaction.atomic
def create_logins_in_bulk(*, by, officials: QuerySet[Official], label: str = "") -> BulkAccounts:
    """An account (username: the staff number) for every official in ``officials`` without one, set-based: a few
    queries for any number of officials. The initial passwords go into one workbook kept until its one download."""
    _require_staff(by)
    todo = list(officials.filter(user__isnull=True).select_related("unit").order_by("unit__code", "staff_no"))
    wanted = [o.staff_no.lower() for o in todo]
    taken_lower = set(
        User.objects.annotate(lower=Lower("username")).filter(lower__in=wanted).values_list("lower", flat=True)
    )
    skipped = [o for o in todo if o.staff_no.lower() in taken_lower]
    todo = [o for o in todo if o.staff_no.lower() not in taken_lower]
    if not todo:
        return BulkAccounts(created=0, skipped=skipped, sheet=None)
    passwords = {o.staff_no: _initial_password() for o in todo}
    # PBKDF2 releases the GIL: the hashes are computed on every core (most of the request's time).
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        hashes = list(pool.map(_hash_initial, [passwords[o.staff_no] for o in todo], chunksize=50))
    users = User.objects.bulk_create(
        [User(username=o.staff_no, first_name=o.name[:150], password=hashed)
         for o, hashed in zip(todo, hashes, strict=True)],
        batch_size=500,
    )  # fmt: skip
    if any(user.pk is None for user in users):  # a database that returns no ids from bulk inserts
        by_name = dict(User.objects.filter(username__in=list(passwords)).values_list("username", "pk"))
        for user in users:
            user.pk = user.id = by_name[user.username]
    group = Group.objects.get(name=OFFICIAL_GROUP)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users], batch_size=1000
    )
    _require_password_change(users)
    for official, user in zip(todo, users, strict=True):
        official.user = user
    # One UPDATE joining on the username (= the staff number), not a CASE of 1,500 branches.
    Official.objects.filter(pk__in=[o.pk for o in todo]).update(
        user=Subquery(User.objects.filter(username=OuterRef("staff_no")).values("pk")[:1])
    )
    ChangeLog.objects.bulk_create(
        [
            ChangeLog(
                model="organisation.official",
                object_id=str(o.pk),
                action=ChangeLog.Action.UPDATE,
                actor=by,
                old={"user": None},
                new={"user": o.user.pk},
                reason=_("Account created"),
            )  # fmt: skip
            for o in todo
        ],
        batch_size=1000,
    )
    sheet = _password_sheet(by=by, rows=[(o, passwords[o.staff_no]) for o in todo], label=label)
    return BulkAccounts(created=len(todo), skipped=skipped, sheet=sheet)


def _password_sheet(*, by, rows: list[tuple[Official, str]], label: str) -> InitialPasswordSheet:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Initial passwords")[:31]
    sheet.append([_("Unit"), _("Staff number"), _("Name"), _("Username"), _("Initial password")])
    for official, password in rows:
        sheet.append([official.unit.name, official.staff_no, official.name, official.staff_no, password])
    for column, width in zip("ABCDE", (30, 14, 12, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([])
    sheet.append([_("Give each official their password in person; it must be changed at the first sign-in.")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    day = timezone.localdate().isoformat()
    filename = _("initial-passwords-%(label)s-%(day)s.xlsx") % {"label": label or _("accounts"), "day": day}
    discard_stale_password_sheets()
    return InitialPasswordSheet.objects.create(
        token=secrets.token_urlsafe(32),
        created_by=by,
        filename=filename,
        accounts=len(rows),
        content=buffer.getvalue(),
    )


@transaction.atomic
def take_password_sheet(*, by, token: str) -> InitialPasswordSheet | None:
    """The sheet for its one download: deleted as it is handed out; None when it is gone or was made by another."""
    sheet = InitialPasswordSheet.objects.select_for_update().filter(token=token, created_by_id=by.pk).first()
    if sheet is None:
        return None
    sheet.content = bytes(sheet.content)
    InitialPasswordSheet.objects.filter(pk=sheet.pk).delete()
    return sheet


def discard_stale_password_sheets() -> int:
    """Sheets never downloaded are deleted after PASSWORD_SHEET_LIFETIME (the accounts stay; reset to reissue)."""
    cutoff = timezone.now() - PASSWORD_SHEET_LIFETIME
    return InitialPasswordSheet.objects.filter(created_at__lt=cutoff).delete()[0]


def clear_password_change_required(*, user) -> None:
    PasswordChangeRequired.objects.filter(user=user).delete()


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
