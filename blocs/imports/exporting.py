"""A year's bloc members written from the database, and the blank template."""

from members.spreadsheets import (
    write_workbook,
)

from ..models import MemberRole, Membership
from .layout import BLOC_MEMBER_COLUMNS, ROLE_LABELS, SHEET

# Exporting -----------------------------------------------------------------

_ROLE_ORDER = {MemberRole.CHAIR: 0, MemberRole.VICE_CHAIR: 1, MemberRole.MEMBER: 2}


def export_bloc_members(*, province, year: int) -> bytes:
    """Every bloc-year of ``year`` in the province, officers first, in the import layout."""
    memberships = sorted(
        Membership.objects.filter(
            bloc_year__bloc__province=province, bloc_year__year=year
        ).select_related("bloc_year__bloc", "agency"),
        key=lambda m: (m.bloc_year.bloc.number, _ROLE_ORDER.get(m.role, 9), m.agency.code),
    )
    rows = [
        [
            m.bloc_year.year,
            m.bloc_year.bloc.number,
            m.agency.code,
            ROLE_LABELS.get(m.role, m.role),
            m.joined_on,
            m.left_on,
        ]
        for m in memberships
    ]
    return write_workbook([(SHEET, BLOC_MEMBER_COLUMNS, rows)])


def bloc_members_template() -> bytes:
    """The empty layout with one example row."""
    return write_workbook(
        [
            (
                SHEET,
                BLOC_MEMBER_COLUMNS,
                [[2026, 1, "SYT", ROLE_LABELS[MemberRole.CHAIR], None, None]],
            )
        ]
    )
