"""Scoring URLs, gathered from each page module (namespace ``covenants``)."""

from .views import mid_year, ranking, review, sheet

urlpatterns = [
    *sheet.urlpatterns,
    *review.urlpatterns,
    *ranking.urlpatterns,
    *mid_year.urlpatterns,
]
