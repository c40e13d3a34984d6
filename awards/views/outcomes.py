"""Conference pages: results, proposals, election, submission, handover.

PLACEHOLDER until its helper replaces this module: every URL name of the
issue-6 contract is registered so templates can link to it."""

from django.http import Http404
from django.urls import path


def _not_built_yet(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("blocs/<int:pk>/<int:year>/conference/results/", _not_built_yet, name="results"),
    path(
        "blocs/<int:pk>/<int:year>/conference/results/confirm/",
        _not_built_yet,
        name="results_confirm",
    ),
    path("blocs/<int:pk>/<int:year>/proposals/", _not_built_yet, name="proposals"),
    path("blocs/<int:pk>/<int:year>/conference/handover/", _not_built_yet, name="handover"),
]
