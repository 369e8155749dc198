"""``/api/v1/unit-plans/``: the units' annual training plans (RULES §5).

- ``GET``: the plans the user may see (the training section all, a unit study administrator their unit's);
  ``?year=``, ``?unit=``.
- ``POST`` ``{unit, year, planned_classes, expected_trainees, content?}``: file a plan (201), or file it again
  (200, the same unit and year: updated). A unit study administrator only for their own unit (else 403).
- ``GET missing/?year=`` (the training section): the units that have not filed their plan for the year.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kunshan_training.permissions import OrgStaffOnly
from kunshan_training.years import api_year

from ..filtersets import UnitPlanFilterSet
from ..models import UnitPlan
from ..selectors.classes import plans_visible_to, units_without_plan
from ..services.plans import file_unit_plan
from .serializers_classes import PlanlessUnitSerializer, UnitPlanSerializer

YEAR = OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True,
                        description="The year of the plans.")  # fmt: skip


class UnitPlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitPlanSerializer
    filterset_class = UnitPlanFilterSet

    def get_queryset(self):
        return plans_visible_to(self.request.user).order_by("-year", "unit__code")

    def get_permissions(self):
        return [OrgStaffOnly()] if self.action == "missing" else super().get_permissions()

    @extend_schema(responses={201: UnitPlanSerializer, 200: UnitPlanSerializer})
    def create(self, request, *args, **kwargs):
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        existed = UnitPlan.objects.filter(unit=data["unit"], year=data["year"]).exists()
        plan = file_unit_plan(by=request.user, **data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(self.get_serializer(plan).data, status=code)

    @extend_schema(parameters=[YEAR], responses=PlanlessUnitSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def missing(self, request):
        """The units without a plan for ``year`` (the training section)."""
        year = api_year(request.query_params.get("year"))
        return Response(PlanlessUnitSerializer(units_without_plan(year=year), many=True).data)
