"""Reading a scoring-sheet Excel file: what people type, and every kind of broken file."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from covenants.sheet_examples import culture_society_draft
from covenants.sheet_excel import (
    COLUMNS,
    SETTINGS_COLUMNS,
    SETTINGS_SHEET,
    SHEET,
    plan_template_import,
)
from covenants.sheet_rules import Kind
from members.spreadsheets import write_workbook
from tests.covenants.excel_helpers import (
    change,
    errors_of,
    excel_row,
    sheet_rows,
    workbook,
)

# What people type ----------------------------------------------------------


def test_trailing_dots_lower_case_numerals_and_decimal_commas_are_understood():
    rows = sheet_rows()
    rows = change(rows, "I", "1", "Mã", "1.")
    rows = change(rows, "I", "4", "Điểm mỗi lần", "2,5")
    rows = change(rows, "I", None, "Mã", "i.")

    assert plan_template_import(workbook(rows)) == (culture_society_draft(), [])


def test_a_criterion_with_sub_criteria_may_leave_its_kind_blank():
    rows = change(sheet_rows(), "I", "2", "Loại", None)

    draft, errors = plan_template_import(workbook(rows))

    assert errors == []
    assert draft.groups[0].criteria[1].kind == Kind.POINTS


def test_a_blank_evidence_cell_means_no():
    rows = change(sheet_rows(), "I", "1", "Cần minh chứng", None)

    draft, _errors = plan_template_import(workbook(rows))

    assert draft.groups[0].criteria[0].evidence_required is False


def test_a_deduction_cap_is_read_from_the_settings():
    draft = replace(culture_society_draft(), deduction_cap=D(20))

    assert plan_template_import(workbook(sheet_rows(draft), (100, 10, 20))) == (draft, [])


# Broken files --------------------------------------------------------------

II_3 = "II.3 – Ứng dụng CNTT, văn bản điện tử và chữ ký số"
BROKEN = [
    # (id, change to the rows, (group, code, column) of the cell at fault before the
    # change, message)
    (
        "unknown kind",
        lambda r: change(r, "II", "3", "Loại", "Sao"),
        ("II", "3", "Loại"),
        "Unknown value “Sao”; allowed values: Điểm, Đạt/Không đạt, Đếm, Cộng, Trừ.",
    ),
    (
        "missing maximum",
        lambda r: change(r, "II", "3", "Điểm tối đa", None),
        ("II", "3", "Điểm tối đa"),
        "This cell is required.",
    ),
    (
        "maximum not a number",
        lambda r: change(r, "II", "3", "Điểm tối đa", "ba điểm"),
        ("II", "3", "Điểm tối đa"),
        "Write a number, e.g. 10 or 2.5.",
    ),
    (
        "negative points",
        lambda r: change(r, "VII", "1", "Điểm tối đa", -6),
        ("VII", "1", "Điểm tối đa"),
        "Write the points without a sign; the kind says whether they add or subtract.",
    ),
    (
        "criteria do not add up to their group",
        lambda r: change(r, "II", "3", "Điểm tối đa", 4),
        ("II", None, "Điểm tối đa"),
        "II – Cải cách hành chính và chuyển đổi số: its criteria add up to 16 points, "
        "not the group's 15.",
    ),
    (
        "sub-criteria do not add up to their criterion",
        lambda r: change(r, "IV", "2.2", "Điểm tối đa", 3),
        ("IV", "2", "Điểm tối đa"),
        "IV.2 – Công đoàn, Đoàn Thanh niên vững mạnh: its sub-criteria add up to 5 points, "
        "not the criterion's 4.",
    ),
    (
        "count without points per item",
        lambda r: change(r, "III", "3", "Điểm mỗi lần", None),
        ("III", "3", "Điểm mỗi lần"),
        "III.3 – Sáng kiến được Hội đồng sáng kiến công nhận: a count criterion needs the "
        "points per item.",
    ),
    (
        "duplicate code",
        lambda r: change(r, "II", "2", "Mã", "1"),
        ("II", "2", "Mã"),
        "II.1 – Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến, đúng hạn: the code 1 is "
        "used twice in this group.",
    ),
    (
        "unknown evidence value",
        lambda r: change(r, "II", "3", "Cần minh chứng", "Tùy"),
        ("II", "3", "Cần minh chứng"),
        "Unknown value “Tùy”; allowed values: Có, Không.",
    ),
    (
        "a group row with a kind",
        lambda r: change(r, "V", None, "Loại", "Điểm"),
        ("V", None, "Loại"),
        "Leave this cell blank on a group row.",
    ),
    (
        "a leaf criterion without a kind",
        lambda r: change(r, "II", "3", "Loại", None),
        ("II", "3", "Loại"),
        "This cell is required.",
    ),
    (
        "a line without a title",
        lambda r: change(r, "II", "3", "Nội dung", None),
        ("II", "3", "Nội dung"),
        "This cell is required.",
    ),
    (
        "an unknown code",
        lambda r: change(r, "II", "3", "Mã", "c)"),
        ("II", "3", "Mã"),
        "Unknown code “c)”: a group is a Roman numeral (I, II, …), a criterion a number "
        "(1, 2, …), a sub-criterion its criterion's number, a dot and a number (1.1, 1.2, …).",
    ),
    (
        "a sub-criterion away from its criterion",
        lambda r: change(r, "IV", "2.2", "Mã", "3.2"),
        ("IV", "2.2", "Mã"),
        "Sub-criterion 3.2 must come right after the rows of criterion 3.",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "place", "message"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_a_broken_cell_is_reported_by_row_and_column(mutate, place, message):
    group, code, column = place
    row = excel_row(sheet_rows(), group, code)

    errors = errors_of(workbook(mutate(sheet_rows())))

    assert (SHEET, row, column, message) in errors, errors


def test_a_group_total_that_breaks_the_base_total_points_at_the_settings():
    rows = change(sheet_rows(), "V", None, "Điểm tối đa", 6)
    rows = change(rows, "V", "3", "Điểm tối đa", 3)

    assert errors_of(workbook(rows)) == [
        (
            SETTINGS_SHEET,
            2,
            "Tổng điểm chuẩn",
            "The regular groups add up to 101 points, not the base total of 100.",
        ),
    ]


def test_a_criterion_before_any_group_is_refused():
    rows = [["1", "Mồ côi", "Điểm", 5, None, "Không", None], *sheet_rows()]

    assert (SHEET, 2, "Mã", "A criterion must come after its group's row (I, II, …).") in (
        errors_of(workbook(rows))
    )


def test_rule_problems_of_clean_groups_are_reported_with_broken_cells_elsewhere():
    rows = change(sheet_rows(), "II", "3", "Loại", "Sao")
    rows = change(rows, "III", "5", "Điểm tối đa", 3)

    errors = errors_of(workbook(rows))

    assert [(e[1], e[2]) for e in errors] == [
        (excel_row(rows, "II", "3"), "Loại"),
        (excel_row(rows, "III"), "Điểm tối đa"),
    ]


@pytest.mark.parametrize(
    ("settings", "column", "message"),
    [
        ((None, 10, None), "Tổng điểm chuẩn", "This cell is required."),
        (("1.000", 10, None), "Tổng điểm chuẩn", "“1.000” is ambiguous"),
        ((100, "mười", None), "Trần điểm cộng", "Write a number, e.g. 10 or 2.5."),
        ((100, 10, -5), "Trần điểm trừ", "Write the points without a sign"),
        ((100, D("10.125"), None), "Trần điểm cộng", "“10.125” is ambiguous"),
        ((100, "10,5555", None), "Trần điểm cộng", "Settings: the bonus cap may have"),
    ],
)
def test_broken_settings_are_reported_by_column(settings, column, message):
    errors = errors_of(workbook(sheet_rows(), settings))

    assert errors[0][:3] == (SETTINGS_SHEET, 2, column)
    assert errors[0][3].startswith(message)


def test_a_file_without_settings_is_refused():
    content = write_workbook([(SHEET, COLUMNS, sheet_rows()), (SETTINGS_SHEET, [], [])])
    no_sheet = write_workbook([(SHEET, COLUMNS, sheet_rows())])

    assert errors_of(content)[0][:3] == (SETTINGS_SHEET, 0, "")
    assert errors_of(no_sheet) == [
        (SETTINGS_SHEET, 0, "", "The file has no sheet named “Thiết lập”.")
    ]


def test_a_missing_column_is_refused_before_any_row():
    columns = [column for column in COLUMNS if column.header != "Loại"]
    content = write_workbook(
        [(SHEET, columns, []), (SETTINGS_SHEET, SETTINGS_COLUMNS, [[100, 10, None]])]
    )

    assert errors_of(content) == [
        (SHEET, 0, "", "Row 1 of the sheet “Bảng chấm điểm” must contain the headers “Loại”.")
    ]


def test_a_file_that_is_not_a_workbook_is_refused():
    assert errors_of(b"not a workbook")[0][3].startswith("The file cannot be read")
