"""Poll pages: create the next poll, a poll's page, its open/close/next-round
steps (a confirmation page, then POST), the ballot, the paper counts and
the printable ballots.

Results are shown only once a poll is closed, recomputed from the counters
in the reader's language (:func:`awards.voting.poll_outcome`). With fewer
than :data:`SMALL_POLL` ballots the per-candidate counts could reveal how
individuals voted, so they wait for an explicit "show the breakdown anyway".
The ballot page itself is :mod:`.ballot`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from blocs.stages import Stage
from blocs.views.mixins import BlocYearMixin, add_service_error
from config.pdf import pdf_response

from .. import paper, permissions, voting
from ..ballots import ballots_filename, ballots_pdf
from ..conference_reads import conference_and_rules
from ..forms_voting import PaperCountForm, PollCreateForm
from ..models import (
    BallotParticipation,
    ConferenceStatus,
    Poll,
    PollMode,
    ThresholdBase,
)
from ..selectors import (
    attendance_rows,
    current_memberships,
    needs_further_round,
    poll_plan,
    poll_with_candidates,
    polls_of,
)

__all__ = ["SMALL_POLL", "poll_results", "threshold_words", "to_hub", "urlpatterns"]

PREFIX = "blocs/<int:pk>/<int:year>/conference/polls/"

#: Below this many ballots, per-candidate counts wait for an explicit click.
SMALL_POLL = 5


def to_hub(bloc_year):
    return redirect("awards:conference", pk=bloc_year.bloc_id, year=bloc_year.year)


def threshold_words(poll: Poll) -> str:
    """ "more than 1/2 of all members", before the base count is known."""
    values = {
        "fraction": f"{poll.threshold_numerator}/{poll.threshold_denominator}",
        "of_base": ThresholdBase(poll.threshold_base).label,
    }
    if poll.threshold_strict:
        return _("more than %(fraction)s %(of_base)s") % values
    return _("at least %(fraction)s %(of_base)s") % values


def poll_results(poll: Poll, rules) -> dict:
    """What a page shows of a closed poll (never call it for an open one)."""
    outcome = voting.poll_outcome(poll, rules)
    return {
        "outcome": outcome,
        "small": poll.ballots_valid < SMALL_POLL,
        "elected": [c.name for c in outcome.elected],
        "next_round": [c.name for c in outcome.next_round],
    }


def _can_manage(user, bloc_year, conference) -> bool:
    confirmed = conference is not None and conference.status == ConferenceStatus.CONFIRMED
    return permissions.can_manage_conference(user, bloc_year) and not confirmed


class _PollMixin(BlocYearMixin):
    permission = staticmethod(permissions.can_view_conference)

    def dispatch(self, request, *args, **kwargs):
        # Kept off the handlers' kwargs, which become the template context.
        self.poll_id = kwargs.pop("poll")
        return super().dispatch(request, *args, **kwargs)

    @property
    def poll(self) -> Poll:
        if not hasattr(self, "_poll"):
            self._poll = poll_with_candidates(self.bloc_year, self.poll_id)
        return self._poll

    def to_poll(self):
        return redirect(
            "awards:poll", pk=self.bloc_year.bloc_id, year=self.bloc_year.year, poll=self.poll.pk
        )


class PollCreateView(BlocYearMixin, FormView):
    """The next poll of the order of business, electronic or on paper."""

    form_class = PollCreateForm
    template_name = "awards/poll_create.html"
    permission = staticmethod(permissions.can_manage_conference)

    def step(self):
        if not hasattr(self, "_step"):
            conference, rules = conference_and_rules(self.bloc_year)
            plan = poll_plan(
                self.bloc_year, rules, polls=polls_of(self.bloc_year), conference=conference
            )
            self._plan = plan
            self._step = next((step for step in plan if step.state == "next"), None)
        return self._step

    def form_valid(self, form):
        step = self.step()
        if step is None:
            form.add_error(None, _("There is no poll to create now."))
            return self.form_invalid(form)
        try:
            poll = voting.poll_create(
                bloc_year=self.bloc_year,
                actor=self.request.user,
                kind=step.kind,
                mode=form.cleaned_data["mode"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The poll was created. Open it when the room is ready."))
        return redirect(
            "awards:poll", pk=self.bloc_year.bloc_id, year=self.bloc_year.year, poll=poll.pk
        )

    def get_context_data(self, **kwargs):
        step = self.step()
        return super().get_context_data(step=step, plan=self._plan, **kwargs)


class PollView(_PollMixin, TemplateView):
    template_name = "awards/poll.html"

    def get_context_data(self, **kwargs):
        user, bloc_year, poll = self.request.user, self.bloc_year, self.poll
        conference, rules = conference_and_rules(bloc_year)
        manage = _can_manage(user, bloc_year, conference)
        rows = attendance_rows(bloc_year, conference)
        agency = permissions.voting_agency(
            user, bloc_year, attendance=[row.record for row in rows if row.record]
        )
        voted = set(
            BallotParticipation.objects.filter(poll=poll).values_list("agency_id", flat=True)
        )
        present = agency is not None and any(r.present and r.agency == agency for r in rows)
        waiting = [row.agency for row in rows if row.present and row.agency.pk not in voted]
        further = (
            manage
            and needs_further_round(poll, rules)
            and not Poll.objects.filter(
                bloc_year=bloc_year, kind=poll.kind, round__gt=poll.round
            ).exists()
        )
        return super().get_context_data(
            poll=poll,
            candidates=list(poll.candidates.all()),
            threshold=threshold_words(poll),
            results=poll_results(poll, rules) if poll.is_closed else None,
            breakdown=self.request.GET.get("breakdown") == "1",
            small_poll=SMALL_POLL,
            can_manage=manage,
            can_vote=(
                present
                and poll.is_open
                and poll.mode == PollMode.ELECTRONIC
                and agency.pk not in voted
                and bloc_year.stage == Stage.CONFERENCE
            ),
            has_voted=agency is not None and agency.pk in voted,
            agency=agency,
            waiting=waiting if manage and poll.is_open else [],
            can_further_round=further,
            **kwargs,
        )


class PollActionView(_PollMixin, TemplateView):
    """Open, close or start the further round of a poll: a confirmation page, then POST."""

    template_name = "awards/poll_action.html"
    permission = staticmethod(permissions.can_manage_conference)
    actions = {
        "open": voting.poll_open,
        "close": voting.poll_close,
        "next-round": voting.next_round_create,
    }

    def dispatch(self, request, *args, **kwargs):
        self.action = kwargs.pop("action")
        if self.action not in self.actions:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            result = self.actions[self.action](poll=self.poll, actor=request.user)
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages))
        done = {
            "open": _("The poll is open: members can vote now."),
            "close": _("The poll is closed and counted."),
            "next-round": _("The further round was created."),
        }
        messages.success(request, done[self.action])
        return redirect(
            "awards:poll", pk=self.bloc_year.bloc_id, year=self.bloc_year.year, poll=result.pk
        )

    def get_context_data(self, **kwargs):
        poll = self.poll
        context = {"poll": poll, "action": self.action}
        if self.action == "open":
            conference, rules = conference_and_rules(self.bloc_year)
            rows = attendance_rows(self.bloc_year, conference)
            context["present"] = sum(1 for row in rows if row.present)
            context["members"] = len(rows)
            context["first_open"] = not rules.is_frozen
        elif self.action == "next-round" and poll.outcome:
            names = {c.agency_id: c.agency.name for c in poll.candidates.all()}
            context["next_names"] = [names[i] for i in poll.outcome.get("next_round", [])]
        return super().get_context_data(**context, **kwargs)


class PaperCountView(_PollMixin, FormView):
    """The counting committee's counts of an open paper poll; closes it."""

    form_class = PaperCountForm
    template_name = "awards/paper_count.html"
    permission = staticmethod(permissions.can_manage_conference)

    def get_form_kwargs(self):
        if self.poll.mode != PollMode.PAPER or not self.poll.is_open:
            raise Http404
        return {**super().get_form_kwargs(), "candidates": list(self.poll.candidates.all())}

    def get_initial(self):
        return {"issued": self.poll.present}

    def form_valid(self, form):
        try:
            paper.paper_count_enter(
                poll=self.poll,
                actor=self.request.user,
                issued=form.cleaned_data["issued"],
                returned=form.cleaned_data["returned"],
                invalid=form.cleaned_data["invalid"],
                spoiled=form.cleaned_data["spoiled"],
                votes=form.votes(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The counts were entered and the poll is closed."))
        return self.to_poll()

    def get_context_data(self, **kwargs):
        return super().get_context_data(poll=self.poll, **kwargs)


class BallotsPdfView(_PollMixin, View):
    """Numbered paper ballots, one per member present, for a paper poll not yet counted."""

    permission = staticmethod(permissions.can_manage_conference)

    def get(self, request, *args, **kwargs):
        poll = self.poll
        if poll.mode != PollMode.PAPER or poll.is_closed:
            raise Http404
        rows = attendance_rows(self.bloc_year)
        count = poll.present if poll.is_open else sum(1 for row in rows if row.present)
        count = count or len(current_memberships(self.bloc_year))
        return pdf_response(ballots_pdf(poll, count=count), ballots_filename(poll))


urlpatterns = [
    path(f"{PREFIX}new/", PollCreateView.as_view(), name="poll_create"),
    path(f"{PREFIX}<int:poll>/", PollView.as_view(), name="poll"),
    # Before the action route, which would otherwise take "vote" and "count" as actions.
    path(f"{PREFIX}<int:poll>/count/", PaperCountView.as_view(), name="paper_count"),
    path(f"{PREFIX}<int:poll>/<slug:action>/", PollActionView.as_view(), name="poll_action"),
    path(f"{PREFIX}<int:poll>/ballots.pdf", BallotsPdfView.as_view(), name="ballots_pdf"),
]
