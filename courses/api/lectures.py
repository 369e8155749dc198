"""Placeholder until the owner writes it (issue 11)."""

from rest_framework import viewsets

from ..models import Lecture


class LectureViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Lecture.objects.none()
