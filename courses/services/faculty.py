"""The city faculty pool (师资库): who was a member from when to when. Closing a class asks it whether a teacher was a
member on the day of their session (``teaching_faculty_session``) or not (``teaching_topic``), RULES §5."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot
from organisation.models import Official
from organisation.roles import is_org_staff

from ..models import FacultyMember


def _require_staff(by) -> None:
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section maintains the faculty pool."))


@transaction.atomic
def add_faculty_member(*, by, official: Official, joined_on: date, note: str = "") -> FacultyMember:
    """A new membership from ``joined_on``, open-ended. Refused while the official is a member on or after that day
    (memberships of one official never overlap)."""
    _require_staff(by)
    Official.objects.select_for_update().filter(pk=official.pk).first()  # one membership change at a time
    if len(note) > 200:
        raise ValidationError({"note": _("At most %(n)s characters.") % {"n": 200}})
    overlapping = (
        FacultyMember.objects.filter(official=official)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=joined_on))
        .order_by("joined_on")
        .first()
    )
    if overlapping is not None:
        if overlapping.left_on is None:
            message = _("%(name)s is already in the faculty pool since %(joined)s.")
        else:
            message = _("%(name)s was in the faculty pool from %(joined)s to %(left)s; a new membership starts after.")
        raise ValidationError(
            {
                "joined_on": message
                % {"name": official.name, "joined": overlapping.joined_on, "left": overlapping.left_on}
            }
        )
    member = FacultyMember.objects.create(official=official, joined_on=joined_on, note=note.strip())
    log_change(actor=by, instance=member, action=ChangeLog.Action.CREATE, new=snapshot(member))
    return member


@transaction.atomic
def end_faculty_membership(*, by, member: FacultyMember, left_on: date) -> FacultyMember:
    """The member left the pool on ``left_on`` (the last day they count as a member)."""
    _require_staff(by)
    member = FacultyMember.objects.select_for_update().select_related("official").get(pk=member.pk)
    if member.left_on is not None:
        raise ValidationError({"left_on": _("This membership already ended on %(left)s.") % {"left": member.left_on}})
    if left_on < member.joined_on:
        raise ValidationError(
            {
                "left_on": _("The day of leaving is before the day of joining (%(joined)s).")
                % {"joined": member.joined_on}
            }
        )
    old = snapshot(member)
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    changed_old, changed_new = diff(old, snapshot(member))
    log_change(actor=by, instance=member, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    return member
