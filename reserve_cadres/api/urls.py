"""The reserve pool's API, included under /api/v1/ by the project's URLs."""

urlpatterns: list = []
