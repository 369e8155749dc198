"""Report downloads from the browser (/reports/): the year's city or unit workbook, the rankings workbook, and an
official's registration form and training archive as PDF.

Who may have what: org-dept staff any report; a unit study administrator their own unit's (another unit is 404);
officials no workbook (403). A PDF: the official themself, their unit's study administrator and the training
section; anyone else 404, as if the official did not exist.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.views import View

from credits import reports
from credits.selectors.reports import report_unit_for, report_year


def _checked_year(year: int) -> int:
    try:
        return report_year(year)
    except ValueError as error:
        raise Http404(str(error)) from error


def xlsx_response(file, filename: str) -> FileResponse:
    """A workbook download; the temporary file is closed (and so deleted) when the response is done."""
    return FileResponse(file, as_attachment=True, filename=filename, content_type=reports.XLSX_CONTENT_TYPE)


class YearReportDownloadView(LoginRequiredMixin, View):
    """/reports/<year>/report.xlsx[?unit=CODE] — the city's year (staff), or one unit's."""

    def get(self, request, year: int):
        year = _checked_year(year)
        unit = report_unit_for(request.user, request.GET.get("unit"))
        file = reports.write_year_report(request.user, year=year, unit=unit)
        return xlsx_response(file, reports.report_filename("training-credits", year, unit))


class RankingsDownloadView(LoginRequiredMixin, View):
    """/reports/<year>/rankings.xlsx[?unit=CODE] — the city's ranking (staff), or one unit's."""

    def get(self, request, year: int):
        year = _checked_year(year)
        unit = report_unit_for(request.user, request.GET.get("unit"))
        file = reports.write_rankings(request.user, year=year, unit=unit)
        return xlsx_response(file, reports.report_filename("rankings", year, unit))
