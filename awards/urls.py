"""Conference URLs, gathered from each page module."""

from .views import board, board_bundle, documents, outcomes, rules, voting

app_name = "awards"

urlpatterns = [
    *rules.urlpatterns,
    *voting.urlpatterns,
    *outcomes.urlpatterns,
    *documents.urlpatterns,
    *board.urlpatterns,
    *board_bundle.urlpatterns,
]
