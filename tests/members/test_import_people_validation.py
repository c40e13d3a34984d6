"""Every kind of bad row in a people file is reported by cell; nothing is saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import imports
from members.imports import (
    AGENCY_COLUMNS,
    AGENCY_SHEET,
    OFFICIAL_COLUMNS,
    OFFICIAL_SHEET,
    apply_people_import,
    plan_people_import,
)
from members.models import Agency
from members.spreadsheets import CellError, ImportRejected, SpreadsheetError, write_workbook
from tests.members.factories import (
    AgencyFactory,
    AgencyStaffFactory,
    BoardUserFactory,
    UserFactory,
)
from tests.members.people_files import LAN, SYT, people_file, snapshot

pytestmark = pytest.mark.django_db

# The validation table ------------------------------------------------------


def _ended_predecessor(province, syt):
    Agency.objects.create(
        province=province,
        code="STTTT",
        name="Sở Thông tin và Truyền thông",
        short_name="Sở TT&TT",
        is_active=False,
        ended_on=datetime.date(2025, 3, 1),
        successor=syt,
    )


def _agency_stc(province, syt):
    AgencyFactory(province=province, code="STC", name="Sở Tài chính", short_name="STC")


def _other_province_staff(province, syt):
    AgencyStaffFactory(email="x@other.vn")


def _other_province_board(province, syt):
    BoardUserFactory(email="x@other.vn")


def _this_province_board(province, syt):
    BoardUserFactory(board_province=province, email="x@other.vn")


def _superuser(province, syt):
    UserFactory(email="x@other.vn", is_superuser=True, is_staff=True)


def _username_taken(province, syt):
    UserFactory(username="new@syt.vn", email="")


def _nothing(province, syt):
    pass


AGENCIES = "agencies"
OFFICIALS = "officials"
KINDS = "Sở, Ban, Đài, Báo, Trường, Khác"
ROLES = "Thủ trưởng, Phó thủ trưởng, Cán bộ thi đua, Chuyên viên"
REQUIRED = "This cell is required."

# (setup, which sheet gets the extra row, the row, the expected error: sheet, column, message)
BAD_ROWS = {
    "agency code missing": (
        _nothing,
        AGENCIES,
        ["", "Sở Tài chính", "STC", "Sở", ""],
        (AGENCY_SHEET, "Mã", REQUIRED),
    ),
    "agency name missing": (
        _nothing,
        AGENCIES,
        ["STC", "", "STC", "Sở", ""],
        (AGENCY_SHEET, "Tên chính thức", REQUIRED),
    ),
    "agency short name missing": (
        _nothing,
        AGENCIES,
        ["STC", "Sở Tài chính", "", "", ""],
        (AGENCY_SHEET, "Tên viết tắt", REQUIRED),
    ),
    "unknown kind": (
        _nothing,
        AGENCIES,
        ["STC", "Sở Tài chính", "STC", "Cục", ""],
        (AGENCY_SHEET, "Loại", f"Unknown value “Cục”; allowed values: {KINDS}."),
    ),
    "unknown active flag": (
        _nothing,
        AGENCIES,
        ["STC", "Sở Tài chính", "STC", "Sở", "Tạm dừng"],
        (AGENCY_SHEET, "Hoạt động", "Unknown value “Tạm dừng”; allowed values: Có, Không."),
    ),
    "duplicate code": (
        _nothing,
        AGENCIES,
        ["syt", "Sở Tài chính", "STC", "Sở", ""],
        (AGENCY_SHEET, "Mã", "The code syt is already used on row 2."),
    ),
    "code too long": (
        _nothing,
        AGENCIES,
        ["S" * 31, "Sở Tài chính", "STC", "Sở", ""],
        (AGENCY_SHEET, "Mã", "A code has at most 30 characters."),
    ),
    "code not slug-like": (
        _nothing,
        AGENCIES,
        ["S.T C", "Sở Tài chính", "STC", "Sở", ""],
        (AGENCY_SHEET, "Mã", "A code may only contain letters A–Z, digits, “-” and “_”."),
    ),
    "short name too long": (
        _nothing,
        AGENCIES,
        ["STC", "Sở Tài chính", "S" * 51, "Sở", ""],
        (
            AGENCY_SHEET,
            "Tên viết tắt",
            "Ensure this value has at most 50 characters (it has 51).",
        ),
    ),
    "name of another active agency": (
        _agency_stc,
        AGENCIES,
        ["SNV", "Sở Tài chính", "SNV", "Sở", ""],
        (
            AGENCY_SHEET,
            "Tên chính thức",
            "Another active agency of the province already has this name.",
        ),
    ),
    "new agency imported as inactive": (
        _nothing,
        AGENCIES,
        ["STC", "Sở Tài chính", "STC", "Sở", "Không"],
        (
            AGENCY_SHEET,
            "Hoạt động",
            "No agency has this code; a new agency cannot be imported as inactive.",
        ),
    ),
    "code of a merged agency": (
        _ended_predecessor,
        AGENCIES,
        ["STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", "Sở", "Có"],
        (
            AGENCY_SHEET,
            "Mã",
            "This agency was renamed or merged into “Sở Y tế”; use the code of that agency.",
        ),
    ),
    "official name missing": (
        _nothing,
        OFFICIALS,
        ["", "", "b@syt.vn", "", "SYT", "Chuyên viên"],
        (OFFICIAL_SHEET, "Họ và tên", REQUIRED),
    ),
    "email missing": (
        _nothing,
        OFFICIALS,
        ["Trần Văn Bình", "", "", "", "SYT", "Chuyên viên"],
        (OFFICIAL_SHEET, "Email", REQUIRED),
    ),
    "agency code of official missing": (
        _nothing,
        OFFICIALS,
        ["Trần Văn Bình", "", "b@syt.vn", "", "", "Chuyên viên"],
        (OFFICIAL_SHEET, "Mã cơ quan", REQUIRED),
    ),
    "role missing": (
        _nothing,
        OFFICIALS,
        ["Trần Văn Bình", "", "b@syt.vn", "", "SYT", ""],
        (OFFICIAL_SHEET, "Vai trò", REQUIRED),
    ),
    "invalid email": (
        _nothing,
        OFFICIALS,
        ["Trần Văn Bình", "", "binh@", "", "SYT", "Chuyên viên"],
        (OFFICIAL_SHEET, "Email", "This is not a valid email address."),
    ),
    "duplicate email": (
        _nothing,
        OFFICIALS,
        ["Nguyễn Thị Lan B", "", "LAN@syt.vn", "", "SYT", "Chuyên viên"],
        (OFFICIAL_SHEET, "Email", "The email LAN@syt.vn is already used on row 2."),
    ),
    "unknown agency code": (
        _nothing,
        OFFICIALS,
        ["Trần Văn Bình", "", "b@syt.vn", "", "XYZ", "Chuyên viên"],
        (OFFICIAL_SHEET, "Mã cơ quan", "No active agency of the province has the code XYZ."),
    ),
    "unknown role": (
        _nothing,
        OFFICIALS,
        ["Trần Văn Bình", "", "b@syt.vn", "", "SYT", "Giám đốc"],
        (OFFICIAL_SHEET, "Vai trò", f"Unknown value “Giám đốc”; allowed values: {ROLES}."),
    ),
    "full name too long": (
        _nothing,
        OFFICIALS,
        ["A" * 151, "", "b@syt.vn", "", "SYT", "Chuyên viên"],
        (
            OFFICIAL_SHEET,
            "Họ và tên",
            "Ensure this value has at most 150 characters (it has 151).",
        ),
    ),
    "email of another province's official": (
        _other_province_staff,
        OFFICIALS,
        ["Trần Văn Bình", "", "X@other.vn", "", "SYT", "Chuyên viên"],
        (OFFICIAL_SHEET, "Email", "This email belongs to a person of another province."),
    ),
    "email of another province's board": (
        _other_province_board,
        OFFICIALS,
        ["Trần Văn Bình", "", "x@other.vn", "", "SYT", "Chuyên viên"],
        (OFFICIAL_SHEET, "Email", "This email belongs to a person of another province."),
    ),
    "email of this province's board": (
        _this_province_board,
        OFFICIALS,
        ["Trần Văn Bình", "", "x@other.vn", "", "SYT", "Chuyên viên"],
        (
            OFFICIAL_SHEET,
            "Email",
            "This email belongs to a board or administrator account, which an import does "
            "not turn into agency staff.",
        ),
    ),
    "email of a superuser": (
        _superuser,
        OFFICIALS,
        ["Trần Văn Bình", "", "x@other.vn", "", "SYT", "Chuyên viên"],
        (
            OFFICIAL_SHEET,
            "Email",
            "This email belongs to a board or administrator account, which an import does "
            "not turn into agency staff.",
        ),
    ),
    "user name taken": (
        _username_taken,
        OFFICIALS,
        ["Trần Văn Bình", "", "New@syt.vn", "", "SYT", "Chuyên viên"],
        (OFFICIAL_SHEET, "Email", "Another account already uses the user name new@syt.vn."),
    ),
}


@pytest.mark.parametrize(("setup", "sheet", "bad_row", "expected"), BAD_ROWS.values(), ids=BAD_ROWS)
def test_a_bad_row_is_reported_by_cell_and_nothing_is_saved(
    province, syt, lan, board, setup, sheet, bad_row, expected
):
    setup(province, syt)
    if sheet == AGENCIES:
        content = people_file(agencies=[SYT, bad_row])
    else:
        content = people_file(officials=[LAN, bad_row])
    expected_sheet, column, message = expected

    plan = plan_people_import(content, province=province)

    assert plan.errors == [CellError(expected_sheet, 3, column, message)]
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        apply_people_import(content, province=province, actor=board)
    assert excinfo.value.plan.errors == plan.errors
    assert snapshot() == before


def test_renaming_an_agency_by_import_is_refused(province, syt, lan, board):
    content = people_file(agencies=[["syt", "Sở Y tế và Dân số", "Sở Y tế", "Sở", ""]])

    plan = plan_people_import(content, province=province)

    assert plan.errors == [
        CellError(
            AGENCY_SHEET,
            2,
            "Tên chính thức",
            "To rename an agency use the rename/merge page, so past years keep the old name.",
        )
    ]
    before = snapshot()
    with pytest.raises(ValidationError):
        apply_people_import(content, province=province, actor=board)
    assert snapshot() == before


def test_officials_of_an_agency_the_file_deactivates_are_refused(province, syt, lan, board):
    _agency_stc(province, syt)
    content = people_file(
        agencies=[SYT, ["STC", "Sở Tài chính", "STC", "Sở", "Không"]],
        officials=[LAN, ["Trần Văn Bình", "", "b@stc.vn", "", "stc", "Chuyên viên"]],
    )

    plan = plan_people_import(content, province=province)

    assert plan.errors == [
        CellError(
            OFFICIAL_SHEET, 3, "Mã cơ quan", "The agency stc is inactive, so it has no officials."
        )
    ]


def test_a_missing_sheet_or_header_stops_the_whole_file(province, syt, lan, board):
    no_officials = write_workbook([(AGENCY_SHEET, AGENCY_COLUMNS, [SYT])])
    no_email = write_workbook(
        [
            (AGENCY_SHEET, AGENCY_COLUMNS, [SYT]),
            (OFFICIAL_SHEET, [c for c in OFFICIAL_COLUMNS if c.key != "email"], []),
        ]
    )
    before = snapshot()

    with pytest.raises(SpreadsheetError, match="no sheet named “Cán bộ”"):
        plan_people_import(no_officials, province=province)
    with pytest.raises(SpreadsheetError, match="must contain the headers “Email”"):
        plan_people_import(no_email, province=province)
    with pytest.raises(SpreadsheetError):
        apply_people_import(no_email, province=province, actor=board)
    with pytest.raises(SpreadsheetError):
        plan_people_import(b"name,email\nLan,lan@syt.vn\n", province=province)
    assert snapshot() == before


def test_an_error_the_models_find_while_saving_is_a_cell_error_and_rolls_back(
    province, syt, lan, board, monkeypatch
):
    # Pretend the plan missed the length check; apply must still not crash or half-write.
    for module in (imports.agencies, imports.officials):
        monkeypatch.setattr(module, "_field_errors", lambda *args: [])
    content = people_file(
        agencies=[SYT, ["STC", "Sở Tài chính", "STC", "Sở", ""]],
        officials=[LAN, ["A" * 151, "", "b@stc.vn", "", "STC", "Chuyên viên"]],
    )
    before = snapshot()

    with pytest.raises(ImportRejected) as excinfo:
        apply_people_import(content, province=province, actor=board)

    assert excinfo.value.plan.errors == [
        CellError(
            OFFICIAL_SHEET,
            3,
            "Họ và tên",
            "Ensure this value has at most 150 characters (it has 151).",
        )
    ]
    assert snapshot() == before


def test_only_the_board_of_the_province_imports(province, syt, lan):
    other_board = BoardUserFactory()
    with pytest.raises(PermissionDenied):
        apply_people_import(people_file(), province=province, actor=other_board)
    with pytest.raises(PermissionDenied):
        apply_people_import(people_file(), province=province, actor=lan)
