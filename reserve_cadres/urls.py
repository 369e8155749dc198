"""The reserve pool's pages, included under /reserves/ by the project's URLs."""

from django.urls import path, re_path

from .views import file, pool

app_name = "reserve_cadres"

urlpatterns = [
    # Every signed-in user
    path("", pool.PublishedListView.as_view(), name="published"),
    # The training section
    path("pool/", pool.PoolView.as_view(), name="pool"),
    path("pool/add/", pool.AddReserveView.as_view(), name="add"),
    re_path(r"^pool\.(?P<fmt>xlsx|pdf)$", pool.PoolExportView.as_view(), name="pool-export"),
    path("<int:pk>/defense/", file.DefenseView.as_view(), name="defense"),
    # The training section and the unit's study administrator (their unit's reserves)
    path("unit/", pool.UnitReservesView.as_view(), name="unit"),
    path("<int:pk>/", file.ReserveFileView.as_view(), name="file"),
    re_path(r"^(?P<pk>[0-9]+)/file\.(?P<fmt>xlsx|pdf)$", file.FileExportView.as_view(), name="file-export"),
    path("<int:pk>/<slug:entry>/", file.EntryView.as_view(), name="entry"),
]
