"""Helpers for the scoring-sheet Excel tests: the example's rows, edited and written back."""

import io

from openpyxl import load_workbook

from covenants.sheet_examples import culture_society_draft
from covenants.sheet_excel import (
    COLUMNS,
    SETTINGS_COLUMNS,
    SETTINGS_SHEET,
    SHEET,
    draft_workbook,
    plan_template_import,
)
from members.spreadsheets import write_workbook

HEADERS = [column.header for column in COLUMNS]
SETTINGS_HEADERS = [column.header for column in SETTINGS_COLUMNS]


def sheet_rows(draft=None) -> list[list]:
    """The example sheet's rows as the export writes them."""
    workbook = load_workbook(io.BytesIO(draft_workbook(draft or culture_society_draft())))
    return [list(row) for row in workbook[SHEET].iter_rows(min_row=2, values_only=True)]


def workbook(rows, settings=(100, 10, None)) -> bytes:
    return write_workbook(
        [(SHEET, COLUMNS, rows), (SETTINGS_SHEET, SETTINGS_COLUMNS, [list(settings)])]
    )


def excel_row(rows, group: str, code: str | None = None) -> int:
    """The Excel row of group ``group``'s line ``code`` (the group's own row if None)."""
    current = None
    for index, row in enumerate(rows):
        if row[0] in ("I", "II", "III", "IV", "V", "VI", "VII"):
            current = row[0]
            if code is None and current == group:
                return index + 2
        elif current == group and row[0] == code:
            return index + 2
    raise LookupError((group, code))


def change(rows, group, code, column, value) -> list[list]:
    rows = [list(row) for row in rows]
    rows[excel_row(rows, group, code) - 2][HEADERS.index(column)] = value
    return rows


def errors_of(content) -> list[tuple]:
    draft, errors = plan_template_import(content)
    assert draft is None
    return [(e.sheet, e.row, e.column, e.message) for e in errors]
