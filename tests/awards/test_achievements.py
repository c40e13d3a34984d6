"""Achievement reports: drafted from the unit's year, edited, uploaded as a
signed PDF, checked or returned by the secretariat, required by the
submission; who may do each step, who may read the signed copy, the page
and its query count."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from awards.achievements import (
    achievement_check,
    achievement_draft,
    achievement_return,
    achievement_update,
    achievement_upload_signed,
)
from awards.documents_achievement import achievement_pdf
from awards.models import AchievementReport, AwardKind, AwardProposal, ConferenceEvent
from awards.models import ReportStatus as Status
from blocs.models import BlocYear, MemberRole
from blocs.services import TRANSITION_SERVICES
from blocs.stages import Stage
from covenants.models import Initiative, InitiativeLevel
from members.models import AgencyRole
from tests.awards.factories_documents import confirm, documents_year, members_in_order
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import AgencyStaffFactory, BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def signed(name="bao-cao-da-ky.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def text_of(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def year():
    bloc_year = documents_year(members=5)
    first = members_in_order(bloc_year)[1]
    Initiative.objects.create(
        bloc_year=bloc_year,
        agency=first,
        level=InitiativeLevel.GRASSROOTS,
        count=12,
        updated_by=officer_of(first),
    )
    Initiative.objects.create(
        bloc_year=bloc_year,
        agency=first,
        level=InitiativeLevel.PROVINCIAL,
        count=2,
        updated_by=officer_of(first),
    )
    return bloc_year


def proposal_of(bloc_year) -> AwardProposal:
    """The certificate nominee: the vice-chair, ranked second (the flag
    nominee is the chair agency, whose staff are the secretariat)."""
    return AwardProposal.objects.select_related("agency", "bloc_year").get(
        bloc_year=bloc_year, award=AwardKind.CERTIFICATE
    )


def secretariat_of(bloc_year):
    return officer_of(bloc_year.memberships.get(role=MemberRole.CHAIR).agency)


def unit_officer(proposal):
    return officer_of(proposal.agency)


# Drafting and editing -------------------------------------------------------------------


def test_the_draft_holds_the_units_score_rank_initiatives_covenant_and_vote(year):
    proposal = proposal_of(year)
    report = achievement_draft(proposal=proposal, actor=unit_officer(proposal))
    assert report.status == Status.DRAFT
    text = report.text
    for expected in (
        "Tên tập thể: Sở Giáo dục và Đào tạo",
        "Địa chỉ trụ sở: ....................",
        "I. ĐẶC ĐIỂM, TÌNH HÌNH",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        f"- Kết quả chấm điểm thi đua năm {year.year}: 80,35 điểm, xếp thứ 2/5 đơn vị trong Khối.",
        "- Điểm theo nhóm tiêu chí: nhóm I",
        "- Số sáng kiến được công nhận: cấp cơ sở 12; cấp tỉnh 2.",
        f"- Đơn vị đã ký kết giao ước thi đua năm {year.year} của Khối ngày",
        "- Được Khối bình xét, đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh với 4/5 phiếu "
        "(80,00 %).",
        "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN",
    ):
        assert expected in text, expected
    assert ConferenceEvent.objects.filter(
        bloc_year=year, action="achievement_drafted", note=proposal.agency.name
    ).exists()


def test_who_drafts_the_unit_and_the_secretariat_not_other_members_nor_plain_staff(year):
    proposal = proposal_of(year)
    other_member = leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    plain_staff = AgencyStaffFactory(agency=proposal.agency, agency_role=AgencyRole.STAFF)
    board = BoardUserFactory(board_province=year.bloc.province)
    for actor in (other_member, plain_staff, board):
        with pytest.raises(PermissionDenied):
            achievement_draft(proposal=proposal, actor=actor)
    assert not AchievementReport.objects.exists()
    achievement_draft(proposal=proposal, actor=secretariat_of(year))
    assert AchievementReport.objects.filter(proposal=proposal).exists()


def test_the_unit_edits_a_draft_but_not_an_uploaded_report(year):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    report = achievement_update(report=report, actor=officer, text="I. ĐẶC ĐIỂM\nĐã sửa.")
    assert AchievementReport.objects.get(pk=report.pk).text == "I. ĐẶC ĐIỂM\nĐã sửa."
    with pytest.raises(ValidationError) as error:
        achievement_update(report=report, actor=officer, text="   ")
    assert "text" in error.value.error_dict
    achievement_upload_signed(report=report, actor=officer, file=signed())
    with pytest.raises(ValidationError, match="only a draft"):
        achievement_update(report=report, actor=officer, text="Sửa tiếp")
    with pytest.raises(ValidationError, match="only a draft"):
        achievement_draft(proposal=proposal, actor=officer)


# The signed copy ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.docx", b"PK\x03\x04 not really", "Upload the signed report as a PDF file."),
        ("bao-cao.pdf", b"MZ\x90\x00 an executable", "content is not a PDF file"),
        ("bao-cao.pdf", b"", "The file is empty."),
    ],
)
def test_an_upload_that_is_not_a_pdf_is_refused_next_to_the_file(year, name, content, message):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    with pytest.raises(ValidationError) as error:
        achievement_upload_signed(report=report, actor=officer, file=signed(name, content))
    assert message in " ".join(error.value.error_dict["file"][0].messages)
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert not report.signed_file


@override_settings(EVIDENCE_MAX_BYTES=1024 * 1024)
def test_an_upload_above_the_size_limit_is_refused(year):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    big = signed(content=PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        achievement_upload_signed(report=report, actor=officer, file=big)


def test_a_new_signed_copy_replaces_the_old_one(year, django_capture_on_commit_callbacks):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    report = achievement_upload_signed(report=report, actor=officer, file=signed("bản ký.pdf"))
    assert report.status == Status.UPLOADED
    assert report.signed_name == "bản ký.pdf"
    assert report.uploaded_by == officer
    first = report.signed_file.name
    assert "bản" not in first  # stored under a random name
    storage = report.signed_file.storage
    with django_capture_on_commit_callbacks(execute=True):
        report = achievement_upload_signed(report=report, actor=officer, file=signed("v2.pdf"))
    assert report.signed_name == "v2.pdf"
    assert not storage.exists(first)
    assert storage.exists(report.signed_file.name)


# Check and return -------------------------------------------------------------------------


def test_only_the_secretariat_checks_an_uploaded_report(year):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    with pytest.raises(ValidationError, match="not possible now"):
        achievement_check(report=report, actor=secretariat_of(year))
    achievement_upload_signed(report=report, actor=officer, file=signed())
    for actor in (
        officer,
        leader_of(proposal.agency),
        BoardUserFactory(board_province=year.bloc.province),
    ):
        with pytest.raises(PermissionDenied):
            achievement_check(report=report, actor=actor)
    secretariat = secretariat_of(year)
    report = achievement_check(report=report, actor=secretariat)
    assert report.status == Status.CHECKED
    assert report.checked_by == secretariat
    assert ConferenceEvent.objects.filter(action="achievement_checked", actor=secretariat).exists()


def test_a_returned_report_is_a_draft_again_with_the_reason_and_the_unit_is_mailed(
    year, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    achievement_upload_signed(report=report, actor=officer, file=signed())
    secretariat = secretariat_of(year)
    with pytest.raises(ValidationError) as error:
        achievement_return(report=report, actor=secretariat, reason="  ")
    assert "reason" in error.value.error_dict
    with pytest.raises(PermissionDenied):
        achievement_return(report=report, actor=officer, reason="Tự trả lại")
    with django_capture_on_commit_callbacks(execute=True):
        report = achievement_return(report=report, actor=secretariat, reason="Thiếu chữ ký")
    assert report.status == Status.DRAFT
    assert report.checked_at is None
    event = ConferenceEvent.objects.get(action="achievement_returned")
    assert event.note == f"{proposal.agency.name}: Thiếu chữ ký"
    assert {m.to[0] for m in mailoutbox} >= {officer.email}
    assert "Thiếu chữ ký" in mailoutbox[0].body
    # The unit can edit again.
    achievement_update(report=report, actor=officer, text="Đã bổ sung chữ ký")


def test_a_submitted_or_closed_year_changes_no_report(year):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.SUBMITTED)
    with pytest.raises(ValidationError, match="before the proposals are submitted"):
        achievement_update(report=report, actor=officer, text="Sửa")
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.CLOSED)
    with pytest.raises(PermissionDenied):
        achievement_update(report=report, actor=officer, text="Sửa")


def test_the_submission_waits_for_every_report_checked_naming_the_units(year):
    confirm(year)
    secretariat = secretariat_of(year)
    submit = TRANSITION_SERVICES["submit_proposals"]
    proposals = list(AwardProposal.objects.filter(bloc_year=year).select_related("agency"))
    with pytest.raises(ValidationError) as error:
        submit(bloc_year=year, actor=secretariat)
    for proposal in proposals:
        assert f"The achievement report of {proposal.agency.name} has not been checked." in (
            error.value.messages
        )
    for proposal in proposals:
        officer = unit_officer(proposal)
        report = achievement_draft(proposal=proposal, actor=officer)
        achievement_upload_signed(report=report, actor=officer, file=signed())
    with pytest.raises(ValidationError) as error:
        submit(bloc_year=year, actor=secretariat)
    assert len(error.value.messages) == len(proposals)
    for report in AchievementReport.objects.all():
        achievement_check(report=report, actor=secretariat)
    submit(bloc_year=year, actor=secretariat)
    year.refresh_from_db()
    assert year.stage == Stage.SUBMITTED


# Reading ---------------------------------------------------------------------------------


def test_the_report_pdf_is_issued_by_the_unit_and_signed_by_its_head(year):
    proposal = proposal_of(year)
    report = achievement_draft(proposal=proposal, actor=unit_officer(proposal))
    text = text_of(achievement_pdf(report))
    for expected in (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "BÁO CÁO THÀNH TÍCH",
        f"Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm {year.year}",
        "I. ĐẶC ĐIỂM, TÌNH HÌNH",
        "- Số sáng kiến được công nhận: cấp cơ sở 12; cấp tỉnh 2.",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "(Ký, đóng dấu)",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text


def test_the_signed_copy_is_read_by_the_unit_the_secretariat_and_the_board_only(client, year):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    url = reverse("awards:achievement_file", args=[year.bloc_id, year.year, proposal.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 404  # nothing uploaded yet
    achievement_upload_signed(report=report, actor=officer, file=signed())
    readers = (
        AgencyStaffFactory(agency=proposal.agency),
        secretariat_of(year),
        BoardUserFactory(board_province=year.bloc.province),
    )
    for reader in readers:
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
    other = leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    client.force_login(other)
    assert client.get(url).status_code == 403
    pdf_url = reverse("awards:achievement_pdf", args=[year.bloc_id, year.year, proposal.pk])
    assert client.get(pdf_url).status_code == 403
    client.force_login(officer)
    assert client.get(pdf_url)["Content-Type"] == "application/pdf"


# The page ---------------------------------------------------------------------------------


def _page(bloc_year, proposal):
    return reverse("awards:achievement", args=[bloc_year.bloc_id, bloc_year.year, proposal.pk])


def test_the_unit_drafts_edits_and_uploads_from_the_page(client, year):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    client.force_login(officer)
    url = _page(year, proposal)
    html = client.get(url).content.decode()
    assert vi("Draft the report") in html
    assert client.post(url, {"action": "draft"}).status_code == 302
    html = client.get(url).content.decode()
    assert "Tên tập thể: Sở Giáo dục và Đào tạo" in html
    assert vi("Save the text") in html
    response = client.post(url, {"action": "save", "text": "I. ĐẶC ĐIỂM\nMới"})
    assert response.status_code == 302
    response = client.post(url, {"action": "upload", "file": signed("x.docx", b"PK\x03\x04")})
    assert response.status_code == 200
    assert vi("Upload the signed report as a PDF file.") in response.content.decode()
    response = client.post(url, {"action": "upload", "file": signed()})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert vi("Signed copy uploaded") in html
    assert vi("Mark as checked") not in html  # the unit does not check


def test_the_secretariat_returns_with_a_reason_from_the_page(client, year):
    proposal = proposal_of(year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    achievement_upload_signed(report=report, actor=officer, file=signed())
    client.force_login(secretariat_of(year))
    url = _page(year, proposal)
    html = client.get(url).content.decode()
    assert vi("Mark as checked") in html
    response = client.post(url, {"action": "return", "reason": ""})
    assert response.status_code == 200
    response = client.post(url, {"action": "return", "reason": "Thiếu dấu"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Thiếu dấu" in html
    assert vi("returned for correction") in html


def test_other_members_do_not_see_the_page(client, year):
    proposal = proposal_of(year)
    client.force_login(leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency))
    assert client.get(_page(year, proposal)).status_code == 403


@pytest.mark.parametrize("members", [3, 6])
def test_the_page_query_count_does_not_grow_with_the_bloc(
    client, members, django_assert_max_num_queries
):
    bloc_year = documents_year(members=members)
    proposal = proposal_of(bloc_year)
    officer = unit_officer(proposal)
    report = achievement_draft(proposal=proposal, actor=officer)
    achievement_update(report=report, actor=officer, text="Sửa")
    achievement_upload_signed(report=report, actor=officer, file=signed())
    client.force_login(secretariat_of(bloc_year))
    with django_assert_max_num_queries(11):
        response = client.get(_page(bloc_year, proposal))
    assert response.status_code == 200
