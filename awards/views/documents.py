"""Conference pages: minutes, counting minutes, submission, summary report, achievement reports.

PLACEHOLDER until its helper replaces this module: every URL name of the
issue-6 contract is registered so templates can link to it."""

from django.http import Http404
from django.urls import path


def _not_built_yet(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("blocs/<int:pk>/<int:year>/conference/minutes.pdf", _not_built_yet, name="minutes_pdf"),
    path(
        "blocs/<int:pk>/<int:year>/conference/counting-minutes.pdf",
        _not_built_yet,
        name="counting_pdf",
    ),
    path(
        "blocs/<int:pk>/<int:year>/proposals/submission.pdf", _not_built_yet, name="submission_pdf"
    ),
    path(
        "blocs/<int:pk>/<int:year>/conference/summary-report.pdf", _not_built_yet, name="report_pdf"
    ),
    path(
        "blocs/<int:pk>/<int:year>/conference/summary-report/", _not_built_yet, name="report_edit"
    ),
    path(
        "blocs/<int:pk>/<int:year>/proposals/<int:proposal>/achievement/",
        _not_built_yet,
        name="achievement",
    ),
    path(
        "blocs/<int:pk>/<int:year>/proposals/<int:proposal>/achievement.pdf",
        _not_built_yet,
        name="achievement_pdf",
    ),
    path(
        "blocs/<int:pk>/<int:year>/proposals/<int:proposal>/achievement/signed/",
        _not_built_yet,
        name="achievement_file",
    ),
]
