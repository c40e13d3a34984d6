"""The covenant PDF: Decree 30 header, commitments and every signatory,
with Vietnamese text that extracts back exactly."""

import subprocess

import pytest
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import MemberRole
from covenants import services
from covenants.documents import covenant_pdf
from members.models import Agency

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "covenant.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_the_pdf_names_every_agency_and_signer(bloc_year, board_user, secretariat_user, tmp_path):
    Agency.objects.filter(pk=bloc_year.chair.pk).update(name="Sở Văn hóa, Thể thao và Du lịch")
    covenant = bloc_year.covenant
    covenant.theme = "Đoàn kết, sáng tạo, thi đua xây dựng và bảo vệ Tổ quốc"
    covenant.number = "01/GƯ-KTĐ6"
    covenant.save()
    bloc_services.bloc_year_open_signing(bloc_year=bloc_year, actor=board_user)
    member = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    services.signature_record_paper(
        covenant=covenant,
        agency=member,
        actor=secretariat_user,
        signer_name="Đặng Thị Thu Thủy",
        signer_title="Giám đốc",
    )
    other = services.unsigned_agencies(covenant)[0]
    services.signature_record_unable(
        covenant=covenant, agency=other, actor=secretariat_user, reason="Đang hợp nhất"
    )

    pdf = covenant_pdf(bloc_year)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf, tmp_path)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BẢN KÝ KẾT GIAO ƯỚC THI ĐUA",
        "Số: 01/GƯ-KTĐ6",
        "Đoàn kết, sáng tạo, thi đua xây dựng và bảo vệ Tổ quốc",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Đặng Thị Thu Thủy",
        "Không ký: Đang hợp nhất",
    ):
        assert expected in text, expected
    for commitment in covenant.commitments.all():
        assert commitment.text in text


def test_the_pdf_downloads_from_the_page(client, bloc_year, member_leader):
    client.force_login(member_leader)
    response = client.get(reverse("covenants:pdf", args=[bloc_year.bloc_id, bloc_year.year]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
