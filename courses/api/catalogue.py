"""The catalogue's API: subjects, courses (with their online completions) and the faculty pool.

- ``GET /api/v1/course-subjects/``: every subject as ``{code, name}``, a plain list (no pages: 33 rows).
- ``GET/POST /api/v1/courses/``, ``GET/PATCH /api/v1/courses/{code}/``: everyone signed in reads; the training
  section writes (403 for anyone else).
- ``POST /api/v1/courses/{code}/completions/`` ``{official, completed_on, exam_passed}``: the training section
  records a completion: 201 new, 200 when it updates the one on record (and its record).
- ``GET/POST /api/v1/faculty-members/``, ``POST /api/v1/faculty-members/{id}/end/`` ``{left_on}``: the training
  section only.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kunshan_training.permissions import OrgStaffOnly, OrgStaffWrites

from ..filtersets_catalogue import CourseFilterSet
from ..models import OnlineCompletion
from ..selectors.catalogue import courses_visible_to, faculty_members_visible_to, subjects
from ..services import catalogue, faculty, online
from .serializers_catalogue import (
    CompletionRequestSerializer,
    CompletionSerializer,
    CourseChangeSerializer,
    CourseSerializer,
    FacultyEndSerializer,
    FacultyMemberSerializer,
    SubjectSerializer,
)


class SubjectViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue's subject categories (seeded), read by everyone signed in."""

    serializer_class = SubjectSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None  # the contract: a plain list of all of them
    lookup_field = "code"

    def get_queryset(self):
        return subjects()


class CourseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CourseSerializer
    filterset_class = CourseFilterSet
    permission_classes = [OrgStaffWrites]
    lookup_field = "code"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return courses_visible_to(self.request.user)

    def get_serializer_class(self):
        return CourseChangeSerializer if self.action == "partial_update" else CourseSerializer

    def perform_create(self, serializer):
        serializer.instance = catalogue.create_course(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = catalogue.update_course(
            by=self.request.user, course=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        request=CompletionRequestSerializer, responses={200: CompletionSerializer, 201: CompletionSerializer}
    )
    @action(detail=True, methods=["post"])
    def completions(self, request, code=None):
        """The training section: an official completed this online course (posting again updates it)."""
        course = self.get_object()
        form = CompletionRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        existed = OnlineCompletion.objects.filter(course=course, official=data["official"]).exists()
        completion = online.record_completion(by=request.user, course=course, **data)
        return Response(
            CompletionSerializer(completion).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )


class FacultyMemberViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The faculty pool (师资库): the training section only."""

    serializer_class = FacultyMemberSerializer
    permission_classes = [OrgStaffOnly]

    def get_queryset(self):
        return faculty_members_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = faculty.add_faculty_member(by=self.request.user, **serializer.validated_data)

    @extend_schema(request=FacultyEndSerializer, responses={200: FacultyMemberSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The member left the pool on ``left_on``."""
        member = self.get_object()
        form = FacultyEndSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        member = faculty.end_faculty_membership(by=request.user, member=member, **form.validated_data)
        return Response(FacultyMemberSerializer(member).data)
