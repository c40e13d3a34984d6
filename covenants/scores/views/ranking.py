"""Scoring pages: ranking (see the package docstring).

PLACEHOLDER until its helper replaces this module: every URL name of the
issue-5 contract is registered so templates can link to it."""

from django.http import Http404
from django.urls import path


def _not_built_yet(request, *args, **kwargs):
    raise Http404


PREFIX = "blocs/<int:pk>/<int:year>/"

urlpatterns = [
    path(f"{PREFIX}scores/<slug:period>/ranking/", _not_built_yet, name="ranking"),
    path(f"{PREFIX}scores/<slug:period>/ranking/publish/", _not_built_yet, name="ranking_publish"),
    path(f"{PREFIX}scores/<slug:period>/ranking/pdf/", _not_built_yet, name="ranking_pdf"),
    path(f"{PREFIX}scores/<slug:period>/ranking/xlsx/", _not_built_yet, name="ranking_xlsx"),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/xlsx/", _not_built_yet, name="score_sheet_xlsx"
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/import/",
        _not_built_yet,
        name="score_sheet_import",
    ),
    path(f"{PREFIX}results/<int:agency>/", _not_built_yet, name="score_results"),
]
