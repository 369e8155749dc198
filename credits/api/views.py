from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kunshan_training.permissions import OrgStaffOnly, OrgStaffWrites
from kunshan_training.years import api_year
from organisation.selectors import officials_visible_to

from .. import services
from ..filtersets import ActivityRecordFilterSet, AnnualScoreFilterSet, ExemptionFilterSet, VetoFilterSet
from ..models import RecomputeJob
from ..recompute import start_recompute
from ..selectors import exemptions_visible_to, records_visible_to, scores_visible_to, vetoes_visible_to
from .serializers import (
    ActivityRecordSerializer,
    AnnualScoreDetailSerializer,
    AnnualScoreSerializer,
    CorrectSerializer,
    ExemptionSerializer,
    RecomputeJobSerializer,
    RejectSerializer,
    RevokeSerializer,
    VetoSerializer,
)


def _visible_official(user, official):
    """A record may only be entered for an official the user can see (else: no such official)."""
    if not officials_visible_to(user).filter(pk=official.pk).exists():
        message = _("There is no official with staff number “{value}”.").format(value=official.staff_no)
        raise ValidationError({"official": [message]})
    return official


class ActivityRecordViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = ActivityRecordSerializer
    filterset_class = ActivityRecordFilterSet

    def get_queryset(self):
        return records_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["official"] = _visible_official(self.request.user, data["official"])
        serializer.instance = services.create_record(by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if data.pop("official", serializer.instance.official) != serializer.instance.official:
            raise ValidationError({"official": [_("A record cannot move to another official; delete it instead.")]})
        data.pop("evidence", None)
        serializer.instance = services.update_record(by=self.request.user, record=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.delete_record(by=self.request.user, record=instance)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        record = services.approve_record(by=request.user, record=self.get_object())
        return Response(self.get_serializer(record).data)

    @extend_schema(request=RejectSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        record = self.get_object()
        form = RejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        record = services.reject_record(by=request.user, record=record, reason=form.validated_data["reason"])
        return Response(self.get_serializer(record).data)

    @extend_schema(request=RevokeSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Staff: take back the approval of an approved record, with a reason (the record is returned; scores are
        recomputed)."""
        record = self.get_object()
        form = RevokeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        record = services.revoke_record(by=request.user, record=record, reason=form.validated_data["reason"])
        return Response(self.get_serializer(record).data)

    @extend_schema(request=CorrectSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Staff: correct an approved record with a reason (audited; scores of the years touched recomputed)."""
        record = self.get_object()
        form = CorrectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        changes = dict(form.validated_data)
        record = services.correct_record(by=request.user, record=record, reason=changes.pop("reason"), **changes)
        return Response(self.get_serializer(record).data)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        record = services.withdraw_record(by=request.user, record=self.get_object())
        return Response(self.get_serializer(record).data)


class ExemptionViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ExemptionSerializer
    filterset_class = ExemptionFilterSet
    permission_classes = [OrgStaffWrites]

    def get_queryset(self):
        return exemptions_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.record_exemption(by=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.remove_decision(by=self.request.user, decision=instance)


class VetoViewSet(ExemptionViewSet):
    serializer_class = VetoSerializer
    filterset_class = VetoFilterSet

    def get_queryset(self):
        return vetoes_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.record_veto(by=self.request.user, **serializer.validated_data)


class AnnualScoreViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AnnualScoreSerializer
    filterset_class = AnnualScoreFilterSet

    def get_queryset(self):
        return scores_visible_to(self.request.user).order_by("year", "city_rank", "official__staff_no")


class OfficialScoreView(APIView):
    """GET /api/v1/officials/{staff_no}/scores/{year}/"""

    @extend_schema(responses=AnnualScoreDetailSerializer)
    def get(self, request, staff_no: str, year: int):
        year = api_year(year)
        score = get_object_or_404(scores_visible_to(request.user), official__staff_no=staff_no, year=year)
        return Response(AnnualScoreDetailSerializer(score).data)


class YearRecomputeView(APIView):
    """POST /api/v1/years/{year}/recompute/: done on return when tasks run in-process, else 202 + a job to poll."""

    permission_classes = [OrgStaffOnly]

    @extend_schema(request=None, responses=RecomputeJobSerializer)
    def post(self, request, year: int):
        year = api_year(year)
        services.check_year_open(year)  # a published year's scores stay as published: 409
        job = start_recompute(by=request.user, year=year)
        job.refresh_from_db()
        code = status.HTTP_200_OK if settings.CELERY_TASK_ALWAYS_EAGER else status.HTTP_202_ACCEPTED
        data = RecomputeJobSerializer(job).data
        data["poll"] = request.build_absolute_uri(f"/api/v1/recompute-jobs/{job.pk}/")
        return Response(data, status=code)


class RecomputeJobViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RecomputeJobSerializer
    permission_classes = [OrgStaffOnly]
    queryset = RecomputeJob.objects.order_by("-id")
