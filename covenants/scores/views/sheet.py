"""Scoring pages: sheet (see the package docstring).

PLACEHOLDER until its helper replaces this module: every URL name of the
issue-5 contract is registered so templates can link to it."""

from django.http import Http404
from django.urls import path


def _not_built_yet(request, *args, **kwargs):
    raise Http404


PREFIX = "blocs/<int:pk>/<int:year>/"

urlpatterns = [
    path(f"{PREFIX}scores/", _not_built_yet, name="scores"),
    path(f"{PREFIX}scores/<slug:period>/open/", _not_built_yet, name="scores_open"),
    path(f"{PREFIX}scores/<slug:period>/<int:agency>/", _not_built_yet, name="score_sheet"),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/edit/", _not_built_yet, name="score_sheet_edit"
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/submit/",
        _not_built_yet,
        name="score_sheet_submit",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/lines/<int:line>/evidence/",
        _not_built_yet,
        name="evidence_add",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/evidence/<int:evidence>/",
        _not_built_yet,
        name="evidence",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/evidence/<int:evidence>/delete/",
        _not_built_yet,
        name="evidence_delete",
    ),
]
