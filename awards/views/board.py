"""The provincial board's pages: the proposals inbox of a year with the
province's totals, the decision on one proposal, the year's Excel exports,
and the multi-year memory of a bloc and of an agency.

The inbox, decisions and exports are the board's (403 for anyone else,
including another province's board); the memory pages are also open to
the bloc's members, who see a ranking only once it is published.

The inbox's and the bloc history's bodies are kept as rendered fragments under the data
version (:mod:`members.caching`): the board opens them again and again between two
decisions, and they are the slowest pages of its workspace. The permission check runs on
every request, before the cache; the objects it reads (the province, the bloc) come from
the cache too, which is as current as the database.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from blocs.links import link_maker
from blocs.models import Bloc, Membership
from blocs.permissions import can_view_bloc
from blocs.selectors import province_by_code
from blocs.views.mixins import add_service_error
from members import audit, caching
from members.models import Agency
from members.permissions import is_board_for
from members.views.imports import xlsx_response

from .. import board as services
from .. import board_exports, board_selectors
from ..forms_board import DecisionForm
from ..models import AwardProposal

PREFIX = "provinces/<slug:code>/<int:year>/"


class _BoardMixin(LoginRequiredMixin):
    """Loads the province and the year from the URL; the province's board only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.province = province_by_code(kwargs["code"])
        self.year = int(kwargs["year"])
        if not is_board_for(request.user, self.province.pk):
            raise PermissionDenied
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs):
        """Load what the page is about, once the board's right is checked."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("province", self.province)
        kwargs.setdefault("year", self.year)
        return super().get_context_data(**kwargs)


class InboxView(_BoardMixin, TemplateView):
    """The inbox's body is the same for every board member of the province (the page is
    theirs alone, checked before): one fragment per province and year. It shows no date
    relative to today and no form, so nothing else can change it."""

    template_name = "awards/board/inbox.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            body=caching.fragment("board_inbox", (self.province.pk, self.year), self.render_body),
            **kwargs,
        )

    def render_body(self) -> str:
        context = {
            "province": self.province,
            "year": self.year,
            "inbox": board_selectors.inbox(province=self.province, year=self.year),
            "years": board_selectors.province_years(self.province),
        }
        return render_to_string(f"{self.template_name}#body", context)


class DecideView(_BoardMixin, FormView):
    form_class = DecisionForm
    template_name = "awards/board/decide.html"

    def load(self, **kwargs):
        self.proposal = get_object_or_404(
            AwardProposal.objects.select_related(
                "agency", "bloc_year__bloc__province", "decision__decided_by"
            ),
            pk=kwargs["proposal"],
            bloc_year__bloc__province__code=kwargs["code"],
            bloc_year__year=kwargs["year"],
        )

    @property
    def decision(self):
        return getattr(self.proposal, "decision", None)

    def get_initial(self):
        if self.decision is None:
            return {}
        d = self.decision
        return {
            "outcome": d.outcome,
            "number": d.number,
            "decided_on": d.decided_on,
            "reason": d.reason,
        }

    def form_valid(self, form):
        try:
            services.decision_record(
                proposal=self.proposal, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The decision on %(agency)s is recorded.") % {"agency": self.proposal.agency.name},
        )
        return redirect("awards:board_inbox", code=self.province.code, year=self.year)

    def get_context_data(self, **kwargs):
        bloc_year = self.proposal.bloc_year
        return super().get_context_data(
            proposal=self.proposal,
            decision=self.decision,
            bloc_year=bloc_year,
            can_decide=services.can_decide(self.request.user, bloc_year),
            audit_history_url=audit.history_url(self.request.user, self.proposal, scope=bloc_year),
            **kwargs,
        )


class ProposalsExportView(_BoardMixin, View):
    def get(self, request, *args, **kwargs):
        content = board_exports.proposals_workbook(province=self.province, year=self.year)
        return xlsx_response(content, f"de-nghi-khen-thuong-{self.province.code}-{self.year}.xlsx")


class RankingsExportView(_BoardMixin, View):
    def get(self, request, *args, **kwargs):
        content = board_exports.rankings_workbook(province=self.province, year=self.year)
        return xlsx_response(content, f"xep-hang-{self.province.code}-{self.year}.xlsx")


class BlocHistoryView(LoginRequiredMixin, TemplateView):
    """The bloc year by year: the board and the agencies that were members."""

    template_name = "awards/board/bloc_history.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        pk = kwargs["pk"]
        self.bloc = caching.remember(
            "bloc_with_province",
            (pk,),
            lambda: get_object_or_404(Bloc.objects.select_related("province"), pk=pk),
        )
        if not can_view_bloc(request.user, self.bloc):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        """The body is one fragment per bloc and per standing: the board sees unpublished
        ranks, the members do not; the rest (links to every agency's page included) is the
        same for everyone allowed in, and shows nothing relative to today."""
        is_board = is_board_for(self.request.user, self.bloc.province_id)
        body = caching.fragment(
            "bloc_history", (self.bloc.pk, is_board), lambda: self.render_body(is_board)
        )
        return super().get_context_data(bloc=self.bloc, is_board=is_board, body=body, **kwargs)

    def render_body(self, see_unpublished: bool) -> str:
        years = board_selectors.bloc_history(
            self.bloc,
            see_unpublished=see_unpublished,
            agency_url=link_maker("awards:agency_history"),
        )
        context = {"bloc": self.bloc, "is_board": see_unpublished, "years": years}
        return render_to_string(f"{self.template_name}#body", context)


def can_view_agency_history(user, agency) -> bool:
    """The board, the agency's own staff, and staff of an agency that shared a
    bloc with it in any year."""
    if is_board_for(user, agency.province_id):
        return True
    if not (user.is_active and user.agency_id):
        return False
    if user.agency_id == agency.pk:
        return True
    return Membership.objects.filter(
        agency_id=user.agency_id, bloc_year__bloc__years__memberships__agency=agency
    ).exists()


class AgencyHistoryView(LoginRequiredMixin, TemplateView):
    template_name = "awards/board/agency_history.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agency = get_object_or_404(Agency, pk=kwargs["agency"])
        if not can_view_agency_history(request.user, self.agency):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        is_board = is_board_for(self.request.user, self.agency.province_id)
        kwargs["agency"] = self.agency  # the URL's ``agency`` is only its id
        return super().get_context_data(
            is_board=is_board,
            years=board_selectors.agency_history(self.agency, see_unpublished=is_board),
            **kwargs,
        )


urlpatterns = [
    path(f"{PREFIX}proposals/", InboxView.as_view(), name="board_inbox"),
    path(f"{PREFIX}proposals/<int:proposal>/decide/", DecideView.as_view(), name="board_decide"),
    path(f"{PREFIX}proposals.xlsx", ProposalsExportView.as_view(), name="board_proposals_xlsx"),
    path(f"{PREFIX}rankings.xlsx", RankingsExportView.as_view(), name="board_rankings_xlsx"),
    path("blocs/<int:pk>/history/", BlocHistoryView.as_view(), name="bloc_history"),
    path("agencies/<int:agency>/history/", AgencyHistoryView.as_view(), name="agency_history"),
]
