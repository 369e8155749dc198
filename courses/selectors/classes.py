"""Reads of training classes and unit plans, scoped to who asks (the NetBox ``restrict(user)`` habit: what a user
may not see does not exist for them)."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from organisation.models import Unit
from organisation.roles import scope_of

from .. import rules
from ..models import ClassStatus, Dispatch, Enrolment, Quota, TrainingClass, UnitPlan


def classes_visible_to(user) -> QuerySet[TrainingClass]:
    """The training section: every class. A unit study administrator: the classes their unit organises, has seats
    in or has trainees in, and every approved quota class (to see what is open). An official: the classes they are
    an active trainee of."""
    scope = scope_of(user)
    classes = TrainingClass.objects.select_related("organiser")
    if scope.everything:
        return classes
    q = Q(pk__in=[])
    if scope.unit_id is not None:
        unit_id = scope.unit_id
        q |= Q(organiser_id=unit_id)
        q |= Exists(Quota.objects.filter(training_class=OuterRef("pk"), unit_id=unit_id))
        q |= Exists(Enrolment.objects.filter(training_class=OuterRef("pk"), unit_id=unit_id, active=True))
        q |= Q(dispatch=Dispatch.QUOTA, status=ClassStatus.APPROVED)
    if scope.official_id is not None:
        q |= Exists(Enrolment.objects.filter(training_class=OuterRef("pk"), official_id=scope.official_id, active=True))
    return classes.filter(q)


def with_counts(classes: QuerySet[TrainingClass]) -> QuerySet[TrainingClass]:
    """Each class with ``trainee_count`` (active trainees) and ``seats_allotted`` (sum of its quotas)."""
    trainees = (
        Enrolment.objects.filter(training_class=OuterRef("pk"), active=True)
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    seats = (
        Quota.objects.filter(training_class=OuterRef("pk"))
        .order_by()
        .values("training_class")
        .annotate(n=Sum("seats"))
        .values("n")
    )
    return classes.annotate(
        trainee_count=Coalesce(Subquery(trainees, output_field=IntegerField()), Value(0)),
        seats_allotted=Coalesce(Subquery(seats, output_field=IntegerField()), Value(0)),
    )


def roster(training_class: TrainingClass) -> QuerySet[Enrolment]:
    """Everyone enrolled, active trainees first (a replaced trainee stays listed, with who took the seat)."""
    return (
        Enrolment.objects.filter(training_class=training_class)
        .select_related("official", "unit", "replaced_by__official")
        .order_by("-active", "official__staff_no", "pk")
    )


def roster_visible_to(user, training_class: TrainingClass) -> QuerySet[Enrolment]:
    """The roster as ``user`` may read it: the training section and the organising unit's administrator all of it;
    another unit's administrator their unit's trainees; an official their own row (others' results are theirs)."""
    scope = scope_of(user)
    rows = roster(training_class)
    if scope.everything or (scope.unit_id is not None and scope.unit_id == training_class.organiser_id):
        return rows
    q = Q(pk__in=[])
    if scope.unit_id is not None:
        q |= Q(unit_id=scope.unit_id)
    if scope.official_id is not None:
        q |= Q(official_id=scope.official_id)
    return rows.filter(q)


def seats_left(*, training_class: TrainingClass, unit: Unit) -> int | None:
    """The unit's seats not yet taken in a quota class; None when the class is not a quota class or the unit has no
    quota in it."""
    if training_class.dispatch != Dispatch.QUOTA:
        return None
    seats = Quota.objects.filter(training_class=training_class, unit=unit).values_list("seats", flat=True).first()
    if seats is None:
        return None
    taken = Enrolment.objects.filter(training_class=training_class, unit=unit, active=True).count()
    return max(seats - taken, 0)


class UnitSeats(NamedTuple):
    training_class: TrainingClass
    seats: int
    taken: int
    left: int


def unit_seats(*, unit: Unit) -> list[UnitSeats]:
    """The approved quota classes with seats for ``unit``: (class, seats, taken, left), soonest first (one query)."""
    quotas = (
        Quota.objects.filter(
            unit=unit, training_class__dispatch=Dispatch.QUOTA, training_class__status=ClassStatus.APPROVED
        )  # fmt: skip
        .select_related("training_class__organiser")
        .annotate(
            taken=Count(
                "training_class__enrolments",
                filter=Q(training_class__enrolments__unit=unit, training_class__enrolments__active=True),
            )
        )
        .order_by("training_class__starts_on", "training_class__code")
    )
    return [UnitSeats(q.training_class, q.seats, q.taken, max(q.seats - q.taken, 0)) for q in quotas]


class PlanRow(NamedTuple):
    unit: Unit
    plan: UnitPlan | None

    @property
    def late(self) -> bool:
        return self.plan is not None and self.plan.filed_at.date() > rules.plan_due(self.plan.year)


def plan_board(*, year: int) -> list[PlanRow]:
    """Every unit with its plan for ``year`` (None: not filed), by unit code (two queries)."""
    plans = {p.unit_id: p for p in UnitPlan.objects.filter(year=year).select_related("filed_by")}
    return [PlanRow(unit, plans.get(unit.pk)) for unit in Unit.objects.order_by("code")]


def units_without_plan(*, year: int) -> QuerySet[Unit]:
    """The units that have not filed their plan for ``year``."""
    return Unit.objects.exclude(training_plans__year=year).order_by("code")


def plans_visible_to(user) -> QuerySet[UnitPlan]:
    """The training section: every plan; a unit study administrator: their unit's; anyone else: none."""
    scope = scope_of(user)
    plans = UnitPlan.objects.select_related("unit", "filed_by")
    if scope.everything:
        return plans
    if scope.unit_id is not None:
        return plans.filter(unit_id=scope.unit_id)
    return plans.none()
