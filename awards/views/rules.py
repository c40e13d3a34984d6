"""Conference pages: voting rules, province defaults, eligibility.

PLACEHOLDER until its helper replaces this module: every URL name of the
issue-6 contract is registered so templates can link to it."""

from django.http import Http404
from django.urls import path


def _not_built_yet(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("provinces/<int:province>/voting-defaults/", _not_built_yet, name="province_defaults"),
    path("blocs/<int:pk>/<int:year>/conference/rules/", _not_built_yet, name="rules"),
    path("blocs/<int:pk>/<int:year>/conference/eligibility/", _not_built_yet, name="eligibility"),
]
