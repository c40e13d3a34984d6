"""Building tally inputs in tests: candidates, polls, result tables."""

from awards.tally import (
    Base,
    Candidate,
    PollInput,
    PollKind,
    Threshold,
)

MORE_THAN_HALF = Threshold(1, 2, True, Base.MEMBERS)
TWO_THIRDS = Threshold(2, 3, False, Base.MEMBERS)
#: A low bar, so that several candidates can pass and tie.
THIRD_OF_VALID = Threshold(1, 3, False, Base.VALID)


def cand(agency_id, rank="same", name=None):
    """A candidate named "Sở 01"…; ranked by score as its id unless given."""
    return Candidate(
        agency_id=agency_id,
        name=name or f"Sở {agency_id:02d}",
        rank=agency_id if rank == "same" else rank,
    )


def poll(votes, *, candidates=None, members=9, present=None, cast=None, valid=None, **kwargs):
    """A poll of ``members`` units, all present and all ballots valid unless
    told; the candidates are the agencies in ``votes``."""
    present = members if present is None else present
    cast = present if cast is None else cast
    valid = cast if valid is None else valid
    fields = {
        "kind": PollKind.CERTIFICATE,
        "seats": 1,
        "threshold": MORE_THAN_HALF,
        "members": members,
        "present": present,
        "ballots_cast": cast,
        "ballots_valid": valid,
        "votes": votes,
        "candidates": candidates if candidates is not None else [cand(i) for i in votes],
    }
    return PollInput(**(fields | kwargs))


def ids(candidates):
    return [candidate.agency_id for candidate in candidates]


def table(outcome):
    """(agency id, votes, percent, passed) per result, in order."""
    return [(r.candidate.agency_id, r.votes, r.percent, r.passed) for r in outcome.results]
