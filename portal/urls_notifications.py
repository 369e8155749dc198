from django.urls import path

from .views.notifications import NotificationListView, mark_all_notifications_read, open_notification

urlpatterns = [
    path("", NotificationListView.as_view(), name="notifications"),
    path("read-all/", mark_all_notifications_read, name="notifications-read-all"),
    path("<int:pk>/", open_notification, name="notification-open"),
]
