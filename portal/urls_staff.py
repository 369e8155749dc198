"""The training section's pages (/staff/), namespace ``portal``. The nav links to the five page names."""

from django.urls import path

from credits.models import Exemption, Veto

from .views import staff_city, staff_officials, staff_queue, staff_years
from .views.staff_officials import RemoveDecisionView

urlpatterns = [
    # The approval queue
    path("", staff_queue.ReviewQueueView.as_view(), name="staff-queue"),
    path("approve/", staff_queue.BulkApproveView.as_view(), name="staff-bulk-approve"),
    path("records/<int:pk>/approve/", staff_queue.ApproveRecordView.as_view(), name="staff-approve"),
    path("records/<int:pk>/reject/", staff_queue.RejectRecordView.as_view(), name="staff-reject"),
    path("records/<int:pk>/row/", staff_queue.QueueRowView.as_view(), name="staff-queue-row"),
    # The city
    path("dashboard/", staff_city.DashboardView.as_view(), name="staff-dashboard"),
    path("rankings/", staff_city.RankingsView.as_view(), name="staff-rankings"),
    # Officials and the section's decisions
    path("officials/", staff_officials.OfficialsView.as_view(), name="staff-officials"),
    path("officials/<str:staff_no>/", staff_officials.OfficialDetailView.as_view(), name="staff-official"),
    path(
        "officials/<str:staff_no>/points/",
        staff_officials.DiscretionaryPointsView.as_view(),
        name="staff-official-points",
    ),
    path(
        "officials/<str:staff_no>/exemptions/", staff_officials.ExemptionView.as_view(), name="staff-official-exemption"
    ),
    path(
        "officials/<str:staff_no>/exemptions/<int:pk>/remove/",
        RemoveDecisionView.as_view(model=Exemption),
        name="staff-official-exemption-remove",
    ),
    path("officials/<str:staff_no>/vetoes/", staff_officials.VetoView.as_view(), name="staff-official-veto"),
    path(
        "officials/<str:staff_no>/vetoes/<int:pk>/remove/",
        RemoveDecisionView.as_view(model=Veto),
        name="staff-official-veto-remove",
    ),
    path(
        "officials/<str:staff_no>/decisions/<int:pk>/restore/",
        staff_officials.RestoreDecisionView.as_view(),
        name="staff-official-decision-restore",
    ),
    path(
        "officials/<str:staff_no>/records/<int:pk>/revoke/",
        staff_officials.RevokeRecordView.as_view(),
        name="staff-official-record-revoke",
    ),
    path(
        "officials/<str:staff_no>/records/<int:pk>/correct/",
        staff_officials.CorrectRecordView.as_view(),
        name="staff-official-record-correct",
    ),
    path(
        "officials/<str:staff_no>/registration/<year:year>/",
        staff_officials.StaffRegistrationFormView.as_view(),
        name="staff-official-registration",
    ),
    path(
        "officials/<str:staff_no>/archive/",
        staff_officials.StaffArchiveView.as_view(),
        name="staff-official-archive",
    ),
    # Years: recompute, publish, reopen, choose the credit policy (a preview first)
    path("years/", staff_years.YearsView.as_view(), name="staff-years"),
    path("years/<year:year>/recompute/", staff_years.RecomputeView.as_view(), name="staff-recompute"),
    path("years/jobs/<int:pk>/", staff_years.RecomputeProgressView.as_view(), name="staff-recompute-progress"),
    path("years/<year:year>/publish/", staff_years.PublishYearView.as_view(), name="staff-publish"),
    path("years/<year:year>/reopen/", staff_years.ReopenYearView.as_view(), name="staff-reopen"),
    path("years/<year:year>/policy/", staff_years.YearPolicyView.as_view(), name="staff-year-policy"),
]
