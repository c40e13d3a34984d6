"""The ballot page: a member agency's leader (or its proxy) votes in an open poll.

Secret by construction: the page reads whether the agency has voted, never a choice,
and after voting it only says the agency's vote is recorded. The rows are made in the
view (:func:`ballot_lines`): a leader opens this page on a phone at the conference.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import floatformat
from django.urls import path
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.views.generic import FormView

from blocs.stages import Stage

from .. import permissions, voting
from ..forms_voting import VoteForm
from ..models import (
    Attendance,
    PollMode,
    PollStatus,
)
from ..selectors import (
    current_memberships,
    poll_with_candidates,
)
from .voting_polls import PREFIX, _PollMixin

__all__ = ["VoteView", "ballot_lines", "urlpatterns"]


class VoteView(_PollMixin, FormView):
    """The ballot of the user's agency: at most ``seats`` ticks, none is blank."""

    form_class = VoteForm
    template_name = "awards/vote.html"

    def setup_voter(self):
        """The agency the user votes for (else 403), whether it is present and has
        voted; the poll, its candidates and that last answer come in one query.

        The register is read as (agency, voter, present) tuples, in the members'
        order as :func:`attendance_rows` gives it: only those three columns are used.
        """
        register = {
            row.agency_id: row
            for row in Attendance.objects.filter(conference__bloc_year=self.bloc_year).values_list(
                "agency_id", "voter_id", "present", named=True
            )
        }
        records = [
            register[m.agency_id]
            for m in current_memberships(self.bloc_year)
            if m.agency_id in register
        ]
        self.agency = permissions.voting_agency(
            self.request.user, self.bloc_year, attendance=records
        )
        if self.agency is None:
            raise PermissionDenied
        record = register.get(self.agency.pk)
        self.present = record is not None and record.present
        self._poll = poll_with_candidates(self.bloc_year, self.poll_id, voted_by=self.agency)
        self.voted = self._poll.agency_voted

    def get(self, request, *args, **kwargs):
        self.setup_voter()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_voter()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "candidates": [(c.agency_id, c.agency.name) for c in self.poll.candidates.all()],
            "seats": self.poll.seats,
        }

    def form_valid(self, form):
        try:
            voting.vote_cast(
                poll=self.poll, actor=self.request.user, choices=form.cleaned_data["choices"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Your agency's vote is recorded."))
        return redirect("awards:conference", pk=self.bloc_year.bloc_id, year=self.bloc_year.year)

    def get_context_data(self, **kwargs):
        poll = self.poll
        reason = None
        if self.voted:
            reason = _("Your agency has already voted in this poll.")
        elif not self.present:
            reason = _("Your agency is not present on the attendance register: it does not vote.")
        elif poll.mode != PollMode.ELECTRONIC:
            reason = _("This poll uses paper ballots: vote on the ballot handed out.")
        elif poll.status != PollStatus.OPEN or self.bloc_year.stage != Stage.CONFERENCE:
            reason = _("This poll is not open for voting.")
        context = super().get_context_data(
            poll=poll,
            agency=self.agency,
            candidates=list(poll.candidates.all()),
            reason=reason,
            **kwargs,
        )
        if reason is None:
            context["lines"] = ballot_lines(context["candidates"], context["form"])
        return context


def ballot_lines(candidates, form) -> list[dict]:
    """The ballot's rows, their ticks and "Rank 1 · 90.40 points" notes made once
    here rather than per row in the template (the page a leader opens on a phone)."""
    ticked = {str(value) for value in form["choices"].value() or ()}
    lines = []
    for candidate in candidates:
        if candidate.rank:
            note = _("Rank %(rank)s") % {"rank": localize(candidate.rank)}
        else:
            note = _("Not ranked")
        if candidate.score is not None:
            score = floatformat(candidate.score, 2)
            note += " · " + _("%(score)s points") % {"score": score}
        lines.append(
            {
                "agency_id": candidate.agency_id,
                "name": candidate.agency.name,
                "note": note,
                "checked": str(candidate.agency_id) in ticked,
            }
        )
    return lines


urlpatterns = [
    path(f"{PREFIX}<int:poll>/vote/", VoteView.as_view(), name="vote"),
]
