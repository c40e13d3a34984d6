"""Issued conference documents and the year's dossier: each document numbered once the
results are confirmed and kept on a second download, the ZIP's files, the table of
contents' SHA-256 equal to each file's and to the verification record, and who may
download the dossier."""

import hashlib
import io
import zipfile
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from awards.dossier import DOCUMENTS, issue_achievement, issue_document
from awards.models import AwardKind, AwardProposal, ReportStatus
from blocs.models import MemberRole
from members.models_documents import DocType, IssuedDocument, RegisterEntry
from tests.awards.factories_documents import confirm, documents_year, report_for
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import AgencyStaffFactory, BoardUserFactory

pytestmark = pytest.mark.django_db

SIGNED = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def text_of(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def year():
    return documents_year(members=5)


def secretariat_of(bloc_year):
    return officer_of(bloc_year.memberships.get(role=MemberRole.CHAIR).agency)


def nominee_report(bloc_year, *, signed=True):
    proposal = AwardProposal.objects.select_related("agency", "bloc_year").get(
        bloc_year=bloc_year, award=AwardKind.CERTIFICATE
    )
    if not signed:
        return report_for(proposal, status=ReportStatus.DRAFT)
    report = report_for(proposal, status=ReportStatus.CHECKED)
    report.signed_file.save("signed.pdf", ContentFile(SIGNED))
    return report


def test_drafts_stay_unnumbered_before_confirmation(year):
    actor = secretariat_of(year)
    assert all(issue_document(name, year, actor) is None for name in DOCUMENTS)
    assert issue_achievement(nominee_report(year), actor) is None
    assert not RegisterEntry.objects.exists()


def test_each_document_is_issued_once_confirmed_and_keeps_its_number(year):
    confirm(year)
    actor = secretariat_of(year)
    first = {name: issue_document(name, year, actor) for name in DOCUMENTS}
    second = {name: issue_document(name, year, actor) for name in DOCUMENTS}
    for name in DOCUMENTS:
        assert first[name].pk == second[name].pk, name
        assert first[name].read_bytes() == second[name].read_bytes()
        assert first[name].entry.key == f"blocyear:{year.pk}:{name}"
        assert first[name].entry.agency == year.chair
        assert hashlib.sha256(first[name].read_bytes()).hexdigest() == first[name].sha256
    numbers = [issued.entry.number_symbol for issued in first.values()]
    assert len(set(numbers)) == 4
    assert first["submission"].entry.doc_type == DocType.SUBMISSION
    assert first["report"].entry.doc_type == DocType.REPORT
    assert first["counting"].entry.symbol == f"BB-KTĐ{year.bloc.number}"
    # The submission quotes the minutes' register number and its own.
    text = " ".join(text_of(first["submission"].read_bytes()).split())
    assert first["minutes"].entry.number_symbol in text
    assert f"Số: {first['submission'].entry.number_symbol}" in text


@pytest.mark.parametrize("name", ["counting_pdf", "submission_pdf", "report_pdf"])
def test_the_pages_serve_the_issued_pdf_with_the_same_bytes(client, year, name):
    confirm(year)
    client.force_login(secretariat_of(year))
    url = reverse(f"awards:{name}", args=[year.bloc_id, year.year])
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert IssuedDocument.objects.count() == 1
    assert IssuedDocument.objects.get().sha256 == hashlib.sha256(first.content).hexdigest()


def test_the_achievement_report_is_issued_by_the_nominee(client, year):
    report = nominee_report(year)
    confirm(year)
    client.force_login(secretariat_of(year))
    url = reverse("awards:achievement_pdf", args=[year.bloc_id, year.year, report.proposal.pk])
    first, second = client.get(url), client.get(url)
    assert first.content == second.content
    entry = RegisterEntry.objects.get()
    assert entry.agency == report.proposal.agency
    assert entry.doc_type == DocType.REPORT
    assert entry.key == f"blocyear:{year.pk}:achievement:{report.proposal.pk}"


def test_the_dossier_lists_every_file_with_its_digest(client, year):
    nominee_report(year)
    confirm(year)
    client.force_login(secretariat_of(year))
    response = client.get(reverse("awards:dossier", args=[year.bloc_id, year.year]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].isascii()
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    code = AwardProposal.objects.get(bloc_year=year, award=AwardKind.CERTIFICATE).agency.code
    assert names == [
        "00-muc-luc.pdf",
        "01-to-trinh-va-danh-sach.pdf",
        "02-bien-ban-hop-binh-xet.pdf",
        "03-bien-ban-kiem-phieu.pdf",
        "04-bang-tong-hop-ket-qua-cham-diem.pdf",
        "05-bao-cao-tong-ket.pdf",
        f"06-bao-cao-thanh-tich-{code.lower()}.pdf",
        f"07-bao-cao-thanh-tich-{code.lower()}-ban-ky.pdf",
    ]
    assert all(name.isascii() for name in names)
    manifest = text_of(archive.read("00-muc-luc.pdf"))
    assert "DANH MỤC HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG" in " ".join(manifest.split())
    compact = "".join(manifest.split())
    issued = {issue.sha256: issue for issue in IssuedDocument.objects.select_related("entry")}
    # submission, minutes, counting, score table, report, achievement, and the contents
    assert len(issued) == 7
    for name in names[1:]:
        content = archive.read(name)
        digest = hashlib.sha256(content).hexdigest()
        assert digest in compact, name
        assert name in compact, name
        if name.endswith("-ban-ky.pdf"):
            assert digest not in issued
        else:
            assert issued[digest].entry.number_symbol in compact
    table = issued[hashlib.sha256(archive.read(names[4])).hexdigest()].entry
    assert (table.doc_type, table.key) == (
        DocType.TABLE,
        f"blocyear:{year.pk}:score_table:year_end",
    )
    contents = issued[hashlib.sha256(archive.read(names[0])).hexdigest()].entry
    assert (contents.doc_type, contents.agency) == (DocType.LIST, year.chair)
    assert f"Số: {contents.number_symbol}" in " ".join(manifest.split())
    assert archive.read(names[-1]) == SIGNED
    modified = archive.read(names[1]) + b"\n"
    assert hashlib.sha256(modified).hexdigest() not in compact
    # A second download issues nothing new.
    client.get(reverse("awards:dossier", args=[year.bloc_id, year.year]))
    assert IssuedDocument.objects.count() == 7


def test_who_downloads_the_dossier(client, year):
    url = reverse("awards:dossier", args=[year.bloc_id, year.year])
    member = leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(AgencyStaffFactory())
    assert client.get(url).status_code == 403
    client.force_login(secretariat_of(year))
    assert client.get(url).status_code == 404  # not confirmed: no dossier yet
    confirm(year)
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(BoardUserFactory(board_province=year.bloc.province))
    assert client.get(url).status_code == 200
    client.force_login(BoardUserFactory())  # another province's board
    assert client.get(url).status_code == 403


def test_the_documents_bar_offers_the_dossier_once_confirmed(client, year):
    client.force_login(secretariat_of(year))
    page = reverse("awards:proposals", args=[year.bloc_id, year.year])
    url = reverse("awards:dossier", args=[year.bloc_id, year.year])
    assert url not in client.get(page).content.decode()
    confirm(year)
    assert url in client.get(page).content.decode()
