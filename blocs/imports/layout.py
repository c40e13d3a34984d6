"""The bloc-members file's layout and the row bookkeeping shared by planning
and applying."""

import datetime
from dataclasses import dataclass, field

from members.models import Agency
from members.spreadsheets import (
    Column,
)

from ..models import Bloc, BlocYear, MemberRole, Membership

SHEET = "Thành viên khối"

#: How each role in the bloc is written in the file.
ROLE_LABELS = {
    MemberRole.CHAIR: "Khối trưởng",
    MemberRole.VICE_CHAIR: "Khối phó",
    MemberRole.MEMBER: "Thành viên",
}
BLOC_MEMBER_COLUMNS = [
    Column("year", "Năm"),
    Column("bloc", "Số khối"),
    Column("agency", "Mã cơ quan", text=True),
    Column("role", "Vai trò trong khối", choices=tuple(ROLE_LABELS.values())),
    Column("joined_on", "Ngày tham gia"),
    Column("left_on", "Ngày rời khối"),
]
BLOC_MEMBERS = (SHEET, BLOC_MEMBER_COLUMNS)

_HEADERS = {column.key: column.header for column in BLOC_MEMBER_COLUMNS}
# Where a service's field error belongs in the file.
_SERVICE_FIELDS = {
    "agency": _HEADERS["agency"],
    "joined_on": _HEADERS["joined_on"],
    "left_on": _HEADERS["left_on"],
    "role": _HEADERS["role"],
    "chair": _HEADERS["role"],
    "vice_chair": _HEADERS["role"],
    "year": _HEADERS["year"],
    "bloc": _HEADERS["bloc"],
}
_OFFICER_ROLES = (MemberRole.CHAIR, MemberRole.VICE_CHAIR)


@dataclass
class _Entry:
    """A valid row of a bloc-year, and what it does to the membership."""

    row: int
    agency: Agency
    role: str
    joined_on: datetime.date | None
    left_on: datetime.date | None
    membership: Membership | None
    action: str


@dataclass
class _Group:
    """The rows of one bloc-year."""

    year: int
    bloc: Bloc
    bloc_year: BlocYear | None
    first_row: int
    rows: list[tuple[int, dict, dict]] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)
    removals: list[Membership] = field(default_factory=list)
    roles_change: bool = False

    @property
    def label(self) -> str:
        return f"{self.bloc} – {self.year}"


def _membership_label(group: _Group, agency: Agency) -> str:
    return f"{group.label}: {agency.code} – {agency.name}"


def _parse_positive_int(text: str) -> int | None:
    return int(text) if text.isdigit() and int(text) > 0 else None


def _resolve_agency(candidates: list[Agency], year: int) -> Agency | None:
    """The agency a code meant in ``year``, among the province's agencies with that code.

    A rename keeps the code, so one code may name an ended predecessor and its
    active successor. A year the predecessor lived through to its end keeps
    the predecessor (past years show the old name); otherwise the active
    agency; otherwise one that ended during that year. As in
    :func:`blocs.services.membership_add`, an agency never joins a year that
    began after it ended.
    """
    ended = sorted(
        (a for a in candidates if not a.is_active and a.ended_on is not None),
        key=lambda a: a.ended_on,
    )
    for agency in ended:
        if agency.ended_on.year > year:
            return agency
    for agency in candidates:
        if agency.is_active:
            return agency
    return next((a for a in ended if a.ended_on.year == year), None)


def _match_membership(candidates: list[Membership], values: dict) -> Membership | None:
    """The existing membership a row stands for, among those with the row's code.

    Usually one; two in the year an agency was renamed after set-up (the old
    name left on the date the new one joined), told apart by their dates.
    """
    if len(candidates) <= 1 or not values:
        return candidates[0] if candidates else None
    dates = (values["joined_on"], values["left_on"])
    for membership in candidates:
        if (membership.joined_on, membership.left_on) == dates:
            return membership
    leaving = values["left_on"] is not None
    for membership in candidates:
        if (membership.left_on is not None) == leaving:
            return membership
    return candidates[0]
