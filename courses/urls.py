"""The training organisation's pages, included under /training/ by the project's URLs."""

app_name = "courses"
urlpatterns: list = []
