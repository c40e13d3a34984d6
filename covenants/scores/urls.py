"""Scoring URLs, gathered from each page module (namespace ``covenants``)."""

from .views import evidence, mid_year, ranking, review, sheet

urlpatterns = [
    *sheet.urlpatterns,
    *evidence.urlpatterns,
    *review.urlpatterns,
    *ranking.urlpatterns,
    *mid_year.urlpatterns,
]
