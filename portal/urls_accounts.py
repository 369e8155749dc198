from django.urls import path

from .views.accounts import AccountsView

urlpatterns = [
    path("", AccountsView.as_view(), name="staff-accounts"),
]
