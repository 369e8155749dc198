"""Report downloads by API: ``GET /api/v1/years/{year}/report.xlsx`` and ``GET /api/v1/years/{year}/rankings.xlsx``,
each with an optional ``?unit=CODE``. Same scope as the browser: org-dept staff any report, a unit study
administrator their own unit's (no code means theirs; another unit is 404), officials 403.

The workbook is built by a background job (``exports``): the download answers 200 with the file when a fresh one is
ready, else 202 with the job (``Location``: ``GET /api/v1/exports/{id}/``, then its ``download_url``)."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from exports.models import ExportJob
from exports.selectors import exports_visible_to
from exports.services import ascii_download_name, download_name, request_export
from kunshan_training.downloads import download_response
from kunshan_training.years import api_year

from .. import reports
from ..selectors.reports import report_unit_for


class FileDownloadNegotiation(BaseContentNegotiation):
    """A download answers with its own content type whatever ``Accept`` says; errors are JSON (the first renderer)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportJobSerializer(serializers.ModelSerializer):
    """A report workbook being built (or built): poll ``status_url`` until ``status`` is ``done``, then GET
    ``download_url``."""

    unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Unit code; null: the city."
    )
    status_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField(help_text="Null until the workbook is ready.")

    class Meta:
        model = ExportJob
        fields = ("id", "kind", "year", "unit", "status", "progress", "rows", "error", "created_at", "finished_at",
                  "status_url", "download_url")  # fmt: skip
        read_only_fields = fields

    def get_status_url(self, job: ExportJob) -> str:
        return self.context["request"].build_absolute_uri(reverse("export-job", args=[job.pk]))

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != ExportJob.Status.DONE:
            return None
        return self.context["request"].build_absolute_uri(reverse("export-download", args=[job.pk]))


UNIT_PARAMETER = OpenApiParameter(
    "unit", str, description="A unit code: that unit's report (a study administrator gets their own unit's anyway)."
)
XLSX_RESPONSES = {
    (200, reports.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook, ready."),
    202: OpenApiResponse(
        ExportJobSerializer, description="Being built: the export job (``Location``: its status URL); poll it."
    ),
    400: OpenApiResponse(description="A year that can have no results."),
    403: OpenApiResponse(description="Officials may not download reports."),
    404: OpenApiResponse(description="No such unit, or a unit outside the user's scope."),
}


def file_response(job: ExportJob) -> FileResponse:
    return download_response(
        job.file.open("rb"),
        name=download_name(job),
        ascii_name=ascii_download_name(job),
        content_type=reports.XLSX_CONTENT_TYPE,
    )


class _XlsxDownload(APIView):
    """A workbook is built by a background job: 200 with the file when a fresh one is ready, else 202 with the job
    (``Location`` and ``status_url``: poll it; then GET its ``download_url``)."""

    permission_classes = [IsAuthenticated]
    content_negotiation_class = FileDownloadNegotiation
    kind = ExportJob.Kind.REPORT

    def get(self, request, year: int):
        year = api_year(year)
        unit = report_unit_for(request.user, request.query_params.get("unit"))
        job = request_export(user=request.user, kind=self.kind, year=year, unit=unit)
        job.refresh_from_db()  # the embedded mode may have built it already
        if job.status == ExportJob.Status.DONE:
            return file_response(job)
        data = ExportJobSerializer(job, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["status_url"]})


@extend_schema(parameters=[UNIT_PARAMETER], responses=XLSX_RESPONSES)
class YearReportView(_XlsxDownload):
    """The year's report: officials (every category, total, grade, vetoes, flags, ranks), units, grades."""

    def get(self, request, year: int):
        return super().get(request, year)


@extend_schema(parameters=[UNIT_PARAMETER], responses=XLSX_RESPONSES)
class RankingsView(_XlsxDownload):
    """The year's ranking of assessed officials: the city's by city rank, or one unit's by unit rank."""

    kind = ExportJob.Kind.RANKINGS

    def get(self, request, year: int):
        return super().get(request, year)


JOB_NOT_FOUND = OpenApiResponse(description="No such export, or one outside the user's scope.")


@extend_schema(responses={200: ExportJobSerializer, 404: JOB_NOT_FOUND})
class ExportJobView(APIView):
    """An export job: status (pending, running, done, failed), progress in percent, and the download URL."""

    permission_classes = [IsAuthenticated]

    def get(self, request, pk: int):
        job = get_object_or_404(exports_visible_to(request.user), pk=pk)
        return Response(ExportJobSerializer(job, context={"request": request}).data)


@extend_schema(
    responses={
        (200, reports.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook."),
        404: JOB_NOT_FOUND,
        409: OpenApiResponse(description="The workbook is not ready yet: poll the job."),
    }
)
class ExportDownloadView(APIView):
    """The finished workbook of an export job, as an attachment."""

    permission_classes = [IsAuthenticated]
    content_negotiation_class = FileDownloadNegotiation

    def get(self, request, pk: int):
        job = get_object_or_404(exports_visible_to(request.user), pk=pk)
        if job.status != ExportJob.Status.DONE or not job.file:
            return Response(
                {"detail": _("This workbook is not ready: its status is “%(status)s”.") % {"status": job.status}},
                status=status.HTTP_409_CONFLICT,
            )
        return file_response(job)
