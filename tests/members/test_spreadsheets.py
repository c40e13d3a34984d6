"""Reading and writing the import layout: headers, cell text, errors, plans."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from members.spreadsheets import (
    CellError,
    Change,
    Column,
    ImportPlan,
    ImportRejected,
    SpreadsheetError,
    open_workbook,
    parse_date,
    read_sheet,
    write_workbook,
)

COLUMNS = [Column("code", "Mã"), Column("name", "Tên chính thức"), Column("year", "Năm")]


def _xlsx(rows, title="Cơ quan") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_columns_are_found_by_header_in_any_order_and_spelling():
    content = _xlsx(
        [
            ["  năm ", "Ghi chú", "TÊN CHÍNH  THỨC", "mã"],
            [2026, "ignored", " Sở Y tế ", "SYT"],
        ]
    )

    rows = read_sheet(open_workbook(content), "cơ quan", COLUMNS)

    assert rows == [(2, {"code": "SYT", "name": "Sở Y tế", "year": "2026"})]


def test_blank_rows_are_skipped_and_row_numbers_are_excel_rows():
    content = _xlsx(
        [
            ["Mã", "Tên chính thức", "Năm"],
            ["A", "Một", None],
            [None, None, None],
            ["", "  ", None],
            ["B", "Hai", None],
        ]
    )

    rows = read_sheet(open_workbook(content), "Cơ quan", COLUMNS)

    assert [number for number, _cells in rows] == [2, 5]


def test_cells_become_the_text_a_person_sees():
    content = _xlsx(
        [
            ["Mã", "Tên chính thức", "Năm"],
            [datetime.date(2026, 1, 5), True, 2026.0],
            [datetime.datetime(2026, 3, 9, 0, 0), False, 1.5],  # noqa: DTZ001 (Excel is naive)
            [912345678, "Se\u0301 Y te\u0302\u0301", None],
        ]
    )

    rows = read_sheet(open_workbook(content), "Cơ quan", COLUMNS)

    assert [cells for _number, cells in rows] == [
        {"code": "05/01/2026", "name": "Có", "year": "2026"},
        {"code": "09/03/2026", "name": "Không", "year": "1.5"},
        # Decomposed Vietnamese (as some Mac software writes it) is composed.
        {"code": "912345678", "name": "Sé Y tế", "year": ""},
    ]


def test_a_missing_sheet_is_named_in_the_error():
    content = _xlsx([["Mã", "Tên chính thức", "Năm"]], title="Sheet1")

    with pytest.raises(SpreadsheetError, match="The file has no sheet named “Cơ quan”"):
        read_sheet(open_workbook(content), "Cơ quan", COLUMNS)


def test_missing_headers_are_listed():
    content = _xlsx([["Mã"], ["SYT"]])

    with pytest.raises(SpreadsheetError) as excinfo:
        read_sheet(open_workbook(content), "Cơ quan", COLUMNS)

    assert str(excinfo.value) == (
        "Row 1 of the sheet “Cơ quan” must contain the headers “Tên chính thức”, “Năm”."
    )


@pytest.mark.parametrize("content", [b"", b"not a spreadsheet", b"PK\x03\x04broken zip"])
def test_a_file_that_is_not_xlsx_is_refused(content):
    with pytest.raises(SpreadsheetError):
        open_workbook(content)


def test_written_workbooks_have_a_bold_frozen_header_and_read_back():
    columns = [Column("code", "Mã", text=True), Column("on", "Ngày"), Column("n", "Năm")]
    content = write_workbook(
        [("Một", columns, [["0912", datetime.date(2026, 2, 1), 2026]]), ("Hai", columns, [])]
    )

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Một"]
    assert workbook.sheetnames == ["Một", "Hai"]
    assert [cell.value for cell in sheet[1]] == ["Mã", "Ngày", "Năm"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 10
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["A2"].number_format == "@"
    assert read_sheet(open_workbook(content), "Một", columns) == [
        (2, {"code": "0912", "on": "01/02/2026", "n": "2026"})
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/01/2026", datetime.date(2026, 1, 5)),
        ("5/1/2026", datetime.date(2026, 1, 5)),
        ("05-01-2026", datetime.date(2026, 1, 5)),
        ("2026-01-05", datetime.date(2026, 1, 5)),
    ],
)
def test_dates_are_read_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2026", "hôm qua", "2026", "01/2026"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_date(text)


def test_a_plan_counts_every_action_and_separates_real_changes():
    plan = ImportPlan(
        changes=[
            Change("create", "agency", "A"),
            Change("unchanged", "agency", "B"),
            Change("unchanged", "official", "C"),
            Change("deactivate", "official", "D"),
        ]
    )

    assert plan.is_valid
    assert plan.counts == {
        "create": 1,
        "update": 0,
        "reactivate": 0,
        "deactivate": 1,
        "remove": 0,
        "unchanged": 2,
    }
    assert [change.label for change in plan.real_changes()] == ["A", "D"]


def test_a_rejected_import_lists_its_cells_in_words():
    plan = ImportPlan()
    plan.add_error("Cán bộ", 3, "Email", "This cell is required.")
    plan.add_error("Thành viên khối", 0, "", "Missing member.")

    rejected = ImportRejected(plan)

    assert not plan.is_valid
    assert plan.errors[0] == CellError("Cán bộ", 3, "Email", "This cell is required.")
    assert rejected.messages == [
        "Sheet “Cán bộ”, row 3, column “Email”: This cell is required.",
        "Sheet “Thành viên khối”: Missing member.",
    ]
