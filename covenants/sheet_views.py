"""Scoring-sheet pages: read it, start it (empty or from last year), replace
its content from Excel, new version or discard before signing, export,
print. Each change calls one service of ``covenants.sheet_services``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from blocs.views.mixins import BlocYearMixin
from config.pdf import pdf_response, render_pdf
from members import audit
from members.spreadsheets import ImportRejected
from members.views.imports import MAX_UPLOAD_BYTES, xlsx_response

from . import sheet_services as services
from .documents import issuer_lines, place_name
from .sheet_excel import KIND_LABELS, export_template, template_import, template_workbook_blank
from .sheet_rules import template_totals


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Scoring sheet in Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx") or file.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Upload an Excel .xlsx file of at most 5 MB."))
        return file


def _redirect(bloc_year):
    return redirect("covenants:sheet", pk=bloc_year.bloc_id, year=bloc_year.year)


def sheet_rows(draft) -> list[dict]:
    """Groups, criteria and sub-criteria as flat rows with their depth."""
    rows = []

    def add(level, code, line, kind=None):
        rows.append(
            {
                "level": level,
                "code": code,
                "title": line.title,
                "kind": KIND_LABELS.get(kind, "") if kind else "",
                "max_points": line.max_points,
                "per_item": getattr(line, "points_per_item", None),
                "evidence": getattr(line, "evidence_required", False),
                "guidance": getattr(line, "guidance", ""),
            }
        )

    for group in draft.groups:
        add(0, group.code, group)
        for criterion in group.criteria:
            add(1, f"{group.code}.{criterion.code}", criterion, criterion.kind)
            for child in criterion.children:
                add(2, f"{group.code}.{child.code}", child, child.kind)
    return rows


def sheet_context(template) -> dict:
    draft = template.to_draft()
    return {
        "template": template,
        "draft": draft,
        "rows": sheet_rows(draft),
        "totals": template_totals(draft),
    }


class SheetDetailView(BlocYearMixin, FormView):
    """The sheet in force (or being drafted), with the secretariat's tools."""

    form_class = SheetUploadForm
    template_name = "covenants/sheet_detail.html"

    def get_context_data(self, **kwargs):
        template = services.current_template(self.bloc_year)
        draft = services.draft_template(self.bloc_year)
        return super().get_context_data(
            **(sheet_context(template) if template else {"template": None}),
            draft_template=draft,
            can_edit=services.can_edit_template(self.request.user, self.bloc_year),
            audit_history_url=audit.history_url(self.request.user, template, scope=self.bloc_year),
            import_errors=kwargs.pop("import_errors", None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        # Everyone in the bloc reads the page; only those who may edit the sheet may
        # post to it (the import re-checks, but a refused POST must not answer a page).
        if not services.can_edit_template(request.user, self.bloc_year):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        draft = services.draft_template(self.bloc_year)
        if draft is None:
            raise Http404
        try:
            template_import(
                template=draft, content=form.cleaned_data["file"].read(), actor=self.request.user
            )
        except ImportRejected as exc:
            return self.render_to_response(
                self.get_context_data(form=form, import_errors=exc.plan.errors)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The scoring sheet was replaced from the file."))
        return _redirect(self.bloc_year)


class SheetActionView(BlocYearMixin, View):
    """POST-only buttons: create, copy from last year, new version, discard."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action, bloc_year, user = kwargs["action"], self.bloc_year, request.user
        try:
            if action == "create":
                services.template_create(bloc_year=bloc_year, actor=user)
            elif action == "copy":
                services.template_copy_from_previous(bloc_year=bloc_year, actor=user)
            elif action == "new-version":
                services.template_new_version(bloc_year=bloc_year, actor=user)
            elif action == "discard":
                draft = services.draft_template(bloc_year)
                if draft is None:
                    # A second click on "discard": the draft is already gone.
                    messages.info(request, _("There is no draft to discard."))
                    return _redirect(bloc_year)
                services.template_discard_draft(template=draft, actor=user)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return _redirect(bloc_year)


class SheetExportView(BlocYearMixin, View):
    def get(self, request, *args, **kwargs):
        template = services.current_template(self.bloc_year)
        if template is None:
            return xlsx_response(template_workbook_blank(), "bang-cham-diem-mau.xlsx")
        name = f"bang-cham-diem-{self.bloc_year.bloc.number}-{self.bloc_year.year}.xlsx"
        return xlsx_response(export_template(template), name)


class SheetPdfView(BlocYearMixin, View):
    def get(self, request, *args, **kwargs):
        template = services.current_template(self.bloc_year)
        if template is None:
            raise Http404
        bloc_year = self.bloc_year
        superior, body = issuer_lines(bloc_year)
        context = {
            **sheet_context(template),
            "bloc_year": bloc_year,
            "issuer_superior": superior,
            "issuer_body": body,
            "place": place_name(bloc_year.bloc.province),
            "issued_on": bloc_year.signing_date,
            "doc_type": "BẢNG CHẤM ĐIỂM THI ĐUA",
            "summary": f"Năm {bloc_year.year}",
            "landscape": True,
        }
        pdf = render_pdf("covenants/pdf/scoring_sheet.html", context)
        return pdf_response(pdf, f"Bảng chấm điểm {bloc_year.bloc.name} {bloc_year.year}.pdf")
