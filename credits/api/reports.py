"""Report downloads by API: ``GET /api/v1/years/{year}/report.xlsx`` and ``GET /api/v1/years/{year}/rankings.xlsx``,
each with an optional ``?unit=CODE``. Same scope as the browser: org-dept staff any report, a unit study
administrator their own unit's (no code means theirs; another unit is 404), officials 403."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from kunshan_training.years import api_year

from .. import reports
from ..selectors.reports import report_unit_for


class FileDownloadNegotiation(BaseContentNegotiation):
    """A download answers with its own content type whatever ``Accept`` says; errors are JSON (the first renderer)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


UNIT_PARAMETER = OpenApiParameter(
    "unit", str, description="A unit code: that unit's report (a study administrator gets their own unit's anyway)."
)
XLSX_RESPONSES = {
    (200, reports.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook."),
    403: OpenApiResponse(description="Officials may not download reports."),
    404: OpenApiResponse(description="No such unit, or a unit outside the user's scope."),
}


class _XlsxDownload(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = FileDownloadNegotiation
    writer = staticmethod(reports.write_year_report)
    file_kind = "training-credits"

    def get(self, request, year: int):
        year = api_year(year)
        unit = report_unit_for(request.user, request.query_params.get("unit"))
        file = self.writer(request.user, year=year, unit=unit)
        return FileResponse(
            file,
            as_attachment=True,
            filename=reports.report_filename(self.file_kind, year, unit),
            content_type=reports.XLSX_CONTENT_TYPE,
        )


@extend_schema(parameters=[UNIT_PARAMETER], responses=XLSX_RESPONSES)
class YearReportView(_XlsxDownload):
    """The year's report: officials (every category, total, grade, vetoes, flags, ranks), units, grades."""

    def get(self, request, year: int):
        return super().get(request, year)


@extend_schema(parameters=[UNIT_PARAMETER], responses=XLSX_RESPONSES)
class RankingsView(_XlsxDownload):
    """The year's ranking of assessed officials: the city's by city rank, or one unit's by unit rank."""

    writer = staticmethod(reports.write_rankings)
    file_kind = "rankings"

    def get(self, request, year: int):
        return super().get(request, year)
