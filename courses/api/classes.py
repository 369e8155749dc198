"""Placeholder until the owner writes it (issue 11)."""

from rest_framework import viewsets

from ..models import TrainingClass


class TrainingClassViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = TrainingClass.objects.none()
