"""Scoring pages: review (see the package docstring).

PLACEHOLDER until its helper replaces this module: every URL name of the
issue-5 contract is registered so templates can link to it."""

from django.http import Http404
from django.urls import path


def _not_built_yet(request, *args, **kwargs):
    raise Http404


PREFIX = "blocs/<int:pk>/<int:year>/"

urlpatterns = [
    path(f"{PREFIX}scores/<slug:period>/reviewers/", _not_built_yet, name="score_reviewers"),
    path(f"{PREFIX}scores/<slug:period>/<int:agency>/review/", _not_built_yet, name="score_review"),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/reconcile/",
        _not_built_yet,
        name="score_reconcile",
    ),
    path(f"{PREFIX}scores/<slug:period>/<int:agency>/return/", _not_built_yet, name="score_return"),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/history/", _not_built_yet, name="score_history"
    ),
]
