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
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import audit, caching
from ..history import describe, known_objects, list_versions, named_by

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


_ROW = (
    '<tr class="version"><td class="text-nowrap" rowspan="{}">{}</td><td rowspan="{}">{}</td>'
    '<td rowspan="{}">{}</td>{}</tr>'
)
_CHANGE = '<td>{}</td><td class="text-pre-line">{}</td><td class="text-pre-line">{}</td>'
_NOTHING = '<td colspan="3" class="text-body-secondary small">{}</td>'


def version_rows(versions) -> str:
    """The table's rows, one per version (a cell per changed field, the first
    three spanning them), escaped as the template would.

    Built here rather than in the template: its ~20 nodes per version, 50
    versions a page, were most of the page's time."""
    system = format_html('<span class="text-body-secondary">{}</span>', _("the system"))
    removed, unchanged = _("Removed."), _("No field you may see changed.")
    rows = []
    for version in versions:
        span = len(version.changes) or 1
        when = formats.date_format(timezone.localtime(version.date), "SHORT_DATETIME_FORMAT")
        who = version.user.get_full_name() if version.user else system
        kind = version.kind_label
        if version.subject:
            kind = format_html(
                '{}<br><span class="small text-body-secondary">{}</span>', kind, version.subject
            )
        if version.changes:
            cells = mark_safe(
                "</tr><tr>".join(
                    format_html(_CHANGE, c.label, c.before, c.after) for c in version.changes
                )
            )
        else:
            cells = format_html(_NOTHING, removed if version.kind == "-" else unchanged)
        rows.append((span, when, span, who, span, kind, cells))
    return format_html_join("\n", _ROW, rows)


def page_number(raw) -> int:
    """What ``Paginator.get_page`` makes of ``?page=``, as a key: not a whole number is
    page 1, and anything below 1 is the last page (0 here), as is any number past it."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return max(number, 0)


def hidden_key(hidden: dict) -> tuple:
    """``hidden`` (label → field names or ``ALL_FIELDS``) in one order, for a cache key."""
    return tuple(
        sorted(
            (label, columns if columns == audit.ALL_FIELDS else tuple(sorted(columns)))
            for label, columns in hidden.items()
        )
    )


class ObjectHistoryView(LoginRequiredMixin, TemplateView):
    """Issue 9: reading the versions, comparing them and building 50 rows cost most of
    the page. The table and its pages are one fragment under the data version
    (:mod:`members.caching`), keyed by the object, the page and what the reader may not
    see (the blind review's hidden fields): every reader who sees the same fields shares
    it. The object (with its scope, what the permission check reads) and each reader's
    hidden fields are kept under the data version too; the check itself runs on every
    request, before any fragment is looked up."""

    template_name = "members/history.html"

    def get_context_data(self, **kwargs):
        model = audited_model(kwargs["model"])
        label, pk = audit.label_of(model), kwargs["pk"]
        obj, scope = caching.remember(
            "members.history_object", (label, pk), lambda: self._load(model, pk)
        )
        user = self.request.user
        if not audit.can_view_history(user, obj, scope=scope):
            raise PermissionDenied
        # Per reader: the rule may read anything about the reader (the blind review
        # asks how the reader stands towards the sheet).
        hidden = caching.remember(
            "members.history_hidden", (label, pk, user.pk), lambda: audit.hidden_fields(user, obj)
        )
        number = page_number(self.request.GET.get("page"))
        versions = caching.fragment(
            "members.history_versions",
            (label, pk, hidden_key(hidden), number),
            lambda: self._render(obj, hidden, number),
        )
        return super().get_context_data(
            object=obj,
            kind=model._meta.verbose_name,
            back_url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            versions=versions,
            some_hidden=bool(hidden),
            **kwargs,
        )

    @staticmethod
    def _load(model, pk) -> tuple:
        """The object (404 if none) with what its name reads (a sheet: its agency, its
        year and bloc): the title and the versions that name these objects need no query
        of their own; and its scope with what the permission check reads."""
        rows = audit.scoped_queryset(model)
        if paths := named_by(model):
            rows = rows.select_related(*paths)
        obj = get_object_or_404(rows, pk=pk)
        return obj, audit.load_scope(obj)

    def _render(self, obj, hidden: dict, number: int) -> str:
        versions = list_versions(obj, hidden=hidden)
        page = Paginator(versions, PAGE_SIZE).get_page(number)
        # Only the versions shown are compared field by field.
        describe(page.object_list, versions, known=known_objects(obj))
        context = {"page": page, "rows": version_rows(page.object_list)}
        return render_to_string(f"{self.template_name}#versions", context)
