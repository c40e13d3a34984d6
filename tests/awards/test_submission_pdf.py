"""The submission to the provincial chairman with its list of proposed
units: a real PDF read back with pypdf, the legal bases, what is proposed
for whom, the list's scores and votes, the chair agency's head signing, the
recipients, "DỰ THẢO" before confirmation, and who may download it."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from awards.documents_submission import submission_pdf
from awards.models import AwardKind, AwardProposal, Conference
from blocs.models import MemberRole
from members.models import AgencyRole, User
from tests.awards.factories_documents import confirm, documents_year, members_in_order, propose
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import BoardUserFactory

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def year():
    bloc_year = documents_year(members=5)
    third = members_in_order(bloc_year)[2]
    propose(bloc_year, third, AwardKind.CERTIFICATE, votes=3, base=5, order=2)
    return bloc_year


def test_the_submission_reads_back_with_its_bases_proposals_and_signature(year):
    chair = year.memberships.get(role=MemberRole.CHAIR).agency
    leader_of(chair)
    User.objects.filter(agency=chair, agency_role=AgencyRole.LEADER).update(
        full_name="Huỳnh Ngọc Ánh"
    )
    Conference.objects.filter(bloc_year=year).update(submission_number="12/TTr-SVHTTDL")
    reader = PdfReader(BytesIO(submission_pdf(year)))
    assert len(reader.pages) >= 2  # the list starts on a page of its own
    text = text_of(submission_pdf(year))
    for expected in (
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "Số: 12/TTr-SVHTTDL",
        "TỜ TRÌNH",
        f"Về việc đề nghị tặng Cờ thi đua, Bằng khen của UBND tỉnh năm {year.year}",
        "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh",
        "(qua Sở Nội vụ)",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025",
        "Căn cứ Biên bản họp bình xét thi đua và kết quả bỏ phiếu số 05/BB-KTĐVHXH "
        f"ngày 18 tháng 12 năm {year.year}",
        "1. Tặng Cờ thi đua của UBND tỉnh cho 1 tập thể: Sở Văn hóa, Thể thao và Du lịch;",
        "2. Tặng Bằng khen của Chủ tịch UBND tỉnh cho 2 tập thể: Sở Giáo dục và Đào tạo; Sở Y tế.",
        "Kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh xem xét, quyết định./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Sở Nội vụ (Ban Thi đua – Khen thưởng);",
        "- Lưu: VT.",
        f"TM. {year.bloc.name.upper()}",
        "KHỐI TRƯỞNG",
        "Huỳnh Ngọc Ánh",
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        "(Kèm theo Tờ trình số 12/TTr-SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch Cờ thi đua của UBND tỉnh 92,5 1 4/5 (80,00 %)",
        "Sở Y tế Bằng khen của Chủ tịch UBND tỉnh 92,5 2 3/5 (60,00 %)",
        "DỰ THẢO",
    ):
        assert expected in text, expected


def test_flag_nominees_come_first_in_the_list_and_a_blank_number_stays_blank(year):
    text = text_of(submission_pdf(year))
    assert "Số: /TTr-KTĐ" in text
    listed = text[text.index("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG") :]
    assert listed.index("Cờ thi đua") < listed.index("Bằng khen")


def test_without_proposals_the_submission_says_so():
    bloc_year = documents_year(members=3, polls=False)
    AwardProposal.objects.filter(bloc_year=bloc_year).delete()
    text = text_of(submission_pdf(bloc_year))
    assert "Khối không có đơn vị đủ điều kiện đề nghị khen thưởng" in text
    assert "Không có đơn vị được đề nghị." in text


def test_once_confirmed_the_submission_is_no_draft(year):
    confirm(year)
    assert "DỰ THẢO" not in text_of(submission_pdf(year))


def test_members_read_the_submission_once_confirmed(client, year):
    url = reverse("awards:submission_pdf", args=[year.bloc_id, year.year])
    member = leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(officer_of(year.memberships.get(role=MemberRole.CHAIR).agency))
    response = client.get(url)
    assert response.status_code == 200
    assert 'filename="to-trinh-de-nghi-khen-thuong-' in response["Content-Disposition"]
    client.force_login(BoardUserFactory(board_province=year.bloc.province))
    assert client.get(url).status_code == 200
    client.force_login(BoardUserFactory())  # another province's board
    assert client.get(url).status_code == 403
    confirm(year)
    client.force_login(member)
    assert client.get(url).status_code == 200
