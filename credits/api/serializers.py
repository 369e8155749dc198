from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kunshan_training.fields import FormSafeModelSerializer
from kunshan_training.years import YearSerializerField
from organisation.models import Official

from ..models import (
    ActivityRecord,
    AnnualScore,
    Category,
    EvidenceType,
    Exemption,
    ExemptionReason,
    Kind,
    RecomputeJob,
    Veto,
    VetoReason,
)
from ..rules import get_policy

OFFICIAL_FIELD = {
    "slug_field": "staff_no",
    "queryset": Official.objects.all(),
    "error_messages": {"does_not_exist": _("There is no official with staff number “{value}”.")},
}


class EvidenceField(serializers.FileField):
    """Written as a file upload (checked by the service, credits/evidence.py); read as the URL that hands it out after
    the scope check (never a public media URL, which is not served)."""

    def to_representation(self, value):
        if not value:
            return None
        url = reverse("portal:record-evidence", args=[value.instance.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ActivityRecordSerializer(FormSafeModelSerializer):  # class_passed: missing is missing, JSON or form
    official = serializers.SlugRelatedField(**OFFICIAL_FIELD)
    evidence = EvidenceField(
        required=False,
        allow_null=True,
        help_text=_("PDF, JPEG or PNG, checked by parsing the whole file; read back as the URL that serves it."),
    )
    # Blank for a record without evidence or with a file stored before the check (until recheck_evidence types it).
    evidence_type = serializers.ChoiceField(choices=EvidenceType.choices, allow_blank=True, read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices)
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_null=True)
    quantity = serializers.DecimalField(max_digits=7, decimal_places=1, coerce_to_string=False)
    points = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, coerce_to_string=False
    )
    hours = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("Study hours; when left out, the kind's default hours per unit count (RULES §3)."),
    )

    class Meta:
        model = ActivityRecord
        fields = [
            "id",
            "official",
            "kind",
            "category",
            "quantity",
            "points",
            "hours",
            "class_passed",
            "occurred_on",
            "note",
            "evidence",
            "evidence_type",
            "source",
            "status",
            "reject_reason",
            "created_at",
            "reviewed_at",
        ]
        read_only_fields = ["evidence_type", "source", "status", "reject_reason", "created_at", "reviewed_at"]


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, error_messages={"blank": _("Give the reason for rejecting.")})


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        error_messages={
            "blank": _("Give the reason for revoking the approval."),
            "required": _("Give the reason for revoking the approval."),
        },
    )


class CorrectSerializer(serializers.Serializer):
    """The fields of an approved record that the training section may correct, with the reason (required)."""

    reason = serializers.CharField(
        max_length=500,
        error_messages={
            "blank": _("Give the reason for correcting the record."),
            "required": _("Give the reason for correcting the record."),
        },
    )
    quantity = serializers.DecimalField(max_digits=7, decimal_places=1, coerce_to_string=False, required=False)
    points = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, required=False)
    occurred_on = serializers.DateField(required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    class_passed = serializers.BooleanField(required=False)
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=1, coerce_to_string=False, required=False, allow_null=True
    )


class ExemptionSerializer(serializers.ModelSerializer):
    official = serializers.SlugRelatedField(**OFFICIAL_FIELD)
    reason = serializers.ChoiceField(choices=ExemptionReason.choices)
    year = YearSerializerField()

    class Meta:
        model = Exemption
        fields = ["id", "official", "year", "reason", "note"]
        validators = []  # the service says "already has an exemption" in plain words


class VetoSerializer(ExemptionSerializer):
    reason = serializers.ChoiceField(choices=VetoReason.choices)

    class Meta:
        model = Veto
        fields = ["id", "official", "year", "reason", "note"]
        validators = []


class AnnualScoreSerializer(serializers.ModelSerializer):
    """The score contract: categories nested, grade and exemption reason null when they do not apply."""

    official = serializers.CharField(source="official.staff_no")
    unit = serializers.CharField(source="unit.code")
    exempt_reason = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    total = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    grade = serializers.SerializerMethodField()

    class Meta:
        model = AnnualScore
        fields = [
            "official",
            "unit",
            "year",
            "policy",
            "exempt",
            "exempt_reason",
            "categories",
            "total",
            "grade",
            "vetoes",
            "flags",
            "city_rank",
            "unit_rank",
            "computed_at",
        ]

    def get_exempt_reason(self, score: AnnualScore) -> str | None:
        return score.exempt_reason or None

    def get_grade(self, score: AnnualScore) -> str | None:
        return None if score.exempt else score.grade or None

    def get_categories(self, score: AnnualScore) -> dict:
        """The categories of the score's own policy; ``passed`` where the policy judges categories (pass lines)."""
        judged = get_policy(score.policy).judges_categories
        categories = {}
        for code, result in (score.categories or {}).items():
            categories[code] = {"score": float(result["score"])}
            if judged:
                categories[code]["passed"] = result.get("passed")
        return categories

    def to_representation(self, score: AnnualScore) -> dict:
        """Policy-specific figures (Baoji: earned, carry in and out, effective, the cycle) beside the common ones."""
        data = super().to_representation(score)
        for name, value in (score.figures or {}).items():
            data[name] = _figure(value)
        return data


def _figure(value):
    """Figures are stored with decimals as strings ("12.5"); the API gives numbers, as for the category scores."""
    if isinstance(value, dict):
        return {k: _figure(v) for k, v in value.items()}
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


class AnnualScoreDetailSerializer(AnnualScoreSerializer):
    # Made from the score's stored inputs when read (AnnualScore.explanation); an object whose keys are the policy's.
    explanation = serializers.DictField(read_only=True)
    up_to_date = serializers.SerializerMethodField()

    class Meta(AnnualScoreSerializer.Meta):
        fields = [*AnnualScoreSerializer.Meta.fields, "explanation", "up_to_date"]

    def get_up_to_date(self, score: AnnualScore) -> bool:
        from ..selectors import score_is_current

        return score_is_current(official_id=score.official_id, year=score.year)


class RecomputeJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecomputeJob
        fields = ["id", "year", "state", "progress", "officials", "error", "created_at", "finished_at"]
