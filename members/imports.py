"""Import and export of a province's agencies and officials as one Excel file.

The provincial board keeps its directory in a spreadsheet; importing it must
be safe to repeat. Agencies are matched on their ``code`` and officials on
their email (both case-insensitively), so importing the same file twice
changes nothing, and an export imports back with no change at all.

Planning reads only. Applying plans again inside the transaction (an old
preview is never trusted) and refuses the whole file if any cell is wrong.

Layout (the headers and listed values are Vietnamese whatever the UI language):

* sheet “Cơ quan”: Mã | Tên chính thức | Tên viết tắt | Loại | Hoạt động
* sheet “Cán bộ”: Họ và tên | Chức vụ | Email | Điện thoại | Mã cơ quan | Vai trò
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from .models import Agency, AgencyKind, AgencyRole, Province, User
from .permissions import can_manage_agencies
from .spreadsheets import (
    NO,
    YES,
    Change,
    Column,
    ImportPlan,
    ImportRejected,
    change_detail,
    clean_text,
    open_workbook,
    parse_choice,
    read_sheet,
    unknown_value_message,
    write_workbook,
)

AGENCY_SHEET = "Cơ quan"
OFFICIAL_SHEET = "Cán bộ"

#: How each agency kind is written in the file.
KIND_LABELS = {
    AgencyKind.DEPARTMENT: "Sở",
    AgencyKind.BOARD: "Ban",
    AgencyKind.BROADCASTER: "Đài",
    AgencyKind.NEWSPAPER: "Báo",
    AgencyKind.SCHOOL: "Trường",
    AgencyKind.OTHER: "Khác",
}
#: How each role in an agency is written in the file.
ROLE_LABELS = {
    AgencyRole.LEADER: "Thủ trưởng",
    AgencyRole.DEPUTY: "Phó thủ trưởng",
    AgencyRole.OFFICER: "Cán bộ thi đua",
    AgencyRole.STAFF: "Chuyên viên",
}
ACTIVE_LABELS = {True: YES, False: NO}

AGENCY_COLUMNS = [
    Column("code", "Mã", text=True),
    Column("name", "Tên chính thức"),
    Column("short_name", "Tên viết tắt"),
    Column("kind", "Loại", choices=tuple(KIND_LABELS.values())),
    Column("is_active", "Hoạt động", choices=(YES, NO)),
]
OFFICIAL_COLUMNS = [
    Column("full_name", "Họ và tên"),
    Column("position", "Chức vụ"),
    Column("email", "Email"),
    Column("phone", "Điện thoại", text=True),
    Column("agency", "Mã cơ quan", text=True),
    Column("agency_role", "Vai trò", choices=tuple(ROLE_LABELS.values())),
]
PEOPLE_SHEETS = ((AGENCY_SHEET, AGENCY_COLUMNS), (OFFICIAL_SHEET, OFFICIAL_COLUMNS))

_AGENCY_HEADERS = {column.key: column.header for column in AGENCY_COLUMNS}
_OFFICIAL_HEADERS = {column.key: column.header for column in OFFICIAL_COLUMNS}
# Model fields an import validates and writes; others are never looked at.
_AGENCY_FIELDS = ("code", "name", "short_name", "kind", "is_active")
_OFFICIAL_FIELDS = ("full_name", "position", "phone", "agency", "agency_role")
_NEW_OFFICIAL_FIELDS = (*_OFFICIAL_FIELDS, "username", "email", "password", "is_active")
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_CODE_MAX_LENGTH = Agency._meta.get_field("code").max_length


def _required_message() -> str:
    return _("This cell is required.")


@dataclass
class _Write:
    """One row's save, prepared by the plan and replayed by apply."""

    sheet: str
    row: int
    instance: models.Model
    #: The fields to save; None creates the row.
    fields: tuple[str, ...] | None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _PeopleWork:
    plan: ImportPlan = field(default_factory=ImportPlan)
    agencies: list[_Write] = field(default_factory=list)
    officials: list[_Write] = field(default_factory=list)


def _same_name(old: str, new: str) -> bool:
    # Spacing is not a rename; everything else, capitals included, is.
    return " ".join(clean_text(old).split()) == " ".join(new.split())


def _agency_label(code: str, name: str) -> str:
    return f"{code} – {name}"


def _official_label(email: str, full_name: str) -> str:
    return f"{email} – {full_name}"


def _field_errors(instance, fields, headers: dict[str, str]) -> list[tuple[str, str]]:
    """Model validation of the written fields as ``(column header, message)``.

    The plan runs it without uniqueness and constraints, which depend on the
    order rows are saved in and are checked across the file instead.
    """
    # The agency was looked up by code already; checking it again costs a query a row.
    exclude = [f.name for f in instance._meta.fields if f.name not in fields or f.name == "agency"]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return _as_cells(exc, headers)
    return []


def _as_cells(exc: ValidationError, headers: dict[str, str]) -> list[tuple[str, str]]:
    if not hasattr(exc, "error_dict"):
        return [("", message) for message in exc.messages]
    return [
        (headers.get(name, "") if name != NON_FIELD_ERRORS else "", message)
        for name, errors in exc.error_dict.items()
        for message in ValidationError(errors).messages
    ]


def _normalize_phone(phone: str) -> str:
    # Excel turns 0912345678 typed in a number cell into 912345678; a
    # Vietnamese mobile number is 0 plus nine digits, so put the zero back.
    if len(phone) == 9 and phone.isdigit() and phone[0] != "0":
        return f"0{phone}"
    return phone


# Planning ------------------------------------------------------------------


def _check_agency_cells(cells: dict[str, str], error) -> tuple[str | None, bool | None]:
    """Report what is wrong with an agency row on its own; return its kind and active flag.

    A blank kind is None: an existing agency keeps its kind, a new one gets
    the model's default.
    """
    for key in ("code", "name", "short_name"):
        if not cells[key]:
            error(key, _required_message())
    code = cells["code"]
    if len(code) > _CODE_MAX_LENGTH:
        error("code", _("A code has at most %(max)s characters.") % {"max": _CODE_MAX_LENGTH})
    elif code and not _CODE_RE.match(code):
        error("code", _("A code may only contain letters A–Z, digits, “-” and “_”."))
    kind = None
    if cells["kind"]:
        kind = parse_choice(cells["kind"], KIND_LABELS)
        if kind is None:
            error("kind", unknown_value_message(cells["kind"], KIND_LABELS.values()))
    is_active = True
    if cells["is_active"]:
        is_active = parse_choice(cells["is_active"], ACTIVE_LABELS)
        if is_active is None:
            error("is_active", unknown_value_message(cells["is_active"], (YES, NO)))
    return kind, is_active


def _plan_agencies(rows, *, province, work: _PeopleWork) -> dict[str, tuple[Agency, bool] | None]:
    """Plan the agency sheet; return the agencies officials may name, by lower-case code.

    The value is ``(agency, active after the import)``, or None for a code
    whose own row has errors (its officials are then not checked again).
    """
    plan = work.plan
    headers = _AGENCY_HEADERS
    agencies = list(Agency.objects.filter(province=province).order_by("pk"))
    active, inactive = {}, {}
    for agency in agencies:
        if agency.is_active:
            active.setdefault(agency.code.lower(), agency)
        else:
            # A code reused after a rename: the newest ended row is the one meant.
            inactive[agency.code.lower()] = agency
    successors = {a.pk: a for a in agencies}
    # The loop below edits these instances; names are checked against the state before.
    active_before = {a.pk for a in agencies if a.is_active}
    known: dict[str, tuple[Agency, bool] | None] = {
        code: (agency, True) for code, agency in active.items()
    }
    seen: dict[str, int] = {}
    # Agencies that are active after the import and whose name must stay unique.
    newly_active: list[tuple[int, Agency]] = []
    deactivated: set[int] = set()

    for row, cells in rows:

        def error(key, message, row=row):
            plan.add_error(AGENCY_SHEET, row, headers[key] if key else "", message)

        errors_before = len(plan.errors)
        code, name, short_name = cells["code"], cells["name"], cells["short_name"]
        kind, is_active = _check_agency_cells(cells, error)
        key = code.lower()
        if code and key in seen:
            error(
                "code",
                _("The code %(code)s is already used on row %(row)s.")
                % {"code": code, "row": seen[key]},
            )
            continue
        if code:
            seen[key] = row
        if len(plan.errors) > errors_before:
            if code:
                known[key] = None
            continue

        existing = active.get(key)
        reactivating = False
        if existing is None and key in inactive:
            old = inactive[key]
            if not is_active:
                # Already inactive: a deactivation imported twice changes nothing.
                plan.changes.append(
                    Change("unchanged", "agency", _agency_label(old.code, old.name))
                )
                known[key] = (old, False)
                continue
            if old.successor_id is not None:
                successor = successors.get(old.successor_id)
                error(
                    "code",
                    _(
                        "This agency was renamed or merged into “%(successor)s”; "
                        "use the code of that agency."
                    )
                    % {"successor": successor},
                )
                known[key] = None
                continue
            existing, reactivating = old, True

        if existing is None:
            if not is_active:
                error(
                    "is_active",
                    _("No agency has this code; a new agency cannot be imported as inactive."),
                )
                known[key] = None
                continue
            agency = Agency(
                province=province,
                code=code.upper(),
                name=name,
                short_name=short_name,
                kind=kind or AgencyKind.DEPARTMENT,
                is_active=True,
            )
            for column, message in _field_errors(agency, _AGENCY_FIELDS, headers):
                plan.add_error(AGENCY_SHEET, row, column, message)
            work.agencies.append(_Write(AGENCY_SHEET, row, agency, None, headers))
            plan.changes.append(Change("create", "agency", _agency_label(agency.code, name)))
            newly_active.append((row, agency))
            known[key] = (agency, True)
            continue

        if not _same_name(existing.name, name):
            error(
                "name",
                _(
                    "To rename an agency use the rename/merge page, so past years keep "
                    "the old name."
                ),
            )
            known[key] = None
            continue
        details, changed = [], []
        for field_name, new in (("short_name", short_name), ("kind", kind)):
            old = getattr(existing, field_name)
            if new is not None and old != new:
                if field_name == "kind":
                    details.append(
                        change_detail(headers["kind"], KIND_LABELS.get(old, old), KIND_LABELS[new])
                    )
                else:
                    details.append(change_detail(headers[field_name], old, new))
                setattr(existing, field_name, new)
                changed.append(field_name)
        if reactivating:
            action = "reactivate"
        elif existing.is_active and not is_active:
            action = "deactivate"
            deactivated.add(existing.pk)
        else:
            action = "update" if changed else "unchanged"
        if action in ("reactivate", "deactivate"):
            existing.is_active = is_active
            changed.append("is_active")
        label = _agency_label(existing.code, existing.name)
        plan.changes.append(Change(action, "agency", label, tuple(details)))
        known[key] = (existing, is_active)
        if changed:
            for column, message in _field_errors(existing, changed, headers):
                plan.add_error(AGENCY_SHEET, row, column, message)
            work.agencies.append(_Write(AGENCY_SHEET, row, existing, tuple(changed), headers))
        if reactivating:
            newly_active.append((row, existing))

    # Names of active agencies are unique in the province, after the import.
    taken = {
        clean_text(agency.name)
        for agency in agencies
        if agency.pk in active_before and agency.pk not in deactivated
    }
    for row, agency in newly_active:
        name = clean_text(agency.name)
        if name in taken:
            plan.add_error(
                AGENCY_SHEET,
                row,
                headers["name"],
                _("Another active agency of the province already has this name."),
            )
        taken.add(name)
    return known


def _check_official_cells(cells: dict[str, str], error) -> str | None:
    """Report what is wrong with an official's row on its own; return the role."""
    for key in ("full_name", "email", "agency", "agency_role"):
        if not cells[key]:
            error(key, _required_message())
    if cells["email"]:
        try:
            validate_email(cells["email"])
        except ValidationError:
            error("email", _("This is not a valid email address."))
    role = None
    if cells["agency_role"]:
        role = parse_choice(cells["agency_role"], ROLE_LABELS)
        if role is None:
            error("agency_role", unknown_value_message(cells["agency_role"], ROLE_LABELS.values()))
    return role


def _plan_officials(rows, *, province, known, work: _PeopleWork) -> None:
    plan = work.plan
    headers = _OFFICIAL_HEADERS
    emails = {cells["email"].lower() for _row, cells in rows if cells["email"]}
    existing = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("agency")
    }
    taken_usernames = set(
        User.objects.filter(username__in=emails).values_list("username", flat=True)
    )
    seen: dict[str, int] = {}

    for row, cells in rows:

        def error(key, message, row=row):
            plan.add_error(OFFICIAL_SHEET, row, headers[key], message)

        errors_before = len(plan.errors)
        role = _check_official_cells(cells, error)
        email = cells["email"]
        email_key = email.lower()
        if email:
            if email_key in seen:
                error(
                    "email",
                    _("The email %(email)s is already used on row %(row)s.")
                    % {"email": email, "row": seen[email_key]},
                )
            else:
                seen[email_key] = row
        agency = None
        code = cells["agency"]
        if code:
            entry = known.get(code.lower(), False)
            if entry is False:
                error(
                    "agency",
                    _("No active agency of the province has the code %(code)s.") % {"code": code},
                )
            elif entry is not None:
                agency, will_be_active = entry
                if not will_be_active:
                    error(
                        "agency",
                        _("The agency %(code)s is inactive, so it has no officials.")
                        % {"code": code},
                    )
        user = existing.get(email_key) if email else None
        if user is not None:
            user_province = user.agency.province_id if user.agency_id else None
            if any(p not in (None, province.pk) for p in (user_province, user.board_province_id)):
                error("email", _("This email belongs to a person of another province."))
            elif user.is_superuser or user.board_province_id is not None:
                error(
                    "email",
                    _(
                        "This email belongs to a board or administrator account, which an "
                        "import does not turn into agency staff."
                    ),
                )
        elif email and email_key in taken_usernames:
            error(
                "email",
                _("Another account already uses the user name %(username)s.")
                % {"username": email_key},
            )
        if len(plan.errors) > errors_before or agency is None:
            continue

        values = {
            "full_name": cells["full_name"],
            "position": cells["position"],
            "phone": _normalize_phone(cells["phone"]),
            "agency": agency,
            "agency_role": role,
        }
        if user is None:
            user = User(username=email_key, email=email, is_active=True, **values)
            user.set_unusable_password()
            for column, message in _field_errors(user, _NEW_OFFICIAL_FIELDS, headers):
                plan.add_error(OFFICIAL_SHEET, row, column, message)
            work.officials.append(_Write(OFFICIAL_SHEET, row, user, None, headers))
            plan.changes.append(
                Change("create", "official", _official_label(email, values["full_name"]))
            )
            continue

        details, changed = [], []
        for name, new in values.items():
            old = getattr(user, name)
            if name == "agency":
                if old is None or new.pk is None or old.pk != new.pk:
                    details.append(change_detail(headers[name], old.code if old else "", new.code))
                    changed.append(name)
            elif old != new:
                if name == "agency_role":
                    details.append(
                        change_detail(headers[name], ROLE_LABELS.get(old, old), ROLE_LABELS[new])
                    )
                else:
                    details.append(change_detail(headers[name], old, new))
                changed.append(name)
            setattr(user, name, new)
        action = "update" if changed else "unchanged"
        if not user.is_active:
            action = "reactivate"
            user.is_active = True
            changed.append("is_active")
        label = _official_label(user.email, values["full_name"])
        plan.changes.append(Change(action, "official", label, tuple(details)))
        if changed:
            for column, message in _field_errors(user, changed, headers):
                plan.add_error(OFFICIAL_SHEET, row, column, message)
            work.officials.append(_Write(OFFICIAL_SHEET, row, user, tuple(changed), headers))

    # Officials the file no longer lists leave; their row and history stay.
    leaving = (
        User.objects.filter(
            agency__province=province,
            agency__is_active=True,
            is_active=True,
            is_superuser=False,
            board_province__isnull=True,
        )
        .exclude(agency_role="")
        .exclude(email="")
        .annotate(email_lower=Lower("email"))
        .exclude(email_lower__in=emails)
        .order_by("full_name", "pk")
    )
    for user in leaving:
        user.is_active = False
        work.officials.append(_Write(OFFICIAL_SHEET, 0, user, ("is_active",), headers))
        plan.changes.append(
            Change("deactivate", "official", _official_label(user.email, user.full_name))
        )


def _plan(content: bytes, *, province) -> _PeopleWork:
    workbook = open_workbook(content)
    agency_rows = read_sheet(workbook, AGENCY_SHEET, AGENCY_COLUMNS)
    official_rows = read_sheet(workbook, OFFICIAL_SHEET, OFFICIAL_COLUMNS)
    work = _PeopleWork()
    known = _plan_agencies(agency_rows, province=province, work=work)
    # An empty officials sheet says nothing about officials; it does not mean
    # "everyone left" (a file made to add agencies would otherwise empty the province).
    if official_rows:
        _plan_officials(official_rows, province=province, known=known, work=work)
    return work


def plan_people_import(content: bytes, *, province: Province) -> ImportPlan:
    """What importing ``content`` would change, or the cells that are wrong.

    Reads only; raises :class:`~members.spreadsheets.SpreadsheetError` when the
    file is not the documented layout at all.
    """
    return _plan(content, province=province).plan


def _save(write: _Write, plan: ImportPlan) -> bool:
    instance = write.instance
    if isinstance(instance, User) and instance.agency is not None:
        # The agency may have been created a moment ago; take its new key.
        instance.agency = instance.agency
    if write.fields is None:
        exclude = None
    else:
        exclude = [f.name for f in instance._meta.fields if f.name not in write.fields]
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        for column, message in _as_cells(exc, write.headers):
            plan.add_error(write.sheet, write.row, column, message)
        return False
    if write.fields is None:
        instance.save()
    else:
        instance.save(update_fields=list(write.fields))
    return True


def _write_order(write: _Write) -> int:
    if write.fields is None:
        return 2
    return 0 if "is_active" in write.fields and not write.instance.is_active else 1


def apply_people_import(
    content: bytes, *, province: Province, actor
) -> tuple[ImportPlan, list[User]]:
    """Apply the file in one transaction and return the plan and the new officials.

    The caller invites the new officials (they have no password yet).
    Raises :class:`~members.spreadsheets.ImportRejected` (a ``ValidationError``)
    and saves nothing if any cell is wrong, including errors the models only
    find while saving.
    """
    if not can_manage_agencies(actor, province.pk):
        raise PermissionDenied(_("Only the provincial board imports agencies and officials."))
    with transaction.atomic():
        # One import per province at a time: the second one plans on the first's result.
        Province.objects.select_for_update().get(pk=province.pk)
        work = _plan(content, province=province)
        plan = work.plan
        if not plan.is_valid:
            raise ImportRejected(plan)
        # Deactivations first, so a new agency may take the name an old one frees.
        for write in sorted(work.agencies, key=_write_order):
            _save(write, plan)
        created = []
        for write in sorted(work.officials, key=_write_order):
            if _save(write, plan) and write.fields is None:
                created.append(write.instance)
        if not plan.is_valid:
            raise ImportRejected(plan)
    return plan, created


# Exporting -----------------------------------------------------------------


def _agency_row(agency: Agency) -> list:
    return [
        agency.code,
        agency.name,
        agency.short_name,
        KIND_LABELS.get(agency.kind, agency.kind),
        ACTIVE_LABELS[agency.is_active],
    ]


def export_people(*, province: Province) -> bytes:
    """The province's active agencies and their active officials, in the import layout.

    Board and administrator accounts and people without an email are left
    out: an import could not match them, so the file would not round-trip.
    """
    agencies = Agency.objects.filter(province=province, is_active=True).alphabetical()
    officials = (
        User.objects.filter(
            agency__province=province,
            agency__is_active=True,
            is_active=True,
            is_superuser=False,
            board_province__isnull=True,
        )
        .exclude(agency_role="")
        .exclude(email="")
        .select_related("agency")
        .order_by("agency__code", "full_name", "pk")
    )
    return write_workbook(
        [
            (AGENCY_SHEET, AGENCY_COLUMNS, [_agency_row(agency) for agency in agencies]),
            (
                OFFICIAL_SHEET,
                OFFICIAL_COLUMNS,
                [
                    [
                        user.full_name,
                        user.position,
                        user.email,
                        user.phone,
                        user.agency.code,
                        ROLE_LABELS.get(user.agency_role, user.agency_role),
                    ]
                    for user in officials
                ],
            ),
        ]
    )


def people_template() -> bytes:
    """The empty layout with one example row per sheet."""
    return write_workbook(
        [
            (AGENCY_SHEET, AGENCY_COLUMNS, [["SYT", "Sở Y tế", "Sở Y tế", "Sở", YES]]),
            (
                OFFICIAL_SHEET,
                OFFICIAL_COLUMNS,
                [
                    [
                        "Nguyễn Thị Lan",
                        "Chánh Văn phòng",
                        "lan.nt@syt.example.vn",
                        "0912345678",
                        "SYT",
                        "Cán bộ thi đua",
                    ]
                ],
            ),
        ]
    )
