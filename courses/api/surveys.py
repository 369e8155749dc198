"""``/api/v1/questionnaires/`` and ``/api/v1/surveys/`` (issue 14): needs surveys and class evaluations.

- ``GET|POST /questionnaires/``, ``GET|PUT /questionnaires/{code}/``, ``POST /questionnaires/{code}/copy/``: the
  training section only. A ready-made questionnaire, or one whose survey has answers, is copied, never changed.
- ``GET /surveys/``: the training section every survey; an official the surveys open today that ask them, each with
  ``answered``. ``GET /surveys/{code}/``: the training section (with participation counts), or an official it asks.
  ``POST /surveys/``, ``PATCH /surveys/{code}/``: the training section.
- ``GET /surveys/{code}/form/``: the questions and the keys to answer them by (an official asked; the training
  section to preview). ``POST /surveys/{code}/answers/`` ``{"answers": {"q12": 1, "q13": [0, 2], "q14s40": 5}}`` →
  201 ``{"survey", "answered": true}``; 400 with each key's message; 409 when answered before. Nothing about the
  response (no id) is ever returned.
- ``GET /surveys/{code}/results/?period=2026H1&by=rank|unit_kind`` and ``GET /surveys/{code}/summaries/{period}/``:
  the training section; counts, shares, means and sorted texts — a group under 5 respondents only says so.

Errors: 400 in plain words, 403 for a role that may not act, 404 for a survey that does not ask the official.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kunshan_training.half_years import HalfYear
from kunshan_training.permissions import OrgStaffOnly
from organisation.models import Official
from organisation.roles import is_org_staff

from ..models import Questionnaire, Survey, SurveyParticipation, SurveyResponse
from ..selectors import surveys as selectors
from ..services import surveys as services
from .serializers_surveys import (
    AnsweredSerializer,
    AnswersSerializer,
    ConflictSerializer,
    HalfYearSummarySerializer,
    QuestionnaireCopySerializer,
    QuestionnaireCreateSerializer,
    QuestionnaireSerializer,
    QuestionnaireUpdateSerializer,
    SurveyCreateSerializer,
    SurveyDetailSerializer,
    SurveyFormSerializer,
    SurveyResultsSerializer,
    SurveySerializer,
    SurveyUpdateSerializer,
)

CODE = r"[-a-zA-Z0-9_]+"
PERIOD = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=r"^[0-9]{4}H[12]$",
    description="A half year, like 2026H1.",
)


def _period(text, *, field: str = "period") -> HalfYear:
    """A half year from a query or path parameter; a 400 naming the parameter when it is not one."""
    try:
        return HalfYear.parse(text)
    except DjangoValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _read(serializer_class, request, **kwargs) -> dict:
    form = serializer_class(data=request.data, **kwargs)
    form.is_valid(raise_exception=True)
    return form.validated_data


class QuestionnaireViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Questionnaire templates (the training section)."""

    permission_classes = [OrgStaffOnly]
    serializer_class = QuestionnaireSerializer
    lookup_field = "code"
    lookup_value_regex = CODE
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        answered = SurveyResponse.objects.filter(survey__questionnaire=OuterRef("pk"))
        return Questionnaire.objects.annotate(answered=Exists(answered)).prefetch_related("questions").order_by("code")

    def _answer(self, questionnaire, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=questionnaire.pk)
        return Response(QuestionnaireSerializer(fresh).data, status=code)

    @extend_schema(request=QuestionnaireCreateSerializer, responses={201: QuestionnaireSerializer})
    def create(self, request, *args, **kwargs):
        data = _read(QuestionnaireCreateSerializer, request)
        questionnaire = services.create_questionnaire(by=request.user, **data)
        return self._answer(questionnaire, status.HTTP_201_CREATED)

    @extend_schema(request=QuestionnaireUpdateSerializer, responses=QuestionnaireSerializer)
    def update(self, request, *args, **kwargs):
        """Change the title, the description or all the questions (not a ready-made one; not once answered)."""
        questionnaire = self.get_object()
        data = _read(QuestionnaireUpdateSerializer, request)
        questionnaire = services.update_questionnaire(by=request.user, questionnaire=questionnaire, **data)
        return self._answer(questionnaire)

    @extend_schema(request=QuestionnaireCopySerializer, responses={201: QuestionnaireSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, code=None):
        """A changeable copy with the same questions."""
        questionnaire = self.get_object()
        data = _read(QuestionnaireCopySerializer, request)
        copy = services.copy_questionnaire(by=request.user, questionnaire=questionnaire, **data)
        return self._answer(copy, status.HTTP_201_CREATED)


class SurveyViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = SurveySerializer
    lookup_field = "code"
    lookup_value_regex = CODE
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = None

    def get_permissions(self):
        if self.action in {"create", "partial_update", "results", "summary"}:
            return [OrgStaffOnly()]
        return super().get_permissions()

    def get_queryset(self):
        return (
            Survey.objects.select_related("questionnaire", "training_class")
            .prefetch_related("units")
            .order_by("-opens_on", "code")
        )

    def _official(self) -> Official | None:
        return Official.objects.filter(user=self.request.user).select_related("unit").first()

    def get_object(self) -> Survey:
        """Any survey for the training section; for anyone else only a survey that asks them (else 404)."""
        survey = get_object_or_404(self.get_queryset(), code=self.kwargs["code"])
        if is_org_staff(self.request.user):
            return survey
        official = self._official()
        if official is None or not services.asks(survey, official):
            raise NotFound(_("No such survey."))
        return survey

    def _context(self, answered: set | None = None) -> dict:
        return {"today": timezone.localdate(), "answered": answered, "request": self.request}

    def _answered(self, survey: Survey) -> set | None:
        if is_org_staff(self.request.user):
            return None
        official = self._official()
        answered = SurveyParticipation.objects.filter(survey=survey, official=official).exists()
        return {survey.pk} if answered else set()

    def _detail(self, survey: Survey, code=status.HTTP_200_OK) -> Response:
        survey = self.get_queryset().get(pk=survey.pk)
        staff = is_org_staff(self.request.user)
        survey.participation_counts = selectors.participation(survey=survey) if staff else None
        survey.responses_by_period = selectors.response_counts(survey=survey) if staff else None
        return Response(SurveyDetailSerializer(survey, context=self._context(self._answered(survey))).data, status=code)

    def list(self, request, *args, **kwargs):
        """Every survey (the training section); the surveys open today that ask the official, with ``answered``."""
        if is_org_staff(request.user):
            page = self.paginate_queryset(self.get_queryset())
            return self.get_paginated_response(SurveySerializer(page, many=True, context=self._context()).data)
        official = self._official()
        found = selectors.open_surveys_for(official=official, today=timezone.localdate()) if official else []
        answered = {item.survey.pk for item in found if item.answered}
        page = self.paginate_queryset([item.survey for item in found])
        return self.get_paginated_response(SurveySerializer(page, many=True, context=self._context(answered)).data)

    @extend_schema(responses=SurveyDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(request=SurveyCreateSerializer, responses={201: SurveyDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = _read(SurveyCreateSerializer, request)
        survey = services.create_survey(by=request.user, **data)
        return self._detail(survey, status.HTTP_201_CREATED)

    @extend_schema(request=SurveyUpdateSerializer, responses=SurveyDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        survey = self.get_object()
        data = _read(SurveyUpdateSerializer, request)
        survey = services.update_survey(by=request.user, survey=survey, **data)
        return self._detail(survey)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        return super().update(request, *args, **kwargs)

    @extend_schema(responses=SurveyFormSerializer)
    @action(detail=True, methods=["get"])
    def form(self, request, code=None):
        """The questions in order, each with the key to answer it by and its options (or one key per session)."""
        survey = self.get_object()
        answered = self._answered(survey)
        body = {
            "survey": survey.code,
            "title": survey.title,
            "closes_on": survey.closes_on,
            "answered": None if answered is None else bool(answered),
            "questions": selectors.survey_form(survey=survey),
        }
        return Response(SurveyFormSerializer(body).data)

    @extend_schema(
        request=AnswersSerializer,
        responses={
            201: AnsweredSerializer,
            409: OpenApiResponse(ConflictSerializer, description="The official has answered this survey before."),
        },
    )
    @action(detail=True, methods=["post"])
    def answers(self, request, code=None):
        """Answer the survey (once, while it is open). The answer is stored with no link to the person."""
        survey = self.get_object()
        data = _read(AnswersSerializer, request)
        try:
            services.answer_survey(by=request.user, survey=survey, answers=data["answers"])
        except services.AlreadyAnswered as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(AnsweredSerializer({"survey": survey.code, "answered": True}).data, status=201)

    @extend_schema(
        responses=SurveyResultsSerializer,
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                pattern=r"^[0-9]{4}H[12]$",
                description="Only the answers of this half year, like 2026H1.",
            ),
            OpenApiParameter(
                "by",
                OpenApiTypes.STR,
                enum=["rank", "unit_kind"],
                description="Break each question down by rank or by kind of unit.",
            ),
        ],
    )
    @action(detail=True, methods=["get"])
    def results(self, request, code=None):
        """Each question's counts, shares and mean (free texts sorted); per group with ``by`` — a group of fewer
        than 5 respondents has ``shown`` false and nothing else."""
        survey = self.get_object()
        raw_period = request.query_params.get("period")
        period = _period(raw_period) if raw_period else None
        results = selectors.survey_results(survey=survey, period=period, breakdown=request.query_params.get("by"))
        return Response(SurveyResultsSerializer(results).data)

    @extend_schema(responses=HalfYearSummarySerializer, parameters=[PERIOD])
    @action(detail=True, methods=["get"], url_path=r"summaries/(?P<period>[^/]+)")
    def summary(self, request, code=None, period=None):
        """The half year's results beside the previous half year's (of any survey of the questionnaire), with the
        change of each option's share and of each mean, and the free texts."""
        survey = self.get_object()
        summary = selectors.half_year_summary(survey=survey, period=_period(period))
        return Response(HalfYearSummarySerializer(summary).data)
