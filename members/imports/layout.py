"""The people file's layout (sheets, columns, listed values) and the helpers
every part of the people import shares."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from ..models import Agency, AgencyKind, AgencyRole
from ..spreadsheets import (
    NO,
    YES,
    Column,
    ImportPlan,
    clean_text,
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
