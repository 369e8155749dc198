"""The lectures' API (菜单式选学).

- ``GET /api/v1/lectures/`` (filters: level, month, search), ``GET /api/v1/lectures/{code}/``: everyone signed in;
  the detail lists the sign-ups the user may see (the training section: all; a unit administrator: their unit's; an
  official: their own); only the training section sees the check-in code.
- ``POST /api/v1/lectures/``: the training section.
- ``POST /api/v1/lectures/{code}/signups/`` ``{official}`` → 201; ``DELETE /api/v1/lectures/{code}/signups/{staff_no}/``
  → 204 (not after check-in): the official themself, their unit administrator, the training section.
- ``POST /api/v1/lectures/{code}/checkins/`` ``{official, checkin_code?}`` → 201 with the sign-up and its record; 200
  with the same when the official was checked in already (nothing changes). The training section and the official's
  unit administrator any day; the official themself with the code on the lecture's day.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from organisation.models import Official
from organisation.roles import is_org_staff, scope_of

from ..filtersets_catalogue import LectureFilterSet
from ..selectors.lectures import lectures_visible_to, signups_visible_to
from ..services import lectures as services
from .serializers_catalogue import (
    CheckinRequestSerializer,
    LectureDetailSerializer,
    LectureSerializer,
    SignupRequestSerializer,
    SignupSerializer,
)


class LectureViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    filterset_class = LectureFilterSet
    lookup_field = "code"

    def get_queryset(self):
        return lectures_visible_to(self.request.user)

    def get_serializer_class(self):
        return LectureDetailSerializer if self.action == "retrieve" else LectureSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["sees_codes"] = is_org_staff(self.request.user)
        if self.action == "retrieve":
            context["visible_signups"] = signups_visible_to(self.request.user, self.get_object())
        return context

    def perform_create(self, serializer):
        lecture = services.create_lecture(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=lecture.pk)

    @extend_schema(request=SignupRequestSerializer, responses={201: SignupSerializer})
    @action(detail=True, methods=["post"])
    def signups(self, request, code=None):
        """Sign an official up (yourself, an official of your unit, or anyone for the training section)."""
        lecture = self.get_object()
        form = SignupRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        signup = services.sign_up(by=request.user, lecture=lecture, official=form.validated_data["official"])
        return Response(SignupSerializer(signup).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[
            OpenApiParameter("staff_no", str, OpenApiParameter.PATH, description="The official's staff number.")
        ],
    )
    @action(detail=True, methods=["delete"], url_path=r"signups/(?P<staff_no>[^/.]+)")
    def cancel_signup(self, request, code=None, staff_no=None):
        """Cancel a sign-up you may see (not once checked in)."""
        lecture = self.get_object()
        signup = get_object_or_404(signups_visible_to(request.user, lecture), official__staff_no=staff_no)
        services.cancel_signup(by=request.user, signup=signup)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CheckinRequestSerializer, responses={200: SignupSerializer, 201: SignupSerializer})
    @action(detail=True, methods=["post"])
    def checkins(self, request, code=None):
        """Check an official in (writes their lecture record once)."""
        lecture = self.get_object()
        form = CheckinRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        official = form.validated_data.get("official") or _yourself(request.user)
        outcome = services.check_in_outcome(
            by=request.user, lecture=lecture, official=official,
            checkin_code=form.validated_data.get("checkin_code") or None,
        )  # fmt: skip
        return Response(
            SignupSerializer(outcome.signup).data,
            status=status.HTTP_200_OK if outcome.already else status.HTTP_201_CREATED,
        )


def _yourself(user) -> Official:
    official_id = scope_of(user).official_id
    if official_id is None:
        raise ValidationError({"official": [_("This field is required.")]})
    return Official.objects.select_related("unit").get(pk=official_id)
