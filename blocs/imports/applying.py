"""Applying a bloc-members file through blocs.services, in one transaction,
so permissions and the closed-year rule apply to imports too."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from members import audit
from members.spreadsheets import (
    ImportPlan,
    ImportRejected,
)

from .. import services
from ..models import MemberRole, Membership
from .layout import _OFFICER_ROLES, _SERVICE_FIELDS, SHEET, _Group
from .planning import _plan


def _call(plan: ImportPlan, row: int, service, **kwargs):
    """Run one service; its refusal becomes an error on the row instead of a crash."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                column = "" if name == NON_FIELD_ERRORS else _SERVICE_FIELDS.get(name, "")
                for message in ValidationError(errors).messages:
                    plan.add_error(SHEET, row, column, message)
        else:
            for message in exc.messages:
                plan.add_error(SHEET, row, "", message)
        return None


def _apply_group(group: _Group, *, plan: ImportPlan, actor) -> None:
    """Write one bloc-year in an order that never trips a constraint halfway.

    Officers are first made ordinary members, dates are set, then the file's
    officers are named (so a chair and vice-chair may swap), and only then
    are the missing members removed (an officer is never removed).
    """
    bloc_year = group.bloc_year
    if bloc_year is None:
        bloc_year = _call(
            plan,
            group.first_row,
            services.bloc_year_create,
            bloc=group.bloc,
            year=group.year,
            actor=actor,
            copy_members=False,
        )
        if bloc_year is None:
            return
    elif group.roles_change:
        _call(
            plan,
            group.first_row,
            services.bloc_year_set_officers,
            bloc_year=bloc_year,
            actor=actor,
            chair=None,
            vice_chair=None,
        )
    for entry in group.entries:
        membership = entry.membership
        if entry.action == "create":
            membership = _call(
                plan,
                entry.row,
                services.membership_add,
                bloc_year=bloc_year,
                actor=actor,
                agency=entry.agency,
                joined_on=entry.joined_on,
            )
            if membership is None or entry.left_on is None:
                continue
        elif (membership.joined_on, membership.left_on) == (entry.joined_on, entry.left_on):
            continue
        _call(
            plan,
            entry.row,
            services.membership_update,
            membership=membership,
            actor=actor,
            joined_on=entry.joined_on,
            left_on=entry.left_on,
        )
    if group.roles_change:
        officers = {e.role: e for e in group.entries if e.role in _OFFICER_ROLES}
        chair, vice_chair = officers.get(MemberRole.CHAIR), officers.get(MemberRole.VICE_CHAIR)
        _call(
            plan,
            (chair or vice_chair).row if (chair or vice_chair) else group.first_row,
            services.bloc_year_set_officers,
            bloc_year=bloc_year,
            actor=actor,
            chair=chair.agency if chair else None,
            vice_chair=vice_chair.agency if vice_chair else None,
        )
    for membership in group.removals:
        # Re-read: the role may have just changed to member.
        _call(
            plan,
            0,
            services.membership_remove,
            membership=Membership.objects.select_related("bloc_year").get(pk=membership.pk),
            actor=actor,
        )


@audit.service
def apply_bloc_members_import(content: bytes, *, province, actor) -> ImportPlan:
    """Apply the file in one transaction through the bloc services, as ``actor``.

    Raises :class:`~members.spreadsheets.ImportRejected` (a ``ValidationError``)
    and saves nothing if any cell is wrong or a service refuses a row;
    ``PermissionDenied`` if ``actor`` may not change one of the bloc-years.
    """
    with transaction.atomic():
        plan, groups = _plan(content, province=province)
        if not plan.is_valid:
            raise ImportRejected(plan)
        for group in groups:
            _apply_group(group, plan=plan, actor=actor)
        if not plan.is_valid:
            raise ImportRejected(plan)
    return plan
