"""Who may see and do what with blocs and bloc-years.

Roles are derived, never stored per bloc: the board is per province, and the
secretariat of a bloc-year is the staff of *that year's* chair agency plus
anyone delegated for that year, so it rotates with the chair. Views call
these predicates to decide what to show; services call them again before
changing anything.
"""

from django.db.models import Q

from members import permissions as members_permissions
from members.permissions import is_active_user as _is_active
from members.permissions import is_board_for, is_site_admin

from .models import Bloc, BlocYear, MemberRole, Membership, SecretariatDelegation
from .stages import READ_ONLY_STAGES, Actor, Transition

__all__ = ["is_board_for", "is_site_admin"]


def is_secretariat(user, bloc_year: BlocYear) -> bool:
    if not _is_active(user):
        return False
    chair = bloc_year.chair
    if chair is not None and user.agency_id == chair.pk:
        return True
    # Pages load the active delegations once (selectors.bloc_year_detail).
    if hasattr(bloc_year, "active_delegations"):
        return any(d.user_id == user.pk for d in bloc_year.active_delegations)
    return bloc_year.delegations.filter(user=user, revoked_at__isnull=True).exists()


def secretariat_years(user):
    """Every bloc-year where ``user`` is (or was) secretariat, newest first.

    The navigation bar asks on every page: the years chaired by the user's agency and
    the years delegated to the user are two subqueries on indexed columns, not joins of
    every bloc-year with its members and delegations (then made distinct)."""
    if not _is_active(user):
        return BlocYear.objects.none()
    delegations = SecretariatDelegation.objects.filter(user=user, revoked_at__isnull=True)
    condition = Q(pk__in=delegations.values("bloc_year_id"))
    if user.agency_id:
        chairs = Membership.objects.filter(role=MemberRole.CHAIR, agency_id=user.agency_id)
        condition |= Q(pk__in=chairs.values("bloc_year_id"))
    return BlocYear.objects.filter(condition).order_by("-year", "bloc__number")


def is_member_user(user, bloc_year: BlocYear) -> bool:
    """Staff of an agency that belongs to the bloc this year."""
    if not _is_active(user) or user.agency_id is None:
        return False
    return any(m.agency_id == user.agency_id for m in bloc_year.memberships.all())


def can_view_bloc_year(user, bloc_year: BlocYear) -> bool:
    return (
        is_board_for(user, bloc_year.bloc.province_id)
        or is_member_user(user, bloc_year)
        or is_secretariat(user, bloc_year)
    )


def can_edit_bloc_year(user, bloc_year: BlocYear) -> bool:
    """Theme, dates, members and officers: board or secretariat, never once closed."""
    if bloc_year.is_read_only:
        return False
    return is_board_for(user, bloc_year.bloc.province_id) or is_secretariat(user, bloc_year)


def can_perform_transition(user, bloc_year: BlocYear, transition: Transition) -> bool:
    if is_site_admin(user):
        return True
    if Actor.BOARD in transition.actors and is_board_for(user, bloc_year.bloc.province_id):
        return True
    return Actor.SECRETARIAT in transition.actors and is_secretariat(user, bloc_year)


def can_view_bloc(user, bloc: Bloc) -> bool:
    if is_board_for(user, bloc.province_id):
        return True
    if not _is_active(user) or user.agency_id is None:
        return False
    return bloc.years.filter(memberships__agency_id=user.agency_id).exists()


def can_manage_blocs(user, province_id) -> bool:
    """Create and edit blocs and open new bloc-years: the board's job."""
    return is_board_for(user, province_id)


def is_secretariat_for_agency(user, agency_id) -> bool:
    """Secretariat of an open bloc-year in which the agency is a current member."""
    return (
        secretariat_years(user)
        .exclude(stage__in=READ_ONLY_STAGES)
        .filter(memberships__agency_id=agency_id, memberships__left_on__isnull=True)
        .exists()
    )


def can_invite(actor, person) -> bool:
    """The board, the person's agency leader, or the secretariat of their bloc."""
    return members_permissions.can_invite(actor, person) or (
        person.agency_id is not None and is_secretariat_for_agency(actor, person.agency_id)
    )


def can_delegate(user, bloc_year: BlocYear) -> bool:
    """The chair agency's leader grants and revokes secretariat rights."""
    if bloc_year.is_read_only or not _is_active(user):
        return False
    if is_site_admin(user):
        return True
    chair = bloc_year.chair
    return chair is not None and user.agency_id == chair.pk and user.is_agency_leader


def can_view_history(user, bloc_year: BlocYear) -> bool:
    """The audit history of the year's records: its secretariat and the board
    (registered with ``members.audit`` in ``BlocsConfig.ready``)."""
    return is_board_for(user, bloc_year.bloc.province_id) or is_secretariat(user, bloc_year)
