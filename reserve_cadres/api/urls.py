"""The reserve pool's API, included under /api/v1/ by the project's URLs."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("reserves", views.ReserveViewSet, basename="reserve")

urlpatterns = router.urls
