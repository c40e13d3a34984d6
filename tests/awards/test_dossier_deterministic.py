"""The dossier is deterministic: the contents page lists the issued score table with its
number, is dated with the latest document (not today) and is itself issued and cached;
the ZIP's entries carry their documents' dates; two downloads without a data change are
byte-identical, whoever downloads, and a changed document changes the ZIP (that file and
the contents page only). ``dossier_entries`` gives the same entries with the same errors."""

import datetime
import hashlib
import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from awards.dossier import DossierNotReady, dossier_entries, dossier_zip
from awards.models import AchievementReport, AwardKind, AwardProposal, ReportStatus
from blocs.models import MemberRole
from config.pdf import render_pdf
from covenants.models import Period, RankingPublication
from members.models import DocType, IssuedDocument, RegisterEntry
from tests.awards.factories_documents import confirm, documents_year, report_for
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import BoardUserFactory
from tests.members.issued_helpers import text_of

pytestmark = pytest.mark.django_db

SIGNED = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
UTC = datetime.UTC


@pytest.fixture
def year():
    """A confirmed conference on 18/12 with a nominee whose signed report was uploaded
    on 20/12 and the year-end ranking published on 10/12."""
    bloc_year = documents_year(members=5)
    proposal = AwardProposal.objects.get(bloc_year=bloc_year, award=AwardKind.CERTIFICATE)
    report = report_for(proposal, status=ReportStatus.CHECKED)
    report.signed_file.save("signed.pdf", ContentFile(SIGNED), save=False)
    report.uploaded_at = datetime.datetime(bloc_year.year, 12, 20, 3, 0, tzinfo=UTC)
    report.save()
    RankingPublication.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END).update(
        published_at=datetime.datetime(bloc_year.year, 12, 10, 3, 0, tzinfo=UTC)
    )
    confirm(bloc_year)
    return bloc_year


def secretariat_of(bloc_year):
    return officer_of(bloc_year.memberships.get(role=MemberRole.CHAIR).agency)


def entries_of(content: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name) for name in archive.namelist()}


def test_two_downloads_without_a_change_are_byte_identical(year):
    first = dossier_zip(year, secretariat_of(year))
    assert dossier_zip(year, secretariat_of(year)) == first
    board = BoardUserFactory(board_province=year.bloc.province)
    assert dossier_zip(year, board) == first  # whoever downloads it
    assert IssuedDocument.objects.count() == 7


def test_the_contents_page_lists_the_issued_score_table_and_is_dated_with_the_last_document(
    year,
):
    entries = entries_of(dossier_zip(year, secretariat_of(year)))
    table = RegisterEntry.objects.get(doc_type=DocType.TABLE)
    assert table.agency == year.chair
    assert table.number_symbol.endswith(f"/BTH-KTĐ{year.bloc.number}")
    assert table.issued_on == datetime.date(year.year, 12, 10)
    table_pdf = entries["04-bang-tong-hop-ket-qua-cham-diem.pdf"]
    assert hashlib.sha256(table_pdf).hexdigest() == table.issues.get().sha256
    assert f"Văn bản số: {table.number_symbol}" in text_of(table_pdf)
    contents = text_of(entries["00-muc-luc.pdf"])
    compact = contents.replace(" ", "")
    assert table.number_symbol in compact
    assert "10/12/" in contents
    assert hashlib.sha256(table_pdf).hexdigest() in compact
    # Dated with the signed report's upload (20/12), the latest document, not today.
    assert f"ngày 20 tháng 12 năm {year.year}" in contents
    listing = RegisterEntry.objects.get(doc_type=DocType.LIST)
    assert listing.issued_on == datetime.date(year.year, 12, 20)
    assert listing.title == f"Danh mục hồ sơ đề nghị khen thưởng năm {year.year}"


def test_the_zip_entries_carry_their_documents_dates(year):
    archive = zipfile.ZipFile(io.BytesIO(dossier_zip(year, secretariat_of(year))))
    dates = {info.filename: info.date_time for info in archive.infolist()}
    y = year.year
    assert dates["00-muc-luc.pdf"] == (y, 12, 20, 0, 0, 0)
    assert dates["02-bien-ban-hop-binh-xet.pdf"] == (y, 12, 18, 0, 0, 0)
    assert dates["04-bang-tong-hop-ket-qua-cham-diem.pdf"] == (y, 12, 10, 0, 0, 0)
    assert next(d for n, d in dates.items() if n.endswith("-ban-ky.pdf")) == (y, 12, 20, 0, 0, 0)


def test_a_changed_document_changes_that_file_the_contents_and_the_zip(year):
    actor = secretariat_of(year)
    before = dossier_zip(year, actor)
    AchievementReport.objects.filter(proposal__bloc_year=year).update(
        text="Báo cáo thành tích đã bổ sung số liệu năm"
    )
    after = dossier_zip(year, actor)
    assert after != before
    old, new = entries_of(before), entries_of(after)
    assert list(old) == list(new)
    changed = {name for name in old if old[name] != new[name]}
    achievement = next(n for n in old if "thanh-tich" in n and not n.endswith("-ban-ky.pdf"))
    assert changed == {"00-muc-luc.pdf", achievement}
    assert hashlib.sha256(new[achievement]).hexdigest() in text_of(new["00-muc-luc.pdf"])
    # The contents page keeps its number: a new build of the same register line.
    assert RegisterEntry.objects.filter(doc_type=DocType.LIST).count() == 1
    assert dossier_zip(year, actor) == after


def test_dossier_entries_are_the_zips_entries_contents_first(year):
    actor = secretariat_of(year)
    entries = dossier_entries(year, actor)
    assert entries[0][0] == "00-muc-luc.pdf"
    assert dict(entries) == entries_of(dossier_zip(year, actor))
    assert [name for name, _content in entries] == list(entries_of(dossier_zip(year, actor)))


def test_dossier_entries_refuse_like_the_zip():
    bloc_year = documents_year(members=4)
    member = leader_of(bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    with pytest.raises(PermissionDenied):
        dossier_entries(bloc_year, member)
    with pytest.raises(DossierNotReady):
        dossier_entries(bloc_year, secretariat_of(bloc_year))
    confirm(bloc_year)
    assert dossier_entries(bloc_year, secretariat_of(bloc_year))[0][0] == "00-muc-luc.pdf"


def test_weasyprint_writes_the_same_bytes_for_the_same_html():
    """Measured, so that a WeasyPrint upgrade that embeds a date or a random identifier
    shows up here: the dossier does not rely on it (issued files are cached), but a
    draft rendered twice should not differ either."""
    context = {
        "issuer_superior": "UBND TỈNH QUẢNG NGÃI",
        "issuer_body": "KHỐI THI ĐUA SỐ 6",
        "doc_type": "BIÊN BẢN",
        "summary": "Họp Khối",
        "place": "Quảng Ngãi",
        "issued_on": datetime.date(2026, 12, 18),
    }
    # Printed twice for real: the in-memory cache would hand back the first bytes.
    first = render_pdf("pdf/sample.html", context, use_cache=False)
    second = render_pdf("pdf/sample.html", context, use_cache=False)
    assert first == second
    assert b"/CreationDate" not in first
    assert re.search(rb"/ID\s*\[", first) is None
