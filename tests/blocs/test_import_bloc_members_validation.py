"""Every kind of bad row in a bloc-members file is reported by cell; nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from blocs.imports import (
    BLOC_MEMBER_COLUMNS,
    SHEET,
    apply_bloc_members_import,
    plan_bloc_members_import,
)
from blocs.stages import Stage
from members.spreadsheets import CellError, SpreadsheetError, write_workbook
from tests.blocs.factories import BlocFactory
from tests.blocs.member_files import BASE, SXD, _set_stage, ended_agency, members_file, snapshot
from tests.members.factories import (
    AgencyFactory,
)

pytestmark = pytest.mark.django_db

# The validation table ------------------------------------------------------


def _other_province_agency(province, year_2026):
    AgencyFactory(code="KHAC")


def _closed(province, year_2026):
    _set_stage(year_2026, Stage.CLOSED)


def _signing(province, year_2026):
    _set_stage(year_2026, Stage.SIGNING)


def _inactive_bloc(province, year_2026):
    BlocFactory(province=province, number=2, is_active=False)


def _nothing(province, year_2026):
    pass


REQUIRED = "This cell is required."
ROLES = "Khối trưởng, Khối phó, Thành viên"

# (setup, the file's rows, the expected error: row, column, message)
BAD_FILES = {
    "year missing": (_nothing, [*BASE, ["", 1, "SXD"]], (5, "Năm", REQUIRED)),
    "year out of range": (
        _nothing,
        [*BASE, [1999, 1, "SXD"]],
        (5, "Năm", "The year must be between 2000 and 2100."),
    ),
    "bloc missing": (_nothing, [*BASE, [2026, "", "SXD"]], (5, "Số khối", REQUIRED)),
    "bloc not a number": (
        _nothing,
        [*BASE, [2026, "một", "SXD"]],
        (5, "Số khối", "A bloc number is a whole number from 1."),
    ),
    "unknown bloc": (
        _nothing,
        [*BASE, [2026, 9, "SXD"]],
        (5, "Số khối", "The province has no bloc number 9."),
    ),
    "inactive bloc in a new year": (
        _inactive_bloc,
        [*BASE, [2027, 2, "SXD"]],
        (5, "Số khối", "This bloc is no longer active; no new year can be opened for it."),
    ),
    "agency missing": (_nothing, [*BASE, [2026, 1, ""]], (5, "Mã cơ quan", REQUIRED)),
    "unknown agency": (
        _nothing,
        [*BASE, [2026, 1, "XYZ"]],
        (5, "Mã cơ quan", "No agency of the province has the code XYZ."),
    ),
    "agency of another province": (
        _other_province_agency,
        [*BASE, [2026, 1, "KHAC"]],
        (5, "Mã cơ quan", "No agency of the province has the code KHAC."),
    ),
    "agency ended before the year": (
        ended_agency,
        [*BASE, [2026, 1, "SCU"]],
        (5, "Mã cơ quan", "The agency SCU no longer existed in 2026."),
    ),
    "agency twice in a bloc-year": (
        _nothing,
        [*BASE, [2026, 1, "snv", "Thành viên"]],
        (5, "Mã cơ quan", "The agency snv is already listed for this bloc and year on row 4."),
    ),
    "unknown role": (
        _nothing,
        [*BASE, [2026, 1, "SXD", "Trưởng ban"]],
        (5, "Vai trò trong khối", f"Unknown value “Trưởng ban”; allowed values: {ROLES}."),
    ),
    "second chair": (
        _nothing,
        [*BASE, [2026, 1, "SXD", "khối trưởng"]],
        (5, "Vai trò trong khối", "This bloc-year already has a “Khối trưởng” on row 2."),
    ),
    "second vice-chair": (
        _nothing,
        [*BASE, [2026, 1, "SXD", "Khối phó"]],
        (5, "Vai trò trong khối", "This bloc-year already has a “Khối phó” on row 3."),
    ),
    "unreadable date": (
        _nothing,
        [*BASE, [2026, 1, "SXD", "", "32/01/2026"]],
        (5, "Ngày tham gia", "Write the date as dd/mm/yyyy."),
    ),
    "left before joining": (
        _nothing,
        [*BASE, [2026, 1, "SXD", "", "01/06/2026", "01/03/2026"]],
        (5, "Ngày rời khối", "An agency cannot leave before it joined."),
    ),
    "an officer leaving": (
        _nothing,
        [*BASE, [2027, 1, "SXD", "Khối trưởng", None, "01/06/2027"]],
        (
            5,
            "Ngày rời khối",
            "The chair or vice-chair cannot leave; hand the role to another member first.",
        ),
    ),
    "change in a closed year": (
        _closed,
        [*BASE, SXD],
        (5, "Năm", "The year 2026 is closed: its records can no longer change."),
    ),
    "member missing after set-up": (
        _signing,
        BASE[:2],
        (
            0,
            "",
            "Sở Nội vụ is a member of Khối 1 – 2026 but is not in the file; after set-up a "
            "member is not removed, record the date it left instead.",
        ),
    ),
}


@pytest.mark.parametrize(("setup", "rows", "expected"), BAD_FILES.values(), ids=BAD_FILES)
def test_a_bad_row_is_reported_by_cell_and_nothing_is_saved(
    province, board, year_2026, setup, rows, expected
):
    setup(province, year_2026)
    content = members_file(rows)
    row, column, message = expected

    plan = plan_bloc_members_import(content, province=province)

    assert plan.errors == [CellError(SHEET, row, column, message)]
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        apply_bloc_members_import(content, province=province, actor=board)
    assert excinfo.value.plan.errors == plan.errors
    assert snapshot() == before


def test_a_file_without_the_sheet_or_a_header_is_refused(province, board, year_2026):
    wrong_sheet = write_workbook([("Trang 1", BLOC_MEMBER_COLUMNS, BASE)])
    no_code = write_workbook([(SHEET, [c for c in BLOC_MEMBER_COLUMNS if c.key != "agency"], [])])

    with pytest.raises(SpreadsheetError, match="no sheet named “Thành viên khối”"):
        plan_bloc_members_import(wrong_sheet, province=province)
    with pytest.raises(SpreadsheetError, match="“Mã cơ quan”"):
        apply_bloc_members_import(no_code, province=province, actor=board)
