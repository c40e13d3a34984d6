"""Evidence files: what is accepted (size, type by extension and content),
how names are cleaned and stored, the trail, and who may download."""

import io
import unicodedata
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from blocs.models import MemberRole
from blocs.stages import Stage
from covenants.models import Evidence, Period, ScoreEvent, ScoreLine, ScoreSheet
from covenants.scores.evidence import check_upload, display_name
from covenants.scores.services import evidence_add, evidence_remove
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    leader_of,
    officer_of,
    publish,
    scoring_year,
)
from tests.members.factories import AgencyStaffFactory, BoardUserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _upload(name, content=PDF):
    return SimpleUploadedFile(name, content)


# Names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Lan\\Desktop\\Báo cáo tổng kết.pdf", "Báo cáo tổng kết.pdf"),
        ("bad\x00na\x1fme\x7f.pdf", "badname.pdf"),
        ("invoice\u202efdp.exe.pdf", "invoicefdp.exe.pdf"),  # no right-to-left override
        ("a..b...pdf", "a.b.pdf"),
        ('Quyết "định" <số> 12?.pdf', "Quyết _định_ _số_ 12_.pdf"),
        ("  ..hidden.pdf  ", "hidden.pdf"),
    ],
)
def test_names_lose_paths_control_characters_and_dot_runs(raw, shown):
    assert display_name(raw) == shown


def test_vietnamese_names_are_kept_in_composed_form():
    decomposed = unicodedata.normalize("NFD", "Quyết định khen thưởng.pdf")
    assert decomposed != "Quyết định khen thưởng.pdf"
    assert display_name(decomposed) == "Quyết định khen thưởng.pdf"


def test_a_long_name_is_cut_keeping_its_extension():
    shown = display_name("Báo cáo " * 60 + ".docx")
    assert len(shown) <= 200
    assert shown.endswith(".docx")


# Types and sizes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Báo cáo.pdf", PDF, "application/pdf"),
        ("ảnh.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("ảnh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        ("cũ.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "application/msword"),
        ("bảng.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "văn bản.docx",
            _zip(**{"word/document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "văn bản.odt",
            _zip(mimetype=b"application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_allowed_types_pass_with_a_random_stored_name(name, content, content_type):
    checked = check_upload(_upload(name, content))
    assert checked.content_type == content_type
    assert checked.name == name
    stem, extension = checked.stored_name.rsplit(".", 1)
    assert extension == name.rsplit(".", 1)[1].lower()
    assert len(stem) == 32
    assert stem not in name
    assert check_upload(_upload(name, content)).stored_name != checked.stored_name


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("setup.exe", EXE, "type_not_allowed"),
        ("trang.html", b"<html><script>alert(1)</script>", "type_not_allowed"),
        ("không đuôi", PDF, "type_not_allowed"),
        ("hóa đơn.pdf", EXE, "content_mismatch"),  # an .exe renamed .pdf
        ("ảnh.png", PDF, "content_mismatch"),
        ("giả.docx", _zip(**{"xl/workbook.xml": b"<x/>"}), "content_mismatch"),
        ("giả.xlsx", b"PK\x03\x04 not really a zip", "content_mismatch"),
        ("giả.ods", _zip(mimetype=b"application/vnd.oasis.opendocument.text"), "content_mismatch"),
        ("rỗng.pdf", b"", "empty"),
    ],
)
def test_wrong_types_and_disguised_contents_are_refused(name, content, code):
    with pytest.raises(ValidationError) as caught:
        check_upload(_upload(name, content))
    assert caught.value.code == code


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_files_above_the_size_limit_are_refused():
    assert check_upload(_upload("nhỏ.pdf", PDF + b" " * (1024 - len(PDF))))
    with pytest.raises(ValidationError, match="larger than") as caught:
        check_upload(_upload("lớn.pdf", PDF + b" " * 1024))
    assert caught.value.code == "too_large"


# The services ----------------------------------------------------------------------------


@pytest.fixture
def year():
    return scoring_year(stage=Stage.SCORING, members=4)


@pytest.fixture
def sheet(year):
    agency = year.memberships.filter(role=MemberRole.MEMBER).order_by("pk").first().agency
    return ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=agency)


@pytest.fixture
def line(sheet):
    return ScoreLine.objects.get(sheet=sheet, key="I.1")


def test_an_officer_attaches_a_file_stored_privately_under_a_random_name(line, sheet):
    officer = officer_of(sheet.agency)
    evidence = evidence_add(line=line, actor=officer, file=_upload("../Báo cáo năm.pdf"))
    assert evidence.original_name == "Báo cáo năm.pdf"
    assert evidence.size == len(PDF)
    assert evidence.file.storage is Evidence._meta.get_field("file").storage
    assert "Báo cáo" not in evidence.file.name
    assert evidence.file.name.startswith(f"evidence/{sheet.bloc_year_id}/{sheet.pk}/")
    with evidence.file.open("rb") as stored:
        assert stored.read() == PDF
    event = ScoreEvent.objects.get(sheet=sheet, action="evidence_added")
    assert (event.line, event.note, event.actor) == (line, "Báo cáo năm.pdf", officer)


def test_a_refused_file_leaves_nothing_behind(line, sheet):
    with pytest.raises(ValidationError):
        evidence_add(line=line, actor=officer_of(sheet.agency), file=_upload("x.pdf", EXE))
    assert not Evidence.objects.exists()
    assert not ScoreEvent.objects.exists()


def test_removing_a_file_deletes_it_once_committed(line, sheet, django_capture_on_commit_callbacks):
    officer = officer_of(sheet.agency)
    evidence = evidence_add(line=line, actor=officer, file=_upload("Quyết định.pdf"))
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=evidence, actor=officer)
    assert not Evidence.objects.exists()
    assert not storage.exists(name)
    assert ScoreEvent.objects.get(action="evidence_removed").note == "Quyết định.pdf"


def test_evidence_changes_only_while_the_self_side_may_edit(year, line, sheet):
    staff = AgencyStaffFactory(agency=sheet.agency)
    with pytest.raises(PermissionDenied):
        evidence_add(line=line, actor=staff, file=_upload("a.pdf"))
    with pytest.raises(PermissionDenied):
        evidence_add(line=line, actor=officer_of(year.chair), file=_upload("a.pdf"))
    evidence = evidence_add(line=line, actor=officer_of(sheet.agency), file=_upload("a.pdf"))
    fill_self(sheet)  # submitted
    with pytest.raises(ValidationError, match="submitted"):
        evidence_add(line=line, actor=officer_of(sheet.agency), file=_upload("b.pdf"))
    with pytest.raises(ValidationError, match="submitted"):
        evidence_remove(evidence=evidence, actor=officer_of(sheet.agency))
    assert Evidence.objects.count() == 1


# Downloads ---------------------------------------------------------------------------------


def _download_url(sheet, evidence):
    return reverse(
        "covenants:evidence",
        args=[
            sheet.bloc_year.bloc_id,
            sheet.bloc_year.year,
            sheet.period,
            sheet.agency_id,
            evidence.pk,
        ],
    )


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_the_download_is_an_attachment_with_the_vietnamese_name(client, line, sheet):
    officer = officer_of(sheet.agency)
    evidence = evidence_add(line=line, actor=officer, file=_upload("Báo cáo năm.pdf"))
    client.force_login(officer)
    response = client.get(_download_url(sheet, evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "B%C3%A1o%20c%C3%A1o%20n%C4%83m.pdf" in disposition


def test_who_may_download_follows_who_may_see_the_self_scores(client, year, line, sheet):
    evidence = evidence_add(line=line, actor=officer_of(sheet.agency), file=_upload("a.pdf"))
    url = _download_url(sheet, evidence)
    others = year.memberships.filter(role=MemberRole.MEMBER).exclude(agency=sheet.agency)
    other_member = leader_of(others.first().agency)
    secretariat = officer_of(year.chair)  # reviews this sheet (no reviewer agency)
    board = BoardUserFactory(board_province=year.bloc.province)

    # Draft: the agency only.
    assert _status(client, leader_of(sheet.agency), url) == 200
    assert _status(client, board, url) == 403
    assert _status(client, secretariat, url) == 403

    # Submitted: the board sees it; the blind reviewer does not, until both are in.
    fill_self(sheet)
    assert _status(client, board, url) == 200
    assert _status(client, secretariat, url) == 403
    assert _status(client, other_member, url) == 403
    fill_review(sheet)
    assert _status(client, secretariat, url) == 200
    assert _status(client, other_member, url) == 403

    # Other members never, not even once the ranking is published.
    publish(year)
    assert _status(client, other_member, url) == 403

    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_assigned_reviewer_agency_downloads_only_once_both_sides_are_in(
    client, year, line, sheet
):
    reviewer = year.memberships.filter(role=MemberRole.MEMBER).exclude(agency=sheet.agency).first()
    ScoreSheet.objects.filter(pk=sheet.pk).update(reviewer_agency=reviewer.agency)
    evidence = evidence_add(line=line, actor=officer_of(sheet.agency), file=_upload("a.pdf"))
    url = _download_url(sheet, evidence)
    reviewer_officer = officer_of(reviewer.agency)
    sheet.refresh_from_db()
    fill_self(sheet)
    assert _status(client, reviewer_officer, url) == 403
    assert _status(client, officer_of(year.chair), url) == 200  # the secretariat oversees
    fill_review(sheet)
    assert _status(client, reviewer_officer, url) == 200


def test_a_file_of_another_sheet_is_not_found_through_this_sheet(client, year, line, sheet):
    evidence = evidence_add(line=line, actor=officer_of(sheet.agency), file=_upload("a.pdf"))
    other = ScoreSheet.objects.filter(bloc_year=year, period=Period.YEAR_END).exclude(pk=sheet.pk)
    other = fill_self(other.first())
    url = _download_url(other, evidence)
    assert _status(client, BoardUserFactory(board_province=year.bloc.province), url) == 404
