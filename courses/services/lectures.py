"""Menu lectures (菜单式选学, RULES §5): scheduled by the training section, signed up for within capacity, checked in.

Who may:
- sign up / cancel: the official themself, their unit's study administrator, the training section;
- check in: the training section or the official's unit administrator (any day, e.g. ticking a list afterwards), or
  the official themself with the lecture's check-in code, on the day it is held (Asia/Shanghai).

A check-in writes one approved ``menu_city_lecture`` / ``menu_other_lecture`` record (quantity 1, dated on the
lecture's day) through ``credits.services.put_generated_records``, kept on ``LectureSignup.record``. Checking in
someone not signed up signs them up (within capacity). A second check-in of the same official changes nothing and
returns the same sign-up (``CheckIn.already``): the phone may send the code twice, the list may be ticked twice.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import log_change, snapshot
from credits.services import GeneratedRecord, put_generated_records
from organisation.models import Official
from organisation.roles import is_org_staff, scope_of

from .. import rules
from ..models import Lecture, LectureLevel, LectureSignup
from .catalogue import check_code, date_out_of_range

CHECKIN_CODE_DIGITS = 6
MAX_CAPACITY = 100_000


def _require_staff(by) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section schedules lectures."))


def new_checkin_code() -> str:
    """Six digits, easy to type on a phone; shown to the room by the organiser."""
    return f"{secrets.randbelow(10**CHECKIN_CODE_DIGITS):0{CHECKIN_CODE_DIGITS}d}"


def acts_for(by, official: Official) -> bool:
    """The training section, the official's unit administrator, or the official themself."""
    if is_org_staff(by):
        return True
    scope = scope_of(by)
    return official.pk == scope.official_id or (scope.unit_id is not None and official.unit_id == scope.unit_id)


def may_check_in_for_others(by, official: Official) -> bool:
    """The training section or the official's unit administrator (no code needed, any day)."""
    if is_org_staff(by):
        return True
    scope = scope_of(by)
    return scope.unit_id is not None and official.unit_id == scope.unit_id


@transaction.atomic
def create_lecture(
    *, by, code: str, title: str, held_on: date, level: str, capacity: int, speaker: str = "", place: str = ""
) -> Lecture:
    _require_staff(by)
    problems: dict[str, str] = {}
    check_code(code, problems, taken=Lecture.objects.filter(code=code).exists())
    if not (title or "").strip():
        problems["title"] = _("Give the lecture a title.")
    elif len(title) > 200:
        problems["title"] = _("At most %(n)s characters.") % {"n": 200}
    if (problem := date_out_of_range(held_on)) is not None:
        problems["held_on"] = problem
    if level not in LectureLevel.values:
        problems["level"] = _("The level is “city” (the city training office) or “other”.")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= MAX_CAPACITY:
        problems["capacity"] = _("The capacity must be at least 1 and at most %(max)s.") % {"max": MAX_CAPACITY}
    if len(speaker) > 100:
        problems["speaker"] = _("At most %(n)s characters.") % {"n": 100}
    if len(place) > 200:
        problems["place"] = _("At most %(n)s characters.") % {"n": 200}
    if problems:
        raise ValidationError(problems)
    lecture = Lecture.objects.create(
        code=code, title=title.strip(), held_on=held_on, level=level, capacity=capacity, speaker=speaker.strip(),
        place=place.strip(), checkin_code=new_checkin_code(), created_by=by,
    )  # fmt: skip
    log_change(actor=by, instance=lecture, action=ChangeLog.Action.CREATE, new=snapshot(lecture))
    return lecture


def _locked(lecture: Lecture) -> Lecture:
    """The lecture's row locked for this transaction: sign-ups and check-ins of one lecture queue up, so two people
    never take the last place at once."""
    return Lecture.objects.select_for_update().get(pk=lecture.pk)


def _full_message(lecture: Lecture) -> str:
    return _("The lecture is full (%(capacity)s places).") % {"capacity": lecture.capacity}


def _new_signup(by, lecture: Lecture, official: Official) -> LectureSignup:
    if lecture.signups.count() >= lecture.capacity:
        raise ValidationError({"official": _full_message(lecture)})
    signup = LectureSignup.objects.create(lecture=lecture, official=official)
    log_change(actor=by, instance=signup, action=ChangeLog.Action.CREATE, new=snapshot(signup))
    return signup


@transaction.atomic
def sign_up(*, by, lecture: Lecture, official: Official) -> LectureSignup:
    """Sign ``official`` up for ``lecture`` (until its day, within capacity)."""
    if not acts_for(by, official):
        raise PermissionDenied(_("You may sign up only yourself or officials of your unit."))
    lecture = _locked(lecture)
    if LectureSignup.objects.filter(lecture=lecture, official=official).exists():
        raise ValidationError({"official": _("%(name)s is already signed up.") % {"name": official.name}})
    if lecture.held_on < timezone.localdate():
        raise ValidationError(_("The lecture has taken place; sign-ups are closed."))
    return _new_signup(by, lecture, official)


@transaction.atomic
def cancel_signup(*, by, signup: LectureSignup) -> None:
    """Give the place back (not once checked in: the record stands)."""
    official = signup.official
    if not acts_for(by, official):
        raise PermissionDenied(_("You may cancel only your own sign-ups or those of officials of your unit."))
    _locked(signup.lecture)
    signup = LectureSignup.objects.filter(pk=signup.pk).first()
    if signup is None:  # cancelled meanwhile
        return
    if signup.checked_in_at is not None:
        raise ValidationError(
            _("%(name)s has been checked in; the sign-up cannot be cancelled.") % {"name": official.name}
        )
    log_change(actor=by, instance=signup, action=ChangeLog.Action.DELETE, old=snapshot(signup))
    signup.delete()


@dataclass(frozen=True)
class CheckIn:
    signup: LectureSignup
    already: bool  # checked in before: nothing changed


def _check_self_check_in(lecture: Lecture, official: Official, checkin_code: str | None) -> None:
    if not checkin_code:
        raise ValidationError({"checkin_code": _("Enter the check-in code shown at the lecture.")})
    if timezone.localdate() != lecture.held_on:
        raise ValidationError(
            {"checkin_code": _("Checking in with the code is possible only on the day of the lecture (%(day)s).")
             % {"day": lecture.held_on}}
        )  # fmt: skip
    if not secrets.compare_digest(str(checkin_code).strip(), lecture.checkin_code):
        raise ValidationError({"checkin_code": _("The check-in code is not right.")})


def check_in_outcome(*, by, lecture: Lecture, official: Official, checkin_code: str | None = None) -> CheckIn:
    """:func:`check_in`, also saying whether the official was checked in already (the API answers 200, not 201)."""
    with transaction.atomic():
        return _check_in(by, lecture, official, checkin_code)


def check_in(*, by, lecture: Lecture, official: Official, checkin_code: str | None = None) -> LectureSignup:
    """Check ``official`` in at ``lecture`` and write their record (once per lecture)."""
    return check_in_outcome(by=by, lecture=lecture, official=official, checkin_code=checkin_code).signup


def _check_in(by, lecture: Lecture, official: Official, checkin_code: str | None) -> CheckIn:
    if not may_check_in_for_others(by, official):
        if scope_of(by).official_id != official.pk:
            raise PermissionDenied(_("You may check in only yourself, or the officials of your unit."))
        _check_self_check_in(lecture, official, checkin_code)
    lecture = _locked(lecture)
    if lecture.held_on > timezone.localdate():
        raise ValidationError(_("The lecture has not taken place yet (%(day)s).") % {"day": lecture.held_on})
    signup = LectureSignup.objects.filter(lecture=lecture, official=official).select_related("record").first()
    if signup is not None and signup.checked_in_at is not None:
        return CheckIn(signup=signup, already=True)
    if signup is None:
        signup = _new_signup(by, lecture, official)
    spec = GeneratedRecord(
        official_id=official.pk, kind=rules.lecture_kind(lecture.level), quantity=Decimal(1),
        occurred_on=lecture.held_on, note=f"{lecture.title} ({lecture.code})"[:500],
    )  # fmt: skip
    (record,) = put_generated_records(
        by=by, changes=[(signup.record, spec)], reason=_("Checked in at the lecture %(code)s") % {"code": lecture.code}
    )
    old = snapshot(signup)
    signup.checked_in_at = timezone.now()
    signup.checked_in_by = by if by.is_authenticated else None
    signup.record = record
    signup.save(update_fields=["checked_in_at", "checked_in_by", "record"])
    log_change(actor=by, instance=signup, action=ChangeLog.Action.UPDATE, old=old, new=snapshot(signup))
    return CheckIn(signup=signup, already=False)
