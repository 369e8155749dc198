"""The scorecards' pages, included under /assessments/ by the project's URLs."""

from django.urls import path

from .views import board, card

app_name = "assessments"

urlpatterns = [
    # The training section
    path("", board.BoardView.as_view(), name="board"),
    path("create/", board.CreateYearCardsView.as_view(), name="create-year-cards"),
    path("rankings/", board.RankingsView.as_view(), name="rankings"),
    path("cards/<int:pk>/", card.ReviewView.as_view(), name="card"),
    path("cards/<int:pk>/return/", card.ReturnCardView.as_view(), name="card-return"),
    path("cards/<int:pk>/finalise/", card.FinaliseCardView.as_view(), name="card-finalise"),
    path("cards/<int:pk>/reopen/", card.ReopenCardView.as_view(), name="card-reopen"),
    path("cards/<int:pk>/appraisal/", card.AppraisalView.as_view(), name="card-appraisal"),
    # The unit's study administrator (and the training section)
    path("unit/", card.UnitCardsView.as_view(), name="unit-cards"),
    path("cards/<int:pk>/self-check/", card.SelfCheckView.as_view(), name="self-check"),
    path("cards/<int:pk>/print/", card.PrintCardView.as_view(), name="card-print"),
    path("evidence/<int:pk>/", card.EvidenceFileView.as_view(), name="evidence"),
]
