"""The meeting's minutes and the counting minutes: real PDFs read back with
pypdf, the Vietnamese text exactly (names, counts, the rule quoted), the
signatures, "DỰ THẢO" only before the results are confirmed, and who may
download them."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from awards.documents_minutes import counting_pdf, minutes_pdf
from awards.models import AwardKind, Conference, FlagHandover, PollKind
from blocs.models import MemberRole
from tests.awards.factories_documents import (
    NAMES,
    closed_poll,
    confirm,
    documents_year,
    members_in_order,
    propose,
)
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import AgencyStaffFactory, BoardUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def year():
    return documents_year(members=5)


def test_the_minutes_read_back_with_record_register_agenda_scores_and_ballots(year):
    text = text_of(minutes_pdf(year))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN HỌP BÌNH XÉT THI ĐUA VÀ KẾT QUẢ BỎ PHIẾU NĂM",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",  # the chair agency issues it
        "Số: 05/BB-KTĐVHXH",
        f"ngày 18 tháng 12 năm {year.year}",
        "Địa điểm: Hội trường Sở Văn hóa, Thể thao và Du lịch.",
        "Chủ trì: Nguyễn Văn Hùng, Giám đốc Sở Văn hóa, Thể thao và Du lịch.",
        "Thư ký: Trần Thị Thủy, chuyên viên Văn phòng Sở.",
        "Đại diện Ban Thi đua – Khen thưởng tỉnh: Phạm Minh Tuấn",
        "có mặt 4/5 đơn vị",
        "Dự thay (được ủy quyền)",
        "Vắng mặt",
        "II. NỘI DUNG HỘI NGHỊ",
        "Bỏ phiếu suy tôn đơn vị dẫn đầu, đề nghị tặng Cờ thi đua của UBND tỉnh",
        f"III. KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {year.year}",
        "IV. KẾT QUẢ BỎ PHIẾU",
        "Ban kiểm phiếu gồm: Lê Thị Hoa (Trưởng ban), Võ Văn Nam, Đặng Thu Trang.",
        "Số phiếu phát ra: 5; số phiếu thu về: 5; số phiếu không hợp lệ: 0; số phiếu hợp lệ: 5.",
        "Nguyên tắc: từ 2/3 tổng số thành viên trở lên: cần 4 phiếu.",
        "4/5 phiếu = 80,00 % ≥ 2/3 tổng số thành viên: đạt",
        "1/5 phiếu = 20,00 % < 2/3 tổng số thành viên: không đạt",
        "3/5 phiếu = 60,00 % > 1/2 tổng số thành viên: đạt",
        f"Bầu Khối trưởng năm {year.year + 1} – vòng 1",
        "V. KẾT LUẬN",
        f"Khối trưởng năm {year.year + 1}: Sở Giáo dục và Đào tạo; "
        f"Khối phó năm {year.year + 1}: Sở Y tế.",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Trần Thị Thủy",
        "Nguyễn Văn Hùng",
        "Nơi nhận:",
    ):
        assert expected in text, expected
    for name in NAMES[:5]:
        assert name in text, name
    # The ranking: the chair agency scored best (the factory's distinct totals).
    assert "1 Sở Văn hóa, Thể thao và Du lịch 83,4" in text
    assert (
        f"Đề nghị tặng Cờ thi đua của UBND tỉnh năm {year.year} cho: - Sở Văn hóa, Thể thao "
        "và Du lịch (4/5 phiếu = 80,00 %; xếp thứ 1 về điểm thi đua)."
    ) in text
    assert "DỰ THẢO" in text


def test_the_rule_is_quoted_exactly_for_nine_members_and_two_thirds_of_all():
    bloc_year = documents_year(members=9, polls=False)
    agencies = members_in_order(bloc_year)
    poll = closed_poll(
        bloc_year,
        PollKind.FLAG,
        votes={agencies[0]: 7, agencies[1]: 2},
        elected=[agencies[0]],
        threshold=(2, 3, False, "members"),
        present=9,
        invalid=0,
    )
    propose(bloc_year, agencies[0], AwardKind.FLAG, poll=poll, votes=7, base=9)
    text = text_of(minutes_pdf(bloc_year))
    assert "7/9 phiếu = 77,78 % ≥ 2/3 tổng số thành viên" in text
    assert "2/9 phiếu = 22,22 % < 2/3 tổng số thành viên" in text
    assert "Nguyên tắc: từ 2/3 tổng số thành viên trở lên: cần 6 phiếu." in text
    assert "Số phiếu phát ra: 9; số phiếu thu về: 9" in text


def test_a_second_round_and_the_fallback_are_reported():
    bloc_year = documents_year(members=5, polls=False)
    first, second, third = members_in_order(bloc_year)[:3]
    closed_poll(
        bloc_year,
        PollKind.CERTIFICATE,
        votes={first: 2, second: 2},
        next_round=[first, second],
        threshold=(1, 2, True, "members"),
    )
    closed_poll(
        bloc_year,
        PollKind.CERTIFICATE,
        round_no=2,
        votes={first: 2, second: 2},
        elected=[],
        needs_decision=True,
        next_round=[first, second],
        threshold=(1, 2, True, "members"),
    )
    text = text_of(minutes_pdf(bloc_year))
    assert "Bỏ phiếu đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh – vòng 1" in text
    assert (
        f"các đơn vị {first.name}, {second.name} vào vòng bỏ phiếu thứ 2" in text
        or f"các đơn vị {second.name}, {first.name} vào vòng bỏ phiếu thứ 2" in text
    )
    assert "– vòng 2" in text
    assert "Khối trưởng và Khối phó quyết định" in text
    assert third.name in text  # on the register and the score table


def test_confirmed_minutes_have_no_draft_mark_and_quote_the_handover(year):
    confirm(year)
    conference = Conference.objects.get(bloc_year=year)
    FlagHandover.objects.create(
        bloc_year=year,
        handed_on=conference.held_on,
        outgoing=year.memberships.get(role=MemberRole.CHAIR).agency,
        incoming=conference.next_chair,
        recorded_by=UserFactory(),
    )
    text = text_of(minutes_pdf(year))
    assert "DỰ THẢO" not in text
    assert (
        f"Ngày 18 tháng 12 năm {year.year}, Sở Văn hóa, Thể thao và Du lịch (Khối trưởng năm "
        f"{year.year}) đã bàn giao Cờ luân lưu cho Sở Giáo dục và Đào tạo (Khối trưởng năm "
        f"{year.year + 1})."
    ) in text


def test_the_counting_minutes_name_the_committee_counts_and_signatures(year):
    text = text_of(counting_pdf(year))
    for expected in (
        "BIÊN BẢN KIỂM PHIẾU",
        "Số: /BB-KTĐ",  # no number yet: left blank for the clerk
        "Lê Thị Hoa, Sở Giáo dục và Đào tạo – Trưởng ban;",
        "Võ Văn Nam, Sở Y tế – Thành viên;",
        "Số phiếu phát ra: 5; số phiếu thu về: 5",
        "4/5 phiếu = 80,00 % ≥ 2/3 tổng số thành viên: đạt",
        "TRƯỞNG BAN Lê Thị Hoa",
        "THÀNH VIÊN Võ Văn Nam",
        "THÀNH VIÊN Đặng Thu Trang",
        "DỰ THẢO",
    ):
        assert expected in text, expected
    confirm(year)
    assert "DỰ THẢO" not in text_of(counting_pdf(year))


def test_paper_ballots_and_spoiled_ones_are_counted():
    bloc_year = documents_year(members=5, polls=False)
    first = members_in_order(bloc_year)[0]
    poll = closed_poll(bloc_year, PollKind.FLAG, votes={first: 4}, elected=[first], invalid=1)
    poll.mode = "paper"
    poll.save(update_fields=["mode"])
    text = text_of(counting_pdf(bloc_year))
    assert "(bỏ phiếu kín bằng phiếu giấy)" in text
    assert "số phiếu không hợp lệ: 1; số phiếu hợp lệ: 4." in text


@pytest.mark.parametrize("name", ["minutes_pdf", "counting_pdf"])
def test_members_read_the_minutes_once_confirmed_the_secretariat_and_board_always(
    client, year, name
):
    url = reverse(f"awards:{name}", args=[year.bloc_id, year.year])
    member = leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    client.force_login(member)
    assert client.get(url).status_code == 403
    for user in (
        officer_of(year.memberships.get(role=MemberRole.CHAIR).agency),
        BoardUserFactory(board_province=year.bloc.province),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.isascii()
        assert 'filename="bien-ban-' in disposition
    client.force_login(AgencyStaffFactory())  # an agency outside the bloc
    assert client.get(url).status_code == 403
    confirm(year)
    client.force_login(member)
    assert client.get(url).status_code == 200


def test_no_conference_record_no_minutes(client):
    bloc_year = documents_year(members=3, polls=False)
    Conference.objects.filter(bloc_year=bloc_year).delete()
    client.force_login(officer_of(bloc_year.memberships.get(role=MemberRole.CHAIR).agency))
    url = reverse("awards:minutes_pdf", args=[bloc_year.bloc_id, bloc_year.year])
    assert client.get(url).status_code == 404
