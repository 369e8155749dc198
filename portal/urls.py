"""Portal pages. Each role's pages live in their own module: official (/me/), unit administrator (/unit/),
org-dept staff (/staff/), notifications (/notifications/)."""

from django.urls import include, path

from .views.evidence import record_evidence
from .views.help import guide
from .views.home import home

app_name = "portal"

urlpatterns = [
    path("", home, name="home"),
    path("records/<int:pk>/evidence/", record_evidence, name="record-evidence"),
    path("me/", include("portal.urls_official")),
    path("unit/", include("portal.urls_unit")),
    path("staff/accounts/", include("portal.urls_accounts")),
    path("staff/", include("portal.urls_staff")),
    path("notifications/", include("portal.urls_notifications")),
    path("imports/", include("portal.urls_imports")),
    path("reports/", include("portal.urls_reports")),
    path("help/", guide, name="help"),
]
