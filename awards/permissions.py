"""Who may do what at the year-end conference.

- The secretariat prepares the conference (rules, attendance, committee,
  polls), opens and closes polls, enters paper counts and confirms results.
- Each current member agency votes once per poll, through its leader or
  deputy, or the voter registered on the attendance register for it.
- The board sets the province's defaults and sees everything, read-only.
- Results of a poll are hidden until it closes.
Everything needs the year at the conference stage (votes) and not closed.
"""

from blocs import permissions as bloc_permissions
from blocs.stages import Stage
from members.permissions import is_active_user, is_board_for, is_site_admin

__all__ = [
    "can_manage_conference",
    "can_set_province_defaults",
    "can_view_conference",
    "is_secretariat",
    "voting_agency",
]


def is_secretariat(user, bloc_year) -> bool:
    return is_site_admin(user) or bloc_permissions.is_secretariat(user, bloc_year)


def can_view_conference(user, bloc_year) -> bool:
    return bloc_permissions.can_view_bloc_year(user, bloc_year) or is_site_admin(user)


def can_manage_conference(user, bloc_year) -> bool:
    """Prepare, run and confirm: the secretariat, at the conference stage."""
    return (
        not bloc_year.is_read_only
        and bloc_year.stage == Stage.CONFERENCE
        and is_secretariat(user, bloc_year)
    )


def can_set_province_defaults(user, province_id) -> bool:
    return is_board_for(user, province_id) or is_site_admin(user)


def voting_agency(user, bloc_year, *, attendance=()):
    """The current member agency ``user`` votes for, or None.

    A leader or deputy votes for their own agency; a user registered as the
    voter on the attendance register votes for that agency (a proxy).
    ``attendance``: the conference's attendance rows, when loaded.
    """
    if not is_active_user(user):
        return None
    current = {m.agency_id: m.agency for m in bloc_year.memberships.all() if m.left_on is None}
    for row in attendance:
        if row.voter_id == user.pk and row.agency_id in current:
            return current[row.agency_id]
    if user.agency_id in current and user.is_agency_leader:
        return current[user.agency_id]
    return None
