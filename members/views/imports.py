"""Excel import for the board: upload, preview (every error by sheet, row and
column, or every change), confirm. Also the exports and blank templates."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from .. import services
from ..importers import get_importer
from ..imports import export_people
from ..models import ImportBatch, ImportKind, ImportStatus, Province
from ..permissions import can_manage_agencies
from ..spreadsheets import SpreadsheetError
from .people import base_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTION_LABELS = {
    "create": gettext_lazy("New"),
    "update": gettext_lazy("Changed"),
    "reactivate": gettext_lazy("Reactivated"),
    "deactivate": gettext_lazy("Deactivated"),
    "remove": gettext_lazy("Removed"),
    "unchanged": gettext_lazy("Unchanged"),
}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file contains"), choices=ImportKind)
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an Excel .xlsx file."), code="extension")
        if file.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."), code="size")
        return file


class _BoardMixin(LoginRequiredMixin):
    """The board member's province; a site admin may name one with ?province=."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        province_id = user.board_province_id or request.GET.get("province")
        if user.is_superuser and not province_id:
            province_id = Province.objects.order_by("name").values_list("pk", flat=True).first()
        if not province_id:
            raise PermissionDenied
        self.province = get_object_or_404(Province, pk=province_id)
        if not can_manage_agencies(user, self.province.pk):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportUploadView(_BoardMixin, FormView):
    form_class = ImportForm
    template_name = "members/import_upload.html"

    def form_valid(self, form):
        batch = services.import_upload(
            province=self.province,
            kind=form.cleaned_data["kind"],
            uploaded_file=form.cleaned_data["file"],
            actor=self.request.user,
        )
        return redirect("members:import_preview", pk=batch.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            province=self.province,
            history=ImportBatch.objects.filter(province=self.province)
            .select_related("uploaded_by")
            .defer("content")[:20],
            **kwargs,
        )


class ImportPreviewView(_BoardMixin, TemplateView):
    """What the file would change, or why it cannot be applied."""

    template_name = "members/import_preview.html"

    def get_context_data(self, **kwargs):
        batch = get_object_or_404(
            ImportBatch.objects.select_related("uploaded_by"),
            pk=self.kwargs["pk"],
            province=self.province,
        )
        importer = get_importer(batch.kind)
        try:
            plan = importer.plan(bytes(batch.content), province=self.province)
            unreadable = None
        except SpreadsheetError as exc:
            plan, unreadable = None, str(exc)
        return super().get_context_data(
            batch=batch,
            plan=plan,
            unreadable=unreadable,
            counts=[(ACTION_LABELS[a], n) for a, n in plan.counts.items() if n] if plan else [],
            changes=[(ACTION_LABELS[c.action], c) for c in plan.real_changes()] if plan else [],
            can_apply=bool(plan and plan.is_valid and batch.status == ImportStatus.PREVIEWED),
            **kwargs,
        )


class ImportApplyView(_BoardMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk, province=self.province)
        if "discard" in request.POST:
            services.import_discard(batch=batch, actor=request.user)
            messages.info(request, _("The file was discarded; nothing was changed."))
            return redirect("members:import")
        try:
            batch = services.import_apply(
                batch=batch, actor=request.user, base_url=base_url(request)
            )
        except (ValidationError, SpreadsheetError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("The file was applied."))
        return redirect("members:import_preview", pk=batch.pk)


class ImportFileView(_BoardMixin, View):
    """The uploaded file itself, as it was imported."""

    def get(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk, province=self.province)
        return xlsx_response(bytes(batch.content), batch.file_name)


class TemplateDownloadView(_BoardMixin, View):
    def get(self, request, kind):
        if kind not in ImportKind.values:
            raise PermissionDenied
        importer = get_importer(kind)
        return xlsx_response(importer.template(), importer.template_name)


class PeopleExportView(_BoardMixin, View):
    def get(self, request):
        return xlsx_response(
            export_people(province=self.province), f"can-bo-{self.province.code}.xlsx"
        )
