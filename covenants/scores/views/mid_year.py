"""Scoring pages: mid_year (see the package docstring).

PLACEHOLDER until its helper replaces this module: every URL name of the
issue-5 contract is registered so templates can link to it."""

from django.http import Http404
from django.urls import path


def _not_built_yet(request, *args, **kwargs):
    raise Http404


PREFIX = "blocs/<int:pk>/<int:year>/"

urlpatterns = [
    path(f"{PREFIX}scores/settings/", _not_built_yet, name="score_settings"),
    path(f"{PREFIX}mid-year/", _not_built_yet, name="mid_year"),
    path(f"{PREFIX}mid-year/edit/", _not_built_yet, name="mid_year_edit"),
    path(f"{PREFIX}mid-year/hold/", _not_built_yet, name="mid_year_hold"),
    path(f"{PREFIX}mid-year/pdf/", _not_built_yet, name="mid_year_pdf"),
    path(f"{PREFIX}initiatives/", _not_built_yet, name="initiatives"),
    path(f"{PREFIX}initiatives/<int:agency>/", _not_built_yet, name="initiatives_edit"),
]
