"""The scorecards' API, included under /api/v1/ by the project's URLs (helper B2 fills it)."""

urlpatterns: list = []
