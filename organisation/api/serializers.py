from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Official, Rank, Unit, UnitKind
from ..roles import is_org_staff, scope_of


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
    birth_date = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text=_("Shown to the training section and the official's unit administrator (null to anyone else)."),
    )  # fmt: skip

    class Meta:
        model = Official
        fields = ["staff_no", "name", "unit", "rank", "included_on", "retires_on", "birth_date"]
        extra_kwargs = {"staff_no": {"validators": []}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        if not may_see_birth_date(user, instance):
            data["birth_date"] = None
        return data


def may_see_birth_date(user, official: Official) -> bool:
    """The date of birth is personal: the training section and the study administrator of the official's unit (the
    reserve pool's age rule) see it; the official's own login and anyone else do not."""
    if user is None or not user.is_authenticated:
        return False
    return is_org_staff(user) or scope_of(user).unit_id == official.unit_id
