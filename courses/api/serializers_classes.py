"""Serializers of the classes and unit-plans API: what a request may send (checked in plain words, then handed to
the services) and what the answers hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kunshan_training.fields import FormBooleanField
from kunshan_training.years import FIRST_YEAR, YearSerializerField
from organisation.models import Official, Unit
from organisation.selectors import officials_visible_to

from .. import rules
from ..models import ClassSession, ClassType, Course, Dispatch, Enrolment, Quota, TrainingClass, UnitPlan
from ..services.classes import MAX_CAPACITY
from ..services.plans import MAX_PLANNED

# How far ahead a class may be planned (a date beyond is a typing slip, and keeps date arithmetic in range).
YEARS_AHEAD = 5
DAYS = {"max_digits": 4, "decimal_places": 1, "coerce_to_string": False}


class UnitCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.all())
        kwargs.setdefault("error_messages", {"does_not_exist": _("There is no unit with code “{value}”.")})
        super().__init__(slug_field="code", **kwargs)


class OfficialField(serializers.SlugRelatedField):
    """An official by staff number, among those the requesting user may see (anyone else does not exist for
    them: the same 400 as an unknown staff number)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Official.objects.all())
        kwargs.setdefault("error_messages", {"does_not_exist": _("There is no official with staff number “{value}”.")})
        super().__init__(slug_field="staff_no", **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return officials_visible_to(request.user) if request is not None else Official.objects.all()


class ClassDateField(serializers.DateField):
    """A date from 2000 to five years ahead (anything else is a slip of the keyboard)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        last = date(timezone.localdate().year + YEARS_AHEAD, 12, 31)
        if not date(FIRST_YEAR, 1, 1) <= day <= last:
            raise serializers.ValidationError(
                _("The date must be from %(first)s to %(last)s.") % {"first": f"{FIRST_YEAR}-01-01", "last": last}
            )
        return day


# ---------------------------------------------------------------------------------------------------
# Classes


class TrainingClassSerializer(serializers.ModelSerializer):
    """A class as the API shows it."""

    organiser = serializers.CharField(source="organiser.code", help_text=_("Unit code."))
    organiser_name = serializers.CharField(source="organiser.name")
    days = serializers.DecimalField(**DAYS)
    trainees = serializers.SerializerMethodField(help_text=_("Active trainees."))
    seats_allotted = serializers.SerializerMethodField(help_text=_("Seats allotted to units (quota classes)."))
    filing_deadline = serializers.SerializerMethodField(
        help_text=_("The last day to file the class; null when it needs no filing.")
    )

    class Meta:
        model = TrainingClass
        fields = [
            "code",
            "title",
            "organiser",
            "organiser_name",
            "class_type",
            "starts_on",
            "ends_on",
            "days",
            "capacity",
            "dispatch",
            "status",
            "recorded_after",
            "filing_note",
            "filing_deadline",
            "trainees",
            "seats_allotted",
            "created_at",
            "filed_at",
            "approved_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_trainees(self, training_class: TrainingClass) -> int:
        count = getattr(training_class, "trainee_count", None)
        return count if count is not None else training_class.enrolments.filter(active=True).count()

    def get_seats_allotted(self, training_class: TrainingClass) -> int:
        seats = getattr(training_class, "seats_allotted", None)
        if seats is None:
            seats = sum(training_class.quotas.values_list("seats", flat=True))
        return seats

    def get_filing_deadline(self, training_class: TrainingClass) -> date | None:
        if training_class.recorded_after or not rules.needs_filing(training_class.capacity):
            return None
        return rules.filing_deadline(training_class.starts_on)


class ClassCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=32, help_text=_("Letters, digits, - and _."))
    title = serializers.CharField(max_length=200)
    organiser = UnitCodeField(help_text=_("Unit code."))
    class_type = serializers.ChoiceField(choices=ClassType.choices)
    starts_on = ClassDateField()
    ends_on = ClassDateField()
    days = serializers.DecimalField(min_value=Decimal("0.1"), **DAYS)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, help_text=_("Planned trainees."))
    dispatch = serializers.ChoiceField(choices=Dispatch.choices)
    filing_note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    recorded_after = FormBooleanField(
        required=False, default=False, help_text=_("A past class entered to record its history (approved at once).")
    )


class ClassUpdateSerializer(serializers.Serializer):
    """PATCH: any of these; dates, days, size and dispatch only while the class is a draft or filed."""

    title = serializers.CharField(max_length=200, required=False)
    organiser = UnitCodeField(required=False, help_text=_("Unit code."))
    class_type = serializers.ChoiceField(choices=ClassType.choices, required=False)
    starts_on = ClassDateField(required=False)
    ends_on = ClassDateField(required=False)
    days = serializers.DecimalField(min_value=Decimal("0.1"), required=False, **DAYS)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, required=False)
    dispatch = serializers.ChoiceField(choices=Dispatch.choices, required=False)
    filing_note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        error_messages={"blank": _("Say why the class is returned."), "required": _("Say why the class is returned.")},
    )


class ClosingOutcomeSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("Credit records written."))
    updated = serializers.IntegerField(help_text=_("Credit records changed by a correction."))
    removed = serializers.IntegerField(help_text=_("Credit records taken back."))
    vetoes_recorded = serializers.IntegerField()
    vetoes_removed = serializers.IntegerField()


class ClosedClassSerializer(TrainingClassSerializer):
    outcome = ClosingOutcomeSerializer(read_only=True)

    class Meta(TrainingClassSerializer.Meta):
        fields = [*TrainingClassSerializer.Meta.fields, "outcome"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------------
# Sessions


class ClassSessionSerializer(serializers.ModelSerializer):
    held_on = ClassDateField()
    course = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Course.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no course with code “{value}”.")},
    )
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    teacher = serializers.SlugRelatedField(
        slug_field="staff_no",
        queryset=Official.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Staff number of an official teaching (a teaching record when the class closes)."),
        error_messages={"does_not_exist": _("There is no official with staff number “{value}”.")},
    )
    teacher_name = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = ClassSession
        fields = ["id", "held_on", "course", "topic", "teacher", "teacher_name"]
        read_only_fields = ["id"]


# ---------------------------------------------------------------------------------------------------
# Quotas


class QuotaInputSerializer(serializers.Serializer):
    unit = UnitCodeField(help_text=_("Unit code."))
    seats = serializers.IntegerField(min_value=0, max_value=MAX_CAPACITY, help_text=_("0 takes the quota away."))


class QuotaSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code", help_text=_("Unit code."))
    unit_name = serializers.CharField(source="unit.name")
    seats = serializers.IntegerField()
    taken = serializers.IntegerField(help_text=_("Seats the unit has filled."))
    left = serializers.IntegerField()


def quota_row(quota: Quota, taken: int) -> dict:
    return {"unit": quota.unit, "seats": quota.seats, "taken": taken, "left": max(quota.seats - taken, 0)}


# ---------------------------------------------------------------------------------------------------
# Trainees and results


class EnrolmentSerializer(serializers.ModelSerializer):
    official = serializers.CharField(source="official.staff_no", help_text=_("Staff number."))
    name = serializers.CharField(source="official.name")
    unit = serializers.CharField(source="unit.code", help_text=_("The unit whose seat it takes."))
    days_attended = serializers.DecimalField(allow_null=True, **DAYS)
    replaced_by = serializers.SerializerMethodField(help_text=_("Staff number of who took the seat."))
    vetoed = serializers.SerializerMethodField(help_text=_("The absence gave the veto “absent from dispatch”."))

    class Meta:
        model = Enrolment
        fields = [
            "official",
            "name",
            "unit",
            "active",
            "replaced_by",
            "replacement_reason",
            "days_attended",
            "passed",
            "absent_without_reason",
            "speeches",
            "reflections",
            "vetoed",
        ]
        read_only_fields = fields

    def get_replaced_by(self, enrolment: Enrolment) -> str | None:
        return enrolment.replaced_by.official.staff_no if enrolment.replaced_by_id else None

    def get_vetoed(self, enrolment: Enrolment) -> bool:
        return enrolment.veto_id is not None


class TraineeInputSerializer(serializers.Serializer):
    official = OfficialField(help_text=_("Staff number."))


class SubstitutionSerializer(serializers.Serializer):
    official = OfficialField(help_text=_("Staff number of the trainee who gives up the place."))
    replaced_by = OfficialField(help_text=_("Staff number of the official who takes the place."))
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text=_("Required in a by-name class.")
    )


class ResultSerializer(serializers.Serializer):
    official = OfficialField(help_text=_("Staff number."))
    days_attended = serializers.DecimalField(min_value=0, **DAYS)
    passed = FormBooleanField()
    absent_without_reason = FormBooleanField(required=False, default=False)
    speeches = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True,
        help_text=_("Exchange speeches given; left out keeps what was entered."),
    )  # fmt: skip
    reflections = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True,
        help_text=_("Study reflections handed in; left out keeps what was entered."),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# Unit plans


class UnitPlanSerializer(serializers.ModelSerializer):
    unit = UnitCodeField(help_text=_("Unit code."))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    year = YearSerializerField()
    planned_classes = serializers.IntegerField(min_value=0, max_value=MAX_PLANNED)
    expected_trainees = serializers.IntegerField(min_value=0, max_value=MAX_PLANNED)
    content = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    due_on = serializers.SerializerMethodField(help_text=_("The day the plan is due (31 December of the year before)."))
    late = serializers.SerializerMethodField(help_text=_("Filed after its due day."))

    class Meta:
        model = UnitPlan
        fields = ["id", "unit", "unit_name", "year", "planned_classes", "expected_trainees", "content", "filed_at",
                  "due_on", "late"]  # fmt: skip
        read_only_fields = ["id", "unit_name", "filed_at", "due_on", "late"]
        validators = []  # re-posting a unit and year updates its plan

    def get_due_on(self, plan: UnitPlan) -> date:
        return rules.plan_due(plan.year)

    def get_late(self, plan: UnitPlan) -> bool:
        return plan.filed_at is not None and timezone.localdate(plan.filed_at) > rules.plan_due(plan.year)


class PlanlessUnitSerializer(serializers.ModelSerializer):
    """A unit without a plan for the year asked."""

    class Meta:
        model = Unit
        fields = ["code", "name"]
        read_only_fields = fields
