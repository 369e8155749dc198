"""The scorecards' pages, included under /assessments/ by the project's URLs."""

app_name = "assessments"
urlpatterns: list = []
