"""The units' annual training plans (RULES §5): each unit files next year's plan by 31 December."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot
from organisation.models import Unit
from organisation.roles import is_org_staff, scope_of

from ..models import UnitPlan

MAX_PLANNED = 100000


def _whole(value, field: str, errors: dict) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PLANNED:
        errors[field] = _("Enter a whole number from 0 to %(max)s.") % {"max": MAX_PLANNED}
        return None
    return value


@transaction.atomic
def file_unit_plan(
    *, by, unit: Unit, year: int, planned_classes: int, expected_trainees: int, content: str = ""
) -> UnitPlan:
    """File (or file again, replacing) a unit's training plan for ``year``: the unit's study administrator for
    their own unit, the training section for any. A plan is for this year or the next; one filed after its due
    day (rules.plan_due) is kept and shown as late."""
    if not is_org_staff(by) and scope_of(by).unit_id != unit.pk:
        raise PermissionDenied(_("A unit study administrator files only their own unit's plan."))
    errors: dict[str, str] = {}
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not this_year <= year <= this_year + 1:
        errors["year"] = _("A plan is filed for this year or the next (%(this)s or %(next)s).") % {
            "this": this_year,
            "next": this_year + 1,
        }
    _whole(planned_classes, "planned_classes", errors)
    _whole(expected_trainees, "expected_trainees", errors)
    if errors:
        raise ValidationError(errors)
    values = {
        "planned_classes": planned_classes,
        "expected_trainees": expected_trainees,
        "content": (content or "").strip(),
        "filed_by": by,
    }
    plan = UnitPlan.objects.select_for_update().filter(unit=unit, year=year).first()
    if plan is None:
        plan = UnitPlan.objects.create(unit=unit, year=year, **values)
        log_change(actor=by, instance=plan, action=ChangeLog.Action.CREATE, new=snapshot(plan))
        return plan
    old = snapshot(plan)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.save()
    changed_old, changed_new = diff(old, snapshot(plan))
    if changed_new:
        log_change(actor=by, instance=plan, action=ChangeLog.Action.UPDATE, old=changed_old, new=changed_new)
    return plan
