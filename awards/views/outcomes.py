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
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from blocs.models import BlocYear
from blocs.permissions import is_board_for
from blocs.stages import Stage
from blocs.views.mixins import BlocYearMixin, add_service_error
from members import audit, caching

from .. import outcomes as services
from ..board_selectors import proposals_with_decisions
from ..conference_reads import conference_and_rules
from ..documents import document_links
from ..forms_outcomes import HandoverForm, ResultsConfirmForm
from ..models import AwardKind, Conference, ConferenceStatus, FlagHandover
from ..permissions import can_view_conference
from ..rules import rules_events

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
    """The closed polls kind by kind, the confirmed results, the confirmation form.

    Issue 9: the page is opened far more often than its polls change (a conference's
    phones, then the board), and its cost was reading the rounds and rendering their
    tables. The page's body is kept rendered under the data version
    (:mod:`members.caching`), per :meth:`standing` and ``?breakdown=all`` choice. The
    confirmation form (the request's CSRF token, the POST's errors) and the audit link
    stay outside, rendered with the page each time; the rounds the form is made of are
    kept under the data version too (:meth:`kinds`).
    """

    template_name = "awards/results.html"

    def kinds(self, *, cached: bool = False) -> list:
        """:func:`awards.results.results_by_kind`, once per request; ``cached``: read
        once per data version, for the confirmation form, which is rendered with every
        request of the secretariat (a body rendered again needs them only then)."""
        if not hasattr(self, "_kinds"):
            bloc_year, rules = self.bloc_year, self.rules

            def read():
                return services.results_by_kind(bloc_year, rules=rules)

            if cached:
                self._kinds = caching.remember("awards.results_by_kind", (bloc_year.pk,), read)
            else:
                self._kinds = read()
        return self._kinds

    def standing(self) -> dict:
        """What of the viewer the body shows, and nothing else: the link to the
        proposals and the documents offered (summary of confirmed results)."""
        user, bloc_year, conference = self.request.user, self.bloc_year, self.conference
        return {
            "can_view_proposals": services.can_view_proposals(user, bloc_year, conference),
            **document_links(user, bloc_year, conference),
        }

    def results_context(self, form=None) -> dict:
        user, bloc_year, conference = self.request.user, self.bloc_year, self.conference
        confirmed = conference is not None and conference.status == ConferenceStatus.CONFIRMED
        can_confirm = services.can_confirm_results(user, bloc_year, conference)
        if can_confirm and form is None:
            form = ResultsConfirmForm(kinds=self.kinds(cached=True), rules=self.rules)
        standing = self.standing()
        show_all = self.request.GET.get("breakdown") == "all"
        body = caching.fragment(
            "awards.results_body",
            (bloc_year.pk, show_all, *sorted(standing.items())),
            lambda: self._render_body(confirmed, show_all, standing),
        )
        return {
            "conference": conference,
            "confirmed": confirmed,
            "form": form if can_confirm else None,
            # Only the form reads them (its button waits for the problems to be solved).
            "problems": self._problems(self.kinds(cached=True)) if can_confirm else [],
            "results_body": body,
            "audit_history_url": audit.history_url(user, conference, scope=bloc_year),
        }

    @staticmethod
    def _problems(kinds) -> list[str]:
        return [p for summary in kinds for p in summary.problems]

    def _render_body(self, confirmed: bool, show_all: bool, standing: dict) -> str:
        """The body from the data and the standing alone (no request, no user)."""
        bloc_year = self.bloc_year
        proposals = services.proposals_for_page(bloc_year) if confirmed else []
        kinds = self.kinds()
        context = {
            "bloc_year": bloc_year,
            "bloc": bloc_year.bloc,
            "conference": self.conference,
            "confirmed": confirmed,
            "kinds": kinds,
            "problems": self._problems(kinds),
            "show_all": show_all,
            "flag_proposals": [p for p in proposals if p.award == AwardKind.FLAG],
            "certificate_proposals": [p for p in proposals if p.award == AwardKind.CERTIFICATE],
            **standing,
        }
        return render_to_string("awards/results.html#body", context)

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
    """What the bloc proposes to the province, with the votes and scores.

    Issue 9: the table (the proposals with the board's decisions, a row each) is the
    same for everyone who may open the page, so it is kept rendered under the data
    version (:mod:`members.caching`); the documents offered depend on the viewer and
    are rendered with the page."""

    template_name = "awards/proposals.html"

    def get(self, request, *args, **kwargs):
        if not services.can_view_proposals(request.user, self.bloc_year, self.conference):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, bloc_year = self.request.user, self.bloc_year
        table = caching.fragment(
            "awards.proposals_table", (bloc_year.pk,), lambda: self._render_table(bloc_year)
        )
        return super().get_context_data(
            conference=self.conference,
            proposals_table=table,
            **document_links(user, bloc_year, self.conference),
            **kwargs,
        )

    @staticmethod
    def _render_table(bloc_year) -> str:
        context = {
            "bloc_year": bloc_year,
            "bloc": bloc_year.bloc,
            # With the board's decisions (read-only here), in the same query.
            "proposals": proposals_with_decisions(bloc_year),
        }
        return render_to_string("awards/proposals.html#table", context)


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
