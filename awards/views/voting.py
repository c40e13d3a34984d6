"""Conference pages: the hub, the record, the register, the committee.

The poll pages (a poll, its open/close/next-round steps, the paper counts and
the printable ballots) are in :mod:`.voting_polls`, the ballot in :mod:`.ballot`; this
module gathers every URL of the voting sub-domain.

Every view loads the bloc-year through ``BlocYearMixin`` (visibility there)
and a change calls exactly one service, whose ``ValidationError`` goes next
to the fields it names. Results of a poll stay hidden until it closes.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from blocs.stages import Stage
from blocs.views.mixins import BlocYearMixin, add_service_error
from members import audit, caching
from members.models import User

from .. import conference as services
from .. import permissions
from ..conference_reads import conference_and_rules
from ..documents import document_links
from ..forms_voting import ConferenceForm, attendance_formset, committee_formset
from ..models import (
    BallotParticipation,
    Conference,
    ConferenceEvent,
    ConferenceStatus,
    CountingRole,
    Poll,
    PollMode,
    PollStatus,
)
from ..selectors import (
    attendance_rows,
    committee_of,
    current_memberships,
    poll_plan,
    quorum_for,
    with_closed_candidates,
)
from . import ballot, voting_polls
from .voting_polls import SMALL_POLL, poll_results, to_hub

PREFIX = "blocs/<int:pk>/<int:year>/conference/"

#: The trail's actions in words.
ACTION_LABELS = {
    "conference_saved": gettext_lazy("Conference record saved"),
    "attendance_set": gettext_lazy("Attendance register saved"),
    "committee_set": gettext_lazy("Counting committee named"),
    "poll_created": gettext_lazy("Poll created"),
    "rules_frozen": gettext_lazy("Voting rules frozen"),
    "poll_opened": gettext_lazy("Poll opened"),
    "paper_count_entered": gettext_lazy("Paper counts entered"),
    "dossier_downloaded": gettext_lazy("Dossier downloaded"),
    "poll_closed": gettext_lazy("Poll closed"),
    "next_round_created": gettext_lazy("Further round created"),
}


def can_manage(user, bloc_year, conference=None) -> bool:
    """Prepare and run the conference: the secretariat, until the results are confirmed."""
    confirmed = conference is not None and conference.status == ConferenceStatus.CONFIRMED
    return permissions.can_manage_conference(user, bloc_year) and not confirmed


class _ConferenceMixin(BlocYearMixin):
    permission = staticmethod(permissions.can_view_conference)

    def _read_conference(self):
        """The record and the year's rules in one query (a page never writes the
        rules: see :func:`conference_and_rules`)."""
        self._conference, self._rules = conference_and_rules(self.bloc_year)

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


class _ManageMixin(_ConferenceMixin):
    permission = staticmethod(permissions.can_manage_conference)


class ConferenceView(_ConferenceMixin, TemplateView):
    """The hub: record, register and quorum, committee, the polls in order
    with what each role may do, and the trail.

    Issue 9: during the conference every member's phone reloads this page, and its cost
    was the order of business, the closed polls' results and the rendering of it all.
    The body (record, register, committee, polls, trail) is the same for every viewer
    but for the secretariat's buttons: it is kept rendered under the data version
    (:mod:`members.caching`), per ``can_manage``. What each viewer sees of their own
    vote stays outside it, rendered each time from the register and the polls (kept
    under the data version for every viewer) and the agency's participations (kept per
    agency: they are the agency's, whoever reads them, and never shown to another).
    """

    template_name = "awards/conference.html"

    def get_context_data(self, **kwargs):
        user, bloc_year, conference = self.request.user, self.bloc_year, self.conference
        # Read once for the viewer's part and, when it is not in the cache, the body.
        rows, polls = caching.remember(
            "awards.conference_register_polls",
            (bloc_year.pk,),
            lambda: (
                attendance_rows(bloc_year, conference),
                list(Poll.objects.filter(bloc_year=bloc_year).order_by("pk")),
            ),
        )
        manage = can_manage(user, bloc_year, conference)
        body = caching.fragment(
            "awards.conference_body",
            (bloc_year.pk, manage),
            lambda: self._render_body(rows, polls, manage),
        )
        agency = permissions.voting_agency(
            user, bloc_year, attendance=[row.record for row in rows if row.record]
        )
        present = agency is not None and any(r.present for r in rows if r.agency == agency)
        voted = set()
        if agency is not None:
            voted = caching.remember(
                "awards.agency_voted",
                (bloc_year.pk, agency.pk),
                lambda: set(
                    BallotParticipation.objects.filter(
                        poll__bloc_year=bloc_year, agency=agency
                    ).values_list("poll_id", flat=True)
                ),
            )
        for poll in polls:
            poll.can_vote = (
                present
                and poll.is_open
                and poll.mode == PollMode.ELECTRONIC
                and poll.pk not in voted
                and bloc_year.stage == Stage.CONFERENCE
            )
            poll.has_voted = poll.pk in voted
        return super().get_context_data(
            **document_links(self.request.user, bloc_year, conference),
            conference=conference,
            polls=polls,
            agency=agency,
            agency_present=present,
            any_closed=any(poll.is_closed for poll in polls),
            conference_body=body,
            audit_history_url=audit.history_url(user, conference, scope=bloc_year),
            **kwargs,
        )

    def _render_body(self, rows, polls, manage: bool) -> str:
        """The body from the data and ``manage`` alone (no request, no user)."""
        bloc_year, conference, rules = self.bloc_year, self.conference, self.rules
        for poll in with_closed_candidates(polls):
            poll.results = poll_results(poll, rules) if poll.is_closed else None
        plan = poll_plan(
            bloc_year,
            rules,
            polls=polls,
            conference=conference,
            memberships=current_memberships(bloc_year),
        )
        # The trail shows the actor's name only: not whole user rows.
        events = (
            ConferenceEvent.objects.filter(bloc_year=bloc_year)
            .select_related("actor")
            .only("action", "note", "at", "actor__full_name", "actor__username")[:30]
        )
        for event in events:
            event.label = ACTION_LABELS.get(event.action, event.action)
        context = {
            "bloc_year": bloc_year,
            "bloc": bloc_year.bloc,
            "conference": conference,
            "rows": rows,
            "quorum": quorum_for(rows, rules),
            "committee": committee_of(conference),
            "plan": plan,
            "next_step": next((step for step in plan if step.state == "next"), None),
            "can_manage": manage,
            "small_poll": SMALL_POLL,
            "events": events,
        }
        return render_to_string("awards/conference.html#body", context)


class ConferenceEditView(_ManageMixin, FormView):
    form_class = ConferenceForm
    template_name = "awards/conference_form.html"

    def get_form_kwargs(self):
        conference = self.conference or Conference(
            bloc_year=self.bloc_year, held_on=self.bloc_year.conference_date
        )
        return {**super().get_form_kwargs(), "instance": conference}

    def form_valid(self, form):
        try:
            services.conference_save(
                bloc_year=self.bloc_year, actor=self.request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The conference record was saved."))
        return to_hub(self.bloc_year)


def _voter_choices(memberships) -> list[tuple[int, str]]:
    """Active staff of the current members, in one query: "Name (short name)"."""
    names = {m.agency_id: m.agency.short_name for m in memberships}
    users = User.objects.filter(agency_id__in=list(names), is_active=True).order_by(
        "agency_id", "full_name", "pk"
    )
    return [(u.pk, f"{u.get_full_name()} ({names[u.agency_id]})") for u in users]


class AttendanceView(_ManageMixin, TemplateView):
    """The register: a block per current member. Read-only once a poll opened."""

    template_name = "awards/attendance.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(formset=self.formset()))

    def formset(self, data=None):
        self.memberships = current_memberships(self.bloc_year)
        self.rows = attendance_rows(self.bloc_year, self.conference)
        initial = []
        for row in self.rows:
            record = row.record
            initial.append(
                {
                    "agency": row.agency.pk,
                    "present": record.present if record else True,
                    "representative_name": record.representative_name if record else "",
                    "representative_title": record.representative_title if record else "",
                    "is_proxy": record.is_proxy if record else False,
                    "voter": record.voter_id if record else None,
                }
            )
        formset = attendance_formset(
            data,
            initial=initial,
            prefix="rows",
            form_kwargs={"voter_choices": _voter_choices(self.memberships)},
        )
        for form, row in zip(formset.forms, self.rows, strict=False):
            form.row = row
        return formset

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        if formset.is_valid():
            users = {
                u.pk: u
                for u in User.objects.filter(
                    pk__in=[f.cleaned_data["voter"] for f in formset if f.cleaned_data["voter"]]
                )
            }
            rows = [
                {**form.cleaned_data, "voter": users.get(form.cleaned_data["voter"])}
                for form in formset
            ]
            try:
                quorum = services.attendance_set(
                    bloc_year=self.bloc_year, actor=request.user, rows=rows
                )
            except ValidationError as exc:
                _row_errors(formset, exc, key="agency")
            else:
                messages.success(
                    request,
                    _("Attendance saved: %(present)s of %(members)s members present.")
                    % {"present": quorum.present, "members": quorum.members},
                )
                return to_hub(self.bloc_year)
        return self.render_to_response(self.get_context_data(formset=formset))

    def get_context_data(self, **kwargs):
        rules = self.rules
        locked = (
            Poll.objects.filter(bloc_year=self.bloc_year).exclude(status=PollStatus.DRAFT).exists()
        )
        return super().get_context_data(
            quorum=quorum_for(self.rows, rules), locked=locked, **kwargs
        )


def _row_errors(formset, exc, *, key):
    """Put a service's "<row key>.<field>" errors on the matching form
    (``key``: the form field naming the row, or "index" for the position)."""
    if not hasattr(exc, "error_dict"):
        formset._non_form_errors = formset.error_class(exc.messages)
        return
    forms_by_key = {
        str(index if key == "index" else form.cleaned_data.get(key)): form
        for index, form in enumerate(formset.forms)
    }
    general = []
    for name, errors in exc.error_dict.items():
        row, _dot, field = name.partition(".")
        form = forms_by_key.get(row)
        if form is not None and field in form.fields:
            form.add_error(field, errors)
        else:
            general.extend(message for error in errors for message in error.messages)
    formset._non_form_errors = formset.error_class(general)


class CommitteeView(_ManageMixin, TemplateView):
    """The counting committee: one head and members; blank rows are ignored."""

    template_name = "awards/committee.html"
    blank_rows = 3

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(formset=self.formset()))

    def formset(self, data=None):
        members = committee_of(self.conference)
        initial = [
            {"full_name": m.full_name, "agency": m.agency_id, "role": m.role} for m in members
        ]
        if not members:
            initial.append({"role": CountingRole.HEAD})
        initial.extend({"role": CountingRole.MEMBER} for _ in range(self.blank_rows))
        choices = [(m.agency_id, m.agency.name) for m in current_memberships(self.bloc_year)]
        return committee_formset(
            data,
            initial=initial,
            prefix="committee",
            form_kwargs={"agency_choices": choices},
        )

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        if formset.is_valid():
            filled = [form for form in formset if not form.is_blank]
            try:
                services.committee_set(
                    bloc_year=self.bloc_year,
                    actor=request.user,
                    members=[form.cleaned_data for form in filled],
                )
            except ValidationError as exc:
                _committee_errors(formset, filled, exc)
            else:
                messages.success(request, _("The counting committee was saved."))
                return to_hub(self.bloc_year)
        return self.render_to_response(self.get_context_data(formset=formset))


def _committee_errors(formset, filled, exc):
    """Service errors are keyed by the position among the filled rows."""
    general = []
    error_dict = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
    for name, errors in error_dict.items():
        index, _dot, field = name.partition(".")
        if index.isdigit() and int(index) < len(filled) and field in filled[int(index)].fields:
            filled[int(index)].add_error(field, errors)
        else:
            general.extend(message for error in errors for message in error.messages)
    formset._non_form_errors = formset.error_class(general)


urlpatterns = [
    path(PREFIX, ConferenceView.as_view(), name="conference"),
    path(f"{PREFIX}edit/", ConferenceEditView.as_view(), name="conference_edit"),
    path(f"{PREFIX}attendance/", AttendanceView.as_view(), name="attendance"),
    path(f"{PREFIX}committee/", CommitteeView.as_view(), name="committee"),
    # Before the poll pages: "<poll>/vote/" would otherwise match "<poll>/<action>/".
    *ballot.urlpatterns,
    *voting_polls.urlpatterns,
]
