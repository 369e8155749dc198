"""Placeholder until the owner writes it (issue 11)."""

from rest_framework import viewsets

from ..models import Course, FacultyMember, Subject


class SubjectViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Subject.objects.none()


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Course.objects.none()


class FacultyMemberViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FacultyMember.objects.none()
