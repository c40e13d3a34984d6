"""The year-end summary report: the service that saves its texts and the
documents' numbers (who, until when, bad numbers next to their field), its
page, and the PDF read back with the secretariat's texts and the year's
facts."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from awards.documents import summary_report_save
from awards.documents_report import report_pdf
from awards.models import Conference, ConferenceEvent
from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import Initiative, InitiativeLevel
from tests.awards.factories_documents import confirm, documents_year, members_in_order
from tests.covenants.factories_score import hold_mid_year, leader_of, officer_of
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db

TEXTS = {
    "achievements": "Các đơn vị hoàn thành xuất sắc các chỉ tiêu giao ước.",
    "limitations": "Việc gửi minh chứng còn chậm.",
    "lessons": "Phối hợp chặt chẽ giữa các đơn vị.",
    "directions": "Đẩy mạnh chuyển đổi số trong công tác thi đua.",
}


def text_of(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def year():
    return documents_year(members=5)


def secretariat_of(bloc_year):
    return officer_of(bloc_year.memberships.get(role=MemberRole.CHAIR).agency)


def test_the_secretariat_saves_the_texts_and_numbers_with_a_trail(year):
    actor = secretariat_of(year)
    conference = summary_report_save(
        bloc_year=year, actor=actor, data={**TEXTS, "report_number": " 07/BC-KTĐVHXH "}
    )
    assert conference.lessons == TEXTS["lessons"]
    assert conference.report_number == "07/BC-KTĐVHXH"
    event = ConferenceEvent.objects.get(bloc_year=year, action="report_saved")
    assert event.actor == actor
    assert "lessons learned" in event.note


def test_saving_starts_the_conference_record_when_there_is_none():
    bloc_year = documents_year(members=3, polls=False)
    Conference.objects.filter(bloc_year=bloc_year).delete()
    summary_report_save(bloc_year=bloc_year, actor=secretariat_of(bloc_year), data=TEXTS)
    assert Conference.objects.get(bloc_year=bloc_year).achievements == TEXTS["achievements"]


def test_members_and_the_board_do_not_write_the_report(year):
    member = leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    for actor in (member, BoardUserFactory(board_province=year.bloc.province)):
        with pytest.raises(PermissionDenied):
            summary_report_save(bloc_year=year, actor=actor, data=TEXTS)
    assert not ConferenceEvent.objects.filter(action="report_saved").exists()


def test_a_number_that_is_not_a_register_number_is_refused_next_to_its_field(year):
    with pytest.raises(ValidationError) as error:
        summary_report_save(
            bloc_year=year,
            actor=secretariat_of(year),
            data={"minutes_number": "số năm", "counting_number": "/BB-KTĐ6"},
        )
    assert set(error.value.error_dict) == {"minutes_number"}


def test_after_submission_and_once_closed_nothing_changes(year):
    actor = secretariat_of(year)
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.SUBMITTED)
    year.refresh_from_db()
    with pytest.raises(ValidationError, match="submitted"):
        summary_report_save(bloc_year=year, actor=actor, data=TEXTS)
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.CLOSED)
    year.refresh_from_db()
    with pytest.raises(PermissionDenied):
        summary_report_save(bloc_year=year, actor=actor, data=TEXTS)


def test_the_page_saves_and_shows_errors_next_to_the_field_keeping_the_input(client, year):
    url = reverse("awards:report_edit", args=[year.bloc_id, year.year])
    client.force_login(leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency))
    assert client.get(url).status_code == 403
    client.force_login(secretariat_of(year))
    html = client.get(url).content.decode()
    assert vi("Summary report and document numbers") in html
    assert reverse("awards:report_pdf", args=[year.bloc_id, year.year]) in html
    response = client.post(url, {**TEXTS, "minutes_number": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        vi("Write the number and symbol as 05/BB-KTĐ6, or /BB-KTĐ6 while the number is not known.")
        in html
    )
    assert TEXTS["lessons"] in html  # nothing typed is lost
    response = client.post(url, {**TEXTS, "minutes_number": "05/BB-KTĐVHXH"})
    assert response.status_code == 302
    assert Conference.objects.get(bloc_year=year).directions == TEXTS["directions"]


def test_the_page_is_closed_once_the_proposals_are_submitted(client, year):
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.SUBMITTED)
    client.force_login(secretariat_of(year))
    url = reverse("awards:report_edit", args=[year.bloc_id, year.year])
    assert client.get(url).status_code == 403


def test_the_report_reads_back_with_texts_and_the_years_facts(year):
    hold_mid_year(year)
    agencies = members_in_order(year)
    Initiative.objects.create(
        bloc_year=year,
        agency=agencies[0],
        level=InitiativeLevel.GRASSROOTS,
        count=12,
        updated_by=secretariat_of(year),
    )
    Initiative.objects.create(
        bloc_year=year,
        agency=agencies[1],
        level=InitiativeLevel.GRASSROOTS,
        count=5,
        updated_by=secretariat_of(year),
    )
    Initiative.objects.create(
        bloc_year=year,
        agency=agencies[1],
        level=InitiativeLevel.PROVINCIAL,
        count=2,
        updated_by=secretariat_of(year),
    )
    summary_report_save(
        bloc_year=year,
        actor=secretariat_of(year),
        data={**TEXTS, "report_number": "07/BC-KTĐVHXH"},
    )
    text = text_of(report_pdf(year))
    for expected in (
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "Số: 07/BC-KTĐVHXH",
        "BÁO CÁO",
        f"Tổng kết công tác thi đua, khen thưởng năm {year.year}",
        f"Năm {year.year}, {year.bloc.name} gồm 5 đơn vị thành viên:",
        "Khối trưởng: Sở Văn hóa, Thể thao và Du lịch. Khối phó: Sở Giáo dục và Đào tạo.",
        f"các đơn vị thành viên đã ký kết giao ước thi đua năm {year.year}.",
        "Khối đã tổ chức hội nghị sơ kết công tác thi đua 6 tháng đầu năm",
        "1 Sở Văn hóa, Thể thao và Du lịch 83,4",
        "có 17 sáng kiến được công nhận cấp cơ sở và 2 sáng kiến được công nhận cấp tỉnh",
        TEXTS["achievements"],
        "III. HẠN CHẾ",
        TEXTS["limitations"],
        "IV. BÀI HỌC KINH NGHIỆM",
        TEXTS["lessons"],
        f"V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year.year + 1}",
        TEXTS["directions"],
        "VI. ĐỀ NGHỊ KHEN THƯỞNG",
        "- Cờ thi đua của UBND tỉnh: Sở Văn hóa, Thể thao và Du lịch;",
        "- Bằng khen của Chủ tịch UBND tỉnh: Sở Giáo dục và Đào tạo.",
        "KHỐI TRƯỞNG",
        "Nơi nhận:",
        "DỰ THẢO",
    ):
        assert expected in text, expected
    confirm(year)
    assert "DỰ THẢO" not in text_of(report_pdf(year))


def test_members_read_the_report_once_confirmed(client, year):
    url = reverse("awards:report_pdf", args=[year.bloc_id, year.year])
    client.force_login(leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency))
    assert client.get(url).status_code == 403
    confirm(year)
    response = client.get(url)
    assert response.status_code == 200
    assert 'filename="bao-cao-tong-ket-thi-dua-' in response["Content-Disposition"]
