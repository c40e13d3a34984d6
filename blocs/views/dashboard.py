"""Landing pages: each role starts somewhere useful."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import TemplateView

from members import caching
from members.models import Agency, Province
from members.permissions import can_manage_agencies, can_view_agency
from members.views.imports import XLSX

from .. import permissions, selectors
from ..deadlines.selectors import province_late
from ..imports import export_bloc_members
from ..links import link_maker
from ..stages import Stage


@login_required
def home(request):
    """Board → province dashboard; secretariat → its bloc-year; others → agency."""
    user = request.user
    if user.board_province_id:
        return redirect(user.board_province)
    if user.is_superuser and (province := Province.objects.order_by("name").first()):
        return redirect(province)
    years = list(permissions.secretariat_years(user).select_related("bloc")[:10])
    if years:
        open_years = [by for by in years if by.stage != Stage.CLOSED]
        return redirect((open_years or years)[0])
    if user.agency_id:
        return redirect(user.agency)
    return render(request, "blocs/no_role.html")


class ProvinceDashboardView(LoginRequiredMixin, TemplateView):
    """Every bloc of the province, year by year, and what is late: the board's landing page.

    Issue 9: the table (blocs × years with stages and chairs) and the late deadlines cost
    most of the page and change far less often than the board opens it. The whole
    content is one fragment under the data version (:mod:`members.caching`), keyed by the
    province, the day (the deadlines are late as of today) and whether the viewer may
    manage the blocs (the buttons above the table): nothing else of the viewer shows."""

    template_name = "blocs/province_dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.province = selectors.province_by_code(kwargs["code"])
        if not permissions.is_board_for(request.user, self.province.pk):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        can_manage = permissions.can_manage_blocs(self.request.user, self.province.pk)
        today = timezone.localdate()
        dashboard = caching.fragment(
            "blocs.province_dashboard",
            (self.province.pk, today, can_manage),
            lambda: self._render(can_manage, today),
        )
        return super().get_context_data(province=self.province, dashboard=dashboard, **kwargs)

    def _render(self, can_manage: bool, today) -> str:
        years, rows = selectors.province_dashboard(province=self.province)
        loaded = [by for row in rows for by in row.cells if by is not None]
        # The table's links, one reverse() per pattern rather than a {% url %} per cell.
        bloc_url, year_url = link_maker("blocs:bloc"), link_maker("blocs:year", slots=2)
        for row in rows:
            row.bloc.url = bloc_url(row.bloc.pk)
        for bloc_year in loaded:
            bloc_year.url = year_url(bloc_year.bloc_id, bloc_year.year)
        export_url = link_maker("blocs:export_bloc_members", self.province.code)
        context = {
            "province": self.province,
            "years": years,
            "year_columns": [(year, export_url(year)) for year in years],
            "rows": rows,
            "late_deadlines": province_late(self.province, today=today, years=loaded),
            "can_manage": can_manage,
        }
        return render_to_string(f"{self.template_name}#dashboard", context)


class BlocMembersExportView(ProvinceDashboardView):
    """The province's bloc members for one year, in the import layout."""

    def get(self, request, *args, **kwargs):
        year = int(kwargs["year"])
        content = export_bloc_members(province=self.province, year=year)
        response = HttpResponse(content, content_type=XLSX)
        filename = f"thanh-vien-khoi-{self.province.code}-{year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class AgencyOverviewView(LoginRequiredMixin, TemplateView):
    """An agency with its blocs year by year: where agency leaders land."""

    template_name = "blocs/agency_overview.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agency = get_object_or_404(
            Agency.objects.select_related("province", "successor"), pk=kwargs["pk"]
        )
        if not can_view_agency(request.user, self.agency):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_edit = can_manage_agencies(user, self.agency.province_id)
        return super().get_context_data(
            agency=self.agency,
            memberships=selectors.agency_memberships(agency=self.agency),
            people=selectors.agency_people(agency=self.agency, include_inactive=can_edit),
            predecessors=list(self.agency.predecessors.all()),
            can_edit=can_edit,
            can_invite=can_edit
            or (user.agency_id == self.agency.pk and user.is_agency_leader)
            or permissions.is_secretariat_for_agency(user, self.agency.pk),
            **kwargs,
        )
