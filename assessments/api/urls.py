"""The scorecards' API, included under /api/v1/ by the project's URLs."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("scorecard-templates", views.ScorecardTemplateViewSet, basename="scorecard-template")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")

urlpatterns = router.urls
