"""``/api/v1/classes/``: training classes from filing to closing (issue 11's contract).

- ``GET`` list / ``GET {code}/``: the classes the user may see (``classes_visible_to``; anything else is 404);
  filters: status, class_type, dispatch, organiser, year, month, search.
- ``POST`` (the training section): a class; ``status`` is ``approved`` under 30 planned trainees, else ``draft``.
  ``PATCH {code}/`` changes it (dates and size only before approval).
- ``POST {code}/file/`` (the training section or the organising unit), ``approve/``, ``return/`` ``{reason}``.
- ``GET|POST {code}/sessions/``, ``DELETE {code}/sessions/{id}/``: the schedule.
- ``GET|POST {code}/quotas/`` ``{unit, seats}``: seats per unit (0 removes a quota).
- ``GET|POST {code}/trainees/`` ``{official}``, ``DELETE {code}/trainees/{staff_no}/``: the roster; a unit study
  administrator names their own unit's officials within its seats of a quota class.
- ``POST {code}/substitutions/`` ``{official, replaced_by, reason}``: a trainee gives up their place.
- ``POST {code}/results/`` ``{official, days_attended, passed, absent_without_reason?, speeches?, reflections?}``.
- ``POST {code}/close/``: the credit records are written (or brought in line after a correction), one recompute.

Errors: 400 in plain words, 403 for a role that may not act, 404 for a class outside the user's scope.
"""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from kunshan_training.permissions import OrgStaffOnly

from ..filtersets import TrainingClassFilterSet
from ..models import ClassSession, Enrolment, Quota
from ..selectors.classes import classes_visible_to, roster_visible_to, with_counts
from ..services import classes as services
from .serializers_classes import (
    ClassCreateSerializer,
    ClassSessionSerializer,
    ClassUpdateSerializer,
    ClosedClassSerializer,
    EnrolmentSerializer,
    QuotaInputSerializer,
    QuotaSerializer,
    ResultSerializer,
    ReturnSerializer,
    SubstitutionSerializer,
    TraineeInputSerializer,
    TrainingClassSerializer,
    quota_row,
)

STAFF_NO = OpenApiParameter("staff_no", OpenApiTypes.STR, OpenApiParameter.PATH, description="Staff number.")
SESSION_ID = OpenApiParameter("session_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Session id.")
# Actions only the training section takes: refused (403) before the request body is read.
STAFF_ACTIONS = {"create", "partial_update", "approve", "return_class", "close", "results", "session_detail"}
STAFF_WRITES = {"sessions", "quotas"}  # reads for whoever sees the class, writes for the training section


class TrainingClassViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TrainingClassSerializer
    filterset_class = TrainingClassFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return with_counts(classes_visible_to(self.request.user)).order_by("-starts_on", "code")

    def get_permissions(self):
        staff_only = self.action in STAFF_ACTIONS or (self.action in STAFF_WRITES and self.request.method == "POST")
        return [OrgStaffOnly()] if staff_only else super().get_permissions()

    def _answer(self, training_class, serializer_class=TrainingClassSerializer, code=status.HTTP_200_OK):
        """The class as it is now (with its counts), as the user sees it."""
        fresh = self.get_queryset().filter(pk=training_class.pk).first() or training_class
        if hasattr(training_class, "outcome"):
            fresh.outcome = training_class.outcome
        return Response(serializer_class(fresh, context=self.get_serializer_context()).data, status=code)

    def _read(self, serializer_class, request):
        form = serializer_class(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return form.validated_data

    # -- the class ------------------------------------------------------------------------------------

    @extend_schema(request=ClassCreateSerializer, responses={201: TrainingClassSerializer})
    def create(self, request, *args, **kwargs):
        data = self._read(ClassCreateSerializer, request)
        training_class = services.create_class(by=request.user, **data)
        return self._answer(training_class, code=status.HTTP_201_CREATED)

    @extend_schema(request=ClassUpdateSerializer, responses=TrainingClassSerializer)
    def partial_update(self, request, *args, **kwargs):
        training_class = self.get_object()
        data = self._read(ClassUpdateSerializer, request)
        training_class = services.update_class(by=request.user, training_class=training_class, **data)
        return self._answer(training_class)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        return super().update(request, *args, **kwargs)

    @extend_schema(request=None, responses=TrainingClassSerializer)
    @action(detail=True, methods=["post"])
    def file(self, request, code=None):
        """File a draft for approval (at least 30 days before it starts; else 400 with the last day it could)."""
        training_class = services.file_class(by=request.user, training_class=self.get_object())
        return self._answer(training_class)

    @extend_schema(request=None, responses=TrainingClassSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, code=None):
        training_class = services.approve_class(by=request.user, training_class=self.get_object())
        return self._answer(training_class)

    @extend_schema(request=ReturnSerializer, responses=TrainingClassSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_class(self, request, code=None):
        """Send a filed class back to a draft, with the reason."""
        training_class = self.get_object()
        data = self._read(ReturnSerializer, request)
        training_class = services.return_class(by=request.user, training_class=training_class, reason=data["reason"])
        return self._answer(training_class)

    @extend_schema(request=None, responses=ClosedClassSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, code=None):
        """Close the class: its trainees' (and teachers') credit records are written or brought in line."""
        training_class = self.get_object()
        outcome = services.close_class(by=request.user, training_class=training_class)
        training_class.outcome = outcome
        return self._answer(training_class, ClosedClassSerializer)

    # -- the schedule ---------------------------------------------------------------------------------

    @extend_schema(methods=["GET"], request=None, responses=ClassSessionSerializer(many=True))
    @extend_schema(methods=["POST"], request=ClassSessionSerializer, responses={201: ClassSessionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def sessions(self, request, code=None):
        training_class = self.get_object()
        if request.method == "GET":
            sessions = training_class.sessions.select_related("course", "teacher")
            return Response(ClassSessionSerializer(sessions, many=True).data)
        data = self._read(ClassSessionSerializer, request)
        session = services.add_session(by=request.user, training_class=training_class, **data)
        return Response(ClassSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, parameters=[SESSION_ID])
    @action(detail=True, methods=["delete"], url_path=r"sessions/(?P<session_id>[0-9]+)")
    def session_detail(self, request, code=None, session_id=None):
        training_class = self.get_object()
        session = get_object_or_404(ClassSession, training_class=training_class, pk=session_id)
        services.remove_session(by=request.user, session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # -- quotas ---------------------------------------------------------------------------------------

    def _quota_rows(self, training_class, unit_ids=None) -> list[dict]:
        quotas = Quota.objects.filter(training_class=training_class).select_related("unit")
        if unit_ids is not None:
            quotas = quotas.filter(unit_id__in=unit_ids)
        taken = dict(
            Enrolment.objects.filter(training_class=training_class, active=True)
            .values("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
        return [quota_row(quota, taken.get(quota.unit_id, 0)) for quota in quotas]

    @extend_schema(methods=["GET"], request=None, responses=QuotaSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=QuotaInputSerializer,
        responses={200: QuotaSerializer, 201: QuotaSerializer},
        description="Set a unit's seats: 201 for a new quota, 200 for a changed one (or 0 seats: removed).",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def quotas(self, request, code=None):
        training_class = self.get_object()
        if request.method == "GET":
            return Response(QuotaSerializer(self._quota_rows(training_class), many=True).data)
        data = self._read(QuotaInputSerializer, request)
        existed = Quota.objects.filter(training_class=training_class, unit=data["unit"]).exists()
        quota = services.set_quota(by=request.user, training_class=training_class, **data)
        if quota is None:
            row = {"unit": data["unit"], "seats": 0, "taken": 0, "left": 0}
        else:
            row = self._quota_rows(training_class, unit_ids=[quota.unit_id])[0]
        code_ = status.HTTP_201_CREATED if quota is not None and not existed else status.HTTP_200_OK
        return Response(QuotaSerializer(row).data, status=code_)

    # -- trainees and results -------------------------------------------------------------------------

    @extend_schema(methods=["GET"], request=None, responses=EnrolmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=TraineeInputSerializer, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def trainees(self, request, code=None):
        """GET: the roster (active trainees first; replaced ones stay listed): all of it for the training section
        and the organising unit, a unit's own trainees for its administrator, their own row for an official. POST:
        enrol an official (400 when the class is not approved, full, or the unit's seats are taken)."""
        training_class = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(roster_visible_to(request.user, training_class))
            return self.get_paginated_response(EnrolmentSerializer(page, many=True).data)
        data = self._read(TraineeInputSerializer, request)
        enrolment = services.enrol_trainee(by=request.user, training_class=training_class, official=data["official"])
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, parameters=[STAFF_NO])
    @action(detail=True, methods=["delete"], url_path=r"trainees/(?P<staff_no>[^/]+)")
    def trainee_detail(self, request, code=None, staff_no=None):
        """Take a trainee off the roster (before their result is entered)."""
        training_class = self.get_object()
        enrolment = self._enrolment(training_class, staff_no)
        services.remove_trainee(by=request.user, enrolment=enrolment)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _enrolment(self, training_class, staff_no: str, *, field: str | None = None) -> Enrolment:
        enrolment = (
            Enrolment.objects.filter(training_class=training_class, official__staff_no=staff_no, active=True)
            .select_related("official", "training_class")
            .first()
        )
        if enrolment is None:
            message = _("%(staff_no)s is not a trainee of this class.") % {"staff_no": staff_no}
            if field is None:
                raise NotFound(message)
            raise ValidationError({field: [message]})
        return enrolment

    @extend_schema(request=SubstitutionSerializer, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def substitutions(self, request, code=None):
        """``official`` gives up their place to ``replaced_by`` (a by-name class: the training section only, with
        the reason); answers with the new trainee."""
        training_class = self.get_object()
        data = self._read(SubstitutionSerializer, request)
        enrolment = self._enrolment(training_class, data["official"].staff_no, field="official")
        replacement = services.substitute_trainee(by=request.user, enrolment=enrolment, official=data["replaced_by"],
                                                  reason=data.get("reason", ""))  # fmt: skip
        return Response(EnrolmentSerializer(replacement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ResultSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def results(self, request, code=None):
        """A trainee's result; after closing, a correction (close again to bring the records in line)."""
        training_class = self.get_object()
        data = self._read(ResultSerializer, request)
        enrolment = services.record_result(by=request.user, training_class=training_class, **data)
        return Response(EnrolmentSerializer(enrolment).data)
