"""The unit study administrator's pages, mounted under /unit/ (staff: any unit with ?unit=CODE)."""

from django.urls import path

from .views import unit

urlpatterns = [
    path("", unit.UnitOfficialsView.as_view(), name="unit-officials"),
    path("sessions/", unit.SessionListView.as_view(), name="unit-sessions"),
    path("sessions/new/", unit.SessionCreateView.as_view(), name="unit-session-new"),
    path("sessions/<int:pk>/", unit.SessionDetailView.as_view(), name="unit-session"),
    path("sessions/<int:pk>/delete/", unit.SessionDeleteView.as_view(), name="unit-session-delete"),
    path("declare/", unit.DeclareView.as_view(), name="unit-declare"),
    path("report/", unit.UnitReportView.as_view(), name="unit-report"),
    path("officials/<str:staff_no>/", unit.UnitOfficialView.as_view(), name="unit-official"),
]
