from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

import kunshan_training.years  # noqa: F401  (registers <year:year>)
from credits.api import reports as report_views
from credits.api import views as credit_views
from credits.api import years as year_views
from imports import api as import_api
from kunshan_training.api_docs import SignedInSwaggerView
from organisation.api import views as organisation_views

# ``<year:year>`` (kunshan_training/years.py registers it): four digits or a 404; the view checks the range (a 400 in
# the API, a 404 on the print/download pages, a message where a page shows a default year instead).

router = DefaultRouter()
router.register("units", organisation_views.UnitViewSet, basename="unit")
router.register("officials", organisation_views.OfficialViewSet, basename="official")
router.register("activities", credit_views.ActivityRecordViewSet, basename="activity")
router.register("exemptions", credit_views.ExemptionViewSet, basename="exemption")
router.register("vetoes", credit_views.VetoViewSet, basename="veto")
router.register("scores", credit_views.AnnualScoreViewSet, basename="score")
router.register("recompute-jobs", credit_views.RecomputeJobViewSet, basename="recompute-job")

urlpatterns = [
    path(
        "api/v1/officials/<str:staff_no>/scores/<year:year>/",
        credit_views.OfficialScoreView.as_view(),
        name="official-score",
    ),
    path(
        "api/v1/officials/<str:staff_no>/hours/<year:year>/",
        year_views.OfficialHoursView.as_view(),
        name="official-hours",
    ),
    path("api/v1/units/<str:code>/years/<year:year>/", year_views.UnitYearView.as_view(), name="unit-year"),
    path("api/v1/years/<year:year>/recompute/", credit_views.YearRecomputeView.as_view(), name="year-recompute"),
    path("api/v1/years/<year:year>/policy/", year_views.YearPolicyView.as_view(), name="year-policy"),
    path(
        "api/v1/years/<year:year>/policy-preview/", year_views.PolicyPreviewView.as_view(), name="year-policy-preview"
    ),
    path("api/v1/years/<year:year>/report.xlsx", report_views.YearReportView.as_view(), name="year-report-xlsx"),
    path("api/v1/years/<year:year>/rankings.xlsx", report_views.RankingsView.as_view(), name="year-rankings-xlsx"),
    path("api/v1/exports/<int:pk>/", report_views.ExportJobView.as_view(), name="export-job"),
    path("api/v1/exports/<int:pk>/download/", report_views.ExportDownloadView.as_view(), name="export-download"),
    path("api/v1/imports/jobs/<int:pk>/", import_api.ImportJobView.as_view(), name="import-job"),
    path("api/v1/imports/<str:kind>/", import_api.ImportView.as_view(), name="import"),
    path("api/v1/", include("courses.api.urls")),
    path("api/v1/", include("assessments.api.urls")),
    path("api/v1/", include("reserve_cadres.api.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Signed-in users only: the schema answers 403 to anyone else, the docs page sends them to sign in.
    path("api/docs/", SignedInSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # the language switch (set_language)
    path("healthz", lambda request: HttpResponse("ok"), name="healthz"),
    path("training/", include("courses.urls")),
    path("assessments/", include("assessments.urls")),
    path("reserves/", include("reserve_cadres.urls")),
    path("", include("portal.urls")),
]
# Evidence files are never served from MEDIA_URL: only portal.views.evidence hands them out, after the scope check.
handler404 = "kunshan_training.api.not_found"  # JSON under /api/
handler500 = "kunshan_training.errors.server_error"  # static: renders with the database down (JSON under /api/)
