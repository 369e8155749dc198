"""The year's credit policy, its what-if preview, an official's study hours and a unit's figures of a year.

- ``PUT /api/v1/years/{year}/policy/`` ``{"policy": "baoji-2009"}`` (the training section): 200 ``{year, policy}``;
  the year and the chain after it are recomputed by a job (``job``; null when nothing changed). 400 for an unknown
  policy or a bad year, 409 for a published year, 403 for anyone else.
- ``POST /api/v1/years/{year}/policy-preview/`` ``{"policy": ...}`` (the training section): what the switch would
  change, computed without writing anything (``credits.year_policy.preview_policy``).
- ``GET /api/v1/officials/{staff_no}/hours/{year}/``: study hours of the year and of its cycle (RULES §3), for whoever
  may see the official (else 404).
- ``GET /api/v1/units/{code}/years/{year}/``: the unit's assessed and failed officials, flags and central-group
  sessions of the year (the training section any unit, a unit study administrator their own; else 404 / 403).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kunshan_training.permissions import OrgStaffOnly
from kunshan_training.years import api_year
from organisation.selectors import officials_visible_to

from ..rules import POLICIES
from ..selectors.hours import official_hours
from ..selectors.unit_year import unit_for, unit_year
from ..year_policy import PolicyPreview, preview_policy, set_year_policy
from .serializers import RecomputeJobSerializer

DECIMAL = {"max_digits": 12, "decimal_places": 1, "coerce_to_string": False}
STATES_HELP = _("Officials per grade code, plus “exempt” for the exempt officials.")


# ---------------------------------------------------------------------------------------------------
# Serializers


class PolicyChoiceSerializer(serializers.Serializer):
    policy = serializers.ChoiceField(
        choices=list(POLICIES),
        help_text=_("A credit policy code."),
        error_messages={
            "invalid_choice": _("There is no credit policy “{input}”."),
            "required": _("Name the credit policy."),
            "null": _("Name the credit policy."),
        },
    )


class YearPolicySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    policy = serializers.CharField(help_text=_("The year's credit policy code, now."))
    previous = serializers.CharField(help_text=_("The year's credit policy code before this request."))
    job = RecomputeJobSerializer(
        allow_null=True,
        help_text=_(
            "The recompute of the year and the chain after it; null when nothing changed, or for a year that has not "
            "begun (nothing to recompute yet)."
        ),
    )


class ChangedOfficialSerializer(serializers.Serializer):
    staff_no = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField(help_text=_("Unit code."))
    grade_now = serializers.CharField(
        allow_null=True, help_text=_("The stored grade, or “exempt”; null when no score is stored.")
    )
    grade_after = serializers.CharField(help_text=_("The grade under the policy previewed, or “exempt”."))
    total_now = serializers.DecimalField(allow_null=True, **DECIMAL)
    total_after = serializers.DecimalField(**DECIMAL)


class UnitPreviewSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    changed = serializers.IntegerField()
    grades_now = serializers.DictField(child=serializers.IntegerField(), help_text=STATES_HELP)
    grades_after = serializers.DictField(child=serializers.IntegerField(), help_text=STATES_HELP)
    failed_now = serializers.IntegerField()
    failed_after = serializers.IntegerField()
    flags_now = serializers.ListField(child=serializers.CharField())
    flags_after = serializers.ListField(child=serializers.CharField())


class PolicyPreviewSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    policy = serializers.CharField(help_text=_("The policy previewed."))
    policy_now = serializers.CharField(help_text=_("The year's policy now."))
    changed = serializers.IntegerField(help_text=_("Officials whose grade (or exemption) would change."))
    grades_now = serializers.DictField(child=serializers.IntegerField(), help_text=STATES_HELP)
    grades_after = serializers.DictField(child=serializers.IntegerField(), help_text=STATES_HELP)
    officials = ChangedOfficialSerializer(many=True, help_text=_("The first 100 changes, by unit then staff number."))
    units = UnitPreviewSerializer(many=True)
    not_scored = serializers.IntegerField(help_text=_("Officials of the year without a stored score."))
    later_years = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Later years with scores: recomputed after a switch.")
    )
    later_published = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Of the later years, the published ones.")
    )
    published = serializers.BooleanField(help_text=_("The year is published: its policy cannot change."))


class HoursCycleSerializer(serializers.Serializer):
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()
    hours = serializers.DecimalField(**DECIMAL)
    required = serializers.DecimalField(allow_null=True, **DECIMAL)
    met = serializers.BooleanField(allow_null=True, help_text=_("Judged in the cycle's last year; null before."))


class OfficialHoursSerializer(serializers.Serializer):
    official = serializers.CharField(help_text=_("Staff number."))
    rank = serializers.CharField()
    year = serializers.IntegerField()
    hours = serializers.DecimalField(**DECIMAL)
    required = serializers.DecimalField(allow_null=True, help_text=_("Null: no requirement for the rank."), **DECIMAL)
    met = serializers.BooleanField(allow_null=True)
    cycle = HoursCycleSerializer()


class UnitYearSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text=_("Unit code."))
    year = serializers.IntegerField()
    policy = serializers.CharField()
    assessed = serializers.IntegerField()
    failed = serializers.IntegerField()
    flags = serializers.ListField(child=serializers.CharField())
    group_study_sessions = serializers.IntegerField()
    group_study_sessions_required = serializers.IntegerField(allow_null=True)


# ---------------------------------------------------------------------------------------------------
# Views


def _policy_of(request) -> str:
    form = PolicyChoiceSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    return form.validated_data["policy"]


class YearPolicyView(APIView):
    """PUT: assess the year under another credit policy; the year and the chain after it are recomputed."""

    permission_classes = [OrgStaffOnly]

    @extend_schema(request=PolicyChoiceSerializer, responses=YearPolicySerializer)
    def put(self, request, year: int):
        year = api_year(year)
        switch = set_year_policy(by=request.user, year=year, policy=_policy_of(request))
        job = switch.job
        if job is not None:
            job.refresh_from_db()  # in-process tasks have already run it
        data = {"year": switch.year, "policy": switch.policy, "previous": switch.previous, "job": job}
        return Response(YearPolicySerializer(data).data)


class PolicyPreviewView(APIView):
    """POST: what assessing the year under a credit policy would change; nothing is written."""

    permission_classes = [OrgStaffOnly]

    @extend_schema(request=PolicyChoiceSerializer, responses=PolicyPreviewSerializer)
    def post(self, request, year: int):
        year = api_year(year)
        preview: PolicyPreview = preview_policy(year=year, policy=_policy_of(request))
        return Response(PolicyPreviewSerializer(preview).data)


class OfficialHoursView(APIView):
    """GET: the official's study hours of the year and of its five-year cycle, judged against their rank."""

    @extend_schema(responses=OfficialHoursSerializer)
    def get(self, request, staff_no: str, year: int):
        year = api_year(year)
        official = get_object_or_404(officials_visible_to(request.user), staff_no=staff_no)
        result = official_hours(official=official, year=year)
        data = {
            "official": official.staff_no,
            "rank": official.rank,
            "year": result.year,
            "hours": result.hours,
            "required": result.required,
            "met": result.met,
            "cycle": {
                "first_year": result.cycle_first_year,
                "last_year": result.cycle_last_year,
                "hours": result.cycle_hours,
                "required": result.cycle_required,
                "met": result.cycle_met,
            },
        }
        return Response(OfficialHoursSerializer(data).data)


class UnitYearView(APIView):
    """GET: the unit's assessed and failed officials, flags and central-group sessions of the year."""

    @extend_schema(
        responses={
            200: UnitYearSerializer,
            403: OpenApiResponse(description="Officials may not read a unit's figures."),
            404: OpenApiResponse(description="No such unit, or a unit outside the user's scope."),
        }
    )
    def get(self, request, code: str, year: int):
        year = api_year(year)
        figures = unit_year(unit=unit_for(request.user, code), year=year)
        data = {
            "unit": figures.unit.code,
            "year": figures.year,
            "policy": figures.policy.code,
            "assessed": figures.assessed,
            "failed": figures.failed,
            "flags": list(figures.flags),
            "group_study_sessions": figures.group_study_sessions,
            "group_study_sessions_required": figures.group_study_sessions_required,
        }
        return Response(UnitYearSerializer(data).data)
