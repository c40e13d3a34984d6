"""Planning a bloc-members file: every bloc-year it lists, with each row's
change or error. Reads only."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from members.models import Agency
from members.spreadsheets import (
    Change,
    ImportPlan,
    change_detail,
    format_date,
    open_workbook,
    parse_choice,
    parse_date,
    read_sheet,
    unknown_value_message,
)

from ..models import MAX_YEAR, MIN_YEAR, Bloc, BlocYear, MemberRole, Membership
from ..stages import Stage
from .layout import (
    _HEADERS,
    _OFFICER_ROLES,
    BLOC_MEMBER_COLUMNS,
    ROLE_LABELS,
    SHEET,
    _Entry,
    _Group,
    _match_membership,
    _membership_label,
    _parse_positive_int,
    _resolve_agency,
)


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
