"""Serializers of the catalogue, the faculty pool, lectures and online completions. They read and shape; the
services decide (bounds, who may, capacity)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kunshan_training.fields import FormBooleanField
from organisation.models import Official

from ..models import Course, FacultyMember, Lecture, LectureLevel, LectureSignup, OnlineCompletion, Subject

OFFICIAL_FIELD = {
    "slug_field": "staff_no",
    "queryset": Official.objects.all(),
    "error_messages": {"does_not_exist": _("There is no official with staff number “{value}”.")},
}
SUBJECT_FIELD = {
    "slug_field": "code",
    "queryset": Subject.objects.all(),
    "error_messages": {"does_not_exist": _("There is no subject “{value}”; see /api/v1/course-subjects/.")},
}
CODE_HELP = _("Letters, digits, “-” or “_”, at most 32; used in the URL.")


def _decimal(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(coerce_to_string=False, **kwargs)


class SubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subject
        fields = ["code", "name"]


class CourseSerializer(serializers.ModelSerializer):
    subject = serializers.SlugRelatedField(**SUBJECT_FIELD)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    hours = _decimal(max_digits=5, decimal_places=1, help_text=_("Study hours, more than 0."))
    credits = _decimal(
        max_digits=4, decimal_places=1, required=False, allow_null=True,
        help_text=_("Online courses only: what passing it gives in a baoji-2009 year (5 to 20)."),
    )  # fmt: skip
    online = FormBooleanField(required=False, default=False)

    class Meta:
        model = Course
        fields = ["code", "title", "subject", "subject_name", "hours", "online", "credits"]
        extra_kwargs = {"code": {"validators": [], "help_text": CODE_HELP}}  # uniqueness: the service's words


class CourseChangeSerializer(CourseSerializer):
    class Meta(CourseSerializer.Meta):
        extra_kwargs = {
            "code": {"validators": [], "required": False},
            "title": {"required": False},
            "subject": {"required": False},
            "hours": {"required": False},
        }


class CompletionRequestSerializer(serializers.Serializer):
    official = serializers.SlugRelatedField(**OFFICIAL_FIELD, help_text=_("The official's staff number."))
    completed_on = serializers.DateField()
    exam_passed = FormBooleanField()


class CompletionRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    quantity = _decimal(max_digits=7, decimal_places=1)
    points = _decimal(max_digits=5, decimal_places=1, allow_null=True)
    hours = _decimal(max_digits=6, decimal_places=1, allow_null=True)
    occurred_on = serializers.DateField()


class CompletionSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.code")
    official = serializers.CharField(source="official.staff_no")
    official_name = serializers.CharField(source="official.name")
    record = CompletionRecordSerializer(allow_null=True, help_text=_("The record it gave (none: exam not passed)."))

    class Meta:
        model = OnlineCompletion
        fields = ["course", "official", "official_name", "completed_on", "exam_passed", "source", "record"]
        read_only_fields = fields


class FacultyMemberSerializer(serializers.ModelSerializer):
    official = serializers.SlugRelatedField(**OFFICIAL_FIELD, help_text=_("The official's staff number."))
    official_name = serializers.CharField(source="official.name", read_only=True)
    unit = serializers.CharField(source="official.unit.code", read_only=True)

    class Meta:
        model = FacultyMember
        fields = ["id", "official", "official_name", "unit", "joined_on", "left_on", "note"]
        read_only_fields = ["id", "left_on"]


class FacultyEndSerializer(serializers.Serializer):
    left_on = serializers.DateField(help_text=_("The last day as a member."))


class SignupSerializer(serializers.ModelSerializer):
    official = serializers.CharField(source="official.staff_no")
    official_name = serializers.CharField(source="official.name")
    unit = serializers.CharField(source="official.unit.code")
    record = serializers.IntegerField(source="record_id", allow_null=True, help_text=_("The record the check-in gave."))

    class Meta:
        model = LectureSignup
        fields = ["official", "official_name", "unit", "signed_up_at", "checked_in_at", "record"]
        read_only_fields = fields


class LectureSerializer(serializers.ModelSerializer):
    level = serializers.ChoiceField(choices=LectureLevel.choices)
    capacity = serializers.IntegerField(min_value=1, max_value=100_000)
    signup_count = serializers.IntegerField(read_only=True)
    checked_in_count = serializers.IntegerField(read_only=True)
    places_left = serializers.IntegerField(read_only=True)
    checkin_code = serializers.SerializerMethodField(help_text=_("The training section only."))

    class Meta:
        model = Lecture
        fields = [
            "code", "title", "held_on", "level", "capacity", "speaker", "place", "signup_count",
            "checked_in_count", "places_left", "checkin_code",
        ]  # fmt: skip
        extra_kwargs = {"code": {"validators": [], "help_text": CODE_HELP}}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_checkin_code(self, lecture: Lecture) -> str | None:
        return lecture.checkin_code if self.context.get("sees_codes") else None


class LectureDetailSerializer(LectureSerializer):
    signups = serializers.SerializerMethodField(
        help_text=_("The training section: everyone; a unit administrator: their unit's; an official: their own.")
    )

    class Meta(LectureSerializer.Meta):
        fields = [*LectureSerializer.Meta.fields, "signups"]

    @extend_schema_field(SignupSerializer(many=True))
    def get_signups(self, lecture: Lecture) -> list:
        return SignupSerializer(self.context["visible_signups"], many=True).data


class SignupRequestSerializer(serializers.Serializer):
    official = serializers.SlugRelatedField(**OFFICIAL_FIELD, help_text=_("The official's staff number."))


class CheckinRequestSerializer(serializers.Serializer):
    official = serializers.SlugRelatedField(
        **OFFICIAL_FIELD, required=False, help_text=_("The official's staff number (yourself when left out).")
    )
    checkin_code = serializers.CharField(
        required=False, allow_blank=True, max_length=16,
        help_text=_("Checking yourself in: the code shown at the lecture, on its day."),
    )  # fmt: skip
