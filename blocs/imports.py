"""Import and export of which agencies belong to which bloc in a year.

One sheet, one row per membership. Each (Năm, Số khối) pair is a bloc-year
and the file is authoritative for the bloc-years it lists: members missing
from the file are removed (only while the year is in set-up). Bloc-years
the file does not mention are left alone.

Every write goes through :mod:`blocs.services` with the importing user as
actor, so an import can do exactly what that user could do by hand.

Layout: sheet “Thành viên khối”: Năm | Số khối | Mã cơ quan | Vai trò trong
khối | Ngày tham gia | Ngày rời khối.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from members.models import Agency
from members.spreadsheets import (
    Change,
    Column,
    ImportPlan,
    ImportRejected,
    change_detail,
    format_date,
    open_workbook,
    parse_choice,
    parse_date,
    read_sheet,
    unknown_value_message,
    write_workbook,
)

from . import services
from .models import MAX_YEAR, MIN_YEAR, Bloc, BlocYear, MemberRole, Membership
from .stages import Stage

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


def _read_rows(rows, *, plan: ImportPlan, blocs: dict[int, Bloc]) -> dict[tuple, _Group]:
    """Check each row on its own and group the usable ones by bloc-year."""
    groups: dict[tuple, _Group] = {}
    for row, cells in rows:

        def error(key, message, row=row):
            plan.add_error(SHEET, row, _HEADERS[key], message)

        errors_before = len(plan.errors)
        for key in ("year", "bloc", "agency"):
            if not cells[key]:
                error(key, _("This cell is required."))
        year = None
        if cells["year"]:
            year = _parse_positive_int(cells["year"])
            if year is None or not MIN_YEAR <= year <= MAX_YEAR:
                error("year", _("The year must be between 2000 and 2100."))
                year = None
        bloc = None
        if cells["bloc"]:
            number = _parse_positive_int(cells["bloc"])
            if number is None:
                error("bloc", _("A bloc number is a whole number from 1."))
            else:
                bloc = blocs.get(number)
                if bloc is None:
                    error(
                        "bloc",
                        _("The province has no bloc number %(number)s.") % {"number": number},
                    )
        values = {"role": MemberRole.MEMBER, "joined_on": None, "left_on": None}
        if cells["role"]:
            values["role"] = parse_choice(cells["role"], ROLE_LABELS)
            if values["role"] is None:
                error("role", unknown_value_message(cells["role"], ROLE_LABELS.values()))
        for key in ("joined_on", "left_on"):
            if cells[key]:
                try:
                    values[key] = parse_date(cells[key])
                except ValueError:
                    error(key, _("Write the date as dd/mm/yyyy."))
        joined_on, left_on = values["joined_on"], values["left_on"]
        if joined_on and left_on and left_on < joined_on:
            error("left_on", _("An agency cannot leave before it joined."))
        if left_on and values["role"] in _OFFICER_ROLES:
            error(
                "left_on",
                _("The chair or vice-chair cannot leave; hand the role to another member first."),
            )
        if year is None or bloc is None:
            continue
        group = groups.get((year, bloc.number))
        if group is None:
            group = groups[(year, bloc.number)] = _Group(year, bloc, None, row)
        group.rows.append((row, cells, values if len(plan.errors) == errors_before else {}))
    return groups


def _plan_group(group: _Group, *, plan: ImportPlan, agencies_by_code) -> None:
    bloc_year = group.bloc_year
    if bloc_year is None:
        if not group.bloc.is_active:
            for row, _cells, _values in group.rows:
                plan.add_error(
                    SHEET,
                    row,
                    _HEADERS["bloc"],
                    _("This bloc is no longer active; no new year can be opened for it."),
                )
        plan.changes.append(Change("create", "bloc_year", group.label))
    current = list(bloc_year.memberships.all()) if bloc_year else []
    by_code = defaultdict(list)
    for membership in sorted(current, key=lambda m: m.pk):
        by_code[membership.agency.code.lower()].append(membership)
    closed = bloc_year is not None and bloc_year.is_read_only
    listed: dict[int, int] = {}
    officers: dict[str, int] = {}

    for row, cells, values in group.rows:

        def error(key, message, row=row):
            plan.add_error(SHEET, row, _HEADERS[key], message)

        code = cells["agency"]
        if not code:
            continue
        membership = _match_membership(
            [m for m in by_code[code.lower()] if m.agency_id not in listed], values
        )
        candidates = agencies_by_code.get(code.lower(), [])
        agency = membership.agency if membership else _resolve_agency(candidates, group.year)
        if agency is None:
            if candidates:
                error(
                    "agency",
                    _("The agency %(code)s no longer existed in %(year)s.")
                    % {"code": code, "year": group.year},
                )
            else:
                error(
                    "agency",
                    _("No agency of the province has the code %(code)s.") % {"code": code},
                )
            continue
        if agency.pk in listed:
            error(
                "agency",
                _("The agency %(code)s is already listed for this bloc and year on row %(row)s.")
                % {"code": code, "row": listed[agency.pk]},
            )
            continue
        listed[agency.pk] = row
        if not values:
            continue
        role = values["role"]
        if role in _OFFICER_ROLES:
            if role in officers:
                error(
                    "role",
                    _("This bloc-year already has a “%(role)s” on row %(row)s.")
                    % {"role": ROLE_LABELS[role], "row": officers[role]},
                )
                continue
            officers[role] = row

        details = []
        if membership is None:
            action = "create"
        else:
            if membership.role != role:
                details.append(
                    change_detail(_HEADERS["role"], ROLE_LABELS[membership.role], ROLE_LABELS[role])
                )
            for key in ("joined_on", "left_on"):
                if getattr(membership, key) != values[key]:
                    details.append(
                        change_detail(
                            _HEADERS[key],
                            format_date(getattr(membership, key)),
                            format_date(values[key]),
                        )
                    )
            action = "update" if details else "unchanged"
        if closed and action != "unchanged":
            error(
                "year",
                _("The year %(year)s is closed: its records can no longer change.")
                % {"year": group.year},
            )
            continue
        group.entries.append(
            _Entry(row, agency, role, values["joined_on"], values["left_on"], membership, action)
        )
        plan.changes.append(
            Change(action, "membership", _membership_label(group, agency), tuple(details))
        )

    for membership in sorted(current, key=lambda m: m.agency.code):
        if membership.agency_id in listed:
            continue
        if bloc_year.stage == Stage.SETUP:
            group.removals.append(membership)
            plan.changes.append(
                Change("remove", "membership", _membership_label(group, membership.agency))
            )
        else:
            plan.add_error(
                SHEET,
                0,
                "",
                _(
                    "%(agency)s is a member of %(bloc_year)s but is not in the file; after "
                    "set-up a member is not removed, record the date it left instead."
                )
                % {"agency": membership.agency, "bloc_year": group.label},
            )
    old_officers = {m.role: m.agency_id for m in current if m.role in _OFFICER_ROLES}
    new_officers = {e.role: e.agency.pk for e in group.entries if e.role in _OFFICER_ROLES}
    group.roles_change = old_officers != new_officers


def _plan(content: bytes, *, province) -> tuple[ImportPlan, list[_Group]]:
    workbook = open_workbook(content)
    rows = read_sheet(workbook, SHEET, BLOC_MEMBER_COLUMNS)
    plan = ImportPlan()
    blocs = {bloc.number: bloc for bloc in Bloc.objects.filter(province=province)}
    groups = _read_rows(rows, plan=plan, blocs=blocs)
    number_of = {bloc.pk: bloc.number for bloc in blocs.values()}
    existing = BlocYear.objects.filter(
        bloc__province=province, year__in={year for year, _number in groups}
    ).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("agency"))
    )
    for bloc_year in existing:
        group = groups.get((bloc_year.year, number_of[bloc_year.bloc_id]))
        if group is not None:
            bloc_year.bloc = group.bloc
            group.bloc_year = bloc_year
    agencies_by_code = defaultdict(list)
    for agency in Agency.objects.filter(province=province).order_by("pk"):
        agencies_by_code[agency.code.lower()].append(agency)
    for group in groups.values():
        _plan_group(group, plan=plan, agencies_by_code=agencies_by_code)
    return plan, list(groups.values())


def plan_bloc_members_import(content: bytes, *, province) -> ImportPlan:
    """What importing ``content`` would change, or the cells that are wrong; reads only."""
    return _plan(content, province=province)[0]


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
