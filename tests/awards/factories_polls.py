"""Closed polls written straight into the database, for tests of what the
conference decided (results, proposals, handover).

The outcome is computed by the real pure tally and stored in the JSON schema
the voting services write, so the pages and services read what they would
read after a real vote; the ballots themselves are not cast.
"""

from django.utils import timezone, translation

from awards import tally
from awards.models import (
    Attendance,
    Conference,
    ConferenceStatus,
    Poll,
    PollCandidate,
    PollKind,
    PollMode,
    PollStatus,
)
from blocs.models import MemberRole
from covenants.scores.ranking import ranking_table

__all__ = [
    "closed_poll",
    "full_results",
    "members_in_rank_order",
    "open_conference",
    "open_paper_flag_poll",
    "outcome_json",
]


def open_conference(bloc_year) -> Conference:
    conference, _created = Conference.objects.update_or_create(
        bloc_year=bloc_year,
        defaults={
            "status": ConferenceStatus.VOTING,
            "held_on": timezone.localdate(),
            "place": "Hội trường Sở",
            "voting_opened_at": timezone.now(),
        },
    )
    return conference


def open_paper_flag_poll(bloc_year, agencies) -> Poll:
    """The conference voting with ``agencies`` present and a paper flag poll open
    (simple majority of the members, who are those agencies), no candidates yet."""
    conference = Conference.objects.create(
        bloc_year=bloc_year, status=ConferenceStatus.VOTING, held_on=timezone.localdate()
    )
    for agency in agencies:
        Attendance.objects.create(
            conference=conference, agency=agency, representative_name="Đại biểu"
        )
    poll = Poll.objects.create(
        bloc_year=bloc_year,
        kind=PollKind.FLAG,
        mode=PollMode.PAPER,
        status=PollStatus.OPEN,
        threshold_numerator=1,
        threshold_denominator=2,
        threshold_strict=True,
        threshold_base="members",
        present=len(agencies),
        members=len(agencies),
        opened_at=timezone.now(),
    )
    return poll


def members_in_rank_order(bloc_year) -> list:
    """The current members' agencies, first ranked first."""
    return [row.agency for row in ranking_table(bloc_year, "year_end").rows]


def outcome_json(outcome: tally.PollOutcome) -> dict:
    """The schema ``awards.voting.poll_close`` stores."""
    return {
        "elected": [c.agency_id for c in outcome.elected],
        "next_round": [c.agency_id for c in outcome.next_round],
        "seats_left": outcome.seats_left,
        "fallback": str(outcome.fallback_applied) if outcome.fallback_applied else None,
        "needs_decision": outcome.needs_decision,
        "base_count": outcome.base_count,
        "required": outcome.required,
        "rule_text": outcome.rule_text,
        "warnings": list(outcome.warnings),
        "results": [
            {
                "agency_id": r.candidate.agency_id,
                "name": r.candidate.name,
                "votes": r.votes,
                "percent": str(r.percent),
                "passed": r.passed,
                "text": r.text,
            }
            for r in outcome.results
        ],
    }


def closed_poll(
    bloc_year,
    kind: str,
    votes: dict,
    *,
    candidates=None,
    seats: int = 1,
    round: int = 1,
    ballots: int | None = None,
    invalid: int = 0,
    threshold=(1, 2, True, "members"),
    max_rounds: int = 2,
    fallback: str = "score_ranking",
    status: str = PollStatus.CLOSED,
    ranks: dict | None = None,
) -> Poll:
    """A poll of ``kind`` with ``votes`` (agency → count), tallied and closed.

    ``candidates``: agencies (default: those in ``votes``); every current
    member is present and, unless ``ballots`` says otherwise, returns a
    ballot. ``ranks`` overrides the score rank (agency → rank)."""
    table = {row.agency.pk: row for row in ranking_table(bloc_year, "year_end").rows}
    members = bloc_year.memberships.filter(left_on__isnull=True).count()
    ballots = members if ballots is None else ballots
    candidates = list(candidates or votes)
    ranks = ranks or {}
    numerator, denominator, strict, base = threshold
    poll = Poll.objects.create(
        bloc_year=bloc_year,
        kind=kind,
        round=round,
        status=status,
        seats=seats,
        threshold_numerator=numerator,
        threshold_denominator=denominator,
        threshold_strict=strict,
        threshold_base=base,
        present=members,
        members=members,
        ballots_issued=members,
        ballots_returned=ballots,
        ballots_invalid=invalid,
        opened_at=timezone.now(),
        closed_at=timezone.now() if status == PollStatus.CLOSED else None,
    )
    inputs = []
    for agency in candidates:
        row = table.get(agency.pk)
        rank = ranks.get(agency, row.rank if row else None)
        score = row.total if row else None
        PollCandidate.objects.create(
            poll=poll, agency=agency, rank=rank, score=score, votes=votes.get(agency, 0)
        )
        inputs.append(tally.Candidate(agency.pk, agency.name, rank, score))
    if status == PollStatus.CLOSED:
        poll_input = tally.PollInput(
            kind=kind,
            seats=seats,
            threshold=tally.Threshold(numerator, denominator, strict, tally.Base(base)),
            members=members,
            present=members,
            ballots_cast=ballots,
            ballots_valid=ballots - invalid,
            votes={agency.pk: count for agency, count in votes.items()},
            candidates=inputs,
            round=round,
            max_rounds=max_rounds,
            fallback=tally.Fallback(fallback),
        )
        # Closed during the conference, in Vietnamese: the stored texts are too.
        with translation.override("vi"):
            outcome = tally.tally(poll_input)
        poll.outcome = outcome_json(outcome)
        poll.save(update_fields=["outcome"])
    return poll


def full_results(bloc_year, *, certificates: int = 2):
    """Every poll closed with a clear outcome: the first ranked gets the flag,
    the next ``certificates`` the certificates, the vice-chair is elected
    chair and the third ranked vice-chair. Returns (flag unit, certificate
    units, next chair, next vice-chair)."""
    open_conference(bloc_year)
    ranked = members_in_rank_order(bloc_year)
    n = len(ranked)
    flag = ranked[0]
    closed_poll(bloc_year, "flag", {agency: (n if agency == flag else 0) for agency in ranked})
    others = ranked[1:]
    certified = others[:certificates]
    closed_poll(
        bloc_year,
        "certificate",
        {agency: (n if agency in certified else 0) for agency in others},
        seats=certificates,
    )
    vice = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    electable = [agency for agency in ranked if agency != chair]
    closed_poll(
        bloc_year,
        "chair",
        {agency: (n if agency == vice else 0) for agency in electable},
        threshold=(1, 2, True, "valid"),
    )
    next_vice = next(agency for agency in ranked if agency not in (chair, vice))
    closed_poll(
        bloc_year,
        "vice_chair",
        {agency: (n if agency == next_vice else 0) for agency in ranked if agency != vice},
        threshold=(1, 2, True, "valid"),
    )
    return flag, certified, vice, next_vice
