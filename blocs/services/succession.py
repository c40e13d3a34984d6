"""Agencies renamed or merged (the 2025 reorganisation and later).

History is never rewritten: each predecessor row ends on the effective date
and points to its successor. Years before the change keep their memberships,
so every page and document of a past year shows the name the agency had
then. In the year of the change the predecessor leaves the bloc on that date
and the successor joins (taking over a chair or vice-chair role); later open
years simply have the successor. People move to the successor.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import audit
from members.models import Agency, User
from members.permissions import can_manage_agencies

from ..models import MemberRole, Membership
from ..stages import READ_ONLY_STAGES, Stage


@audit.service
@transaction.atomic
def agency_rename(
    *, agency: Agency, name: str, short_name: str, effective_on: datetime.date, actor
) -> Agency:
    """A new name from a date: a successor row with the same code and kind."""
    successor = Agency(
        province_id=agency.province_id,
        code=agency.code,
        name=name,
        short_name=short_name,
        kind=agency.kind,
    )
    return _succeed([agency], successor, effective_on=effective_on, actor=actor)


@audit.service
@transaction.atomic
def agency_merge(
    *, agencies: list[Agency], successor: Agency, effective_on: datetime.date, actor
) -> Agency:
    """Several agencies become one, either a new agency or an existing one."""
    if len(agencies) < 1 or any(a.pk == successor.pk for a in agencies if successor.pk):
        raise ValidationError(
            {"agencies": _("Choose the agencies that merge, other than the one they join.")}
        )
    return _succeed(agencies, successor, effective_on=effective_on, actor=actor)


def _succeed(predecessors, successor: Agency, *, effective_on, actor) -> Agency:
    province_id = successor.province_id
    if not can_manage_agencies(actor, province_id):
        raise PermissionDenied(_("Only the provincial board renames or merges agencies."))
    locked = list(Agency.objects.select_for_update().filter(pk__in=[a.pk for a in predecessors]))
    for agency in locked:
        if not agency.is_active or agency.province_id != province_id:
            raise ValidationError(
                {
                    "agencies": _("%(agency)s is not an active agency of this province.")
                    % {"agency": agency}
                }
            )
    # End the predecessors first: their name and code become free for the successor.
    # Rows are saved one by one (not updated in bulk) so that each change has its history.
    for agency in locked:
        agency.is_active, agency.ended_on = False, effective_on
        agency.save(update_fields=["is_active", "ended_on"])
    if successor.pk is None:
        successor.full_clean()
        successor.save()
    for agency in locked:
        agency.successor = successor
        agency.save(update_fields=["successor"])
    for person in User.objects.select_for_update().filter(agency__in=locked):
        person.agency = successor
        person.save(update_fields=["agency"])
    for agency in locked:
        _carry_memberships(agency, successor, effective_on)
    return successor


def _carry_memberships(predecessor: Agency, successor: Agency, effective_on) -> None:
    memberships = (
        Membership.objects.select_for_update()
        .filter(agency=predecessor, bloc_year__year__gte=effective_on.year, left_on__isnull=True)
        .exclude(bloc_year__stage__in=READ_ONLY_STAGES)
        .select_related("bloc_year")
    )
    for old in memberships:
        bloc_year = old.bloc_year
        existing = Membership.objects.filter(bloc_year=bloc_year, agency=successor).first()
        role = old.role
        served = bloc_year.year == effective_on.year and (
            effective_on > datetime.date(bloc_year.year, 1, 1) and bloc_year.stage != Stage.SETUP
        )
        if served:
            # It served part of the year: it leaves on the date, the successor joins.
            old.role, old.left_on = MemberRole.MEMBER, effective_on
            old.save(update_fields=["role", "left_on"])
        else:
            # It never served this year under the old name: the successor replaces it.
            old.delete()
        if existing is None:
            Membership.objects.create(
                bloc_year=bloc_year,
                agency=successor,
                role=role,
                joined_on=effective_on if served else old.joined_on,
            )
        elif role != MemberRole.MEMBER and existing.role == MemberRole.MEMBER:
            existing.role = role
            existing.save(update_fields=["role"])
