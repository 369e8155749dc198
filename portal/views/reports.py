"""Report downloads from the browser (/reports/): the year's city or unit workbook, the rankings workbook, and an
official's registration form and training archive as PDF.

Workbooks are built by an export job in the background (``exports``): asking for one redirects to the file when a
fresh one exists, else to the job's page, which shows progress (htmx) and then the download link.

Who may have what: org-dept staff any report; a unit study administrator their own unit's (another unit is 404);
officials no workbook (403). A PDF: the official themself, their unit's study administrator and the training
section; anyone else 404, as if the official did not exist.
"""

from __future__ import annotations

import io

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from credits import reports
from credits.selectors.officials import archive_context, registration_form_context
from credits.selectors.reports import report_unit_for, report_year
from exports.models import ExportJob
from exports.selectors import exports_visible_to
from exports.services import ascii_download_name, download_name, request_export
from kunshan_training.downloads import download_response
from organisation.models import Official
from organisation.roles import scope_of


def _checked_year(year: int) -> int:
    try:
        return report_year(year)
    except ValueError as error:
        raise Http404(str(error)) from error


POLL_SECONDS = 1


class ExportRequestMixin(LoginRequiredMixin):
    """GET /reports/<year>/<kind>.xlsx[?unit=CODE]: the workbook is built by a background job (never in the
    request). A fresh one of the same parameters is downloaded at once; otherwise the job's page shows progress."""

    kind = ExportJob.Kind.REPORT

    def get(self, request, year: int):
        year = _checked_year(year)
        unit = report_unit_for(request.user, request.GET.get("unit"))
        job = request_export(user=request.user, kind=self.kind, year=year, unit=unit)
        job.refresh_from_db()  # the embedded mode may have built it already
        if job.status == ExportJob.Status.DONE:
            return HttpResponseRedirect(reverse("portal:export-download", args=[job.pk]), status=303)
        return HttpResponseRedirect(reverse("portal:export-job", args=[job.pk]), status=303)


class YearReportDownloadView(ExportRequestMixin, View):
    """/reports/<year>/report.xlsx[?unit=CODE] — the city's year (staff), or one unit's."""

    kind = ExportJob.Kind.REPORT


class RankingsDownloadView(ExportRequestMixin, View):
    """/reports/<year>/rankings.xlsx[?unit=CODE] — the city's ranking (staff), or one unit's."""

    kind = ExportJob.Kind.RANKINGS


def visible_job(request, pk: int) -> ExportJob:
    """The job, if the user may see it (the training section any; a unit administrator their unit's); else 404."""
    return get_object_or_404(exports_visible_to(request.user), pk=pk)


class ExportJobView(LoginRequiredMixin, View):
    """/reports/exports/<id>/ — the job's progress (htmx polls the fragment every second), then the download link."""

    def get(self, request, pk: int):
        job = visible_job(request, pk)
        context = {"job": job, "poll_seconds": POLL_SECONDS, "filename": download_name(job)}
        template = "portal/reports/_export_status.html" if request.htmx else "portal/reports/export.html"
        return render(request, template, context)


class ExportDownloadView(LoginRequiredMixin, View):
    """/reports/exports/<id>/download/ — the finished workbook, as an attachment (404 until it is ready)."""

    def get(self, request, pk: int):
        job = visible_job(request, pk)
        if job.status != ExportJob.Status.DONE or not job.file:
            raise Http404(_("This workbook is not ready."))
        return download_response(
            job.file.open("rb"),
            name=download_name(job),
            ascii_name=ascii_download_name(job),
            content_type=reports.XLSX_CONTENT_TYPE,
        )


class OfficialPdfMixin(LoginRequiredMixin):
    """``self.official``: the official of the URL, looked up among those the user may see (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        visible = Official.objects.filter(scope_of(request.user).officials_q()).select_related("unit")
        self.official = get_object_or_404(visible, staff_no=kwargs["staff_no"])
        return super().dispatch(request, *args, **kwargs)


def pdf_response(content: bytes, *, name: str, ascii_name: str) -> FileResponse:
    """A PDF shown in the browser's viewer (inline), saved under ``name`` (in the user's language)."""
    return download_response(
        io.BytesIO(content), name=name, ascii_name=ascii_name, content_type=reports.PDF_CONTENT_TYPE, attachment=False
    )


class RegistrationFormPdfView(OfficialPdfMixin, View):
    """/reports/officials/<staff_no>/registration-form/<year>.pdf — the training section of the appraisal form."""

    def get(self, request, staff_no: str, year: int):
        year = _checked_year(year)
        content = reports.registration_form_pdf(registration_form_context(self.official, year))
        official = self.official
        name = _("%(year)s registration form, %(name)s %(staff_no)s") % {
            "year": year,
            "name": official.name,
            "staff_no": official.staff_no,
        }
        return pdf_response(content, name=f"{name}.pdf", ascii_name=f"registration-form-{year}-{official.staff_no}.pdf")


class ArchivePdfView(OfficialPdfMixin, View):
    """/reports/officials/<staff_no>/archive.pdf — every year's result and every approved record."""

    def get(self, request, staff_no: str):
        content = reports.archive_pdf(archive_context(self.official))
        official = self.official
        name = _("Training archive, %(name)s %(staff_no)s") % {"name": official.name, "staff_no": official.staff_no}
        return pdf_response(content, name=f"{name}.pdf", ascii_name=f"training-archive-{official.staff_no}.pdf")
