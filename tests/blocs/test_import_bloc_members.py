"""What a bloc-members import does: previews, idempotence, dates, exports."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from blocs import services
from blocs.imports import (
    SHEET,
    apply_bloc_members_import,
    bloc_members_template,
    export_bloc_members,
    plan_bloc_members_import,
)
from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from members.models import AgencyRole
from tests.blocs.factories import BlocFactory, BlocYearFactory, MembershipFactory
from tests.blocs.member_files import (
    BASE,
    SXD,
    _set_stage,
    ended_agency,
    members_file,
    planned,
    snapshot,
    what_changed,
)
from tests.members.factories import (
    AgencyStaffFactory,
)

pytestmark = pytest.mark.django_db

# What an import does -------------------------------------------------------

BUSY_FILE = [
    # 2026 (in set-up): chair and vice-chair swap, SNV leaves the file, SXD joins with a date.
    [2026, 1, "STC", "Khối trưởng", None, None],
    [2026, 1, "syt", "khối phó", None, None],
    [2026, 1, "SXD", "", datetime.date(2026, 2, 1), None],
    # 2027 does not exist yet.
    [2027, 1, "SYT", "Khối trưởng", None, None],
    [2027, 1, "SCT", "Thành viên", "01/01/2027", "30/06/2027"],
]


def test_the_preview_counts_what_apply_then_does(province, board, year_2026):
    content = members_file(BUSY_FILE)
    plan = plan_bloc_members_import(content, province=province)
    before = snapshot()

    applied = apply_bloc_members_import(content, province=province, actor=board)

    assert plan.is_valid, plan.errors
    assert planned(plan) == {
        ("membership", "update"): 2,
        ("membership", "create"): 3,
        ("membership", "remove"): 1,
        ("bloc_year", "create"): 1,
    }
    assert planned(plan) == what_changed(before, snapshot())
    assert applied.changes == plan.changes


def test_the_result_matches_the_file(province, board, year_2026, agencies):
    apply_bloc_members_import(members_file(BUSY_FILE), province=province, actor=board)

    year_2026.refresh_from_db()
    assert (year_2026.chair, year_2026.vice_chair) == (agencies["STC"], agencies["SYT"])
    assert not year_2026.memberships.filter(agency=agencies["SNV"]).exists()
    assert year_2026.memberships.get(agency=agencies["SXD"]).joined_on == datetime.date(2026, 2, 1)
    year_2027 = BlocYear.objects.get(bloc=year_2026.bloc, year=2027)
    assert year_2027.stage == Stage.SETUP
    assert year_2027.chair == agencies["SYT"]
    sct = year_2027.memberships.get(agency=agencies["SCT"])
    assert (sct.role, sct.joined_on, sct.left_on) == (
        MemberRole.MEMBER,
        datetime.date(2027, 1, 1),
        datetime.date(2027, 6, 30),
    )


def test_the_preview_explains_each_update(province, year_2026):
    plan = plan_bloc_members_import(members_file(BUSY_FILE), province=province)

    assert {c.label: c.details for c in plan.changes if c.action == "update"} == {
        "Khối 1 – 2026: STC – Sở Tài chính": ("Vai trò trong khối: “Khối phó” → “Khối trưởng”",),
        "Khối 1 – 2026: SYT – Sở Y tế": ("Vai trò trong khối: “Khối trưởng” → “Khối phó”",),
    }
    assert [c.label for c in plan.changes if c.action == "remove"] == [
        "Khối 1 – 2026: SNV – Sở Nội vụ"
    ]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(province, board, year_2026):
    content = members_file(BUSY_FILE)
    apply_bloc_members_import(content, province=province, actor=board)
    after_first = snapshot()

    plan = plan_bloc_members_import(content, province=province)
    apply_bloc_members_import(content, province=province, actor=board)

    assert plan.is_valid
    assert plan.real_changes() == []
    assert plan.counts["unchanged"] == len(BUSY_FILE)
    assert snapshot() == after_first


def test_a_chair_missing_from_the_file_is_removed_during_set_up(
    province, board, year_2026, agencies
):
    rows = [[2026, 1, "SXD", "Khối trưởng"], [2026, 1, "STC", "Khối phó"], [2026, 1, "SNV"]]

    apply_bloc_members_import(members_file(rows), province=province, actor=board)

    year_2026.refresh_from_db()
    assert year_2026.chair == agencies["SXD"]
    assert not year_2026.memberships.filter(agency=agencies["SYT"]).exists()


def test_after_set_up_a_leaving_member_gets_a_date(province, board, year_2026, agencies):
    _set_stage(year_2026, Stage.IN_PROGRESS)
    rows = [*BASE[:2], [2026, 1, "SNV", "", None, "15/08/2026"]]

    plan = apply_bloc_members_import(members_file(rows), province=province, actor=board)

    assert [(c.action, c.details) for c in plan.real_changes()] == [
        ("update", ("Ngày rời khối: “” → “15/08/2026”",))
    ]
    assert year_2026.memberships.get(agency=agencies["SNV"]).left_on == datetime.date(2026, 8, 15)


def test_an_agency_ended_later_may_be_recorded_in_a_past_year(province, board, bloc, agencies):
    ended_agency(province, None)
    rows = [[2025, 1, "SYT", "Khối trưởng"], [2025, 1, "scu"]]

    plan = apply_bloc_members_import(members_file(rows), province=province, actor=board)

    assert plan.counts["create"] == 3
    year_2025 = BlocYear.objects.get(bloc=bloc, year=2025)
    assert year_2025.memberships.filter(agency__code="SCU").exists()


def test_bloc_years_missing_from_the_file_are_left_alone(province, board, year_2026, agencies):
    other = BlocYearFactory(bloc=BlocFactory(province=province, number=2), year=2026)
    MembershipFactory(bloc_year=other, agency=agencies["SXD"])
    before = other.memberships.count()

    apply_bloc_members_import(members_file(BASE), province=province, actor=board)

    assert other.memberships.count() == before


def test_the_secretariat_edits_its_year_but_does_not_open_a_new_one(province, year_2026, agencies):
    secretariat = AgencyStaffFactory(agency=agencies["SYT"], agency_role=AgencyRole.OFFICER)
    outsider = AgencyStaffFactory(agency=agencies["SCT"], agency_role=AgencyRole.LEADER)

    apply_bloc_members_import(members_file([*BASE, SXD]), province=province, actor=secretariat)
    assert year_2026.memberships.filter(agency=agencies["SXD"]).exists()

    before = snapshot()
    with pytest.raises(PermissionDenied):
        apply_bloc_members_import(
            members_file([[2027, 1, "SYT"]]), province=province, actor=secretariat
        )
    with pytest.raises(PermissionDenied):
        apply_bloc_members_import(members_file(BASE), province=province, actor=outsider)
    assert snapshot() == before


def test_a_code_kept_through_a_rename_names_the_agency_of_that_year(
    province, board, bloc, agencies
):
    old_syt = agencies["SYT"]
    new_syt = services.agency_rename(
        agency=old_syt,
        name="Sở Y tế và Dân số",
        short_name="SYT",
        effective_on=datetime.date(2025, 7, 1),
        actor=board,
    )
    rows = [[2024, 1, "SYT", "Khối trưởng"], [2026, 1, "SYT", "Khối trưởng"]]

    apply_bloc_members_import(members_file(rows), province=province, actor=board)

    assert BlocYear.objects.get(bloc=bloc, year=2024).chair == old_syt
    assert BlocYear.objects.get(bloc=bloc, year=2026).chair == new_syt


def test_a_rename_during_the_year_exports_and_imports_back_unchanged(
    province, board, year_2026, agencies
):
    _set_stage(year_2026, Stage.IN_PROGRESS)
    services.agency_rename(
        agency=agencies["SNV"],
        name="Sở Nội vụ và Lao động",
        short_name="SNV",
        effective_on=datetime.date(2026, 7, 1),
        actor=board,
    )
    assert year_2026.memberships.filter(agency__code="SNV").count() == 2

    content = export_bloc_members(province=province, year=2026)
    plan = plan_bloc_members_import(content, province=province)

    assert plan.is_valid, plan.errors
    assert plan.real_changes() == []
    assert plan.counts["unchanged"] == 4


# Export and template -------------------------------------------------------


def test_an_export_imports_back_with_no_change(province, board, year_2026, agencies):
    in_progress = BlocYearFactory(
        bloc=BlocFactory(province=province, number=2), year=2026, stage=Stage.IN_PROGRESS
    )
    MembershipFactory(bloc_year=in_progress, agency=agencies["SXD"], role=MemberRole.CHAIR)
    MembershipFactory(
        bloc_year=in_progress,
        agency=agencies["SCT"],
        joined_on=datetime.date(2026, 1, 15),
        left_on=datetime.date(2026, 9, 1),
    )
    closed = BlocYearFactory(
        bloc=BlocFactory(province=province, number=3), year=2026, stage=Stage.CLOSED
    )
    MembershipFactory(bloc_year=closed, agency=agencies["SNV"], role=MemberRole.VICE_CHAIR)
    BlocYearFactory(bloc=year_2026.bloc, year=2025)  # another year: not exported

    content = export_bloc_members(province=province, year=2026)
    plan = plan_bloc_members_import(content, province=province)

    assert plan.is_valid, plan.errors
    assert plan.real_changes() == []
    assert plan.counts["unchanged"] == 6


def test_the_export_lists_officers_first_with_real_dates(province, year_2026, agencies):
    membership = year_2026.memberships.get(agency=agencies["SNV"])
    membership.joined_on = datetime.date(2026, 3, 2)
    membership.save()

    sheet = load_workbook(io.BytesIO(export_bloc_members(province=province, year=2026)))[SHEET]

    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        [2026, 1, "SYT", "Khối trưởng", None, None],
        [2026, 1, "STC", "Khối phó", None, None],
        # Excel has no time zones: openpyxl reads a date cell as a naive datetime.
        [2026, 1, "SNV", "Thành viên", datetime.datetime(2026, 3, 2), None],  # noqa: DTZ001
    ]
    assert sheet["E4"].number_format == "DD/MM/YYYY"


def test_the_template_has_the_documented_headers_and_an_example():
    workbook = load_workbook(io.BytesIO(bloc_members_template()))

    assert workbook.sheetnames == ["Thành viên khối"]
    sheet = workbook["Thành viên khối"]
    assert [c.value for c in sheet[1]] == [
        "Năm",
        "Số khối",
        "Mã cơ quan",
        "Vai trò trong khối",
        "Ngày tham gia",
        "Ngày rời khối",
    ]
    assert sheet.max_row == 2
