"""What a people import does: previews, idempotence, deactivation, exports."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from members.imports import (
    apply_people_import,
    export_people,
    people_template,
    plan_people_import,
)
from members.models import Agency, AgencyKind, AgencyRole, User
from tests.members.factories import (
    AgencyFactory,
    AgencyStaffFactory,
    BoardUserFactory,
    UserFactory,
)
from tests.members.people_files import LAN, SYT, people_file, planned, snapshot, what_changed

pytestmark = pytest.mark.django_db

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
