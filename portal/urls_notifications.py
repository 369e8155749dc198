from django.urls import path

from .views.placeholder import placeholder

urlpatterns = [
    path("", placeholder, name="notifications"),
]
