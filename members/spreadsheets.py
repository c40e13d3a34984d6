"""Reading and writing the Excel files people and bloc members are imported from.

Generic on purpose: this module knows sheets, headers, cells and plans, never
a model. ``members.imports`` and ``blocs.imports`` describe their layouts with
:class:`Column` and report what a file would do as an :class:`ImportPlan`.

An import always reads the whole file first and lists every problem by sheet,
row and column, so a secretariat fixes the file in one pass; nothing is saved
unless the plan has no errors.
"""

import datetime
import io
import re
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

#: Yes and no as written in the files (the layout is Vietnamese whatever the UI language).
YES, NO = "Có", "Không"

#: Every action a plan may report, in the order a preview lists them.
ACTIONS = ("create", "update", "reactivate", "deactivate", "remove", "unchanged")

#: More data rows than this is not a province's directory; refuse rather than grind.
MAX_ROWS = 10_000

DATE_FORMAT = "%d/%m/%Y"
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Rows that get a drop-down list of allowed values in written files.
_VALIDATED_ROWS = 1000


class SpreadsheetError(Exception):
    """The file cannot be read as the expected layout at all (no cell to point at)."""


@dataclass(frozen=True)
class Column:
    key: str
    #: The header written in row 1; matched ignoring case and extra spaces.
    header: str
    #: Cells are text even when they look like numbers (phone numbers, codes).
    text: bool = False
    #: Allowed values, offered as a drop-down list in written files.
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellError:
    sheet: str
    #: The Excel row number (the header is row 1); 0 when no row is at fault.
    row: int
    #: The column's header; "" when no column is at fault.
    column: str
    message: str

    def __str__(self):
        if not self.row:
            return _("Sheet “%(sheet)s”: %(message)s") % {
                "sheet": self.sheet,
                "message": self.message,
            }
        if not self.column:
            return _("Sheet “%(sheet)s”, row %(row)s: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        return _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class Change:
    #: One of :data:`ACTIONS`.
    action: str
    #: "agency", "official", "membership" or "bloc_year".
    kind: str
    label: str
    details: tuple[str, ...] = ()


@dataclass
class ImportPlan:
    """What applying a file would do, or why it cannot be applied."""

    changes: list[Change] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(change.action for change in self.changes)
        return {action: counted[action] for action in ACTIONS}

    def real_changes(self) -> list[Change]:
        return [change for change in self.changes if change.action != "unchanged"]

    def add_error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(CellError(sheet, row, column, message))


class ImportRejected(ValidationError):
    """The file has errors, so nothing was saved; ``plan.errors`` lists them by cell.

    A ``ValidationError`` so a view's usual handling works; the plan rides along
    so the page can show the same table as the preview.
    """

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        super().__init__([str(error) for error in plan.errors], code="invalid_file")


# Reading -------------------------------------------------------------------


def match_key(text: str) -> str:
    """The form in which headers and listed values are compared.

    Excel on a Mac may write decomposed Vietnamese (NFD) and people type
    stray spaces or capitals; none of that should make "Sở" unknown.
    """
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def clean_text(text: str) -> str:
    """Stripped, composed (NFC) text, so it compares equal to what forms saved."""
    return unicodedata.normalize("NFC", text).strip()


def open_workbook(content: bytes):
    if not content:
        raise SpreadsheetError(_("The file is empty."))
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (styles, extensions); harmless here.
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        # A damaged or foreign file fails in many ways inside openpyxl (zip,
        # XML, key errors); to the user it is one problem.
        raise SpreadsheetError(
            _("The file cannot be read as an Excel workbook (.xlsx). Save it as .xlsx and retry.")
        ) from exc


def _sheet(workbook, sheet_name: str):
    wanted = match_key(sheet_name)
    for name in workbook.sheetnames:
        if match_key(name) == wanted:
            return workbook[name]
    raise SpreadsheetError(_("The file has no sheet named “%(sheet)s”.") % {"sheet": sheet_name})


def cell_text(value) -> str:
    """A cell's value as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.strftime(DATE_FORMAT)
        return value.strftime(f"{DATE_FORMAT} %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        # Excel stores every number as a float: 2026 comes back as 2026.0.
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return clean_text(str(value))


def read_sheet(
    workbook, sheet_name: str, columns: list[Column]
) -> list[tuple[int, dict[str, str]]]:
    """The sheet's data rows as ``(excel row number, {column key: text})``.

    Columns are found by their header in row 1, in any order; other columns
    are ignored. Rows blank in every wanted column are skipped.
    """
    sheet = _sheet(workbook, sheet_name)
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, ())
    positions = {}
    for index, value in enumerate(header):
        key = match_key(cell_text(value))
        if key and key not in positions:
            positions[key] = index
    missing = [column.header for column in columns if match_key(column.header) not in positions]
    if missing:
        raise SpreadsheetError(
            _("Row 1 of the sheet “%(sheet)s” must contain the headers %(columns)s.")
            % {"sheet": sheet_name, "columns": ", ".join(f"“{header}”" for header in missing)}
        )
    wanted = [(column.key, positions[match_key(column.header)]) for column in columns]
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {
            key: cell_text(values[index]) if index < len(values) else "" for key, index in wanted
        }
        if not any(cells.values()):
            continue
        if len(result) >= MAX_ROWS:
            raise SpreadsheetError(
                _("The sheet “%(sheet)s” has more than %(max)s rows.")
                % {"sheet": sheet_name, "max": MAX_ROWS}
            )
        result.append((number, cells))
    return result


def parse_choice(text: str, labels: dict[str, str]) -> str | None:
    """The value whose label (``{value: label}``) matches ``text``, else None."""
    wanted = match_key(text)
    for value, label in labels.items():
        if match_key(label) == wanted:
            return value
    return None


def unknown_value_message(text: str, labels) -> str:
    return _("Unknown value “%(value)s”; allowed values: %(allowed)s.") % {
        "value": text,
        "allowed": ", ".join(labels),
    }


def parse_date(text: str) -> datetime.date:
    """A date written dd/mm/yyyy (or as a real date cell); raises ValueError."""
    if match := _DATE_DMY.match(text):
        day, month, year = match.groups()
    elif match := _DATE_ISO.match(text):
        year, month, day = match.groups()
    else:
        raise ValueError(text)
    return datetime.date(int(year), int(month), int(day))


def format_date(value: datetime.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def change_detail(label: str, old, new) -> str:
    """One line of an update's details, e.g. ``Chức vụ: “Phó Giám đốc” → “Giám đốc”``."""
    return _("%(field)s: “%(old)s” → “%(new)s”") % {"field": label, "old": old, "new": new}


# Writing -------------------------------------------------------------------


def write_workbook(sheets: list[tuple[str, list[Column], list[list]]]) -> bytes:
    """An .xlsx with one sheet per ``(name, columns, rows)``, headers in bold, frozen.

    Dates are written as real date cells shown dd/mm/yyyy; text columns are
    formatted as text so a phone number typed later keeps its leading zero.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for name, columns, rows in sheets:
        sheet = workbook.create_sheet(title=name)
        sheet.append([column.header for column in columns])
        for cell in sheet[1]:
            cell.font = bold
        for values in rows:
            sheet.append(list(values))
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            texts = [column.header] + [
                cell_text(values[index - 1]) for values in rows if index <= len(values)
            ]
            sheet.column_dimensions[letter].width = min(max(10, *map(len, texts)) + 2, 60)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
                elif column.text:
                    cell.number_format = "@"
            if column.text:
                sheet.column_dimensions[letter].number_format = "@"
            if column.choices:
                validation = DataValidation(
                    type="list",
                    formula1='"{}"'.format(",".join(column.choices)),
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="warning",
                )
                validation.add(f"{letter}2:{letter}{_VALIDATED_ROWS}")
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
