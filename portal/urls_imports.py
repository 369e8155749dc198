"""Import pages (/imports/), namespace ``portal``: for unit study administrators and the training section."""

from django.urls import path

from .views import imports

urlpatterns = [
    path("", imports.ImportView.as_view(), name="imports"),
    path("templates/<str:kind>.xlsx", imports.TemplateView.as_view(), name="import-template"),
    path("jobs/<int:pk>/", imports.JobView.as_view(), name="import-job"),
    path("jobs/<int:pk>/status/", imports.JobStatusView.as_view(), name="import-job-status"),
    path("jobs/<int:pk>/confirm/", imports.ConfirmView.as_view(), name="import-confirm"),
]
