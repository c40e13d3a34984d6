"""The minutes of the mid-year review: a real PDF read back with pypdf, the
Vietnamese text exactly, "DỰ THẢO" only while the record is a draft, and who
may download it."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from blocs.models import MemberRole
from blocs.stages import Stage
from covenants.models import MidYearReview, Period, ScoreSheet
from covenants.scores.documents_mid_year import minutes_pdf
from covenants.scores.mid_year import mid_year_review_hold, mid_year_review_save
from members.models import Agency
from tests.covenants.factories_score import fill_self, leader_of, officer_of, scoring_year
from tests.members.factories import BoardUserFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "Sở Văn hóa, Thể thao và Du lịch",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Sở Giáo dục và Đào tạo",
    "Trường Cao đẳng Cộng đồng",
]


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def year_with_record():
    bloc_year = scoring_year(stage=Stage.IN_PROGRESS, members=4)
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    for membership, name in zip(
        bloc_year.memberships.order_by("pk").select_related("agency"), NAMES, strict=True
    ):
        Agency.objects.filter(pk=membership.agency_id).update(name=name)
    secretariat = officer_of(chair)
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR)
    for sheet in sheets:
        fill_self(sheet)
    mid_year_review_save(
        bloc_year=bloc_year,
        actor=secretariat,
        data={
            "number": "03/BB-KTĐ6",
            "held_on": datetime.date(2026, 7, 18),
            "place": "Hội trường Sở Văn hóa, Thể thao và Du lịch",
            "host_agency": chair,
            "chaired_by": "Nguyễn Văn Hùng, Giám đốc Sở Văn hóa, Thể thao và Du lịch",
            "secretary": "Trần Thị Thủy, chuyên viên Văn phòng Sở",
            "attendees": "Lãnh đạo các đơn vị thành viên Khối\nĐại diện Sở Nội vụ",
            "results_summary": "Các đơn vị đã hoàn thành tốt các chỉ tiêu giao ước.",
            "limitations": "Việc gửi minh chứng còn chậm.",
            "second_half_tasks": "Tổ chức kiểm tra chéo trong tháng 9.",
        },
    )
    bloc_year.refresh_from_db()
    return bloc_year, secretariat


def _pdf(bloc_year):
    review = MidYearReview.objects.select_related("host_agency").get(bloc_year=bloc_year)
    return minutes_pdf(bloc_year, review)


def test_the_draft_minutes_read_back_exactly_and_are_marked(year_with_record):
    bloc_year, _secretariat = year_with_record
    pdf = _pdf(bloc_year)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN HỘI NGHỊ SƠ KẾT 6 THÁNG ĐẦU NĂM 2026",
        "Số: 03/BB-KTĐ6",
        "ngày 18 tháng 7 năm 2026",
        "Hội trường Sở Văn hóa, Thể thao và Du lịch",
        "Lãnh đạo các đơn vị thành viên Khối",
        "Đại diện Sở Nội vụ",
        "I. KẾT QUẢ 6 THÁNG ĐẦU NĂM",
        "Các đơn vị đã hoàn thành tốt các chỉ tiêu giao ước.",
        "II. HẠN CHẾ",
        "Việc gửi minh chứng còn chậm.",
        "III. NHIỆM VỤ 6 THÁNG CUỐI NĂM",
        "Tổ chức kiểm tra chéo trong tháng 9.",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Trần Thị Thủy",
        "Nguyễn Văn Hùng",
        "DỰ THẢO",
    ):
        assert expected in text, expected
    for name in NAMES:
        assert name in text, name
    assert "Điểm tự chấm" in text


def test_the_held_minutes_have_no_draft_mark(year_with_record):
    bloc_year, secretariat = year_with_record
    mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    text = _text(_pdf(bloc_year))
    assert "DỰ THẢO" not in text
    assert "BIÊN BẢN HỘI NGHỊ SƠ KẾT 6 THÁNG ĐẦU NĂM 2026" in text


def test_members_download_the_minutes_once_held_the_board_any_time(client, year_with_record):
    bloc_year, secretariat = year_with_record
    url = reverse("covenants:mid_year_pdf", args=[bloc_year.bloc_id, bloc_year.year])
    member = leader_of(bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    board = BoardUserFactory(board_province=bloc_year.bloc.province)
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(board)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_no_record_no_minutes(client):
    bloc_year = scoring_year(stage=Stage.IN_PROGRESS, members=3)
    client.force_login(officer_of(bloc_year.memberships.get(role=MemberRole.CHAIR).agency))
    url = reverse("covenants:mid_year_pdf", args=[bloc_year.bloc_id, bloc_year.year])
    assert client.get(url).status_code == 404
