"""The follow-up of closed classes (issue 14; RULES §5 追踪问效), beside ``/api/v1/classes/`` (its own viewset on the
same prefix, so the classes' viewset stays as it was):

- ``GET /classes/{code}/evaluation/`` (the training section): responses, the per-session means per teacher and per
  course, the class-wide questions' results; nothing broken down under 5 respondents.
- ``GET|PUT /classes/{code}/follow-up/`` (the training section): the schedule with each item's state; PUT
  ``{key_class, years}``.
- ``POST /classes/{code}/self-evaluation/`` and ``POST /classes/{code}/study-summary/`` (multipart with ``file``, or
  JSON with ``text``): the trainee of the closed class; sent again, it replaces the earlier one (200).
- ``POST /classes/{code}/forums/`` ``{held_on, attendees, summary}`` and ``POST /classes/{code}/samples/``
  ``{round, size?, seed?}`` → 201 with size, seed, population and the staff numbers drawn (the training section).
- ``PATCH /follow-up-reviews/{id}/`` ``{done_on, method, outcome, finding}`` (the training section).
- ``GET /follow-up-items/?state=due|overdue``: the training section every item; a unit administrator their unit's
  officials'; an official what they owe.
- ``GET /training-feedback/?unit=CODE&year=``: what is fed back to a unit about its trainees (the training section
  any unit; a unit administrator their own); never an anonymous answer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kunshan_training.permissions import OrgStaffOnly
from kunshan_training.years import parse_year
from organisation.models import Official, Unit
from organisation.roles import is_org_staff, scope_of

from .. import followup_rules
from ..models import Enrolment, FollowUpReview
from ..selectors import followup as selectors
from ..selectors.classes import classes_visible_to
from ..selectors.surveys import class_evaluation
from ..services import evaluations, followup
from .serializers_surveys import (
    ClassEvaluationSerializer,
    ClassFollowUpSerializer,
    FeedbackRowSerializer,
    FollowUpItemSerializer,
    FollowUpSettingsSerializer,
    ForumSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    SampleRequestSerializer,
    SampleSerializer,
    SelfEvaluationOutSerializer,
    SelfEvaluationSerializer,
    StudySummaryInputSerializer,
    StudySummarySerializer,
)

STAFF_ACTIONS = {"evaluation", "follow_up", "forums", "samples"}


def _read(serializer_class, request) -> dict:
    form = serializer_class(data=request.data)
    form.is_valid(raise_exception=True)
    return form.validated_data


class ClassFollowUpViewSet(viewsets.GenericViewSet):
    """The evaluation and follow-up of one class (``classes/{code}/…``)."""

    serializer_class = ClassFollowUpSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filterset_class = None

    def get_queryset(self):
        return classes_visible_to(self.request.user)

    def get_permissions(self):
        return [OrgStaffOnly()] if self.action in STAFF_ACTIONS else [IsAuthenticated()]

    @extend_schema(responses=ClassEvaluationSerializer)
    @action(detail=True, methods=["get"])
    def evaluation(self, request, code=None):
        """The class's anonymous evaluation: per teacher and per course from 5 respondents."""
        return Response(ClassEvaluationSerializer(class_evaluation(training_class=self.get_object())).data)

    @extend_schema(methods=["GET"], request=None, responses=ClassFollowUpSerializer)
    @extend_schema(methods=["PUT"], request=FollowUpSettingsSerializer, responses=ClassFollowUpSerializer)
    @action(detail=True, methods=["get", "put"], url_path="follow-up")
    def follow_up(self, request, code=None):
        """The follow-up schedule and where each item stands; PUT marks a pilot or key class and its years."""
        training_class = self.get_object()
        if request.method == "PUT":
            data = _read(FollowUpSettingsSerializer, request)
            training_class = followup.set_follow_up(by=request.user, training_class=training_class, **data)
        seen = selectors.class_follow_up(training_class=training_class, today=timezone.localdate())
        return Response(ClassFollowUpSerializer(seen).data)

    @extend_schema(
        request=SelfEvaluationSerializer, responses={200: SelfEvaluationOutSerializer, 201: SelfEvaluationOutSerializer}
    )
    @action(detail=True, methods=["post"], url_path="self-evaluation")
    def self_evaluation(self, request, code=None):
        """The trainee's self-evaluation (201; 200 when it replaces the one sent before)."""
        training_class = self.get_object()
        data = _read(SelfEvaluationSerializer, request)
        existed = selectors.trainee_has_sent(
            training_class=training_class, user=request.user, what=selectors.SELF_EVALUATION
        )
        row = evaluations.submit_self_evaluation(by=request.user, training_class=training_class, **data)
        code_ = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(SelfEvaluationOutSerializer(row).data, status=code_)

    @extend_schema(
        request={"multipart/form-data": StudySummaryInputSerializer, "application/json": StudySummaryInputSerializer},
        responses={200: StudySummarySerializer, 201: StudySummarySerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="study-summary",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def study_summary(self, request, code=None):
        """The trainee's study summary: text, or a PDF or image (201; 200 when it replaces the one sent before)."""
        training_class = self.get_object()
        data = _read(StudySummaryInputSerializer, request)
        existed = selectors.trainee_has_sent(
            training_class=training_class, user=request.user, what=selectors.STUDY_SUMMARY
        )
        row = followup.submit_study_summary(by=request.user, training_class=training_class, **data)
        code_ = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(StudySummarySerializer(row).data, status=code_)

    @extend_schema(request=ForumSerializer, responses={201: ForumSerializer})
    @action(detail=True, methods=["post"])
    def forums(self, request, code=None):
        """Record a follow-up forum held after the class."""
        training_class = self.get_object()
        data = _read(ForumSerializer, request)
        forum = followup.record_forum(by=request.user, training_class=training_class, **data)
        return Response(ForumSerializer(forum).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SampleRequestSerializer, responses={201: SampleSerializer})
    @action(detail=True, methods=["post"])
    def samples(self, request, code=None):
        """Draw the trainees followed up in a year (once per year); size and seed are recorded and returned, so
        the draw can be repeated."""
        training_class = self.get_object()
        data = _read(SampleRequestSerializer, request)
        sample = followup.draw_follow_up_sample(by=request.user, training_class=training_class, **data)
        sample = type(sample).objects.prefetch_related("reviews__enrolment__official").get(pk=sample.pk)
        return Response(SampleSerializer(sample).data, status=status.HTTP_201_CREATED)


class FollowUpReviewViewSet(mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """``PATCH /follow-up-reviews/{id}/``: the training section records a sampled trainee's follow-up."""

    permission_classes = [OrgStaffOnly]
    serializer_class = ReviewSerializer
    http_method_names = ["patch", "options"]
    lookup_value_regex = r"[0-9]+"
    filterset_class = None

    def get_queryset(self):
        return FollowUpReview.objects.select_related("sample__training_class", "enrolment__official__unit")

    @extend_schema(request=ReviewInputSerializer, responses=ReviewSerializer)
    def partial_update(self, request, *args, **kwargs):
        review = self.get_object()
        data = _read(ReviewInputSerializer, request)
        review = followup.record_review(by=request.user, review=review, **data)
        return Response(ReviewSerializer(self.get_queryset().get(pk=review.pk)).data)


STATE = OpenApiParameter(
    "state",
    OpenApiTypes.STR,
    enum=[followup_rules.DUE, followup_rules.OVERDUE],
    description="Only the items due soon, or only the overdue ones (default: both).",
)


class FollowUpItemViewSet(viewsets.GenericViewSet):
    """``GET /follow-up-items/``: what is due or overdue, for whoever asks."""

    permission_classes = [IsAuthenticated]
    serializer_class = FollowUpItemSerializer
    queryset = FollowUpReview.objects.none()  # the items are built by the selector; this only names the model
    filterset_class = None

    @extend_schema(parameters=[STATE], responses=FollowUpItemSerializer(many=True))
    def list(self, request):
        """The training section: every item; a unit administrator: their unit's officials' summaries,
        self-evaluations and reviews; an official: their own self-evaluations and summaries."""
        state = request.query_params.get("state")
        if state not in (None, "", followup_rules.DUE, followup_rules.OVERDUE):
            raise ValidationError({"state": [_("Ask for the due or the overdue items (state=due or state=overdue).")]})
        states = (state,) if state else (followup_rules.DUE, followup_rules.OVERDUE)
        today = timezone.localdate()
        user = request.user
        scope = scope_of(user)
        if is_org_staff(user):
            items = selectors.follow_up_items(today=today, states=states)
        elif scope.unit_id is not None:
            items = selectors.follow_up_items(today=today, states=states, unit=Unit.objects.get(pk=scope.unit_id))
        elif scope.official_id is not None:
            official = Official.objects.get(pk=scope.official_id)
            items = selectors.follow_up_items(today=today, states=states, official=official)
        else:
            raise PermissionDenied(_("Only the training section, a unit administrator or an official sees this."))
        page = self.paginate_queryset(items)
        return self.get_paginated_response(FollowUpItemSerializer(page, many=True).data)


class TrainingFeedbackViewSet(viewsets.GenericViewSet):
    """``GET /training-feedback/?unit=CODE&year=``: a unit's trainees' results and follow-up."""

    permission_classes = [IsAuthenticated]
    serializer_class = FeedbackRowSerializer
    queryset = Enrolment.objects.none()  # the rows are built by the selector; this only names the model
    filterset_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit", OpenApiTypes.STR, description="Unit code (a unit administrator: their own, the default)."
            ),
            OpenApiParameter("year", OpenApiTypes.INT, description="Classes ending in this year."),
        ],
        responses=FeedbackRowSerializer(many=True),
    )
    def list(self, request):
        """Per trainee of the unit in closed classes: days attended, passed, self-evaluation and study summary sent,
        the follow-up reviews' outcome and finding. The training section: any unit; a unit administrator: their
        own; anyone else: 403."""
        user = request.user
        scope = scope_of(user)
        staff = is_org_staff(user)
        if not staff and scope.unit_id is None:
            raise PermissionDenied(_("Only the training section or a unit administrator sees a unit's feedback."))
        code = request.query_params.get("unit")
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise ValidationError({"unit": [_("There is no unit with code “%(code)s”.") % {"code": code}]})
            if not staff and unit.pk != scope.unit_id:
                raise PermissionDenied(_("A unit administrator sees their own unit's feedback only."))
        elif staff:
            raise ValidationError({"unit": [_("Name the unit (its code).")]})
        else:
            unit = get_object_or_404(Unit, pk=scope.unit_id)
        year = None
        if request.query_params.get("year"):
            try:
                year = parse_year(request.query_params["year"])
            except DjangoValidationError as error:
                raise ValidationError({"year": error.messages}) from None
        page = self.paginate_queryset(selectors.unit_feedback(unit=unit, year=year))
        return self.get_paginated_response(FeedbackRowSerializer(page, many=True).data)
