"""Scores in Excel: a member's self-score file out and back in (all or
nothing, every problem by row), and the bloc's score table."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import Period, ScoreLine, ScoreSheet
from covenants.scores import documents, excel
from tests.covenants.factories_score import (
    complete_year_end,
    fill_self,
    leader_of,
    officer_of,
    scoring_year,
)
from tests.members.factories import UserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet():
    bloc_year = scoring_year(members=3)
    agency = bloc_year.memberships.get(role=MemberRole.MEMBER).agency
    return ScoreSheet.objects.select_related("agency", "bloc_year").get(
        bloc_year=bloc_year, period=Period.YEAR_END, agency=agency
    )


def _url(sheet, name):
    by = sheet.bloc_year
    return reverse(f"covenants:{name}", args=[by.bloc_id, by.year, sheet.period, sheet.agency_id])


def _download(client, sheet, user=None):
    client.force_login(user or officer_of(sheet.agency))
    response = client.get(_url(sheet, "score_sheet_xlsx"))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _rows(book) -> dict[str, int]:
    """Line key → Excel row."""
    return {
        row[0].value: row[0].row for row in book[excel.SHEET].iter_rows(min_row=2) if row[0].value
    }


def _upload(client, sheet, book, name="tu-cham.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    return client.post(
        _url(sheet, "score_sheet_import"), {"file": SimpleUploadedFile(name, buffer.getvalue())}
    )


def _values(sheet) -> dict[str, Decimal | None]:
    return dict(ScoreLine.objects.filter(sheet=sheet).values_list("key", "self_value"))


def test_the_file_has_one_row_per_line_with_the_structure_locked(client, sheet):
    fill_self(sheet, submit=False)
    book = _download(client, sheet)
    rows = book[excel.SHEET]
    assert [cell.value for cell in rows[1]] == [column.header for column in excel.COLUMNS]
    keys = list(_rows(book))
    assert keys == list(ScoreLine.objects.filter(sheet=sheet).values_list("key", flat=True))
    line = {row[0].value: row for row in rows.iter_rows(min_row=2)}
    assert line["I.1"][5].value == 16  # points
    assert line["I.2.2"][5].value == "Đạt"  # pass/fail in words
    assert line["I.4"][5].value == 1  # a count of items
    assert line["I.1"][7].value == "Quyết định số 12/QĐ-UBND"
    assert rows.protection.sheet is True
    assert line["I.1"][1].protection.locked is True  # the criterion
    assert all(line["I.1"][i].protection.locked is False for i in (5, 6, 7))
    info = [cell.value for cell in book[excel.INFO_SHEET][2]]
    assert info == [sheet.agency.code, sheet.agency.name, "Cả năm", sheet.bloc_year.year]


def test_the_filename_names_the_agency_and_the_period(client, sheet):
    client.force_login(officer_of(sheet.agency))
    response = client.get(_url(sheet, "score_sheet_xlsx"))
    assert f"tu-cham-{sheet.agency.code}-year_end-" in response["Content-Disposition"]


def test_an_edited_file_imports_back_and_saves(client, sheet):
    fill_self(sheet, submit=False)
    book = _download(client, sheet)
    rows, data = _rows(book), book[excel.SHEET]
    data.cell(rows["I.1"], 6).value = 18.5
    data.cell(rows["I.1"], 7).value = "Vượt kế hoạch năm"
    data.cell(rows["I.2.2"], 6).value = "Không đạt"
    data.cell(rows["II.4"], 6).value = 0  # pass/fail as 0
    data.cell(rows["I.4"], 6).value = 2  # two models
    data.cell(rows["II.2"], 6).value = "2,5"  # a decimal comma
    data.cell(rows["V.1"], 6).value = None  # cleared
    response = _upload(client, sheet, book)
    assert response.status_code == 302
    assert response["Location"] == _url(sheet, "score_sheet")
    values = _values(sheet)
    assert values["I.1"] == Decimal("18.5")
    assert values["I.2.2"] == values["II.4"] == 0
    assert values["I.4"] == 2
    assert values["II.2"] == Decimal("2.5")
    assert values["V.1"] is None
    assert ScoreLine.objects.get(sheet=sheet, key="I.1").explanation == "Vượt kế hoạch năm"


def test_every_bad_row_is_listed_and_nothing_is_saved(client, sheet):
    fill_self(sheet, submit=False)
    before = _values(sheet)
    book = _download(client, sheet)
    rows, data = _rows(book), book[excel.SHEET]
    data.cell(rows["I.1"], 6).value = 25  # above the maximum of 20
    data.cell(rows["I.3"], 6).value = "mười"
    data.cell(rows["I.4"], 6).value = 1.5  # half a model
    data.cell(rows["I.2.2"], 6).value = "Có lẽ"
    data.cell(rows["II.1"], 1).value = "IX.9"
    data.cell(rows["II.2"], 6).value = 1  # a fine row among the bad ones
    response = _upload(client, sheet, book)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html
    errors = response.context["import_errors"]
    assert [(e.row, e.column) for e in errors] == sorted(
        [
            (rows["I.1"], "Tự chấm"),
            (rows["I.3"], "Tự chấm"),
            (rows["I.4"], "Tự chấm"),
            (rows["I.2.2"], "Tự chấm"),
            (rows["II.1"], "Mã dòng"),
        ]
    )
    assert vi("Write a whole number of items.") in html
    assert _values(sheet) == before


def test_a_file_for_another_agency_or_period_is_refused(client, sheet):
    book = _download(client, sheet)
    book[excel.INFO_SHEET]["A2"] = "KHAC"
    book[excel.INFO_SHEET]["C2"] = "6 tháng đầu năm"
    response = _upload(client, sheet, book)
    errors = response.context["import_errors"]
    assert {(e.sheet, e.column) for e in errors} == {
        (excel.INFO_SHEET, "Mã đơn vị"),
        (excel.INFO_SHEET, "Kỳ"),
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scores.pdf", b"%PDF-1.7", "Upload an Excel .xlsx file of at most 5 MB."),
        ("scores.xlsx", b"not a workbook", None),
    ],
)
def test_a_wrong_file_type_is_reported_next_to_the_field(client, sheet, name, content, message):
    client.force_login(officer_of(sheet.agency))
    response = client.post(
        _url(sheet, "score_sheet_import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    if message:
        assert vi(message) in html
    else:
        assert (
            vi("The file cannot be read as an Excel workbook (.xlsx). Save it as .xlsx and retry.")
            in html
        )


def test_the_services_refusals_are_mapped_back_to_rows(sheet, monkeypatch):
    from covenants.scores import services

    def refuse(**kwargs):
        raise ValidationError({"I.3": ["I.3 – Hoàn thành: không hợp lệ."], "__all__": ["Chung"]})

    monkeypatch.setattr(services, "self_scores_save", refuse)
    content = excel.sheet_workbook(sheet)
    with pytest.raises(excel.ImportRejected) as caught:
        excel.sheet_import(sheet=sheet, content=content, actor=officer_of(sheet.agency))
    rows = _rows(load_workbook(io.BytesIO(content)))
    assert [(e.row, e.message) for e in caught.value.plan.errors] == [
        (0, "Chung"),
        (rows["I.3"], "I.3 – Hoàn thành: không hợp lệ."),
    ]


def test_only_the_agency_imports_and_only_while_its_sheet_is_a_draft(client, sheet):
    other = sheet.bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency
    client.force_login(leader_of(other))
    assert client.get(_url(sheet, "score_sheet_import")).status_code == 403
    assert client.get(_url(sheet, "score_sheet_xlsx")).status_code == 403  # a draft is private
    client.force_login(officer_of(sheet.agency))
    assert client.get(_url(sheet, "score_sheet_import")).status_code == 200
    fill_self(sheet)  # submitted
    assert client.get(_url(sheet, "score_sheet_import")).status_code == 403
    assert client.get(_url(sheet, "score_sheet_xlsx")).status_code == 200  # still readable


def test_a_closed_year_is_read_only(client, sheet):
    BlocYear.objects.filter(pk=sheet.bloc_year_id).update(stage=Stage.CLOSED)
    client.force_login(officer_of(sheet.agency))
    assert client.get(_url(sheet, "score_sheet_import")).status_code == 403


# The score table -----------------------------------------------------------------


def _ranking_book(client, bloc_year, user):
    client.force_login(user)
    response = client.get(
        reverse("covenants:ranking_xlsx", args=[bloc_year.bloc_id, bloc_year.year, "year_end"])
    )
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_the_secretariat_also_gets_every_line_and_members_only_the_table(client):
    bloc_year = scoring_year(members=3)
    complete_year_end(bloc_year)
    book = _ranking_book(client, bloc_year, officer_of(bloc_year.chair))
    assert book.sheetnames == ["Xếp hạng", "Chi tiết"]
    table = list(book["Xếp hạng"].values)
    assert table[0][:3] == ("Hạng", "Mã đơn vị", "Đơn vị")
    assert [row[0] for row in table[1:]] == [1, 2, 3, None]
    assert table[-1][2] == "Bình quân"
    details = list(book["Chi tiết"].values)
    lines = ScoreLine.objects.filter(sheet__bloc_year=bloc_year, sheet__period="year_end")
    assert len(details) == lines.count() + 1
    assert all(row[4] is not None and row[6] is not None for row in details[1:])
    member = bloc_year.memberships.get(role=MemberRole.MEMBER).agency
    assert _ranking_book(client, bloc_year, leader_of(member)).sheetnames == ["Xếp hạng"]


def test_the_detail_sheet_keeps_the_review_blind():
    """The secretariat reviews (no reviewing agency): it never gets a
    self-score before its own review is in."""
    bloc_year = scoring_year(members=3)
    member = bloc_year.memberships.get(role=MemberRole.MEMBER).agency
    sheet = ScoreSheet.objects.get(bloc_year=bloc_year, period=Period.YEAR_END, agency=member)
    assert sheet.reviewer_agency_id is None
    fill_self(sheet)
    secretariat = officer_of(BlocYear.objects.get(pk=bloc_year.pk).chair)
    rows = documents.detail_rows(bloc_year, Period.YEAR_END, secretariat)
    mine = [row for row in rows if row[0] == sheet.agency.code]
    assert mine
    assert all(row[4] is None for row in mine)
    board_user = UserFactory(board_province=bloc_year.bloc.province)
    board = documents.detail_rows(bloc_year, Period.YEAR_END, board_user)
    assert all(row[4] is not None for row in board if row[0] == sheet.agency.code)
