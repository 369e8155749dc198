from django.urls import path

from .views.accounts import AccountsView, BulkAccountsView, PasswordSheetView

urlpatterns = [
    path("", AccountsView.as_view(), name="staff-accounts"),
    path("bulk/", BulkAccountsView.as_view(), name="staff-accounts-bulk"),
    path("sheets/<str:token>/", PasswordSheetView.as_view(), name="staff-password-sheet"),
]
