"""The official's own pages, mounted under /me/ (namespace ``portal``)."""

from django.urls import path

from .views import official

urlpatterns = [
    path("", official.MyCreditsView.as_view(), name="my-credits"),
    path("declare/", official.DeclareView.as_view(), name="my-declare"),
    path("declare/similar/", official.SimilarRecordsView.as_view(), name="my-declare-similar"),
    path("records/<int:pk>/redeclare/", official.RedeclareView.as_view(), name="my-record-redeclare"),
    path("records/<int:pk>/withdraw/", official.WithdrawRecordView.as_view(), name="my-record-withdraw"),
    path("registration-form/<year:year>/", official.RegistrationFormView.as_view(), name="my-registration-form"),
    path("archive/", official.ArchiveView.as_view(), name="my-archive"),
]
