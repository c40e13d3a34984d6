"""The polls of the year-end conference and the secret ballot.

One function per change. Everything but the vote itself follows the blocs
recipe (lock the bloc-year, then the poll; permission on the locked rows;
the declared move of ``POLL_TRANSITIONS``; the state checks; change; a
:class:`~awards.models.ConferenceEvent`).

:func:`vote_cast` is secret by construction (domain rule 15, peers.md on
EvaP and OpenSlides): in one transaction it locks the poll row, inserts
that the agency has voted (a unique row with a random key: a second vote
fails on the constraint) and adds one to the chosen candidates' anonymous
counters. It writes no trail row, no log line and no message naming the
choice, and returns nothing. Every counter of the poll is rewritten by the
same statement (chosen or not), so on PostgreSQL no row version can tell
which candidates the last voter chose.

Closing decides the poll with the pure :func:`awards.tally.tally`, through
:mod:`awards.counting` (re-exported here: ``poll_outcome`` and friends).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Prefetch, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.models import BlocYear, Membership
from blocs.stages import Stage
from covenants.models import Period
from covenants.scores.ranking import ranking_table
from members import audit

from . import core
from .conference import check_manage, check_not_confirmed, conference_for
from .counting import (
    close_with_tally,
    outcome_json,
    poll_input,
    poll_label,
    poll_outcome,
    threshold_of,
)
from .models import (
    BallotParticipation,
    Conference,
    ConferenceStatus,
    Poll,
    PollCandidate,
    PollKind,
    PollMode,
    PollStatus,
)
from .permissions import voting_agency
from .selectors import (
    attendance_rows,
    current_memberships,
    eligible_agencies,
    needs_further_round,
    poll_plan,
    polls_of,
    quorum_for,
    seats_for,
)

__all__ = [
    "close_with_tally",
    "next_round_create",
    "outcome_json",
    "poll_close",
    "poll_create",
    "poll_input",
    "poll_open",
    "poll_outcome",
    "vote_cast",
]

#: Which of the rules' thresholds a poll applies.
_THRESHOLD_PREFIX = {
    PollKind.FLAG: "flag",
    PollKind.CERTIFICATE: "certificate",
    PollKind.CHAIR: "election",
    PollKind.VICE_CHAIR: "election",
}


def _threshold_snapshot(kind: str, rules) -> dict:
    prefix = _THRESHOLD_PREFIX[kind]
    values = {
        "threshold_numerator": getattr(rules, f"{prefix}_numerator"),
        "threshold_denominator": getattr(rules, f"{prefix}_denominator"),
        "threshold_strict": getattr(rules, f"{prefix}_strict"),
        "threshold_base": getattr(rules, f"{prefix}_base"),
    }
    try:
        threshold_of(values)
    except ValueError:
        raise ValidationError(
            _("The year's threshold for this poll is not a possible rule: correct the rules."),
            code="threshold",
        ) from None
    return values


def _fill_candidates(poll: Poll, agencies) -> None:
    """The candidates with their year-end score and rank, as the ranking has them."""
    rows = {row.agency.pk: row for row in ranking_table(poll.bloc_year, Period.YEAR_END).rows}
    PollCandidate.objects.bulk_create(
        PollCandidate(
            poll=poll,
            agency=agency,
            rank=rows[agency.pk].rank if agency.pk in rows else None,
            score=rows[agency.pk].total if agency.pk in rows else None,
        )
        for agency in agencies
    )


def _first_round_snapshot(poll: Poll, rules, *, polls, conference, memberships) -> None:
    """Threshold, places and candidates of a first round, from the rules."""
    agencies = eligible_agencies(
        poll.bloc_year,
        poll.kind,
        rules,
        polls=polls,
        conference=conference,
        memberships=memberships,
    )
    if not agencies:
        raise ValidationError(_("No member is eligible for this poll."), code="no_candidates")
    seats = seats_for(poll.bloc_year, poll.kind, rules, polls=polls, members=len(memberships))
    for name, value in _threshold_snapshot(poll.kind, rules).items():
        setattr(poll, name, value)
    poll.seats = min(seats, len(agencies))
    poll.save()
    PollCandidate.objects.filter(poll=poll).delete()
    _fill_candidates(poll, agencies)


@audit.service
@transaction.atomic
def poll_create(*, bloc_year, actor, kind: str, mode: str = PollMode.ELECTRONIC) -> Poll:
    """Round 1 of the next poll in the order of business (rule 23)."""
    bloc_year = core.lock_year(bloc_year)
    check_manage(actor, bloc_year)
    conference = conference_for(bloc_year, lock=True)
    check_not_confirmed(conference)
    if mode not in PollMode.values:
        raise ValidationError({"mode": _("Choose electronic or paper ballots.")})
    rules = core.rules_for(bloc_year)
    polls = polls_of(bloc_year)
    memberships = current_memberships(bloc_year)
    plan = poll_plan(bloc_year, rules, polls=polls, conference=conference, memberships=memberships)
    step = next((s for s in plan if s.kind == kind), None)
    if step is None:
        raise ValidationError(_("Unknown poll."), code="kind")
    if step.state != "next":
        due = next((s for s in plan if not s.settled), None)
        if step.state == "skipped":
            message = _("This poll has no place to fill or no eligible member: it is skipped.")
        elif step.settled:
            message = _("This poll has already been held.")
        elif step.state == "next_round":
            message = _("This poll needs a further round: create it from the poll's page.")
        elif due is not None and due.kind != kind:
            message = _("The polls follow the order of business: first “%(due)s”.") % {
                "due": due.label
            }
        else:
            message = _("Finish the current round of this poll first.")
        raise ValidationError(message, code="order")
    poll = Poll(bloc_year=bloc_year, kind=kind, mode=mode, round=1)
    _first_round_snapshot(poll, rules, polls=polls, conference=conference, memberships=memberships)
    core.record(bloc_year, "poll_created", actor=actor, note=poll_label(poll))
    return poll


def _locked(poll):
    """The bloc-year, then the poll, locked in that order (as every service)."""
    bloc_year = core.lock_year(poll.bloc_year)
    return bloc_year, core.lock_poll(poll)


@audit.service
@transaction.atomic
def poll_open(*, poll, actor) -> Poll:
    """Open a poll: needs the quorum; freezes the year's rules the first time."""
    bloc_year, poll = _locked(poll)
    check_manage(actor, bloc_year)
    conference = conference_for(bloc_year, lock=True)
    check_not_confirmed(conference)
    if Poll.objects.filter(bloc_year=bloc_year, status=PollStatus.OPEN).exists():
        raise ValidationError(_("Another poll is open: close it first."), code="other_open")
    rules = core.rules_for(bloc_year)
    rows = attendance_rows(bloc_year, conference)
    quorum = quorum_for(rows, rules)
    if not quorum.met:
        raise ValidationError(
            _(
                "No quorum: %(present)s of %(members)s members are present; at least "
                "%(needed)s (%(fraction)s) are needed to vote."
            )
            % {
                "present": quorum.present,
                "members": quorum.members,
                "needed": quorum.needed,
                "fraction": quorum.fraction,
            },
            code="quorum",
        )
    now = timezone.now()
    if poll.round == 1 and poll.status == PollStatus.DRAFT and not rules.is_frozen:
        # The rules may have changed since the poll was created; it opens
        # under the rules that now freeze.
        memberships = current_memberships(bloc_year)
        polls = [p for p in polls_of(bloc_year) if p.pk != poll.pk]
        _first_round_snapshot(
            poll, rules, polls=polls, conference=conference, memberships=memberships
        )
    if not rules.is_frozen:
        rules.frozen_at = now
        rules.save(update_fields=["frozen_at", "updated_at"])
        core.record(bloc_year, "rules_frozen", actor=actor)
    if conference.status == ConferenceStatus.PREPARING:
        conference.status = ConferenceStatus.VOTING
        conference.voting_opened_at = now
        conference.save(update_fields=["status", "voting_opened_at", "updated_at"])
    poll.present = quorum.present
    poll.members = quorum.members
    poll.opened_at = now
    fields = ["present", "members", "opened_at"]
    if poll.mode == PollMode.ELECTRONIC:
        poll.ballots_issued = quorum.present
        fields.append("ballots_issued")
    core.move_poll(poll, "open", fields=fields)
    core.record(bloc_year, "poll_opened", actor=actor, note=poll_label(poll))
    return poll


# The vote -------------------------------------------------------------------------


def vote_cast(*, poll, actor, choices) -> None:
    """Cast ``actor``'s agency's ballot: ``choices`` are candidate agency ids,
    at most the poll's places; none is a blank (valid) ballot. Raises
    PermissionDenied for someone who votes for no present member agency and
    ValidationError otherwise; see the module docstring for the secrecy."""
    poll = Poll.objects.get(pk=poll.pk)
    bloc_year = (
        BlocYear.objects.select_related("bloc")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("agency"))
        )
        .get(pk=poll.bloc_year_id)
    )
    if bloc_year.is_read_only:
        raise PermissionDenied(_("The year is closed: its records are read-only."))
    conference = Conference.objects.filter(bloc_year=bloc_year).first()
    if (
        bloc_year.stage != Stage.CONFERENCE
        or conference is None
        or conference.status == ConferenceStatus.CONFIRMED
    ):
        raise ValidationError(_("Voting happens at the year-end conference."), code="stage")
    rows = list(conference.attendance.all())
    agency = voting_agency(actor, bloc_year, attendance=rows)
    if agency is None:
        raise PermissionDenied(
            _("Only a member agency's leader or its registered voter votes, for that agency.")
        )
    if not any(row.agency_id == agency.pk and row.present for row in rows):
        raise PermissionDenied(
            _("%(agency)s is not present on the attendance register: it does not vote.")
            % {"agency": agency.name}
        )
    if poll.mode != PollMode.ELECTRONIC:
        raise ValidationError(
            _("This poll uses paper ballots: vote on the ballot handed out."), code="paper"
        )
    if poll.status != PollStatus.OPEN:
        raise ValidationError(_("This poll is not open for voting."), code="not_open")
    chosen = _checked_choices(poll, choices)
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.status != PollStatus.OPEN:
            raise ValidationError(_("This poll is not open for voting."), code="not_open")
        try:
            with transaction.atomic():
                BallotParticipation.objects.create(poll=poll, agency=agency)
        except IntegrityError:
            raise ValidationError(
                _("%(agency)s has already voted in this poll: a ballot counts once.")
                % {"agency": agency.name},
                code="already_voted",
            ) from None
        # Every counter of the poll is written, chosen or not (module docstring).
        PollCandidate.objects.filter(poll=poll).update(
            votes=F("votes") + Case(When(agency_id__in=chosen, then=Value(1)), default=Value(0))
        )
        Poll.objects.filter(pk=poll.pk).update(ballots_returned=F("ballots_returned") + 1)


def _checked_choices(poll: Poll, choices) -> list[int]:
    try:
        chosen = [int(choice) for choice in choices]
    except (TypeError, ValueError):
        raise ValidationError(_("Choose among the candidates."), code="choice") from None
    candidates = set(PollCandidate.objects.filter(poll=poll).values_list("agency_id", flat=True))
    if len(set(chosen)) != len(chosen) or not set(chosen) <= candidates:
        raise ValidationError(_("Choose among the candidates."), code="choice")
    if len(chosen) > poll.seats:
        raise ValidationError(
            _("Choose at most %(seats)s: there are %(seats)s places to fill.")
            % {"seats": poll.seats},
            code="too_many",
        )
    return chosen


@audit.service
@transaction.atomic
def poll_close(*, poll, actor) -> Poll:
    """Close an electronic poll and decide it (paper polls close when their
    counts are entered, :func:`awards.paper.paper_count_enter`)."""
    bloc_year, poll = _locked(poll)
    check_manage(actor, bloc_year)
    check_not_confirmed(conference_for(bloc_year))
    if poll.mode == PollMode.PAPER and poll.is_open:
        raise ValidationError(
            _("A paper poll closes when the counting committee's counts are entered."),
            code="paper",
        )
    return close_with_tally(poll, actor=actor, bloc_year=bloc_year)


@audit.service
@transaction.atomic
def next_round_create(*, poll, actor) -> Poll:
    """Round n+1 of a closed poll, restricted to the candidates its outcome
    left undecided, for the places left (rule 24)."""
    bloc_year, poll = _locked(poll)
    check_manage(actor, bloc_year)
    check_not_confirmed(conference_for(bloc_year))
    rules = core.rules_for(bloc_year)
    if not needs_further_round(poll, rules):
        raise ValidationError(_("This poll needs no further round."), code="no_further_round")
    if Poll.objects.filter(bloc_year=bloc_year, kind=poll.kind, round__gt=poll.round).exists():
        raise ValidationError(_("The next round already exists."), code="exists")
    previous = {c.agency_id: c for c in PollCandidate.objects.filter(poll=poll)}
    following = Poll.objects.create(
        bloc_year=bloc_year,
        kind=poll.kind,
        mode=poll.mode,
        round=poll.round + 1,
        seats=poll.outcome["seats_left"],
        threshold_numerator=poll.threshold_numerator,
        threshold_denominator=poll.threshold_denominator,
        threshold_strict=poll.threshold_strict,
        threshold_base=poll.threshold_base,
    )
    PollCandidate.objects.bulk_create(
        PollCandidate(
            poll=following,
            agency_id=agency_id,
            rank=previous[agency_id].rank,
            score=previous[agency_id].score,
        )
        for agency_id in poll.outcome["next_round"]
    )
    core.record(bloc_year, "next_round_created", actor=actor, note=poll_label(following))
    return following
