"""Scoring URLs, gathered from each page module (namespace ``covenants``)."""

from .views import evidence, home, mid_year, ranking, results, review, sheet

urlpatterns = [
    *home.urlpatterns,
    *sheet.urlpatterns,
    *evidence.urlpatterns,
    *review.urlpatterns,
    *ranking.urlpatterns,
    *results.urlpatterns,
    *mid_year.urlpatterns,
]
