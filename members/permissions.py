"""Role predicates that need nothing above ``members``.

The provincial board is per province; a site admin may act as any board.
"""


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_site_admin(user) -> bool:
    return is_active_user(user) and user.is_superuser


def is_board_for(user, province_id) -> bool:
    """Provincial emulation board staff of this province (or a site admin)."""
    return is_site_admin(user) or (is_active_user(user) and user.board_province_id == province_id)


def can_manage_agencies(user, province_id) -> bool:
    """Create, edit and deactivate the province's agencies: the board's job."""
    return is_board_for(user, province_id)


def can_view_agency(user, agency) -> bool:
    """Board staff of the province and anyone working in that province."""
    if is_board_for(user, agency.province_id):
        return True
    return (
        is_active_user(user)
        and user.agency_id is not None
        and (user.agency_id == agency.pk or user.agency.province_id == agency.province_id)
    )


def can_manage_person(actor, person) -> bool:
    """Add, edit, deactivate an official: the board of the person's province."""
    if is_site_admin(actor):
        return True
    if person.is_superuser or person.board_province_id is not None:
        return False
    province_id = person.agency.province_id if person.agency_id else None
    return province_id is not None and is_board_for(actor, province_id)


def can_invite(actor, person) -> bool:
    """The board, or the leader of the person's own agency, sends invitations."""
    if can_manage_person(actor, person):
        return True
    return (
        is_active_user(actor)
        and person.agency_id is not None
        and actor.agency_id == person.agency_id
        and actor.is_agency_leader
    )
