"""Conference URLs, gathered from each page module."""

from .views import documents, outcomes, rules, voting

app_name = "awards"

urlpatterns = [
    *rules.urlpatterns,
    *voting.urlpatterns,
    *outcomes.urlpatterns,
    *documents.urlpatterns,
]
