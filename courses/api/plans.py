"""Placeholder until the owner writes it (issue 11)."""

from rest_framework import viewsets

from ..models import UnitPlan


class UnitPlanViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = UnitPlan.objects.none()
