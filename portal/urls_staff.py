from django.urls import path

from .views.placeholder import placeholder

urlpatterns = [
    path("", placeholder, name="staff-queue"),
    path("staff-dashboard/", placeholder, name="staff-dashboard"),
    path("staff-rankings/", placeholder, name="staff-rankings"),
    path("staff-officials/", placeholder, name="staff-officials"),
    path("staff-years/", placeholder, name="staff-years"),
]
