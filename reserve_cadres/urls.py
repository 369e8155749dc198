"""The reserve pool's pages, included under /reserves/ by the project's URLs."""

app_name = "reserve_cadres"
urlpatterns: list = []
