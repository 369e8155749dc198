"""Report downloads, mounted under /reports/ (namespace ``portal``)."""

from django.urls import path

from .views import reports

urlpatterns = [
    path("<year:year>/report.xlsx", reports.YearReportDownloadView.as_view(), name="report-year-xlsx"),
    path("<year:year>/rankings.xlsx", reports.RankingsDownloadView.as_view(), name="report-rankings-xlsx"),
    path("exports/<int:pk>/", reports.ExportJobView.as_view(), name="export-job"),
    path("exports/<int:pk>/download/", reports.ExportDownloadView.as_view(), name="export-download"),
    path(
        "officials/<str:staff_no>/registration-form/<year:year>.pdf",
        reports.RegistrationFormPdfView.as_view(),
        name="report-registration-pdf",
    ),
    path("officials/<str:staff_no>/archive.pdf", reports.ArchivePdfView.as_view(), name="report-archive-pdf"),
]
