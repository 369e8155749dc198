"""A unit's figures of a year for the API (``GET /api/v1/units/{code}/years/{year}/``): its assessed and failed
officials (from the stored scores), its flags under the year's policy (``Policy.unit_flags``: Baoji §2.4
``no_advanced_rating`` when a third or more of its assessed officials failed) and the central-group sessions entered
for it that year. Three queries whatever the size of the unit.

Decisions where RULES.md is silent:

* ``assessed`` counts the unit's stored, not exempt scores of the year (the unit stored with the score: the unit the
  official was in when the year was computed), as the city dashboard does; ``failed`` those with the year's policy's
  failing grade.
* ``group_study_sessions`` counts the sessions entered for the unit with a date in the year, whatever became of their
  records (a session counts once entered, as on the unit's pages).
* Who may read it: the training section any unit; a unit study administrator their own unit (another unit is 404,
  as if it did not exist); anyone else 403 — the scope of the unit reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from organisation.models import Unit
from organisation.roles import scope_of

from ..models import AnnualScore, GroupStudySession
from ..policies import policy_of_year
from ..rules import Policy


@dataclass(frozen=True)
class UnitYear:
    unit: Unit
    year: int
    policy: Policy
    assessed: int  # stored scores of the year, not exempt
    failed: int  # of those, with the policy's failing grade
    flags: tuple[str, ...]  # the unit's flags of the year (Policy.unit_flags)
    group_study_sessions: int  # central-group sessions entered for the unit in the year

    @property
    def group_study_sessions_required(self) -> int | None:
        return self.policy.group_study_sessions_required


def unit_for(user, code: str) -> Unit:
    """The unit ``code`` as far as ``user`` may read its figures (see the module docstring): Http404 or
    PermissionDenied otherwise."""
    scope = scope_of(user)
    if not scope.everything and scope.unit_id is None:
        raise PermissionDenied(_("Only the training section and unit study administrators may read a unit's figures."))
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not (scope.everything or unit.pk == scope.unit_id):
        raise Http404(_("There is no unit with code “{value}”.").format(value=code))
    return unit


def unit_year(*, unit: Unit, year: int) -> UnitYear:
    """The unit's figures of ``year`` (three queries: the year's policy, the scores' counts, the sessions)."""
    policy = policy_of_year(year)
    assessed = Q(exempt=False)
    counts = AnnualScore.objects.filter(year=year, unit=unit).aggregate(
        n_assessed=Count("id", filter=assessed),
        n_failed=Count("id", filter=assessed & Q(grade=policy.failing_grade)),
    )
    sessions = GroupStudySession.objects.filter(
        unit=unit, occurred_on__gte=date(year, 1, 1), occurred_on__lt=date(year + 1, 1, 1)
    ).count()
    return UnitYear(
        unit=unit,
        year=year,
        policy=policy,
        assessed=counts["n_assessed"],
        failed=counts["n_failed"],
        flags=policy.unit_flags(assessed=counts["n_assessed"], failed=counts["n_failed"]),
        group_study_sessions=sessions,
    )
