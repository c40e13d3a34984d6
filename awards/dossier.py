"""The bloc-year's dossier for the board, built from the conference's issued documents.

Every document of a confirmed conference is an *issued* one (domain rule 30,
:mod:`awards.issued`, re-exported here): the minutes, the counting minutes, the
submission with its list and the summary report under the chair agency's register
("05/BB-KTĐ6"), each nominee's achievement report under the nominee's own register.

:func:`dossier_zip` is the dossier the secretariat files with the board (rule 32): one PDF
per document (the score table is the issued one, :mod:`covenants.scores.documents`) and a
table of contents (``00-muc-luc.pdf``) giving each file's number, date, name and SHA-256,
the very digest of the bytes in the ZIP, so the board can check that the file it holds is
the one the bloc issued. Only the secretariat and the province's board download it, and
only once the results are confirmed.

The dossier is deterministic: the contents page is itself issued (a list under the
chair's register, cached by content like every issued document) and dated with its
latest document, and the ZIP's entries carry their documents' dates, so downloading it
twice without a data change gives the same bytes, and any changed document changes it.
(WeasyPrint's output is also byte-stable for the same HTML: it writes no creation date
and no random file identifier; the cache does not depend on it.)
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import permissions as bloc_permissions
from config.pdf import ascii_filename
from covenants.issuing import bloc_document_key, issue_bloc_pdf
from covenants.models import Period
from covenants.scores.documents import issue_score_table, score_table_pdf
from members.documents import builds_read_ahead
from members.models import DocType

from . import core
from .documents import (
    conference_for_documents,
    issuer,
    leader_name,
    leaders_read_ahead,
    place,
    proposals_in_order,
)
from .documents_reads import shared_reads, year_end_table
from .issued import (
    DOCUMENTS,
    achievement_key,
    is_confirmed,
    issue_achievement,
    issue_document,
    register_year,
)
from .models import AchievementReport
from .permissions import is_secretariat

__all__ = [
    "DOCUMENTS",
    "DossierNotReady",
    "can_download_dossier",
    "dossier_entries",
    "dossier_files",
    "dossier_zip",
    "issue_achievement",
    "issue_document",
]

MANIFEST_TEMPLATE = "awards/pdf/dossier_manifest.html"
MANIFEST_NAME = "00-muc-luc.pdf"


class DossierNotReady(Exception):
    """The results are not confirmed: there is no dossier yet (the views answer 404)."""


# The dossier ---------------------------------------------------------------------------


def can_download_dossier(user, bloc_year) -> bool:
    """The secretariat and the province's board: the dossier is theirs to file and
    receive; the members read the documents one by one. The board is tested first: it
    needs no query, where the secretariat may read the year's delegations."""
    return bloc_permissions.is_board_for(user, bloc_year.bloc.province_id) or is_secretariat(
        user, bloc_year
    )


@dataclass
class DossierFile:
    """One file of the ZIP and its line in the table of contents."""

    title: str
    filename: str
    content: bytes
    number: str = ""
    issued_on: object = None
    issued_sha256: str = ""  # the verification record's digest, for issued documents

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _issued_file(issued, filename: str) -> DossierFile:
    entry = issued.entry
    return DossierFile(
        title=entry.title,
        filename=filename,
        content=issued.read_bytes(),
        number=entry.number_symbol,
        issued_on=entry.issued_on,
        issued_sha256=issued.sha256,
    )


def dossier_files(bloc_year, actor, conference) -> list[DossierFile]:
    """The dossier's documents in the order rule 32 files them (without the contents)."""
    files: list[DossierFile] = []

    def name(words: str) -> str:
        return f"{len(files) + 1:02d}-{ascii_filename(words + '.pdf')}"

    for key, words in (
        ("submission", "to-trinh-va-danh-sach"),
        ("minutes", "bien-ban-hop-binh-xet"),
        ("counting", "bien-ban-kiem-phieu"),
    ):
        files.append(_issued_file(issue_document(key, bloc_year, actor, conference), name(words)))
    files.append(_score_table_file(bloc_year, actor, name("bang-tong-hop-ket-qua-cham-diem")))
    issued = issue_document("report", bloc_year, actor, conference)
    files.append(_issued_file(issued, name("bao-cao-tong-ket")))
    proposals = proposals_in_order(bloc_year)
    # Every nominee's report in one query, not one per nominee.
    reports = {r.proposal_id: r for r in AchievementReport.objects.filter(proposal__in=proposals)}
    for proposal in proposals:
        report = reports.get(proposal.pk)
        if report is None:
            continue
        proposal.bloc_year = bloc_year
        report.proposal = proposal
        words = f"bao-cao-thanh-tich-{proposal.agency.code}"
        files.append(_issued_file(issue_achievement(report, actor, conference), name(words)))
        if report.signed_file:
            with report.signed_file.open("rb") as handle:
                content = handle.read()
            files.append(
                DossierFile(
                    title=f"Báo cáo thành tích {proposal.agency.name} (bản ký, đóng dấu)",
                    filename=name(f"{words}-ban-ky"),
                    content=content,
                    issued_on=timezone.localdate(report.uploaded_at)
                    if report.uploaded_at
                    else None,
                )
            )
    return files


def _score_table_file(bloc_year, actor, filename: str) -> DossierFile:
    """The issued year-end score table. A confirmed conference implies a published
    ranking (the conference's stage guard); were it not, the draft goes in unnumbered,
    as the secretariat would print it."""
    table = year_end_table(bloc_year)
    issued = issue_score_table(table, actor, signer_name=leader_name(bloc_year.chair))
    if issued is not None:
        return _issued_file(issued, filename)
    return DossierFile(
        title=f"Bảng tổng hợp kết quả chấm điểm thi đua năm {bloc_year.year}",
        filename=filename,
        content=score_table_pdf(table),
    )


def _manifest_date(files: list[DossierFile], conference):
    """The contents page is dated with its latest document: the dossier is complete on
    that day, and the date (so the page) stays the same from one download to the next."""
    dates = [f.issued_on for f in files if f.issued_on is not None]
    return max(dates) if dates else conference.held_on or timezone.localdate()


def _manifest(bloc_year, conference, files: list[DossierFile], actor) -> DossierFile:
    """The contents page, issued under the chair agency's register like the documents it
    lists ("Danh mục hồ sơ", a list). It lists every file's SHA-256, so it is rebuilt
    exactly when a file changed, and otherwise served from the register's cache: the
    dossier of unchanged data is the same bytes at every download."""
    superior, body = issuer(bloc_year)
    issued_on = _manifest_date(files, conference)
    context = {
        "bloc_year": bloc_year,
        "issuer_superior": superior,
        "issuer_body": body,
        "place": place(bloc_year),
        "issued_on": issued_on,
        "doc_type": "DANH MỤC HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG",
        "summary": f"{bloc_year.bloc.name} năm {bloc_year.year}",
        "title": f"Danh mục hồ sơ đề nghị khen thưởng năm {bloc_year.year}",
        "landscape": True,
        "files": files,
    }
    issued = issue_bloc_pdf(
        bloc_year,
        "dossier_manifest",
        doc_type=DocType.LIST,
        template=MANIFEST_TEMPLATE,
        context=context,
        issued_on=issued_on,
        actor=actor,
        year=register_year(conference),
    )
    return _issued_file(issued, MANIFEST_NAME)


def _dossier(bloc_year, actor) -> list[DossierFile]:
    """The contents page, then the documents (see :func:`dossier_entries`)."""
    if not can_download_dossier(actor, bloc_year):
        raise PermissionDenied(_("Only the secretariat and the board download the dossier."))
    conference = conference_for_documents(bloc_year)
    if not is_confirmed(conference) or bloc_year.chair is None:
        raise DossierNotReady
    # The documents overlap (the ranking, the proposals, the signers): read them once;
    # the signers and every document's latest build too, whatever the nominees.
    with shared_reads():
        proposals = proposals_in_order(bloc_year)
        leaders_read_ahead([bloc_year.chair, *(p.agency for p in proposals)])
        with builds_read_ahead(_document_keys(bloc_year, proposals)):
            files = dossier_files(bloc_year, actor, conference)
            return [_manifest(bloc_year, conference, files, actor), *files]


def _document_keys(bloc_year, proposals) -> list[str]:
    """The register keys of every document the dossier packs (see :func:`dossier_files`)."""
    names = [*DOCUMENTS, f"score_table:{Period.YEAR_END.value}", "dossier_manifest"]
    return [bloc_document_key(bloc_year, name) for name in names] + [
        achievement_key(bloc_year, proposal) for proposal in proposals
    ]


def _zip(files: list[DossierFile]) -> bytes:
    """The ZIP of the files, each stamped with its document's date (the contents page's
    date for an undated file) rather than the time of the download: the same files give
    the same bytes. Permissions are fixed too (rw-r--r--)."""
    fallback = files[0].issued_on
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            day = file.issued_on or fallback
            info = zipfile.ZipInfo(file.filename, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, file.content)
    return buffer.getvalue()


def dossier_entries(bloc_year, actor) -> list[tuple[str, bytes]]:
    """The dossier's ZIP entries as ``(filename, content)``: the contents page first,
    then one PDF per document.

    Raises PermissionDenied for anyone but the secretariat and the province's board,
    :class:`DossierNotReady` before the results are confirmed (or without a chair to
    issue the documents). Issuing registers numbers once, and every entry comes from the
    register's cache while its data is unchanged, so two calls give the same bytes. Used
    by :func:`dossier_zip` and by the province-wide bundle, which packs several blocs'.
    """
    return [(file.filename, file.content) for file in _dossier(bloc_year, actor)]


def dossier_zip(bloc_year, actor) -> bytes:
    """The year's dossier as a ZIP of :func:`dossier_entries` (same errors), identical
    bytes while no document changed; the download is recorded in the conference's trail."""
    files = _dossier(bloc_year, actor)
    core.record(bloc_year, "dossier_downloaded", actor=actor, note=f"{len(files) - 1} files")
    return _zip(files)
