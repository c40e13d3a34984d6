"""The history page of one audited object: who changed what, when, before → after.

One view for every audited model, addressed by the model's label and the
object's id (``/history/covenants.scoreline/12/``). A model that is not
audited is not found; the object's history is shown to the secretariat of its
bloc-year and to its province's board (:func:`members.audit.can_view_history`).
"""

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from .. import audit
from ..history import object_versions

#: Versions per page, newest first.
PAGE_SIZE = 50


def audited_model(label: str):
    """The audited model named ``label`` ("covenants.scoreline"), else 404."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if audit.label_of(model) != label.lower() or label.lower() not in audit.SCOPES:
        raise Http404
    if not audit.is_audited(model):
        raise Http404
    return model


class ObjectHistoryView(LoginRequiredMixin, TemplateView):
    template_name = "members/history.html"

    def get_context_data(self, **kwargs):
        model = audited_model(kwargs["model"])
        obj = get_object_or_404(audit.scoped_queryset(model), pk=kwargs["pk"])
        user = self.request.user
        if not audit.can_view_history(user, obj, scope=audit.load_scope(obj)):
            raise PermissionDenied
        hidden = audit.hidden_fields(user, obj)
        versions = object_versions(obj, hidden=hidden)
        page = Paginator(versions, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            object=obj,
            kind=model._meta.verbose_name,
            back_url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            page=page,
            some_hidden=bool(hidden),
            **kwargs,
        )
