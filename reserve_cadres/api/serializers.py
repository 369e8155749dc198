"""The reserve pool's API bodies. Answers are built from plain dicts (``*_data`` below) so the list, the detail and the
answers of the actions read the same fields; the serializers document them (and check input). Scores are strings
with two decimals, rounded half up (``rules.shown``); comparisons were made on the exact values."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kunshan_training.years import YearSerializerField
from organisation.models import Official

from .. import rules
from ..models import (
    AppraisalResult,
    Defense,
    DisqualifyReason,
    Exam,
    Level,
    Practice,
    PracticeKind,
    Reflection,
    Reserve,
    ReserveStatus,
    ReserveTraining,
    Stream,
    Talk,
    YearlyAssessment,
)

FLAG_CODES = ["age", "appraisal", "exam_failed", "defense_failed"]


def two_places(value) -> str:
    return str(rules.shown(value))


SCORE_TEXT = {"type": "string", "pattern": r"^\d{1,3}\.\d{2}$", "example": "75.50"}


@extend_schema_field({"oneOf": [{"type": "number", "minimum": 0, "maximum": 100}, {"type": "string"}], "example": 85.5})
class ScoreInputField(serializers.Field):
    """A score as a number or its text; the service checks it (0–100, at most two decimals) in plain words."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float, str)):
            raise serializers.ValidationError(_("A score is a number from 0 to 100."))
        return data

    def to_representation(self, value):
        return two_places(value)


@extend_schema_field(SCORE_TEXT)
class ScoreTextField(serializers.CharField):
    pass


# ---------------------------------------------------------------------------------------------------
# Answers


class PublishedReserveSerializer(serializers.Serializer):
    """The published list (every signed-in user): name, unit, level and stream of the active reserves."""

    name = serializers.CharField()
    unit = serializers.CharField(help_text="Unit code.")
    unit_name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    stream = serializers.ChoiceField(choices=Stream.choices)


class ReserveSummarySerializer(PublishedReserveSerializer):
    """A row of the list. The training section and unit administrators get every field; an official only those
    of the published list (the others are left out)."""

    id = serializers.IntegerField(required=False)
    official = serializers.CharField(required=False, help_text="The official's staff number.")
    status = serializers.ChoiceField(choices=ReserveStatus.choices, required=False)
    decided_on = serializers.DateField(required=False)
    decision_document = serializers.CharField(required=False, allow_blank=True)
    contact_leader = serializers.CharField(required=False, allow_blank=True)
    left_on = serializers.DateField(required=False, allow_null=True)
    disqualify_reason = serializers.CharField(
        required=False, allow_blank=True, help_text="A reason code of RULES §6 once disqualified, else empty."
    )
    disqualify_note = serializers.CharField(required=False, allow_blank=True)
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=FLAG_CODES),
        required=False,
        help_text="Disqualification flags judged today (``?on=`` on the detail).",
    )


class ExamSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    held_on = serializers.DateField(required=False, help_text="The exam's day; only when it was given.")
    score = ScoreTextField()
    passed = serializers.BooleanField()


class VotesSerializer(serializers.Serializer):
    excellent = serializers.IntegerField(min_value=0, max_value=100)
    competent = serializers.IntegerField(min_value=0, max_value=100)
    basically_competent = serializers.IntegerField(min_value=0, max_value=100)
    incompetent = serializers.IntegerField(min_value=0, max_value=100)


class DefenseSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    held_on = serializers.DateField(allow_null=True)
    panel = serializers.ListField(child=ScoreTextField(), help_text="Each examiner's score, in order.")
    votes = VotesSerializer()
    panel_score = ScoreTextField(help_text="The examiners' mean.")
    vote_score = ScoreTextField(help_text="(excellent × 100 + competent × 80 + basically competent × 60) / voters.")
    score = ScoreTextField(help_text="Panel × 60 % + vote × 40 %, shown with two decimals rounded half up.")
    passed = serializers.BooleanField(help_text="Score ≥ 60, compared exactly (before rounding).")


class TrainingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    training_class = serializers.CharField(allow_null=True, help_text="The growth class's code, if linked.")
    title = serializers.CharField(allow_blank=True)
    days = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, coerce_to_string=False)


class PracticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PracticeKind.choices)
    place = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class TalkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField()
    leader = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class ReflectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField(help_text="The half year, e.g. 2026H1.")
    title = serializers.CharField()
    file_type = serializers.CharField(allow_blank=True, help_text="pdf, jpeg or png; empty without a file.")
    submitted_at = serializers.DateTimeField()


class AssessmentSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    result = serializers.ChoiceField(choices=AppraisalResult.choices)
    comment = serializers.CharField(allow_blank=True)


class ReserveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    official = serializers.CharField(help_text="The official's staff number.")
    name = serializers.CharField()
    unit = serializers.CharField(help_text="Unit code.")
    unit_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    level = serializers.ChoiceField(choices=Level.choices)
    stream = serializers.ChoiceField(choices=Stream.choices)
    status = serializers.ChoiceField(choices=ReserveStatus.choices)
    decided_on = serializers.DateField()
    decision_document = serializers.CharField(allow_blank=True)
    contact_leader = serializers.CharField(allow_blank=True)
    left_on = serializers.DateField(allow_null=True)
    disqualify_reason = serializers.CharField(
        allow_blank=True, help_text="A reason code of RULES §6 once disqualified, else empty."
    )
    disqualify_note = serializers.CharField(allow_blank=True)
    on = serializers.DateField(help_text="The day the flags were judged on.")
    flags = serializers.ListField(child=serializers.ChoiceField(choices=FLAG_CODES))
    soon_too_old = serializers.DateField(allow_null=True, help_text="Within 90 days: the day the age limit is reached.")
    trainings = TrainingSerializer(many=True)
    exams = ExamSerializer(many=True)
    defenses = DefenseSerializer(many=True)
    practices = PracticeSerializer(many=True)
    talks = TalkSerializer(many=True)
    reflections = ReflectionSerializer(many=True)
    assessments = AssessmentSerializer(many=True)


class FlaggedSerializer(serializers.Serializer):
    reserve = serializers.IntegerField()
    official = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    stream = serializers.ChoiceField(choices=Stream.choices)
    flags = serializers.ListField(child=serializers.ChoiceField(choices=FLAG_CODES))
    soon_too_old = serializers.DateField(allow_null=True)


class DueSerializer(serializers.Serializer):
    reserve = serializers.IntegerField()
    official = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    what = serializers.ChoiceField(choices=["reflection", "assessment"])
    period = serializers.CharField(help_text="2026H1 (reflection) or 2026 (assessment).")
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()


def published_data(reserve: Reserve) -> dict:
    official = reserve.official
    return {
        "name": official.name,
        "unit": official.unit.code,
        "unit_name": official.unit.name,
        "level": reserve.level,
        "stream": reserve.stream,
    }


def summary_data(reserve: Reserve, flags: list[str]) -> dict:
    return {
        **published_data(reserve),
        "id": reserve.pk,
        "official": reserve.official.staff_no,
        "status": reserve.status,
        "decided_on": reserve.decided_on,
        "decision_document": reserve.decision_document,
        "contact_leader": reserve.contact_leader,
        "left_on": reserve.left_on,
        "disqualify_reason": reserve.disqualify_reason,
        "disqualify_note": reserve.disqualify_note,
        "flags": flags,
    }


def exam_data(exam: Exam) -> dict:
    """An exam as the API answers it; ``held_on`` only when the exam has one (``{year, score, passed}`` as before)."""
    data = {"year": exam.year, "score": two_places(exam.score), "passed": rules.exam_passed(exam.score)}
    if exam.held_on is not None:
        data["held_on"] = exam.held_on
    return data


def defense_data(defense: Defense) -> dict:
    return {
        "year": defense.year,
        "held_on": defense.held_on,
        "panel": [two_places(row.score) for row in defense.examiner_scores.all()],
        "votes": {
            "excellent": defense.excellent,
            "competent": defense.competent,
            "basically_competent": defense.basically_competent,
            "incompetent": defense.incompetent,
        },
        "panel_score": two_places(defense.panel_score),
        "vote_score": two_places(defense.vote_score),
        "score": two_places(defense.score),
        "passed": defense.passed,
    }


def training_data(row: ReserveTraining) -> dict:
    klass = row.training_class
    return {
        "id": row.pk,
        "year": row.year,
        "training_class": klass.code if klass else None,
        "title": row.title,
        "days": row.days,
    }


def practice_data(row: Practice) -> dict:
    return {"id": row.pk, "kind": row.kind, "place": row.place, "starts_on": row.starts_on, "ends_on": row.ends_on}


def talk_data(row: Talk) -> dict:
    return {"id": row.pk, "held_on": row.held_on, "leader": row.leader, "note": row.note}


def reflection_data(row: Reflection) -> dict:
    return {
        "id": row.pk,
        "period": row.period,
        "title": row.title,
        "file_type": row.file_type,
        "submitted_at": row.submitted_at,
    }


def assessment_data(row: YearlyAssessment) -> dict:
    return {"year": row.year, "result": row.result, "comment": row.comment}


def reserve_data(reserve: Reserve, *, day: date, flags: list[str], soon_too_old: date | None, birth_date) -> dict:
    """The detail (``reserve`` with its rows prefetched)."""
    return {
        **summary_data(reserve, flags),
        "birth_date": birth_date,
        "on": day,
        "soon_too_old": soon_too_old,
        "trainings": [training_data(r) for r in reserve.trainings.all()],
        "exams": [exam_data(r) for r in reserve.exams.all()],
        "defenses": [defense_data(r) for r in reserve.defenses.all()],
        "practices": [practice_data(r) for r in reserve.practices.all()],
        "talks": [talk_data(r) for r in reserve.talks.all()],
        "reflections": [reflection_data(r) for r in reserve.reflections.all()],
        "assessments": [assessment_data(r) for r in reserve.assessments.all()],
    }


# ---------------------------------------------------------------------------------------------------
# Input


class ReserveCreateSerializer(serializers.Serializer):
    official = serializers.SlugRelatedField(
        slug_field="staff_no",
        queryset=Official.objects.all(),
        help_text="The official's staff number.",
        error_messages={"does_not_exist": _("There is no official with staff number “{value}”.")},
    )
    level = serializers.ChoiceField(choices=Level.choices)
    stream = serializers.ChoiceField(choices=Stream.choices)
    decided_on = serializers.DateField(help_text="The county committee's decision.")
    decision_document = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact_leader = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ExamInputSerializer(serializers.Serializer):
    year = YearSerializerField()
    score = ScoreInputField(help_text="0 to 100, at most two decimals; pass at 60.")
    held_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Optional: the exam's day, in the year, not in the future, not after that year's defense.",
    )


class DefenseInputSerializer(serializers.Serializer):
    year = YearSerializerField()
    panel = serializers.ListField(
        child=ScoreInputField(), max_length=50, help_text="Each examiner's score (5 to 7 examiners, 0 to 100)."
    )
    votes = VotesSerializer(help_text="The evaluation group's votes (15 to 20 voters).")
    held_on = serializers.DateField(required=False, allow_null=True, default=None)


class AssessmentInputSerializer(serializers.Serializer):
    year = YearSerializerField()
    result = serializers.ChoiceField(choices=AppraisalResult.choices, help_text="The annual appraisal result.")
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DisqualifyInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=DisqualifyReason.choices, help_text="A reason code of RULES §6.")
    note = serializers.CharField(max_length=1000, help_text="Why (required).")
    on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Default today.")


class AppointInputSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Default today.")


class PracticeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PracticeKind.choices)
    place = serializers.CharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class TalkInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    leader = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="Default: the reserve's contact leader."
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ReflectionInputSerializer(serializers.Serializer):
    period = serializers.RegexField(
        r"^\d{4}H[12]$",
        max_length=6,
        help_text="The half year, e.g. 2026H1.",
        error_messages={"invalid": _("A half year is written like 2026H1 or 2026H2.")},
    )
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(required=False, help_text="The article: a PDF, JPEG or PNG file.")


class TrainingInputSerializer(serializers.Serializer):
    year = YearSerializerField()
    training_class = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", help_text="The stream's growth class (its code)."
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    days = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True, default=None, min_value=0
    )
