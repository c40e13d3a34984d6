"""Conference pages: conference, attendance, committee, polls, ballots, paper counts.

PLACEHOLDER until its helper replaces this module: every URL name of the
issue-6 contract is registered so templates can link to it."""

from django.http import Http404
from django.urls import path


def _not_built_yet(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("blocs/<int:pk>/<int:year>/conference/", _not_built_yet, name="conference"),
    path("blocs/<int:pk>/<int:year>/conference/edit/", _not_built_yet, name="conference_edit"),
    path("blocs/<int:pk>/<int:year>/conference/attendance/", _not_built_yet, name="attendance"),
    path("blocs/<int:pk>/<int:year>/conference/committee/", _not_built_yet, name="committee"),
    path("blocs/<int:pk>/<int:year>/conference/polls/new/", _not_built_yet, name="poll_create"),
    path("blocs/<int:pk>/<int:year>/conference/polls/<int:poll>/", _not_built_yet, name="poll"),
    path(
        "blocs/<int:pk>/<int:year>/conference/polls/<int:poll>/<slug:action>/",
        _not_built_yet,
        name="poll_action",
    ),
    path(
        "blocs/<int:pk>/<int:year>/conference/polls/<int:poll>/vote/", _not_built_yet, name="vote"
    ),
    path(
        "blocs/<int:pk>/<int:year>/conference/polls/<int:poll>/count/",
        _not_built_yet,
        name="paper_count",
    ),
    path(
        "blocs/<int:pk>/<int:year>/conference/polls/<int:poll>/ballots.pdf",
        _not_built_yet,
        name="ballots_pdf",
    ),
]
