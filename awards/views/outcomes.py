"""Conference pages: results, their confirmation, the proposals, the handover.

``results`` shows every closed poll by kind and round, and to the
secretariat the confirmation form; ``results_confirm`` is its POST (errors
come back on the results page, next to their fields). ``proposals`` is what
the board receives; ``handover`` records the rotating flag and then points
to the board's closing of the year and to the next year.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from blocs.models import BlocYear
from blocs.permissions import is_board_for
from blocs.stages import Stage
from blocs.views.mixins import BlocYearMixin, add_service_error
from members import audit

from .. import outcomes as services
from ..board_selectors import proposals_with_decisions
from ..documents import document_links
from ..forms_outcomes import HandoverForm, ResultsConfirmForm
from ..models import AwardKind, Conference, ConferenceStatus, FlagHandover
from ..permissions import can_view_conference
from ..rules import rules_events
from ..selectors import conference_and_rules

PREFIX = "blocs/<int:pk>/<int:year>/"


class _ConferenceMixin(BlocYearMixin):
    permission = staticmethod(can_view_conference)

    def _read_conference(self):
        """The record with the officers it names, and the year's rules, in one query
        (a page never writes the rules: see :func:`conference_and_rules`)."""
        self._conference, self._rules = conference_and_rules(
            self.bloc_year, related=("next_chair", "next_vice_chair", "confirmed_by")
        )

    @property
    def conference(self) -> Conference | None:
        if not hasattr(self, "_conference"):
            self._read_conference()
        return self._conference

    @property
    def rules(self):
        if not hasattr(self, "_rules"):
            self._read_conference()
        return self._rules

    def to(self, name):
        return redirect(f"awards:{name}", pk=self.bloc_year.bloc_id, year=self.bloc_year.year)


class ResultsView(_ConferenceMixin, TemplateView):
    template_name = "awards/results.html"

    def results_context(self, form=None) -> dict:
        user, bloc_year, conference = self.request.user, self.bloc_year, self.conference
        rules = self.rules
        kinds = services.results_by_kind(bloc_year, rules=rules)
        confirmed = conference is not None and conference.status == ConferenceStatus.CONFIRMED
        can_confirm = services.can_confirm_results(user, bloc_year, conference)
        proposals = services.proposals_for_page(bloc_year) if confirmed else []
        if can_confirm and form is None:
            form = ResultsConfirmForm(kinds=kinds, rules=rules)
        return {
            "conference": conference,
            "kinds": kinds,
            "rules": rules,
            "confirmed": confirmed,
            "form": form if can_confirm else None,
            "problems": [p for summary in kinds for p in summary.problems],
            "show_all": self.request.GET.get("breakdown") == "all",
            "flag_proposals": [p for p in proposals if p.award == AwardKind.FLAG],
            "certificate_proposals": [p for p in proposals if p.award == AwardKind.CERTIFICATE],
            "can_view_proposals": services.can_view_proposals(user, bloc_year, conference),
            "audit_history_url": audit.history_url(user, conference, scope=bloc_year),
            **document_links(user, bloc_year, conference),
        }

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(**self.results_context(form), **kwargs)


class ResultsConfirmView(ResultsView):
    """POST only: the confirmation form of the results page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not services.can_confirm_results(request.user, self.bloc_year, self.conference):
            raise PermissionDenied
        rules = self.rules
        kinds = services.results_by_kind(self.bloc_year, rules=rules)
        form = ResultsConfirmForm(request.POST, kinds=kinds, rules=rules)
        if form.is_valid():
            try:
                services.results_confirm(
                    bloc_year=self.bloc_year,
                    actor=request.user,
                    reasons=form.reasons(),
                    decisions=form.decisions(),
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "The results are confirmed: the proposals and next year's chair and "
                        "vice-chair are recorded."
                    ),
                )
                return self.to("results")
        return self.render_to_response(self.get_context_data(form=form))


class ProposalsView(_ConferenceMixin, TemplateView):
    """What the bloc proposes to the province, with the votes and scores."""

    template_name = "awards/proposals.html"

    def get(self, request, *args, **kwargs):
        if not services.can_view_proposals(request.user, self.bloc_year, self.conference):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            conference=self.conference,
            # With the board's decisions (read-only here), in the same query.
            proposals=proposals_with_decisions(self.bloc_year),
            **document_links(user, self.bloc_year, self.conference),
            **kwargs,
        )


class HandoverView(_ConferenceMixin, FormView):
    form_class = HandoverForm
    template_name = "awards/handover.html"

    @property
    def handover(self) -> FlagHandover | None:
        if not hasattr(self, "_handover"):
            self._handover = (
                FlagHandover.objects.select_related("outgoing", "incoming", "recorded_by")
                .filter(bloc_year=self.bloc_year)
                .first()
            )
        return self._handover

    def can_record(self) -> bool:
        return services.can_record_handover(self.request.user, self.bloc_year, self.conference)

    def post(self, request, *args, **kwargs):
        if not self.can_record():
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        handover = self.handover
        if handover is not None:
            return {"handed_on": handover.handed_on, "note": handover.note}
        held_on = self.conference.held_on if self.conference else None
        return {"handed_on": held_on}

    def form_valid(self, form):
        try:
            services.handover_record(
                bloc_year=self.bloc_year,
                actor=self.request.user,
                handed_on=form.cleaned_data["handed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The handover of the rotating flag is recorded."))
        return self.to("handover")

    def get_context_data(self, **kwargs):
        bloc_year = self.bloc_year
        next_year = None
        if bloc_year.stage == Stage.CLOSED:
            next_year = BlocYear.objects.filter(
                bloc_id=bloc_year.bloc_id, year=bloc_year.year + 1
            ).first()
        return super().get_context_data(
            conference=self.conference,
            handover=self.handover,
            can_record=self.can_record(),
            outgoing=bloc_year.chair,
            closed=bloc_year.stage == Stage.CLOSED,
            submitted=bloc_year.stage == Stage.SUBMITTED,
            is_board=is_board_for(self.request.user, bloc_year.bloc.province_id),
            next_year=next_year,
            events=rules_events(
                bloc_year, "flag_handed_over", "handover_corrected", "next_year_opened"
            ),
            **kwargs,
        )


urlpatterns = [
    path(f"{PREFIX}conference/results/", ResultsView.as_view(), name="results"),
    path(
        f"{PREFIX}conference/results/confirm/",
        ResultsConfirmView.as_view(),
        name="results_confirm",
    ),
    path(f"{PREFIX}proposals/", ProposalsView.as_view(), name="proposals"),
    path(f"{PREFIX}conference/handover/", HandoverView.as_view(), name="handover"),
]
