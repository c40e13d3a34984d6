"""Counting one secret-ballot poll of the year-end conference: pure, no database.

A *poll* is one item of the conference's ballot (domain.md §4.3, rule 23):
the flag nominee(s), the certificates, the next chair or the next
vice-chair. Each valid ballot approves candidates; :func:`tally` turns the
approvals into who is elected, who goes to a further round, and the
sentences the minutes quote.

The threshold, the quorum and the quota are in :mod:`awards.thresholds`
(whole-number arithmetic on fractions ``n/d``); they are re-exported here.

What happens when a round does not fill the places (§4.4, rule 24):

* passed candidates are taken by votes; when candidates with equal votes
  straddle the last place, those above the tie are elected and a further
  round is held *only* between the tied ones, for the places left;
* when fewer pass than there are places, the passed are elected and a
  further round is held between the candidates that did not pass (never
  again the elected ones);
* after the last round (``max_rounds``, default 2) the poll's fallback
  decides the places still open: the score ranking takes the best ranked
  candidates, the chair and vice-chair choose (the courts' rule), or the
  places stay empty.

A candidate with no vote is never elected by the ballot, even under a
threshold that 0 votes would meet (an empty base, "at least 0/1").

Percentages are :class:`~decimal.Decimal`, two decimals, half up, like every
score (see :mod:`covenants.scoring`); texts are in the active language with
its decimal separator ("77,78 %" in Vietnamese).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from members.collation import sort_key

from .thresholds import (
    DEFAULT_QUORUM,
    DEFAULT_THRESHOLD,
    Base,
    Threshold,
    candidate_text,
    certificate_quota,
    check_count,
    percent_of,
    quorum_met,
    required_votes,
    threshold_text,
)

__all__ = [
    "DEFAULT_QUORUM",
    "DEFAULT_THRESHOLD",
    "Base",
    "Candidate",
    "CandidateResult",
    "Fallback",
    "PollInput",
    "PollKind",
    "PollOutcome",
    "Threshold",
    "certificate_quota",
    "quorum_met",
    "required_votes",
    "tally",
    "threshold_text",
]


class Fallback(StrEnum):
    """What decides the places still open after the last round."""

    CHAIR_DECIDES = "chair_decides"
    SCORE_RANKING = "score_ranking"
    UNASSIGNED = "unassigned"


class PollKind(StrEnum):
    FLAG = "flag"
    CERTIFICATE = "certificate"
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"


@dataclass(frozen=True)
class Candidate:
    agency_id: int
    name: str
    #: Rank by the year's score (1 = first); None when not ranked.
    rank: int | None = None
    score: Decimal | None = None


@dataclass(frozen=True)
class PollInput:
    kind: str
    #: Places to fill: flag nominees, certificate quota, 1 for chair/vice.
    seats: int
    threshold: Threshold
    #: Member units entitled to vote.
    members: int
    #: Units present or represented (proxy, written ballot).
    present: int
    ballots_cast: int
    ballots_valid: int
    #: Approvals on valid ballots per agency id; a missing candidate has 0.
    votes: Mapping[int, int]
    candidates: Sequence[Candidate]
    round: int = 1
    max_rounds: int = 2
    fallback: Fallback = Fallback.SCORE_RANKING


@dataclass(frozen=True)
class CandidateResult:
    candidate: Candidate
    votes: int
    #: Share of the base count, two decimals half up; 0 when the base is 0.
    percent: Decimal
    #: Reached the votes required (a candidate elected by a fallback did not).
    passed: bool
    #: "7/9 votes = 77.78 % ≥ 2/3 of all members", for the minutes.
    text: str


@dataclass(frozen=True)
class PollOutcome:
    #: By votes, then score rank; those chosen by the score ranking last.
    elected: tuple[Candidate, ...]
    #: Every candidate, most votes first (then score rank, then name).
    results: tuple[CandidateResult, ...]
    #: The candidates of a further round; after the last round with
    #: ``needs_decision``, those the chair and vice-chair choose among.
    next_round: tuple[Candidate, ...]
    #: Places not filled: the places of the further round or decision, or
    #: those left empty.
    seats_left: int
    fallback_applied: Fallback | None
    #: The chair and vice-chair choose ``seats_left`` of ``next_round``.
    needs_decision: bool
    base_count: int
    #: The fewest votes that pass (at least 1).
    required: int
    #: The rule, as the minutes quote it.
    rule_text: str
    warnings: tuple[str, ...]


def _names(candidates) -> str:
    return ", ".join(candidate.name for candidate in candidates)


def _rank_key(candidate: Candidate) -> tuple:
    """Score rank ascending, unranked last."""
    return (candidate.rank is None, candidate.rank or 0)


def _validate(poll: PollInput) -> None:
    try:
        kind = PollKind(poll.kind)
    except ValueError:
        kinds = ", ".join(PollKind)
        raise ValueError(f"unknown poll kind {poll.kind!r}; use {kinds}") from None
    Fallback(poll.fallback)
    for name in ("seats", "members", "present", "ballots_cast", "ballots_valid"):
        check_count(name, getattr(poll, name))
    for name in ("round", "max_rounds"):
        value = getattr(poll, name)
        check_count(name, value)
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")
    if kind in (PollKind.CHAIR, PollKind.VICE_CHAIR) and poll.seats != 1:
        raise ValueError(f"a {kind} poll fills exactly 1 place, not {poll.seats}")
    if poll.present > poll.members:
        raise ValueError(f"present ({poll.present}) cannot exceed members ({poll.members})")
    if poll.ballots_cast > poll.present:
        raise ValueError(
            f"ballots cast ({poll.ballots_cast}) cannot exceed units present ({poll.present})"
        )
    if poll.ballots_valid > poll.ballots_cast:
        raise ValueError(
            f"valid ballots ({poll.ballots_valid}) cannot exceed ballots cast ({poll.ballots_cast})"
        )
    ids = [candidate.agency_id for candidate in poll.candidates]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise ValueError(f"agency {duplicate} is a candidate twice")
    for candidate in poll.candidates:
        if candidate.rank is not None and candidate.rank < 1:
            raise ValueError(f"{candidate.name}: a score rank starts at 1, not {candidate.rank}")
    for agency_id, count in poll.votes.items():
        if agency_id not in ids:
            raise ValueError(f"votes for agency {agency_id}, which is not a candidate")
        check_count(f"votes for agency {agency_id}", count)
        if count > poll.ballots_valid:
            raise ValueError(
                f"agency {agency_id} has {count} votes but there are only "
                f"{poll.ballots_valid} valid ballots"
            )
    # A valid ballot approves at most as many candidates as there are places.
    total = sum(poll.votes.values())
    if total > poll.ballots_valid * poll.seats:
        raise ValueError(
            f"{total} votes on {poll.ballots_valid} valid ballots for {poll.seats} place(s): "
            "a valid ballot approves at most one candidate per place"
        )


def tally(poll: PollInput) -> PollOutcome:
    """Decide ``poll``; see the module docstring. Raises :class:`ValueError`
    for input no real ballot can produce."""
    _validate(poll)
    threshold = poll.threshold
    base_count = {
        Base.MEMBERS: poll.members,
        Base.PRESENT: poll.present,
        Base.VALID: poll.ballots_valid,
    }[Base(threshold.base)]
    required = max(required_votes(threshold, base_count), 1)
    votes = {c.agency_id: poll.votes.get(c.agency_id, 0) for c in poll.candidates}

    def order(candidate: Candidate) -> tuple:
        return (
            -votes[candidate.agency_id],
            *_rank_key(candidate),
            sort_key(candidate.name),
            candidate.agency_id,
        )

    ordered = sorted(poll.candidates, key=order)
    results = []
    for candidate in ordered:
        count = votes[candidate.agency_id]
        percent = percent_of(count, base_count)
        passed = count >= required
        text = candidate_text(count, base_count, percent, passed, threshold)
        results.append(CandidateResult(candidate, count, percent, passed, text))

    warnings: list[str] = []
    if required > poll.ballots_valid:
        warnings.append(
            _("No candidate can pass: votes needed %(required)s, valid ballots %(valid)s.")
            % {"valid": poll.ballots_valid, "required": required}
        )

    passed = [c for c in ordered if votes[c.agency_id] >= required]
    seats = poll.seats
    tied = False
    if len(passed) > seats:
        cut = votes[passed[seats - 1].agency_id] if seats else None
        if seats and votes[passed[seats].agency_id] == cut:
            # Equal votes straddle the last place: a further round between them.
            tied = True
            elected = [c for c in passed if votes[c.agency_id] > cut]
            undecided = [c for c in passed if votes[c.agency_id] == cut]
        else:
            elected, undecided = passed[:seats], []
    else:
        elected = passed
        # Restricted further round: the candidates that did not pass.
        undecided = [c for c in ordered if c not in passed] if len(passed) < seats else []
    seats_left = seats - len(elected)

    last_round = poll.round >= poll.max_rounds
    fallback_applied = None
    needs_decision = False
    next_round: list[Candidate] = []
    if seats_left and undecided and not last_round:
        next_round = undecided
        values = {
            "votes": votes[undecided[0].agency_id],
            "names": _names(undecided),
            "round": poll.round + 1,
            "seats": seats_left,
        }
        if tied:
            warnings.append(
                _("Tied at %(votes)s votes: %(names)s. Round %(round)s chooses %(seats)s of them.")
                % values
            )
        else:
            warnings.append(
                _("Places still open: %(seats)s. Round %(round)s votes again among %(names)s.")
                % values
            )
    elif seats_left and undecided:
        fallback_applied = Fallback(poll.fallback)
        values = {"round": poll.round, "seats": seats_left, "names": _names(undecided)}
        if fallback_applied == Fallback.SCORE_RANKING:
            chosen, next_round = _by_score_rank(undecided, seats_left)
            chosen_ids = {c.agency_id for c in chosen}
            results = [
                _chosen_by_rank(result) if result.candidate.agency_id in chosen_ids else result
                for result in results
            ]
            if chosen:
                warnings.append(
                    _("No decision after round %(round)s: the score ranking chooses %(chosen)s.")
                    % {**values, "chosen": _names(chosen)}
                )
            elected = [*elected, *chosen]
            seats_left -= len(chosen)
            if next_round:
                # Equal ranks at the cut: the ranking cannot choose either.
                needs_decision = True
                warnings.append(
                    _(
                        "%(names)s share a score rank: the chair and vice-chair choose "
                        "%(seats)s of them."
                    )
                    % {"names": _names(next_round), "seats": seats_left}
                )
        elif fallback_applied == Fallback.CHAIR_DECIDES:
            needs_decision = True
            next_round = undecided
            warnings.append(
                _(
                    "No decision after round %(round)s: the chair and vice-chair choose "
                    "%(seats)s of %(names)s."
                )
                % values
            )
        else:
            warnings.append(
                _("No decision after round %(round)s: places left unassigned: %(seats)s.") % values
            )

    if poll.kind == PollKind.FLAG:
        for candidate in elected:
            if candidate.rank is None:
                warnings.append(
                    _(
                        "%(name)s is proposed for the flag but has no score rank: "
                        "the proposal must give the reason."
                    )
                    % {"name": candidate.name}
                )
            elif candidate.rank != 1:
                warnings.append(
                    _(
                        "%(name)s is proposed for the flag but is ranked %(rank)s by score: "
                        "the proposal must give the reason."
                    )
                    % {"name": candidate.name, "rank": candidate.rank}
                )

    return PollOutcome(
        elected=tuple(elected),
        results=tuple(results),
        next_round=tuple(next_round),
        seats_left=seats_left,
        fallback_applied=fallback_applied,
        needs_decision=needs_decision,
        base_count=base_count,
        required=required,
        rule_text=threshold_text(threshold, base_count),
        warnings=tuple(warnings),
    )


def _by_score_rank(
    candidates: Sequence[Candidate], seats: int
) -> tuple[list[Candidate], list[Candidate]]:
    """The best ``seats`` candidates by score rank, and those sharing the
    rank at the cut when it falls between equals (left to the chair)."""
    ordered = sorted(candidates, key=_rank_key)
    if len(ordered) <= seats:
        return ordered, []
    cut = _rank_key(ordered[seats - 1])
    if _rank_key(ordered[seats]) != cut:
        return ordered[:seats], []
    return (
        [c for c in ordered if _rank_key(c) < cut],
        [c for c in ordered if _rank_key(c) == cut],
    )


def _chosen_by_rank(result: CandidateResult) -> CandidateResult:
    rank = result.candidate.rank
    if rank is None:
        note = _("%(result)s; chosen by score ranking (unranked)") % {"result": result.text}
    else:
        note = _("%(result)s; chosen by score ranking (rank %(rank)s)") % {
            "result": result.text,
            "rank": rank,
        }
    return CandidateResult(result.candidate, result.votes, result.percent, result.passed, note)
