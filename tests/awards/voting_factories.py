"""A conference ready to vote, through the real services (unlike
``factories``, which writes rows): the voting tests exercise the services
themselves, so their set-up goes through them too."""

from awards.conference import attendance_set
from awards.models import PollKind, PollMode
from awards.voting import poll_create, poll_open, vote_cast
from tests.awards.factories import conference_year, leaders_of
from tests.covenants.factories_score import officer_of

__all__ = ["cast", "open_poll", "register", "voting_year"]


def voting_year(*, members: int = 5, **kwargs):
    """(bloc-year at the conference stage, a secretariat officer, leaders by agency id)."""
    bloc_year = conference_year(members=members, **kwargs)
    secretariat = officer_of(bloc_year.chair)
    return bloc_year, secretariat, leaders_of(bloc_year)


def register(bloc_year, actor, *, absent=(), voters=None):
    """Every current member present (but ``absent`` agency ids), its leader
    named; ``voters``: agency id → registered voter."""
    voters = voters or {}
    rows = []
    for membership in bloc_year.memberships.filter(left_on__isnull=True).select_related("agency"):
        present = membership.agency_id not in absent
        rows.append(
            {
                "agency": membership.agency,
                "present": present,
                "representative_name": f"Đại diện {membership.agency.short_name}"
                if present
                else "",
                "representative_title": "Giám đốc" if present else "",
                "is_proxy": False,
                "voter": voters.get(membership.agency_id),
            }
        )
    return attendance_set(bloc_year=bloc_year, actor=actor, rows=rows)


def open_poll(bloc_year, actor, kind=PollKind.FLAG, mode=PollMode.ELECTRONIC):
    poll = poll_create(bloc_year=bloc_year, actor=actor, kind=kind, mode=mode)
    return poll_open(poll=poll, actor=actor)


def cast(poll, leaders, ballots: dict):
    """``ballots``: agency id → the candidate ids its leader chooses."""
    for agency_id, choices in ballots.items():
        vote_cast(poll=poll, actor=leaders[agency_id], choices=choices)
