from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Official, Rank, Unit, UnitKind


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no unit with code “{value}”.")},
    )
    kind = serializers.ChoiceField(choices=UnitKind.choices, default=UnitKind.DEPARTMENT)

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent"]
        extra_kwargs = {"code": {"validators": []}}


class OfficialSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.all(),
        error_messages={"does_not_exist": _("There is no unit with code “{value}”.")},
    )
    rank = serializers.ChoiceField(choices=Rank.choices, default=Rank.OTHER)
    included_on = serializers.DateField(required=False, allow_null=True, default=None)
    retires_on = serializers.DateField(required=False, allow_null=True, default=None)

    class Meta:
        model = Official
        fields = ["staff_no", "name", "unit", "rank", "included_on", "retires_on"]
        extra_kwargs = {"staff_no": {"validators": []}}
