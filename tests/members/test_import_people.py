"""Importing a province's agencies and officials from Excel, and exporting them."""

import datetime
import io
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from members import imports
from members.imports import (
    AGENCY_COLUMNS,
    AGENCY_SHEET,
    OFFICIAL_COLUMNS,
    OFFICIAL_SHEET,
    apply_people_import,
    export_people,
    people_template,
    plan_people_import,
)
from members.models import Agency, AgencyKind, AgencyRole, User
from members.spreadsheets import CellError, ImportRejected, SpreadsheetError, write_workbook
from tests.members.factories import (
    AgencyFactory,
    AgencyStaffFactory,
    BoardUserFactory,
    ProvinceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SYT = ["SYT", "Sở Y tế", "Sở Y tế", "Sở", "Có"]
LAN = ["Nguyễn Thị Lan", "Chuyên viên", "lan@syt.vn", "0912345678", "SYT", "Cán bộ thi đua"]


def people_file(agencies=(SYT,), officials=(LAN,)) -> bytes:
    return write_workbook(
        [
            (AGENCY_SHEET, AGENCY_COLUMNS, [list(row) for row in agencies]),
            (OFFICIAL_SHEET, OFFICIAL_COLUMNS, [list(row) for row in officials]),
        ]
    )


@pytest.fixture
def province(db):
    return ProvinceFactory()


@pytest.fixture
def syt(province):
    return AgencyFactory(province=province, code="SYT", name="Sở Y tế", short_name="Sở Y tế")


@pytest.fixture
def lan(syt):
    return AgencyStaffFactory(
        username="lan",
        email="lan@syt.vn",
        full_name="Nguyễn Thị Lan",
        position="Chuyên viên",
        phone="0912345678",
        agency=syt,
        agency_role=AgencyRole.OFFICER,
    )


@pytest.fixture
def board(province):
    return BoardUserFactory(board_province=province)


def snapshot() -> dict:
    """Every agency and user, by kind and key, with the fields an import may touch."""
    return {
        "agency": {
            a["pk"]: a
            for a in Agency.objects.values(
                "pk", "code", "name", "short_name", "kind", "is_active", "ended_on"
            )
        },
        "official": {
            u["pk"]: u
            for u in User.objects.values(
                "pk",
                "username",
                "email",
                "full_name",
                "position",
                "phone",
                "agency_id",
                "agency_role",
                "is_active",
            )
        },
    }


def what_changed(before: dict, after: dict) -> Counter:
    """The rows a database diff shows, counted like a plan's changes."""
    counts = Counter()
    for kind in before:
        for pk, row in after[kind].items():
            old = before[kind].get(pk)
            if old is None:
                counts[kind, "create"] += 1
            elif row != old:
                if old["is_active"] and not row["is_active"]:
                    counts[kind, "deactivate"] += 1
                elif row["is_active"] and not old["is_active"]:
                    counts[kind, "reactivate"] += 1
                else:
                    counts[kind, "update"] += 1
        assert before[kind].keys() <= after[kind].keys(), "an import never deletes"
    return counts


def planned(plan) -> Counter:
    return Counter((change.kind, change.action) for change in plan.real_changes())


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
    monkeypatch.setattr(imports, "_field_errors", lambda *args: [])
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


# What an import does -------------------------------------------------------


@pytest.fixture
def busy_province(province, syt, lan):
    """A province where a file can create, update, deactivate and reactivate."""
    AgencyFactory(province=province, code="STC", name="Sở Tài chính", short_name="STC")
    AgencyFactory(province=province, code="BDT", name="Ban Dân tộc", short_name="BDT")
    AgencyFactory(
        province=province, code="SNV", name="Sở Nội vụ", short_name="SNV", is_active=False
    )
    AgencyStaffFactory(email="old@syt.vn", agency=syt, full_name="Lê Văn Cũ")
    AgencyStaffFactory(email="back@syt.vn", agency=syt, full_name="Phạm Thị Về", is_active=False)
    AgencyStaffFactory(email="", username="no-email", agency=syt)
    return province


BUSY_FILE_AGENCIES = [
    ["syt", "Sở Y tế", "SYT", "Sở", "Có"],  # short name changes
    ["STC", "Sở Tài chính", "STC", "Sở", ""],  # unchanged
    ["BDT", "Ban Dân tộc", "BDT", "Ban", "Không"],  # deactivated (and kind corrected)
    ["SNV", "Sở Nội vụ", "SNV", "Sở", "Có"],  # reactivated
    ["BAO", "Báo Quảng Ngãi", "Báo QN", "báo", ""],  # created
]
BUSY_FILE_OFFICIALS = [
    ["Nguyễn Thị Lan", "Phó Chánh Văn phòng", "LAN@syt.vn", "0912345678", "SYT", "Cán bộ thi đua"],
    ["Phạm Thị Về", "", "back@syt.vn", "", "SYT", "Chuyên viên"],
    ["Trần Văn Bình", "Tổng Biên tập", "binh@bao.vn", 912000111, "bao", "Thủ trưởng"],
    ["Hồ Thị Nga", "", "nga@stc.vn", "", "STC", "phó thủ trưởng"],
]


def test_the_preview_counts_what_apply_then_does(busy_province, board):
    content = people_file(BUSY_FILE_AGENCIES, BUSY_FILE_OFFICIALS)
    plan = plan_people_import(content, province=busy_province)
    before = snapshot()

    applied, created = apply_people_import(content, province=busy_province, actor=board)

    assert plan.is_valid, plan.errors
    assert planned(plan) == what_changed(before, snapshot())
    assert planned(plan) == {
        ("agency", "update"): 1,
        ("agency", "deactivate"): 1,
        ("agency", "reactivate"): 1,
        ("agency", "create"): 1,
        ("official", "update"): 1,
        ("official", "reactivate"): 1,
        ("official", "create"): 2,
        ("official", "deactivate"): 1,
    }
    assert applied.changes == plan.changes
    assert sorted(user.email for user in created) == ["binh@bao.vn", "nga@stc.vn"]


def test_the_preview_explains_each_update(busy_province):
    plan = plan_people_import(
        people_file(BUSY_FILE_AGENCIES, BUSY_FILE_OFFICIALS), province=busy_province
    )

    updates = {change.label: change.details for change in plan.changes if change.details}
    assert updates == {
        "SYT – Sở Y tế": ("Tên viết tắt: “Sở Y tế” → “SYT”",),
        "BDT – Ban Dân tộc": ("Loại: “Sở” → “Ban”",),
        "lan@syt.vn – Nguyễn Thị Lan": ("Chức vụ: “Chuyên viên” → “Phó Chánh Văn phòng”",),
    }
    deactivated = [c.label for c in plan.changes if c.action == "deactivate"]
    assert deactivated == ["BDT – Ban Dân tộc", "old@syt.vn – Lê Văn Cũ"]


def test_new_officials_get_an_account_to_be_invited(busy_province, board):
    apply_people_import(
        people_file(BUSY_FILE_AGENCIES, BUSY_FILE_OFFICIALS), province=busy_province, actor=board
    )

    binh = User.objects.get(email="binh@bao.vn")
    assert binh.username == "binh@bao.vn"
    assert not binh.has_usable_password()
    assert binh.is_active
    assert (binh.full_name, binh.position, binh.agency_role) == (
        "Trần Văn Bình",
        "Tổng Biên tập",
        AgencyRole.LEADER,
    )
    # A phone typed into a number cell loses its leading zero; the import puts it back.
    assert binh.phone == "0912000111"
    bao = Agency.objects.get(province=busy_province, code="BAO")
    assert binh.agency == bao
    assert (bao.name, bao.short_name, bao.kind) == (
        "Báo Quảng Ngãi",
        "Báo QN",
        AgencyKind.NEWSPAPER,
    )
    assert User.objects.get(email="nga@stc.vn").agency_role == AgencyRole.DEPUTY


def test_deactivation_keeps_the_person_and_their_name(busy_province, board):
    old = User.objects.get(email="old@syt.vn")

    apply_people_import(
        people_file(BUSY_FILE_AGENCIES, BUSY_FILE_OFFICIALS), province=busy_province, actor=board
    )

    old.refresh_from_db()
    assert not old.is_active
    assert (old.full_name, old.agency.code, old.agency_role) == (
        "Lê Văn Cũ",
        "SYT",
        AgencyRole.STAFF,
    )
    bdt = Agency.objects.get(code="BDT")
    assert (bdt.is_active, bdt.name) == (False, "Ban Dân tộc")
    # Without an email a person cannot be matched, so an import never deactivates them.
    assert User.objects.get(username="no-email").is_active


def test_importing_the_same_file_twice_changes_nothing_the_second_time(busy_province, board):
    content = people_file(BUSY_FILE_AGENCIES, BUSY_FILE_OFFICIALS)
    apply_people_import(content, province=busy_province, actor=board)
    after_first = snapshot()

    plan = plan_people_import(content, province=busy_province)
    _plan, created = apply_people_import(content, province=busy_province, actor=board)

    assert plan.is_valid
    assert plan.real_changes() == []
    assert plan.counts["unchanged"] == len(BUSY_FILE_AGENCIES) + len(BUSY_FILE_OFFICIALS)
    assert created == []
    assert snapshot() == after_first


def test_an_empty_officials_sheet_leaves_officials_alone(province, syt, lan, board):
    content = people_file(agencies=[SYT, ["STC", "Sở Tài chính", "STC", "", ""]], officials=[])

    plan, _created = apply_people_import(content, province=province, actor=board)

    assert [(c.action, c.kind) for c in plan.real_changes()] == [("create", "agency")]
    lan.refresh_from_db()
    assert lan.is_active
    # A blank kind means the model's default for a new agency.
    assert Agency.objects.get(code="STC").kind == AgencyKind.DEPARTMENT


def test_codes_are_stored_upper_case_and_matched_in_any_case(province, board):
    AgencyFactory(province=province, code="stn", name="Sở Thử nghiệm", short_name="STN")
    content = people_file(
        agencies=[["STN", "Sở Thử nghiệm", "STN", "Sở", ""], ["syt", "Sở Y tế", "SYT", "", ""]],
        officials=[],
    )

    plan, _created = apply_people_import(content, province=province, actor=board)

    assert [(c.action, c.label) for c in plan.changes] == [
        ("unchanged", "stn – Sở Thử nghiệm"),
        ("create", "SYT – Sở Y tế"),
    ]


def test_a_new_agency_may_take_the_name_an_old_one_gives_up(province, syt, lan, board):
    content = people_file(
        agencies=[
            ["SYT", "Sở Y tế", "Sở Y tế", "Sở", "Không"],
            ["SYTE", "Sở Y tế", "Sở Y tế", "Sở", ""],
        ],
        officials=[[*LAN[:4], "SYTE", LAN[5]]],
    )

    apply_people_import(content, province=province, actor=board)

    lan.refresh_from_db()
    assert lan.agency.code == "SYTE"
    assert lan.is_active
    syt.refresh_from_db()
    assert not syt.is_active


# Export and templates ------------------------------------------------------


def test_an_export_imports_back_with_no_change(busy_province, board):
    other = AgencyFactory(province=busy_province, code="TRG", kind=AgencyKind.SCHOOL)
    AgencyStaffFactory(agency=other, agency_role=AgencyRole.DEPUTY, phone="02553822123")
    BoardUserFactory(board_province=busy_province)
    UserFactory(is_superuser=True)
    ended = Agency.objects.get(code="SNV")
    AgencyStaffFactory(agency=ended, full_name="Đỗ Văn Cũ")  # staff of an inactive agency
    # A rename keeps the code: the ended row and its successor share "SYT".
    syt = Agency.objects.get(province=busy_province, code="SYT", is_active=True)
    Agency.objects.create(
        province=busy_province,
        code="SYT",
        name="Sở Y tế (tên cũ)",
        short_name="SYT",
        is_active=False,
        ended_on=datetime.date(2025, 7, 1),
        successor=syt,
    )

    content = export_people(province=busy_province)
    plan = plan_people_import(content, province=busy_province)

    assert plan.is_valid, plan.errors
    assert plan.real_changes() == []
    assert plan.counts["unchanged"] == 4 + 3  # active agencies; active officials with email


def test_the_export_uses_the_documented_layout(province, syt, lan):
    workbook = load_workbook(io.BytesIO(export_people(province=province)))

    assert [c.value for c in workbook["Cơ quan"][2]] == ["SYT", "Sở Y tế", "Sở Y tế", "Sở", "Có"]
    assert [c.value for c in workbook["Cán bộ"][2]] == LAN


def test_the_template_has_the_documented_headers_and_an_example():
    workbook = load_workbook(io.BytesIO(people_template()))

    assert workbook.sheetnames == ["Cơ quan", "Cán bộ"]
    assert [c.value for c in workbook["Cơ quan"][1]] == [
        "Mã",
        "Tên chính thức",
        "Tên viết tắt",
        "Loại",
        "Hoạt động",
    ]
    assert [c.value for c in workbook["Cán bộ"][1]] == [
        "Họ và tên",
        "Chức vụ",
        "Email",
        "Điện thoại",
        "Mã cơ quan",
        "Vai trò",
    ]
    assert workbook["Cơ quan"].max_row == 2
    assert workbook["Cán bộ"].max_row == 2


def test_the_template_itself_is_a_valid_file(province):
    plan = plan_people_import(people_template(), province=province)

    assert plan.is_valid, plan.errors
    assert plan.counts["create"] == 2
