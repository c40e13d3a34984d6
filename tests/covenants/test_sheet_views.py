"""The scoring-sheet pages: reading, Excel round trip through the page, PDF."""

import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from blocs import services as bloc_services
from covenants.models import ScoringTemplate, TemplateStatus
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_excel import draft_workbook

pytestmark = pytest.mark.django_db


def _url(bloc_year, name="covenants:sheet", *extra):
    return reverse(name, args=[bloc_year.bloc_id, bloc_year.year, *extra])


def test_members_read_the_sheet_and_outsiders_cannot(client, bloc_year, member_leader, outsider):
    client.force_login(member_leader)
    html = client.get(_url(bloc_year)).content.decode()
    assert culture_society_draft().groups[0].title in html
    assert _url(bloc_year, "covenants:sheet_action", "discard") not in html  # no tools
    client.force_login(outsider)
    assert client.get(_url(bloc_year)).status_code == 403


def test_the_secretariat_replaces_the_draft_from_excel_and_sees_bad_rows(
    client, bloc_year, secretariat_user
):
    client.force_login(secretariat_user)
    good = draft_workbook(culture_society_draft(base_total=1000))
    response = client.post(
        _url(bloc_year), {"file": SimpleUploadedFile("sheet.xlsx", good)}, follow=True
    )
    assert response.status_code == 200
    template = ScoringTemplate.objects.get(bloc_year=bloc_year)
    assert template.base_total == 1000

    book = load_workbook(io.BytesIO(good))
    book["Thiết lập"]["A2"] = 90  # the groups no longer add up to it
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        _url(bloc_year), {"file": SimpleUploadedFile("sheet.xlsx", buffer.getvalue())}
    )
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert "Thiết lập" in html
    template.refresh_from_db()
    assert template.base_total == 1000  # nothing changed


def test_the_sheet_freezes_when_signing_opens_and_tools_disappear(
    client, bloc_year, board_user, secretariat_user
):
    bloc_services.bloc_year_open_signing(bloc_year=bloc_year, actor=board_user)
    template = ScoringTemplate.objects.get(bloc_year=bloc_year)
    assert template.status == TemplateStatus.FROZEN
    client.force_login(secretariat_user)
    html = client.get(_url(bloc_year)).content.decode()
    assert _url(bloc_year, "covenants:sheet_action", "new-version") not in html
    response = client.post(_url(bloc_year, "covenants:sheet_action", "new-version"))
    assert ScoringTemplate.objects.filter(bloc_year=bloc_year).count() == 1
    assert response.status_code == 302


def test_excel_and_pdf_downloads(client, bloc_year, member_leader, tmp_path):
    client.force_login(member_leader)
    xlsx = client.get(_url(bloc_year, "covenants:sheet_export"))
    assert xlsx.content.startswith(b"PK")
    pdf = client.get(_url(bloc_year, "covenants:sheet_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "BẢNG CHẤM ĐIỂM THI ĐUA" in text
    first_group = culture_society_draft().groups[0]
    assert first_group.title in " ".join(text.split())
