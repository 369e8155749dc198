"""The course catalogue (RULES §5): courses with their hours and, for online courses, the credits they give in a
``baoji-2009`` year; modules grouping courses. Only the training section maintains it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot
from kunshan_training.years import FIRST_YEAR, last_year
from organisation.roles import is_org_staff

from ..models import Course, Module, Subject

# What passing an online course may give under baoji-2009 (RULES §2.1: "the record's points, 5 to 20").
ONLINE_COURSE_CREDITS_MIN = Decimal(5)
ONLINE_COURSE_CREDITS_MAX = Decimal(20)
# A course's hours fit the column (max_digits=5, one decimal); more than this is a typing slip.
COURSE_HOURS_MAX = Decimal(1000)
CODE = re.compile(r"^[-a-zA-Z0-9_]{1,32}$")
TENTH = Decimal("0.1")
COURSE_FIELDS = ("code", "title", "subject", "hours", "online", "credits")


def require_catalogue_staff(by) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section maintains the course catalogue."))


def _decimal(value, field: str, problems: dict) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems[field] = _("“%(value)s” is not a number.") % {"value": value}
        return None
    if not number.is_finite():
        problems[field] = _("“%(value)s” is not a number.") % {"value": value}
        return None
    if number != number.quantize(TENTH):
        problems[field] = _("At most one decimal place.")
        return None
    return number


def date_out_of_range(day) -> str | None:
    """A lecture's day or a completion's date lies in the years the portal keeps (as years everywhere: from
    FIRST_YEAR to next year); else the problem in words."""
    if not FIRST_YEAR <= day.year <= last_year():
        return _("The date must be in a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": last_year()}
    return None


def check_code(code: str, problems: dict, *, taken: bool) -> None:
    """A code of a course, module or lecture: letters, digits, - and _ (it is part of the API's URLs)."""
    if not code or not CODE.match(code):
        problems["code"] = _("A code has at most 32 letters, digits, “-” or “_”, without spaces.")
    elif taken:
        problems["code"] = _("The code “%(code)s” is already taken.") % {"code": code}


def course_problems(
    *, code: str, title: str, subject, hours, online: bool, credits, course: Course | None = None
) -> tuple[dict[str, str], Decimal | None, Decimal | None]:
    """The problems of a course's values by field (the same words on the pages and in the API), and the hours and
    credits as Decimals."""
    problems: dict[str, str] = {}
    taken = Course.objects.filter(code=code).exclude(pk=course.pk if course else None).exists()
    check_code(code, problems, taken=taken)
    if not (title or "").strip():
        problems["title"] = _("Give the course a title.")
    elif len(title) > 200:
        problems["title"] = _("At most %(n)s characters.") % {"n": 200}
    if not isinstance(subject, Subject):
        problems["subject"] = _("Choose a subject of the catalogue.")
    hours_value = _decimal(hours, "hours", problems)
    if "hours" not in problems and (hours_value is None or not 0 < hours_value <= COURSE_HOURS_MAX):
        problems["hours"] = _("The hours must be more than 0 and at most %(max)s.") % {"max": COURSE_HOURS_MAX}
    credits_value = _decimal(credits, "credits", problems)
    if credits_value is not None:
        if not online:
            problems["credits"] = _("Only an online course gives credits; leave them empty for this course.")
        elif not ONLINE_COURSE_CREDITS_MIN <= credits_value <= ONLINE_COURSE_CREDITS_MAX:
            problems["credits"] = _("An online course gives %(min)s to %(max)s credits.") % {
                "min": ONLINE_COURSE_CREDITS_MIN,
                "max": ONLINE_COURSE_CREDITS_MAX,
            }
    if course is not None and not online and course.online and course.completions.exists():
        problems["online"] = _("Officials have completed this course online; it stays an online course.")
    return problems, hours_value, credits_value


@transaction.atomic
def create_course(*, by, code: str, title: str, subject: Subject, hours, online: bool, credits=None) -> Course:
    require_catalogue_staff(by)
    problems, hours_value, credits_value = course_problems(
        code=code, title=title, subject=subject, hours=hours, online=online, credits=credits
    )
    if problems:
        raise ValidationError(problems)
    course = Course.objects.create(
        code=code, title=title.strip(), subject=subject, hours=hours_value, online=bool(online), credits=credits_value
    )
    log_change(actor=by, instance=course, action=ChangeLog.Action.CREATE, new=snapshot(course))
    return course


@transaction.atomic
def update_course(*, by, course: Course, **changes) -> Course:
    """Change a course; when its hours, credits or being online change, the records its passed completions gave
    follow (one recompute; refused with the year's words when one of their years is published)."""
    require_catalogue_staff(by)
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    course = Course.objects.select_for_update().get(pk=course.pk)
    values = {name: changes.get(name, getattr(course, name)) for name in COURSE_FIELDS}
    problems, hours_value, credits_value = course_problems(**values, course=course)
    if problems:
        raise ValidationError(problems)
    old = snapshot(course)
    course.code, course.title, course.subject = values["code"], values["title"].strip(), values["subject"]
    course.hours, course.online, course.credits = hours_value, bool(values["online"]), credits_value
    changed_old, changed_new = diff(old, snapshot(course))
    if not changed_new:
        return course
    course.save()
    log_change(actor=by, instance=course, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    if {"hours", "credits", "online"} & set(changed_new):
        from .online import resync_course_records

        resync_course_records(by=by, course=course, reason=_("The course %(code)s changed.") % {"code": course.code})
    return course


@transaction.atomic
def create_module(*, by, code: str, title: str, elective: bool = False, courses: Iterable[Course] = ()) -> Module:
    require_catalogue_staff(by)
    problems: dict[str, str] = {}
    check_code(code, problems, taken=Module.objects.filter(code=code).exists())
    if not (title or "").strip():
        problems["title"] = _("Give the module a title.")
    elif len(title) > 200:
        problems["title"] = _("At most %(n)s characters.") % {"n": 200}
    if problems:
        raise ValidationError(problems)
    module = Module.objects.create(code=code, title=title.strip(), elective=bool(elective))
    courses = list(courses)
    module.courses.set(courses)
    new = snapshot(module, fields=["code", "title", "elective"]) | {"courses": sorted(c.code for c in courses)}
    log_change(actor=by, instance=module, action=ChangeLog.Action.CREATE, new=new)
    return module
