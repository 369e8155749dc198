"""Choosing the credit policy of a year (RULES §2: "A year's policy is chosen per year; every official of that year is
assessed under it"), with a what-if preview first.

- ``preview_policy(year=, policy=)`` assesses every official of the year under the candidate policy without writing
  anything (``credits.scoring.assess_year``: the year's inputs read once, the records in one ``GROUP BY``) and compares
  the results with the grades stored for the year (one query): who would change grade, the grade counts now and
  after, per unit.
- ``set_year_policy(by=, year=, policy=)`` (the training section only) writes the year's ``YearPolicy``, files the
  year's records of fixed kinds under their category in the new policy, logs old -> new, and starts a whole-year
  recompute job (``credits.recompute.start_recompute``), which follows the chain into the later years
  (``credits.scoring.compute_chain``: carry-over, two-year flags, the cycle).

Decisions where RULES.md is silent (each one a constant or a sentence here):

* A state is the grade, or ``EXEMPT`` for an exempt official: exempt counts as its own state, so exempt -> pass is a
  change, and grade counts list ``EXEMPT`` beside the grades.
* An official of the year without a stored score has no state now (``None``): the preview counts them as changed
  (a score would appear), with ``grade_now`` and ``total_now`` null.
* A stored score of an official no longer assessed in the year (retired before it, say) is left alone by a
  whole-year recompute, so the preview counts it unchanged, now and after: the preview's counts are what the switch
  then stores.
* Per unit, "now" reads the unit stored with the score and "after" the official's unit today (the recompute stores
  that one).
* ``PREVIEW_OFFICIALS`` (100) changes are listed, by unit code then staff number; the count covers them all.
* Only the year itself is previewed: the later years of the chain are recomputed after the switch (their carry-in,
  two-year flags and cycle follow); the preview names them (``later_years``), published ones too
  (``later_published``): like every change of an earlier year, the chain is followed into them.
* Every record of the year (whatever its status) of a kind with a fixed category under the new policy is filed under
  that category; kinds the policy does not know, and kinds whose category the approver chooses (discretionary),
  keep theirs. The records' ``updated_at`` is left as it was: the recompute that follows reads the policy's category
  anyway, and the audit entry counts the records (``records_recategorised``).
* Choosing the policy a year already has writes nothing and starts no job (``PolicySwitch.job`` is None).
* A year after this one (``kunshan_training.years`` accepts next year, to plan its policy) has no activity yet (dates
  in the future are refused): switching it records the choice and starts no recompute
  (``RECOMPUTE_YEARS_NOT_BEGUN`` is False); its scores are computed as its records come in.
* A published (locked) year cannot change policy (``YearLocked``); the preview of a published year is allowed (it
  writes nothing).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import ChangeLog
from audit.services import log_change, snapshot
from kunshan_training.years import parse_year
from organisation.models import Official, Unit
from organisation.roles import is_org_staff

from .models import ActivityRecord, AnnualScore, PublishedYear, RecomputeJob, YearPolicy
from .policies import policy_code_of_year, policy_label
from .recompute import start_recompute
from .rules import ALL_GRADES, POLICIES, Policy, get_policy
from .scoring import assess_year, later_scored_years
from .services import check_year_open

EXEMPT = "exempt"  # the state of an exempt official, beside the grades
PREVIEW_OFFICIALS = 100  # changed officials listed by the preview (the count covers all of them)
# Above this many changed officials their staff numbers are read for the whole city in one query instead of an
# ``IN`` list of ids (a list of 100,000 parameters costs more than the plain read).
IN_LIST_LIMIT = 5000
RECOMPUTE_YEARS_NOT_BEGUN = False  # a switch of a year after this one starts no recompute (nothing happened in it)


# ---------------------------------------------------------------------------------------------------
# Checks shared by the service and the selector


def _valid_year(year: object) -> int:
    try:
        return parse_year(year)
    except ValidationError as error:
        raise ValidationError({"year": error.messages}, code="invalid_year") from error


def _known_policy(code: object) -> Policy:
    if code is None or code == "":
        raise ValidationError({"policy": _("Choose a credit policy.")}, code="required")
    if not isinstance(code, str) or code not in POLICIES:
        known = ", ".join(f"{c} ({policy_label(c)})" for c in POLICIES)
        raise ValidationError(
            {"policy": _("There is no credit policy “%(code)s”; choose one of: %(known)s.") % {"code": code,
                                                                                                 "known": known}},
            code="unknown_policy",
        )  # fmt: skip
    return get_policy(code)


def _year_records(year: int):
    return ActivityRecord.objects.filter(occurred_on__gte=date(year, 1, 1), occurred_on__lt=date(year + 1, 1, 1))


# ---------------------------------------------------------------------------------------------------
# The switch


@dataclass(frozen=True)
class PolicySwitch:
    """What ``set_year_policy`` did: the year's policy before and now, and the recompute job it started."""

    year: int
    policy: str
    previous: str
    changed: bool
    job: RecomputeJob | None  # None when nothing changed, or the year has not begun
    records_recategorised: int = 0


@transaction.atomic
def set_year_policy(*, by, year: int, policy: str) -> PolicySwitch:
    """Assess ``year`` under ``policy`` from now on; the year and the chain after it are recomputed by a job.

    The training section only (PermissionDenied); an unknown policy or a year the portal does not accept is a
    ValidationError in plain words; a published year is refused with ``YearLocked``. In one transaction: the year's
    ``YearPolicy`` written, its records of fixed kinds filed under the new policy's categories, the change audited
    (old -> new), and the recompute job started once the transaction commits. The same policy again changes nothing.
    """
    if not is_org_staff(by):
        raise PermissionDenied(_("Only the training section chooses the credit policy of a year."))
    year = _valid_year(year)
    chosen = _known_policy(policy)
    check_year_open(year)
    current = policy_code_of_year(year)
    if current == chosen.code:
        return PolicySwitch(year=year, policy=chosen.code, previous=current, changed=False, job=None)
    # A row for the year exists from here on (two concurrent switches both reach the lock below, one after the other).
    YearPolicy.objects.bulk_create([YearPolicy(year=year, policy=current)], ignore_conflicts=True)
    row = YearPolicy.objects.select_for_update().get(year=year)
    previous = row.policy
    if previous == chosen.code:  # another switch to the same policy committed meanwhile
        return PolicySwitch(year=year, policy=chosen.code, previous=previous, changed=False, job=None)
    old = snapshot(row)
    row.policy = chosen.code
    row.save(update_fields=["policy"])
    moved = recategorise_records(year=year, policy=chosen)
    new = {**snapshot(row), "records_recategorised": moved}
    log_change(actor=by, instance=row, action=ChangeLog.Action.UPDATE, old=old, new=new)
    begun = year <= timezone.localdate().year
    job = start_recompute(by=by, year=year) if begun or RECOMPUTE_YEARS_NOT_BEGUN else None
    return PolicySwitch(
        year=year, policy=chosen.code, previous=previous, changed=True, job=job, records_recategorised=moved
    )


def recategorise_records(*, year: int, policy: Policy) -> int:
    """File the year's records of kinds with a fixed category under ``policy`` under that category (one UPDATE per
    category); kinds it does not know or whose category the approver chooses keep theirs. Returns how many moved."""
    kinds_of: dict[str, list[str]] = defaultdict(list)
    for kind, spec in policy.kinds.items():
        if spec.category is not None:
            kinds_of[spec.category].append(kind)
    moved = 0
    for category, kinds in kinds_of.items():
        moved += _year_records(year).filter(kind__in=kinds).exclude(category=category).update(category=category)
    return moved


# ---------------------------------------------------------------------------------------------------
# The what-if preview


@dataclass(frozen=True)
class ChangedOfficial:
    staff_no: str
    name: str
    unit: str  # unit code (today's unit)
    unit_name: str
    grade_now: str | None  # a grade, EXEMPT, or None: no score stored
    grade_after: str
    total_now: Decimal | None
    total_after: Decimal


@dataclass
class UnitPreview:
    """One unit's officials of the year, now (stored) and after (the candidate policy)."""

    code: str
    name: str
    grades_now: dict[str, int] = field(default_factory=dict)
    grades_after: dict[str, int] = field(default_factory=dict)
    changed: int = 0
    failed_now: int = 0
    failed_after: int = 0
    flags_now: tuple[str, ...] = ()
    flags_after: tuple[str, ...] = ()

    @property
    def assessed_now(self) -> int:
        return sum(n for state, n in self.grades_now.items() if state != EXEMPT)

    @property
    def assessed_after(self) -> int:
        return sum(n for state, n in self.grades_after.items() if state != EXEMPT)


@dataclass(frozen=True)
class PolicyPreview:
    year: int
    policy: str  # the candidate
    policy_now: str  # the year's policy today
    changed: int  # officials whose state (grade, or exempt) would change
    grades_now: dict[str, int]  # state -> officials, stored now (EXEMPT beside the grades)
    grades_after: dict[str, int]  # state -> officials, after the switch
    officials: list[ChangedOfficial]  # the first PREVIEW_OFFICIALS changes, by unit code then staff number
    units: list[UnitPreview]  # every unit with officials in the year, by code
    not_scored: int  # officials of the year without a stored score (counted as changed)
    later_years: list[int]  # later years with scores: recomputed after a switch, not previewed
    later_published: list[int]  # of those, the published ones
    published: bool  # the year itself is published: it cannot be switched

    @property
    def same_policy(self) -> bool:
        return self.policy == self.policy_now

    @property
    def units_changed(self) -> list[UnitPreview]:
        return [
            unit for unit in self.units
            if unit.changed or unit.flags_now != unit.flags_after or unit.failed_now != unit.failed_after
        ]  # fmt: skip

    @property
    def has_unit_flags(self) -> bool:
        return any(unit.flags_now or unit.flags_after for unit in self.units)

    @property
    def grade_rows(self) -> list[tuple[str, int, int, int]]:
        """(state, now, after, after - now) for every state either side lists, grades best first, EXEMPT last."""
        states = set(self.grades_now) | set(self.grades_after)
        order = [g for g in ALL_GRADES if g in states] + sorted(states - {*ALL_GRADES, EXEMPT}) + [EXEMPT]
        rows = [(state, self.grades_now.get(state, 0), self.grades_after.get(state, 0)) for state in order]
        return [(state, now, after, after - now) for state, now, after in rows]


def _ordered_counts(counts: Counter, policies: Iterable[Policy]) -> dict[str, int]:
    """``{state: count}`` with every grade of ``policies`` (best first, zeros included), any other state seen, then
    EXEMPT."""
    order: list[str] = []
    for policy in policies:
        order += [g for g in policy.grades if g not in order]
    order += sorted(s for s in counts if s not in order and s != EXEMPT)
    return {state: counts.get(state, 0) for state in [*order, EXEMPT]}


def preview_policy(*, year: int, policy: str) -> PolicyPreview:
    """What assessing ``year`` under ``policy`` would change, writing nothing.

    One set-based pass: the year assessed under the candidate policy (``assess_year``: officials, exemptions,
    vetoes, the year before's chain values and the records' GROUP BY), the stored scores of the year (one query),
    the units (one query), the staff numbers of the changed officials (one query) and the names of the listed ones
    (one query). ValidationError on an unknown policy or a year the portal does not accept.
    """
    year = _valid_year(year)
    candidate = _known_policy(policy)
    current = get_policy(policy_code_of_year(year))

    # official -> (stored unit, state, total): the grades now
    stored: dict[int, tuple[int, str, Decimal]] = {}
    for official_id, unit_id, exempt, grade, total in AnnualScore.objects.filter(year=year).values_list(
        "official_id", "unit_id", "exempt", "grade", "total"
    ):
        stored[official_id] = (unit_id, EXEMPT if exempt else grade, total)

    now: Counter = Counter()
    after: Counter = Counter()
    unit_now: dict[int, Counter] = defaultdict(Counter)
    unit_after: dict[int, Counter] = defaultdict(Counter)
    unit_changed: Counter = Counter()
    changes: list[tuple[int, int, str | None, str, Decimal | None, Decimal]] = []
    not_scored = 0
    for official_id, unit_id, result in assess_year(year=year, policy=candidate):
        state_after = EXEMPT if result.exempt else result.grade
        before = stored.pop(official_id, None)
        if before is None:
            state_now, total_now = None, None
            not_scored += 1
        else:
            stored_unit, state_now, total_now = before
            now[state_now] += 1
            unit_now[stored_unit][state_now] += 1
        after[state_after] += 1
        unit_after[unit_id][state_after] += 1
        if state_now != state_after:
            changes.append((official_id, unit_id, state_now, state_after, total_now, result.total))
            unit_changed[unit_id] += 1
    for stored_unit, state, _total in stored.values():  # not assessed in the year: left as they are
        now[state] += 1
        after[state] += 1
        unit_now[stored_unit][state] += 1
        unit_after[stored_unit][state] += 1

    units = {pk: (code, name) for pk, code, name in Unit.objects.values_list("pk", "code", "name")}
    later = sorted(set(later_scored_years(year=year)))  # it can list a year more than once (ordering + distinct)
    return PolicyPreview(
        year=year,
        policy=candidate.code,
        policy_now=current.code,
        changed=len(changes),
        grades_now=_ordered_counts(now, [current]),
        grades_after=_ordered_counts(after, [candidate]),
        officials=_first_changes(changes, units),
        units=_unit_previews(units, unit_now, unit_after, unit_changed, current, candidate),
        not_scored=not_scored,
        later_years=later,
        later_published=sorted(PublishedYear.objects.filter(year__in=later).values_list("year", flat=True)),
        published=PublishedYear.objects.filter(year=year).exists(),
    )


def _first_changes(changes: list[tuple], units: dict[int, tuple[str, str]]) -> list[ChangedOfficial]:
    """The first PREVIEW_OFFICIALS changes by unit code then staff number (two queries whatever their number)."""
    if not changes:
        return []
    ids = [change[0] for change in changes]
    numbers = Official.objects.values_list("pk", "staff_no")
    if len(ids) <= IN_LIST_LIMIT:
        numbers = numbers.filter(pk__in=ids)
    staff_no = dict(numbers)
    first = heapq.nsmallest(PREVIEW_OFFICIALS, changes, key=lambda c: (units[c[1]][0], staff_no[c[0]]))
    names = dict(Official.objects.filter(pk__in=[c[0] for c in first]).values_list("pk", "name"))
    return [
        ChangedOfficial(
            staff_no=staff_no[pk], name=names[pk], unit=units[unit_id][0], unit_name=units[unit_id][1],
            grade_now=state_now, grade_after=state_after, total_now=total_now, total_after=total_after,
        )
        for pk, unit_id, state_now, state_after, total_now, total_after in first
    ]  # fmt: skip


def _unit_previews(units, unit_now, unit_after, unit_changed, current: Policy, candidate: Policy) -> list[UnitPreview]:
    rows = []
    for pk in set(unit_now) | set(unit_after):
        code, name = units[pk]
        row = UnitPreview(
            code=code,
            name=name,
            grades_now=_ordered_counts(unit_now[pk], [current]),
            grades_after=_ordered_counts(unit_after[pk], [candidate]),
            changed=unit_changed[pk],
            failed_now=unit_now[pk][current.failing_grade],
            failed_after=unit_after[pk][candidate.failing_grade],
        )
        row.flags_now = current.unit_flags(assessed=row.assessed_now, failed=row.failed_now)
        row.flags_after = candidate.unit_flags(assessed=row.assessed_after, failed=row.failed_after)
        rows.append(row)
    return sorted(rows, key=lambda row: row.code)


__all__ = [
    "EXEMPT",
    "PREVIEW_OFFICIALS",
    "ChangedOfficial",
    "PolicyPreview",
    "PolicySwitch",
    "UnitPreview",
    "preview_policy",
    "recategorise_records",
    "set_year_policy",
]
