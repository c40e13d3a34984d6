"""One member's self-scores in Excel, out and back in (the bloc's score
table in Excel is with its PDF, in :mod:`.documents`).

Built on the project's engine (:mod:`members.spreadsheets`); headers and
listed values are Vietnamese whatever the interface language, as in every
file the app writes.

**Self-score file** (:func:`sheet_workbook`, :func:`sheet_import`): sheet
“Tự chấm điểm” has one row per scored line — Mã dòng | Tiêu chí | Loại |
Điểm tối đa | Điểm mỗi lần | Tự chấm | Giải trình | Minh chứng. The
structure columns are locked (sheet protection without a password: it
stops slips, not people); Tự chấm, Giải trình and Minh chứng are open.
Tự chấm holds points (0 to the maximum, a decimal comma is fine), a whole
number of items for Đếm lines and per-item Cộng/Trừ lines, or Đạt /
Không đạt (1 / 0) for pass/fail lines; blank clears the line. Sheet
“Thông tin” names the agency, the period and the year, so a file cannot
land on another agency's sheet. Lines left out of the file keep their values.

An import reads the whole file first and lists every problem by row;
nothing is saved unless the file is clean, and then the self-scoring
service (``covenants.scores.services.self_scores_save``) saves it all in one
transaction; what that service refuses is mapped back to the rows.
"""

import io
import re
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from members import audit
from members.spreadsheets import (
    CellError,
    Column,
    ImportPlan,
    ImportRejected,
    SpreadsheetError,
    open_workbook,
    parse_choice,
    read_sheet,
    unknown_value_message,
    write_workbook,
)

from ..models import Period, ScoreLine, ScoreSheet
from ..sheet_excel.layout import KIND_LABELS
from ..sheet_rules import Kind, format_points
from . import permissions
from .values import counts_items

__all__ = [
    "COLUMNS",
    "INFO_SHEET",
    "PERIOD_LABELS",
    "SHEET",
    "cell_value",
    "excel_number",
    "plan_sheet_import",
    "sheet_import",
    "sheet_workbook",
]

SHEET = "Tự chấm điểm"
INFO_SHEET = "Thông tin"
PERIOD_LABELS = {Period.MID_YEAR: "6 tháng đầu năm", Period.YEAR_END: "Cả năm"}
PASS, FAIL = "Đạt", "Không đạt"
_PASS_LABELS = {"1": PASS, "0": FAIL}

COLUMNS = [
    Column("key", "Mã dòng", text=True),
    Column("title", "Tiêu chí"),
    Column("kind", "Loại"),
    Column("max_points", "Điểm tối đa"),
    Column("per_item", "Điểm mỗi lần"),
    Column("value", "Tự chấm"),
    Column("explanation", "Giải trình"),
    Column("evidence_note", "Minh chứng"),
]
INFO_COLUMNS = [
    Column("agency_code", "Mã đơn vị", text=True),
    Column("agency", "Đơn vị"),
    Column("period", "Kỳ"),
    Column("year", "Năm"),
]
_HEADERS = {column.key: column.header for column in COLUMNS}
_INFO_HEADERS = {column.key: column.header for column in INFO_COLUMNS}
#: Columns a member fills in; every other cell is locked.
_OPEN = ("value", "explanation", "evidence_note")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def excel_number(value: Decimal | None):
    """Whole numbers as integers, others as floats: what a person types in Excel."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def cell_value(criterion, value: Decimal | None):
    """A stored line value as written in a file: Đạt / Không đạt for pass/fail."""
    if value is None:
        return None
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        return PASS if value else FAIL
    return excel_number(value)


# One member's self-scores ---------------------------------------------------


def _sheet_lines(sheet: ScoreSheet) -> list[ScoreLine]:
    return list(
        ScoreLine.objects.filter(sheet=sheet).select_related("criterion").order_by("order", "pk")
    )


def sheet_workbook(sheet: ScoreSheet) -> bytes:
    """The sheet's self-score file (see the module docstring), filled with
    the current self-scores. The caller has checked the viewer may see them."""
    lines = _sheet_lines(sheet)
    rows = [
        [
            line.key,
            line.criterion.title,
            KIND_LABELS[Kind(line.criterion.kind)],
            excel_number(line.criterion.max_points),
            excel_number(line.criterion.points_per_item),
            cell_value(line.criterion, line.self_value),
            line.explanation or None,
            line.evidence_note or None,
        ]
        for line in lines
    ]
    info = [
        [
            sheet.agency.code,
            sheet.agency.name,
            PERIOD_LABELS[Period(sheet.period)],
            sheet.bloc_year.year,
        ]
    ]
    content = write_workbook([(SHEET, COLUMNS, rows), (INFO_SHEET, INFO_COLUMNS, info)])
    return _protect(
        content,
        pass_fail_rows=[
            index
            for index, line in enumerate(lines, start=2)
            if Kind(line.criterion.kind) == Kind.PASS_FAIL
        ],
    )


def _protect(content: bytes, *, pass_fail_rows: list[int]) -> bytes:
    """Lock the structure, open the cells a member fills in, offer Đạt /
    Không đạt in a drop-down on pass/fail lines."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[SHEET]
    for index, column in enumerate(COLUMNS, start=1):
        if column.key not in _OPEN:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.protection = Protection(locked=False)
            if column.key != "value":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if pass_fail_rows:
        choices = DataValidation(
            type="list", formula1=f'"{PASS},{FAIL}"', allow_blank=True, showErrorMessage=True
        )
        letter = get_column_letter(next(i for i, c in enumerate(COLUMNS, 1) if c.key == "value"))
        for row in pass_fail_rows:
            choices.add(f"{letter}{row}")
        sheet.add_data_validation(choices)
    for protected in (sheet, workbook[INFO_SHEET]):
        protected.protection.sheet = True
        protected.protection.formatColumns = False  # widening a column stays allowed
        protected.protection.formatRows = False
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


class _BadCell(ValueError):
    pass


def _parse_value(text: str, criterion):
    """The cell's value for the service (bool, int or Decimal), None if blank."""
    if not text:
        return None
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        choice = text if text in _PASS_LABELS else parse_choice(text, _PASS_LABELS)
        if choice is None:
            raise _BadCell(unknown_value_message(text, (PASS, FAIL, "1", "0")))
        return choice == "1"
    compact = text.replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.match(compact):
        raise _BadCell(_("Write a number, e.g. 10 or 2.5."))
    number = Decimal(compact.replace(",", "."))
    if counts_items(criterion):
        if number < 0:
            raise _BadCell(_("The number of items cannot be negative."))
        if number != number.to_integral_value():
            raise _BadCell(_("Write a whole number of items."))
        return int(number)
    if not 0 <= number <= criterion.max_points:
        raise _BadCell(
            _("Write a number of points from 0 to %(max)s.")
            % {"max": format_points(criterion.max_points)}
        )
    if number != number.quantize(Decimal("0.01")):
        raise _BadCell(_("Write at most two decimals."))
    return number


def _check_info(sheet: ScoreSheet, rows, errors: list[CellError]) -> None:
    if not rows:
        errors.append(
            CellError(INFO_SHEET, 0, "", _("Row 2 must name the agency, the period and the year."))
        )
        return
    row, cells = rows[0]
    expected = {
        "agency_code": sheet.agency.code,
        "period": PERIOD_LABELS[Period(sheet.period)],
        "year": str(sheet.bloc_year.year),
    }
    for key, wanted in expected.items():
        if cells[key].casefold() != wanted.casefold():
            errors.append(
                CellError(
                    INFO_SHEET,
                    row,
                    _INFO_HEADERS[key],
                    _("This file is for “%(file)s”, but this sheet is for “%(sheet)s”.")
                    % {"file": cells[key], "sheet": wanted},
                )
            )


def plan_sheet_import(sheet: ScoreSheet, content: bytes) -> tuple[dict, dict, list[CellError]]:
    """``(entries, rows, errors)`` for a file (reads only): entries by line
    key as the service takes them, the Excel row of each key, and every
    problem by row; entries are empty whenever there is a problem."""
    try:
        workbook = open_workbook(content)
        info = read_sheet(workbook, INFO_SHEET, INFO_COLUMNS)
        data = read_sheet(workbook, SHEET, COLUMNS)
    except SpreadsheetError as exc:
        return {}, {}, [CellError(SHEET, 0, "", str(exc))]
    errors: list[CellError] = []
    _check_info(sheet, info, errors)
    lines = {line.key: line for line in _sheet_lines(sheet)}
    entries: dict[str, dict] = {}
    rows: dict[str, int] = {}
    for row, cells in data:
        key = cells["key"].rstrip(".")
        if not key:
            errors.append(CellError(SHEET, row, _HEADERS["key"], _("This cell is required.")))
            continue
        line = lines.get(key)
        if line is None:
            errors.append(
                CellError(
                    SHEET,
                    row,
                    _HEADERS["key"],
                    _("This sheet has no line %(key)s.") % {"key": key},
                )
            )
            continue
        if key in rows:
            errors.append(
                CellError(
                    SHEET,
                    row,
                    _HEADERS["key"],
                    _("Line %(key)s is already on row %(row)s.") % {"key": key, "row": rows[key]},
                )
            )
            continue
        rows[key] = row
        try:
            value = _parse_value(cells["value"], line.criterion)
        except _BadCell as exc:
            errors.append(CellError(SHEET, row, _HEADERS["value"], str(exc)))
            continue
        entries[key] = {
            "value": value,
            "explanation": cells["explanation"],
            "evidence_note": cells["evidence_note"],
        }
    if errors:
        return {}, rows, sorted(errors, key=lambda e: (e.sheet != SHEET, e.row))
    return entries, rows, []


def _rejected_rows(exc: ValidationError, rows: dict[str, int]) -> ImportRejected:
    """The service's errors (by line key) as cell errors on the file's rows."""
    errors = []
    for key, messages in exc.error_dict.items():
        row = rows.get(key, 0) if key != NON_FIELD_ERRORS else 0
        for message in ValidationError(messages).messages:
            errors.append(CellError(SHEET, row, "", message))
    return ImportRejected(ImportPlan(errors=sorted(errors, key=lambda e: e.row)))


@audit.service
def sheet_import(*, sheet: ScoreSheet, content: bytes, actor) -> None:
    """Save a self-score file onto ``sheet`` as ``actor``, all or nothing.

    Raises ``PermissionDenied`` unless ``actor`` may edit the self-scores
    now, and :class:`~members.spreadsheets.ImportRejected` (its
    ``plan.errors`` by row) when the file or the service finds a problem.
    """
    from .services import self_scores_save

    sheet.bloc_year.refuse_if_closed()
    if not permissions.can_edit_self(actor, sheet):
        raise PermissionDenied  # a refusal beats a list of cells
    entries, rows, errors = plan_sheet_import(sheet, content)
    if errors:
        raise ImportRejected(ImportPlan(errors=errors))
    try:
        with transaction.atomic():
            self_scores_save(sheet=sheet, actor=actor, entries=entries)
    except ImportRejected:
        raise
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise _rejected_rows(exc, rows) from exc
        raise
