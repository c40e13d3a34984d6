"""Reads for the conference: the register, the quorum, the committee, the
polls in their order of business and who may stand in each.

Pages call these in a fixed number of queries whatever the number of
members; services call them on the rows they have locked. Deciding *who
may stand* lives here (a read) so that the page that offers "create the
next poll" and the service that creates it apply the same rules.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from blocs.models import MemberRole, Membership
from members.collation import sort_key
from members.models import Agency

from . import tally
from .models import (
    POLL_ORDER,
    Attendance,
    AwardKind,
    AwardProposal,
    BallotParticipation,
    Conference,
    CountingMember,
    Eligibility,
    Poll,
    PollCandidate,
    PollKind,
    PollStatus,
    TaskCompletion,
)

__all__ = [
    "AttendanceRow",
    "KindStep",
    "Quorum",
    "attendance_rows",
    "award_winners",
    "committee_of",
    "conference_of",
    "current_memberships",
    "eligible_agencies",
    "new_chair_id",
    "poll_plan",
    "poll_with_candidates",
    "polls_of",
    "quorum_for",
    "seats_for",
    "with_closed_candidates",
]


# The register ---------------------------------------------------------------------


def current_memberships(bloc_year) -> list[Membership]:
    """This year's current members with their agencies, in Vietnamese order.

    Uses the memberships a page selector prefetched; a service holding a
    freshly locked bloc-year loads them in one query.
    """
    if "memberships" in getattr(bloc_year, "_prefetched_objects_cache", {}):
        memberships = [m for m in bloc_year.memberships.all() if m.left_on is None]
    else:
        memberships = list(
            bloc_year.memberships.filter(left_on__isnull=True).select_related("agency")
        )
    return sorted(memberships, key=lambda m: sort_key(m.agency.name))


def conference_of(bloc_year) -> Conference | None:
    return Conference.objects.filter(bloc_year=bloc_year).first()


#: :func:`attendance_rows` without a conference: the register of the bloc-year's record.
YEAR = object()


@dataclass(frozen=True)
class AttendanceRow:
    """One current member on the register (``record`` None: not entered yet)."""

    agency: Agency
    role: str
    record: Attendance | None

    @property
    def present(self) -> bool:
        return self.record is not None and self.record.present


def attendance_rows(bloc_year, conference: Conference | None = YEAR) -> list[AttendanceRow]:
    """A row per current member, in Vietnamese order; one query for the register.

    Without ``conference`` the register is found through the bloc-year (a join), for
    the pages that need the register and not the conference record itself.
    """
    records = {}
    if conference is YEAR:
        register = Attendance.objects.filter(conference__bloc_year=bloc_year)
    elif conference is not None and conference.pk:
        register = Attendance.objects.filter(conference=conference)
    else:
        register = None
    if register is not None:
        # Only ``voter_id`` is ever read: no join of the voters' user rows.
        records = {row.agency_id: row for row in register}
    return [
        AttendanceRow(m.agency, m.role, records.get(m.agency_id))
        for m in current_memberships(bloc_year)
    ]


@dataclass(frozen=True)
class Quorum:
    present: int
    members: int
    numerator: int
    denominator: int

    @property
    def met(self) -> bool:
        return tally.quorum_met(self.present, self.members, self.numerator, self.denominator)

    @property
    def needed(self) -> int:
        """The fewest members present that make the quorum."""
        return -(-self.numerator * self.members // self.denominator)

    @property
    def fraction(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def quorum_for(rows: list[AttendanceRow], rules) -> Quorum:
    return Quorum(
        present=sum(1 for row in rows if row.present),
        members=len(rows),
        numerator=rules.quorum_numerator,
        denominator=rules.quorum_denominator,
    )


def committee_of(conference: Conference | None) -> list[CountingMember]:
    if conference is None or not conference.pk:
        return []
    return list(CountingMember.objects.filter(conference=conference).select_related("agency"))


# Polls ----------------------------------------------------------------------------


def _candidates():
    return PollCandidate.objects.select_related("agency")


def polls_of(bloc_year, *, candidates: bool = True) -> list[Poll]:
    """Every poll of the year with its candidates (and their agencies).

    ``candidates=False``: the candidates of the closed polls only (the hub shows
    only their results), in no query when no poll is closed yet.
    """
    polls = list(Poll.objects.filter(bloc_year=bloc_year).order_by("pk"))
    if candidates:
        prefetch_related_objects(polls, Prefetch("candidates", queryset=_candidates()))
    else:
        with_closed_candidates(polls)
    return polls


def with_closed_candidates(polls: list[Poll]) -> list[Poll]:
    """``polls`` with the candidates (and their agencies) of the closed ones, in one
    query, none when no poll is closed yet: what the hub shows of each poll."""
    closed = [poll for poll in polls if poll.is_closed]
    prefetch_related_objects(closed, Prefetch("candidates", queryset=_candidates()))
    return polls


def poll_with_candidates(bloc_year, poll_id: int, *, voted_by: Agency | None = None) -> Poll:
    """The year's poll ``poll_id`` with its candidates (and their agencies), or 404.

    One query: the candidates joined to their poll (a poll without candidates, which
    no service creates, is read on its own). ``voted_by``: ``poll.agency_voted`` tells
    whether that agency has cast its ballot, asked in the same query. Only the
    participation is read, never a choice: the ballot stays secret.
    """
    rows = PollCandidate.objects.filter(poll_id=poll_id, poll__bloc_year=bloc_year)
    if voted_by is not None:
        voted = BallotParticipation.objects.filter(poll_id=OuterRef("poll_id"), agency=voted_by)
        rows = rows.annotate(agency_voted=Exists(voted))
    candidates = list(rows.select_related("poll", "agency"))
    if candidates:
        poll = candidates[0].poll
        if voted_by is not None:
            poll.agency_voted = candidates[0].agency_voted
    else:
        poll = get_object_or_404(Poll, bloc_year=bloc_year, pk=poll_id)
        if voted_by is not None:
            poll.agency_voted = BallotParticipation.objects.filter(
                poll=poll, agency=voted_by
            ).exists()
    for candidate in candidates:
        candidate.poll = poll
    cached = poll.candidates.all()
    cached._result_cache, cached._prefetch_done = candidates, True
    poll._prefetched_objects_cache = {"candidates": cached}
    poll.bloc_year = bloc_year
    return poll


def _elected(polls, kinds) -> set[int]:
    return {
        agency_id
        for poll in polls
        if poll.kind in kinds and poll.is_closed and poll.outcome
        for agency_id in poll.outcome.get("elected", [])
    }


def award_winners(bloc_year, polls) -> set[int]:
    """Units the flag poll chose, by ballot or (after the last round) by the
    chair's decision recorded as a flag proposal."""
    proposed = AwardProposal.objects.filter(bloc_year=bloc_year, award=AwardKind.FLAG)
    return _elected(polls, {PollKind.FLAG}) | set(proposed.values_list("agency_id", flat=True))


def new_chair_id(polls, conference: Conference | None) -> int | None:
    """Next year's chair: elected by the chair poll, or recorded on the conference."""
    elected = _elected(polls, {PollKind.CHAIR})
    if elected:
        return min(elected)
    return conference.next_chair_id if conference is not None else None


def eligible_agencies(
    bloc_year, kind: str, rules, *, polls, conference=None, memberships=None
) -> list[Agency]:
    """Current members who may stand in a ``kind`` poll under the year's rules.

    Missing eligibility row: eligible and "completed tasks excellently".
    The flag and certificates exclude units under discipline (when the rules
    say so); certificates need "excellent" this year (and the year before,
    when the rules say so) and, with one award per unit, not a flag unit.
    The chair is not re-elected (domain rule 5); the vice-chair is anyone
    but the newly elected chair.
    """
    memberships = current_memberships(bloc_year) if memberships is None else memberships
    if kind == PollKind.CHAIR:
        return [m.agency for m in memberships if m.role != MemberRole.CHAIR]
    if kind == PollKind.VICE_CHAIR:
        chair_id = new_chair_id(polls, conference)
        return [m.agency for m in memberships if m.agency_id != chair_id]
    gates = {row.agency_id: row for row in Eligibility.objects.filter(bloc_year=bloc_year)}
    winners = (
        award_winners(bloc_year, polls)
        if kind == PollKind.CERTIFICATE and rules.one_award_per_unit
        else set()
    )
    agencies = []
    for membership in memberships:
        gate = gates.get(membership.agency_id)
        if gate is not None and rules.block_under_discipline and gate.under_discipline:
            continue
        if kind == PollKind.CERTIFICATE:
            if gate is not None and gate.task_completion != TaskCompletion.EXCELLENT:
                continue
            if (
                gate is not None
                and rules.certificate_needs_excellent
                and not (gate.excellent_previous_year)
            ):
                continue
            if membership.agency_id in winners:
                continue
        agencies.append(membership.agency)
    return agencies


def seats_for(bloc_year, kind: str, rules, *, polls, members: int) -> int:
    """Places the first round fills: flag nominees, the certificate quota
    (rule 21, counted without the flag units), one chair, one vice-chair."""
    if kind == PollKind.FLAG:
        return rules.flag_nominees
    if kind == PollKind.CERTIFICATE:
        flag_units = len(award_winners(bloc_year, polls))
        return tally.certificate_quota(members, rules.certificate_quota_percent, flag_units)
    return 1


@dataclass
class KindStep:
    """One item of the order of business and where it stands.

    ``state``: ``done`` (decided, or its rounds exhausted), ``skipped`` (no
    place or no eligible unit), ``running`` (its latest round is not closed),
    ``next_round`` (closed with a further round to hold), ``next`` (the one
    to create now), ``waiting`` (after an unsettled one).
    """

    kind: str
    state: str
    polls: list[Poll] = field(default_factory=list)
    seats: int | None = None
    candidates: list[Agency] = field(default_factory=list)

    @property
    def label(self) -> str:
        return PollKind(self.kind).label

    @property
    def latest(self) -> Poll | None:
        return self.polls[-1] if self.polls else None

    @property
    def settled(self) -> bool:
        return self.state in ("done", "skipped")


def needs_further_round(poll: Poll, rules) -> bool:
    """The closed ``poll`` left places for a further round among some candidates."""
    outcome = poll.outcome or {}
    return bool(
        poll.is_closed
        and outcome.get("next_round")
        and not outcome.get("needs_decision")
        and outcome.get("seats_left")
        and poll.round < rules.max_rounds
    )


def poll_plan(bloc_year, rules, *, polls, conference=None, memberships=None) -> list[KindStep]:
    """Flag → certificates → chair → vice-chair (rule 23), each with its state.

    A kind is settled when its latest round is closed with nothing left for
    a further round (elected, or the rounds exhausted and the fallback
    applied), or skipped when it has no place or no eligible unit; the next
    kind may start only then.
    """
    memberships = current_memberships(bloc_year) if memberships is None else memberships
    steps = []
    blocked = False
    for kind in POLL_ORDER:
        own = sorted((p for p in polls if p.kind == kind), key=lambda p: p.round)
        if blocked:
            steps.append(KindStep(kind, "waiting", own))
            continue
        if own:
            latest = own[-1]
            if latest.status != PollStatus.CLOSED:
                state = "running"
            elif needs_further_round(latest, rules):
                state = "next_round"
            else:
                state = "done"
            steps.append(KindStep(kind, state, own))
            blocked = state != "done"
            continue
        candidates = eligible_agencies(
            bloc_year, kind, rules, polls=polls, conference=conference, memberships=memberships
        )
        seats = seats_for(bloc_year, kind, rules, polls=polls, members=len(memberships))
        skipped = not candidates or seats == 0
        steps.append(KindStep(kind, "skipped" if skipped else "next", own, seats, candidates))
        blocked = not skipped
    return steps
