"""Report downloads from the browser (/reports/): the year's city or unit workbook, the rankings workbook, and an
official's registration form and training archive as PDF.

Who may have what: org-dept staff any report; a unit study administrator their own unit's (another unit is 404);
officials no workbook (403). A PDF: the official themself, their unit's study administrator and the training
section; anyone else 404, as if the official did not exist.
"""

from __future__ import annotations

import io

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from credits import reports
from credits.selectors.officials import archive_context, registration_form_context
from credits.selectors.reports import report_unit_for, report_year
from organisation.models import Official
from organisation.roles import scope_of


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


class OfficialPdfMixin(LoginRequiredMixin):
    """``self.official``: the official of the URL, looked up among those the user may see (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        visible = Official.objects.filter(scope_of(request.user).officials_q()).select_related("unit")
        self.official = get_object_or_404(visible, staff_no=kwargs["staff_no"])
        return super().dispatch(request, *args, **kwargs)


def pdf_response(content: bytes, filename: str) -> FileResponse:
    """A PDF shown in the browser's viewer (inline), saved under ``filename``."""
    return FileResponse(io.BytesIO(content), filename=filename, content_type=reports.PDF_CONTENT_TYPE)


class RegistrationFormPdfView(OfficialPdfMixin, View):
    """/reports/officials/<staff_no>/registration-form/<year>.pdf — the training section of the appraisal form."""

    def get(self, request, staff_no: str, year: int):
        year = _checked_year(year)
        content = reports.registration_form_pdf(registration_form_context(self.official, year))
        return pdf_response(content, f"registration-form-{year}-{self.official.staff_no}.pdf")


class ArchivePdfView(OfficialPdfMixin, View):
    """/reports/officials/<staff_no>/archive.pdf — every year's result and every approved record."""

    def get(self, request, staff_no: str):
        content = reports.archive_pdf(archive_context(self.official))
        return pdf_response(content, f"training-archive-{self.official.staff_no}.pdf")
