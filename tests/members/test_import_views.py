"""The board's import screens: upload, preview, confirm; exports and templates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocs.imports import BLOC_MEMBER_COLUMNS, SHEET
from members.imports import AGENCY_COLUMNS, AGENCY_SHEET, OFFICIAL_COLUMNS, OFFICIAL_SHEET
from members.models import Agency, ImportBatch, ImportStatus, User
from members.spreadsheets import write_workbook
from tests.blocs.factories import BlocFactory
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _people(officials):
    content = write_workbook(
        [
            (AGENCY_SHEET, AGENCY_COLUMNS, [["SYT", "Sở Y tế", "Sở Y tế", "Sở", "Có"]]),
            (OFFICIAL_SHEET, OFFICIAL_COLUMNS, officials),
        ]
    )
    return SimpleUploadedFile("can-bo.xlsx", content, content_type=XLSX)


GOOD = [["Nguyễn Thị Lan", "Chuyên viên", "lan@syt.vn", "0912345678", "SYT", "Cán bộ thi đua"]]
BAD = [["Nguyễn Thị Lan", "Chuyên viên", "lan@syt.vn", "", "SYT", "Giám đốc sở"]]


@pytest.fixture
def board(db):
    return BoardUserFactory()


def _upload(client, file, kind="people"):
    response = client.post(reverse("members:import"), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.latest("pk"), client.get(response.url)


def test_a_file_with_errors_is_listed_by_row_and_column_and_saves_nothing(client, board):
    client.force_login(board)
    batch, page = _upload(client, _people(BAD))
    html = page.content.decode()
    assert 'id="import-errors"' in html
    assert "<td>Cán bộ</td><td>2</td><td>Vai trò</td>" in html
    assert vi("Confirm and apply") not in html

    response = client.post(reverse("members:import_apply", args=[batch.pk]), {"apply": ""})
    assert response.status_code == 302
    assert not Agency.objects.filter(code="SYT").exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED


def test_preview_then_apply_invites_the_new_people_and_reimport_changes_nothing(
    client, board, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(board)
    batch, page = _upload(client, _people(GOOD))
    html = page.content.decode()
    assert "lan@syt.vn" in html
    assert vi("New") in html

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_apply", args=[batch.pk]), {"apply": ""})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert batch.summary["create"] == 2
    lan = User.objects.get(email="lan@syt.vn")
    assert lan.agency.code == "SYT"
    assert [m.to for m in mailoutbox] == [["lan@syt.vn"]]

    _again, page = _upload(client, _people(GOOD))
    assert vi("The file matches the data already saved: nothing would change.") in (
        page.content.decode()
    )


def test_discarding_changes_nothing(client, board):
    client.force_login(board)
    batch, _page = _upload(client, _people(GOOD))
    client.post(reverse("members:import_apply", args=[batch.pk]), {"discard": ""})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED
    assert not User.objects.filter(email="lan@syt.vn").exists()


def test_bloc_members_through_the_same_screens(client, board):
    agency = Agency.objects.create(
        province=board.board_province, code="SYT", name="Sở Y tế", short_name="SYT"
    )
    bloc = BlocFactory(province=board.board_province, number=6)
    content = write_workbook(
        [(SHEET, BLOC_MEMBER_COLUMNS, [[2027, 6, "SYT", "Khối trưởng", "", ""]])]
    )
    client.force_login(board)
    batch, _page = _upload(
        client, SimpleUploadedFile("khoi.xlsx", content, content_type=XLSX), kind="bloc_members"
    )
    client.post(reverse("members:import_apply", args=[batch.pk]), {"apply": ""})
    bloc_year = bloc.years.get(year=2027)
    assert bloc_year.chair == agency

    response = client.get(
        reverse("blocs:export_bloc_members", args=[board.board_province.code, 2027])
    )
    assert response["Content-Type"] == XLSX


def test_only_xlsx_files_are_accepted(client, board):
    client.force_login(board)
    response = client.post(
        reverse("members:import"),
        {"kind": "people", "file": SimpleUploadedFile("list.csv", b"a,b", content_type="text/csv")},
    )
    assert response.status_code == 200
    assert vi("Upload an Excel .xlsx file.") in response.content.decode()


def test_exports_and_templates_download(client, board):
    client.force_login(board)
    for url in (
        reverse("members:export_people"),
        reverse("members:import_template", args=["people"]),
        reverse("members:import_template", args=["bloc_members"]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX


def test_import_screens_are_the_boards(client, member_leader):
    client.force_login(member_leader)
    assert client.get(reverse("members:import")).status_code == 403
    assert client.get(reverse("members:export_people")).status_code == 403
