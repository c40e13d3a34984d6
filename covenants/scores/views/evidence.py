"""Scoring pages: a sheet's evidence files — upload one for a line, download one,
remove one (split from :mod:`.sheet`, whose sheet loading and permission check
they share through ``_SheetMixin``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from ...models import Evidence, ScoreLine
from .. import evidence as evidence_rules
from .. import permissions, services
from ..forms_sheet import EvidenceForm
from .sheet import _SHEET, _sheet_url, _SheetMixin


class EvidenceAddView(_SheetMixin, FormView):
    """Upload one file for one line (the edit page posts here too)."""

    form_class = EvidenceForm
    template_name = "covenants/scores/evidence_form.html"

    def allowed(self, user, sheet):
        self.line = get_object_or_404(
            ScoreLine.objects.select_related("criterion"), pk=self.kwargs["line"], sheet=sheet
        )
        return permissions.can_edit_self(user, sheet)

    def form_valid(self, form):
        try:
            evidence = services.evidence_add(
                line=self.line, actor=self.request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(name)s” was attached to line %(line)s.")
            % {"name": evidence.original_name, "line": self.line.key},
        )
        return redirect(_sheet_url("score_sheet_edit", self.sheet) + f"#line-{self.line.pk}")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            line=self.line, files=list(self.line.evidence.all()), **kwargs
        )


class _EvidenceMixin(_SheetMixin):
    def evidence(self):
        return get_object_or_404(
            Evidence.objects.select_related("line"),
            pk=self.kwargs["evidence"],
            line__sheet=self.sheet,
        )


class EvidenceDownloadView(_EvidenceMixin, View):
    """Streams the file to whoever may see the sheet's self side."""

    def allowed(self, user, sheet):
        return evidence_rules.can_download(
            user, sheet, published=self.published, bloc_year=self.bloc_year
        )

    def get(self, request, *args, **kwargs):
        return evidence_rules.evidence_response(self.evidence())


class EvidenceDeleteView(_EvidenceMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        evidence = self.evidence()
        try:
            services.evidence_remove(evidence=evidence, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("“%(name)s” was removed.") % {"name": evidence.original_name}
            )
        return redirect(_sheet_url("score_sheet_edit", self.sheet) + f"#line-{evidence.line_id}")


urlpatterns = [
    path(f"{_SHEET}lines/<int:line>/evidence/", EvidenceAddView.as_view(), name="evidence_add"),
    path(f"{_SHEET}evidence/<int:evidence>/", EvidenceDownloadView.as_view(), name="evidence"),
    path(
        f"{_SHEET}evidence/<int:evidence>/delete/",
        EvidenceDeleteView.as_view(),
        name="evidence_delete",
    ),
]
