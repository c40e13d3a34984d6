"""Who may see, draft, sign and record on a covenant.

The secretariat drafts, opens and records; each member agency's leader (or
deputy) signs for that agency only; the board sees everything in its
province; nobody outside the bloc sees its drafts.
"""

from blocs import permissions as bloc_permissions
from blocs.stages import Stage
from members.permissions import is_active_user, is_site_admin

from .models import Covenant, CovenantStatus


def can_draft_covenant(user, bloc_year) -> bool:
    """Create and edit the draft: the secretariat, while signing has not ended."""
    if bloc_year.is_read_only or bloc_year.stage not in (Stage.SETUP, Stage.SIGNING):
        return False
    return is_site_admin(user) or bloc_permissions.is_secretariat(user, bloc_year)


def can_record_signatures(user, covenant: Covenant) -> bool:
    """Paper signatures and "unable to sign" are recorded by the secretariat."""
    return covenant.status == CovenantStatus.OPEN and (
        is_site_admin(user) or bloc_permissions.is_secretariat(user, covenant.bloc_year)
    )


def can_sign_for(user, covenant: Covenant, agency) -> bool:
    """A leader or deputy signs for their own agency, if it is a current member."""
    if covenant.status != CovenantStatus.OPEN or not is_active_user(user):
        return False
    if user.agency_id != agency.pk or not user.is_agency_leader:
        return False
    return any(
        m.agency_id == agency.pk and m.left_on is None for m in covenant.bloc_year.memberships.all()
    )


def can_reopen(user, covenant: Covenant) -> bool:
    """Only while the year is still at the signing stage."""
    return (
        covenant.status != CovenantStatus.DRAFT
        and covenant.bloc_year.stage == Stage.SIGNING
        and (is_site_admin(user) or bloc_permissions.is_secretariat(user, covenant.bloc_year))
    )
