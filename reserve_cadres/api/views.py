"""``/api/v1/reserves/``: the reserve-cadre pool (issue 13's contract, RULES §6).

- ``GET reserves/`` (filters: status, stream, unit, level): the training section all reserves, a unit administrator
  their unit's; an official the published list (name, unit, level, stream of the active reserves).
- ``POST reserves/`` ``{official (staff no), level, stream, decided_on}`` (the training section) → 201.
- ``GET reserves/{id}/?on=YYYY-MM-DD``: the reserve with its file and the flags judged on that day (default today).
- ``POST {id}/exams/`` ``{year, score, held_on?}``, ``{id}/defenses/`` ``{year, panel, votes, held_on?}``,
  ``{id}/trainings/``, ``{id}/practices/``, ``{id}/disqualify/`` ``{reason, note}``, ``{id}/appoint/`` (the training
  section);
  ``{id}/talks/``, ``{id}/reflections/`` (multipart), ``{id}/appraisals/`` ``{year, result}`` (also the reserve's
  unit administrator).
- ``GET reserves/flagged/?on=``, ``GET reserves/due/?on=`` (the training section: all; a unit: its own).

Officials get 403 on everything but the list; a reserve outside a unit administrator's unit is 404; bad input is
400 in plain words.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from kunshan_training.permissions import OrgStaffOnly
from organisation.api.serializers import may_see_birth_date
from organisation.roles import is_org_staff, is_unit_admin

from .. import rules
from ..filtersets import ReserveFilterSet
from ..models import Defense, Reserve
from ..selectors.reserves import (
    due_items,
    facts_of,
    file_prefetches,
    flagged,
    published_list,
    reserves_visible_to,
    with_facts,
)
from ..services import reserves as services
from .serializers import (
    AppointInputSerializer,
    AssessmentInputSerializer,
    AssessmentSerializer,
    DefenseInputSerializer,
    DefenseSerializer,
    DisqualifyInputSerializer,
    DueSerializer,
    ExamInputSerializer,
    ExamSerializer,
    FlaggedSerializer,
    PracticeInputSerializer,
    PracticeSerializer,
    PublishedReserveSerializer,
    ReflectionInputSerializer,
    ReflectionSerializer,
    ReserveCreateSerializer,
    ReserveSerializer,
    ReserveSummarySerializer,
    TalkInputSerializer,
    TalkSerializer,
    TrainingInputSerializer,
    TrainingSerializer,
    assessment_data,
    defense_data,
    exam_data,
    practice_data,
    published_data,
    reflection_data,
    reserve_data,
    summary_data,
    talk_data,
    training_data,
)

ON = OpenApiParameter(
    "on", OpenApiTypes.DATE, OpenApiParameter.QUERY, description="The day to judge on (YYYY-MM-DD); default today."
)
# Actions only the training section takes: refused (403) before the reserve is looked up or the body read.
STAFF_ACTIONS = {"create", "exams", "defenses", "trainings", "practices", "disqualify", "appoint"}


class DetailReaders(permissions.IsAuthenticated):
    """The training section and unit study administrators; an official (or anyone else) is refused."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return super().has_permission(request, view) and (is_org_staff(user) or is_unit_admin(user))


def day_of(request) -> date:
    """``?on=YYYY-MM-DD`` (default today, Asia/Shanghai), or a 400 naming ``on``."""
    value = request.query_params.get("on")
    if value in (None, ""):
        return timezone.localdate()
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ApiValidationError({"on": [_("Give the day as YYYY-MM-DD.")]}) from None


class ReserveViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReserveSerializer
    filterset_class = ReserveFilterSet
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        if self.action in STAFF_ACTIONS:
            return [OrgStaffOnly()]
        if self.action == "list":
            return [permissions.IsAuthenticated()]
        return [DetailReaders()]

    def _reads_details(self) -> bool:
        user = self.request.user
        return is_org_staff(user) or is_unit_admin(user)

    def get_queryset(self):
        if self.action == "list" and not self._reads_details():
            return published_list()
        return reserves_visible_to(self.request.user)

    def _read(self, serializer_class, request):
        form = serializer_class(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return form.validated_data

    def _detail(self, reserve: Reserve, *, day: date | None = None) -> dict:
        day = day or timezone.localdate()
        reserve = reserves_visible_to(self.request.user).prefetch_related(*file_prefetches()).get(pk=reserve.pk)
        active = reserve.status == "active"
        found = rules.flags(facts_of(reserve, day=day), day) if active else []
        soon = rules.soon_too_old(reserve.level, reserve.official.birth_date, day) if active else None
        birth_date = reserve.official.birth_date if may_see_birth_date(self.request.user, reserve.official) else None
        return reserve_data(reserve, day=day, flags=found, soon_too_old=soon, birth_date=birth_date)

    def _answer(self, reserve: Reserve, code=status.HTTP_200_OK) -> Response:
        return Response(ReserveSerializer(self._detail(reserve)).data, status=code)

    # -- the pool ------------------------------------------------------------------------------------

    @extend_schema(responses=ReserveSummarySerializer(many=True))
    def list(self, request, *args, **kwargs):
        """The pool. Officials: the published list (name, unit, level, stream of the active reserves)."""
        details = self._reads_details()
        queryset = self.filter_queryset(self.get_queryset())
        if details:
            queryset = with_facts(queryset)
        page = self.paginate_queryset(queryset)
        reserves = page if page is not None else list(queryset)
        today = timezone.localdate()
        if details:
            rows = [
                summary_data(r, rules.flags(facts_of(r, day=today), today) if r.status == "active" else [])
                for r in reserves
            ]
        else:
            rows = [published_data(r) for r in reserves]
        serializer = ReserveSummarySerializer if details else PublishedReserveSerializer
        data = serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(parameters=[ON], responses=ReserveSerializer)
    def retrieve(self, request, *args, **kwargs):
        """The reserve with their file, the flags judged on ``?on=`` and who turns too old within 90 days."""
        day = day_of(request)
        return Response(ReserveSerializer(self._detail(self.get_object(), day=day)).data)

    @extend_schema(request=ReserveCreateSerializer, responses={201: ReserveSerializer})
    def create(self, request, *args, **kwargs):
        """Put an official in the pool (the county committee's decision)."""
        data = self._read(ReserveCreateSerializer, request)
        reserve = services.add_reserve(by=request.user, **data)
        return self._answer(reserve, code=status.HTTP_201_CREATED)

    @extend_schema(request=DisqualifyInputSerializer, responses=ReserveSerializer)
    @action(detail=True, methods=["post"])
    def disqualify(self, request, pk=None):
        """Take the reserve out of the pool with a reason code of RULES §6 and a note (both required)."""
        reserve = self.get_object()
        data = self._read(DisqualifyInputSerializer, request)
        reserve = services.disqualify(by=request.user, reserve=reserve, **data)
        return self._answer(reserve)

    @extend_schema(request=AppointInputSerializer, responses=ReserveSerializer)
    @action(detail=True, methods=["post"])
    def appoint(self, request, pk=None):
        """The reserve was appointed: they leave the pool."""
        reserve = self.get_object()
        data = self._read(AppointInputSerializer, request)
        reserve = services.appoint(by=request.user, reserve=reserve, **data)
        return self._answer(reserve)

    # -- exam and defense ----------------------------------------------------------------------------

    @extend_schema(request=ExamInputSerializer, responses={201: ExamSerializer, 200: ExamSerializer})
    @action(detail=True, methods=["post"])
    def exams(self, request, pk=None):
        """The written exam of a year (pass at 60), optionally with its day (in the year, not in the future, not after
        that year's defense). 201 when new, 200 when it replaces that year's."""
        reserve = self.get_object()
        data = self._read(ExamInputSerializer, request)
        existed = reserve.exams.filter(year=data["year"]).exists()
        exam = services.record_exam(by=request.user, reserve=reserve, **data)
        return Response(ExamSerializer(exam_data(exam)).data, status=_created(existed))

    @extend_schema(request=DefenseInputSerializer, responses={201: DefenseSerializer, 200: DefenseSerializer})
    @action(detail=True, methods=["post"])
    def defenses(self, request, pk=None):
        """The oral defense of a year, after that year's passed exam: 5–7 examiners' scores and 15–20 votes give
        the panel, vote and defense scores (two decimals, half up; passed compared exactly)."""
        reserve = self.get_object()
        data = self._read(DefenseInputSerializer, request)
        existed = reserve.defenses.filter(year=data["year"]).exists()
        defense = services.record_defense(by=request.user, reserve=reserve, **data)
        defense = Defense.objects.prefetch_related("examiner_scores").get(pk=defense.pk)
        return Response(DefenseSerializer(defense_data(defense)).data, status=_created(existed))

    @extend_schema(request=TrainingInputSerializer, responses={201: TrainingSerializer, 200: TrainingSerializer})
    @action(detail=True, methods=["post"])
    def trainings(self, request, pk=None):
        """The reserve's training of a year: the stream's growth class (its code) or a title and days."""
        from courses.models import TrainingClass

        reserve = self.get_object()
        data = self._read(TrainingInputSerializer, request)
        klass = None
        if data["training_class"]:
            klass = TrainingClass.objects.filter(code=data["training_class"]).first()
            if klass is None:
                raise ApiValidationError({"training_class": [_("There is no training class with this code.")]})
        existed = reserve.trainings.filter(year=data["year"]).exists()
        row = services.link_training(
            by=request.user,
            reserve=reserve,
            year=data["year"],
            training_class=klass,
            title=data["title"],
            days=data["days"],
        )
        return Response(TrainingSerializer(training_data(row)).data, status=_created(existed))

    # -- practice and follow-up ----------------------------------------------------------------------

    @extend_schema(request=PracticeInputSerializer, responses={201: PracticeSerializer})
    @action(detail=True, methods=["post"])
    def practices(self, request, pk=None):
        """A rotation or secondment: where, from, to."""
        reserve = self.get_object()
        data = self._read(PracticeInputSerializer, request)
        row = services.add_practice(by=request.user, reserve=reserve, **data)
        return Response(PracticeSerializer(practice_data(row)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TalkInputSerializer, responses={201: TalkSerializer})
    @action(detail=True, methods=["post"])
    def talks(self, request, pk=None):
        """A talk with the contact leader (also the reserve's unit administrator)."""
        reserve = self.get_object()
        data = self._read(TalkInputSerializer, request)
        row = services.add_talk(by=request.user, reserve=reserve, **data)
        return Response(TalkSerializer(talk_data(row)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": ReflectionInputSerializer},
        responses={201: ReflectionSerializer, 200: ReflectionSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def reflections(self, request, pk=None):
        """The reflection article of a half year (multipart: period, title, file — PDF, JPEG or PNG). Also the
        reserve's unit administrator; 200 when it replaces that half year's."""
        reserve = self.get_object()
        data = self._read(ReflectionInputSerializer, request)
        existed = reserve.reflections.filter(period=data["period"]).exists()
        row = services.add_reflection(
            by=request.user, reserve=reserve, period=data["period"], title=data["title"], upload=data.get("file")
        )
        return Response(ReflectionSerializer(reflection_data(row)).data, status=_created(existed))

    @extend_schema(request=AssessmentInputSerializer, responses={201: AssessmentSerializer, 200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def appraisals(self, request, pk=None):
        """The unit's yearly assessment with the annual appraisal result (also the reserve's unit administrator)."""
        reserve = self.get_object()
        data = self._read(AssessmentInputSerializer, request)
        existed = reserve.assessments.filter(year=data["year"]).exists()
        row = services.record_assessment(by=request.user, reserve=reserve, **data)
        return Response(AssessmentSerializer(assessment_data(row)).data, status=_created(existed))

    # -- lists for staff and units -------------------------------------------------------------------

    @extend_schema(parameters=[ON], responses=FlaggedSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def flagged(self, request):
        """Active reserves with a flag on ``?on=`` or who turn too old within 90 days, for staff to confirm."""
        day = day_of(request)
        rows = [
            {**_who(row.reserve), "flags": row.flags, "soon_too_old": row.soon_too_old}
            for row in flagged(day=day, reserves=reserves_visible_to(request.user))
        ]
        return Response(FlaggedSerializer(rows, many=True).data)

    @extend_schema(parameters=[ON], responses=DueSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def due(self, request):
        """Reflections and yearly assessments due and not entered (``overdue`` once the due date has passed)."""
        day = day_of(request)
        rows = [
            {**_who(row.reserve), "what": row.what, "period": row.period, "due_on": row.due_on, "overdue": row.overdue}
            for row in due_items(day=day, reserves=reserves_visible_to(request.user))
        ]
        return Response(DueSerializer(rows, many=True).data)


def _who(reserve: Reserve) -> dict:
    official = reserve.official
    return {
        "reserve": reserve.pk,
        "official": official.staff_no,
        "name": official.name,
        "unit": official.unit.code,
        "unit_name": official.unit.name,
        "level": reserve.level,
        "stream": reserve.stream,
    }


def _created(existed: bool) -> int:
    return status.HTTP_200_OK if existed else status.HTTP_201_CREATED
