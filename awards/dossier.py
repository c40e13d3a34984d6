"""The conference's issued documents and the bloc-year's dossier for the board.

Once the conference's results are confirmed, every document of the conference is an
*issued* one (domain rule 30): the minutes, the counting minutes, the submission with its
list and the summary report under the chair agency's register ("05/BB-KTĐ6"), each
nominee's achievement report under the nominee's own register. :func:`issue_document`
and :func:`issue_achievement` go through :func:`members.documents.issue_pdf`, so the
number is taken once and kept, the PDF is stored, fingerprinted, QR-coded and rebuilt only
when its content changes. Before confirmation the documents are drafts: the views render
them unnumbered and nothing is registered.

:func:`dossier_zip` is the dossier the secretariat files with the board (rule 32): one PDF
per document and a table of contents (``00-muc-luc.pdf``) giving each file's number, date,
name and SHA-256, the very digest of the bytes in the ZIP, so the board can check that the
file it holds is the one the bloc issued. Only the secretariat and the province's board
download it, and only once the results are confirmed.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import permissions as bloc_permissions
from config.pdf import ascii_filename, render_pdf
from covenants.models import Period
from covenants.scores.documents import score_table_pdf
from covenants.scores.ranking import ranking_table
from members.documents import issue_pdf, register, template_html
from members.models import DocType
from members.templatetags.documents import doc_number

from . import core
from .documents import conference_for_documents, issuer, place, proposals_in_order, submitted_on
from .documents_achievement import achievement_context
from .documents_minutes import counting_context, minutes_context
from .documents_report import report_context
from .documents_submission import submission_context
from .models import AchievementReport, ConferenceStatus
from .permissions import is_secretariat

__all__ = [
    "DOCUMENTS",
    "DossierNotReady",
    "can_download_dossier",
    "dossier_files",
    "dossier_zip",
    "issue_achievement",
    "issue_document",
]

MANIFEST_TEMPLATE = "awards/pdf/dossier_manifest.html"
MANIFEST_NAME = "00-muc-luc.pdf"


class DossierNotReady(Exception):
    """The results are not confirmed: there is no dossier yet (the views answer 404)."""


@dataclass(frozen=True)
class BlocDocument:
    """One document the bloc issues under the chair agency's register."""

    name: str  # the key's last part: "blocyear:<id>:<name>"
    doc_type: str
    template: str
    context: Callable
    words: str  # the file name's words


DOCUMENTS = {
    doc.name: doc
    for doc in (
        BlocDocument(
            "minutes",
            DocType.MINUTES,
            "awards/pdf/minutes.html",
            minutes_context,
            "Biên bản họp bình xét thi đua",
        ),
        BlocDocument(
            "counting",
            DocType.MINUTES,
            "awards/pdf/counting.html",
            counting_context,
            "Biên bản kiểm phiếu",
        ),
        BlocDocument(
            "submission",
            DocType.SUBMISSION,
            "awards/pdf/submission.html",
            submission_context,
            "Tờ trình đề nghị khen thưởng",
        ),
        BlocDocument(
            "report",
            DocType.REPORT,
            "awards/pdf/summary_report.html",
            report_context,
            "Báo cáo tổng kết thi đua",
        ),
    )
}


def _confirmed(conference) -> bool:
    return conference is not None and conference.status == ConferenceStatus.CONFIRMED


def _register_year(conference) -> int:
    """The register's year is the conference's: a submission sent in January keeps the
    number it was given in December."""
    return (conference.held_on or timezone.localdate()).year


def _issued_on(name: str, bloc_year, conference):
    if name == "submission" and (sent := submitted_on(bloc_year)) is not None:
        return timezone.localdate(sent)
    return conference.held_on or timezone.localdate()


def _bloc_register(name: str, bloc_year, conference, actor, title: str):
    doc = DOCUMENTS[name]
    return register(
        agency=bloc_year.chair,
        year=_register_year(conference),
        doc_type=doc.doc_type,
        key=f"blocyear:{bloc_year.pk}:{name}",
        title=title,
        issued_on=_issued_on(name, bloc_year, conference),
        actor=actor,
        issuer_code=f"KTĐ{bloc_year.bloc.number}",
    )


def issue_document(name: str, bloc_year, actor, conference=None):
    """The issued PDF (:class:`members.models.IssuedDocument`) of one bloc document, or
    None while it is a draft (results not confirmed, or no chair to issue it).

    The caller checks who may read it (:func:`awards.documents.can_view_documents`).
    The submission quotes the minutes' and its own register numbers, so the minutes
    are registered first.
    """
    conference = conference or conference_for_documents(bloc_year)
    if not _confirmed(conference) or bloc_year.chair is None:
        return None
    doc = DOCUMENTS[name]
    context = doc.context(bloc_year, conference)
    if name == "submission":
        minutes_title = minutes_context(bloc_year, conference)["title"]
        minutes = _bloc_register("minutes", bloc_year, conference, actor, minutes_title)
        own = _bloc_register(name, bloc_year, conference, actor, context["title"])
        context["minutes_number"] = minutes.number_symbol
        context["reference_number"] = (
            doc_number(own.number, own.symbol).removeprefix("Số:").lstrip(" ")
        )
    return issue_pdf(
        agency=bloc_year.chair,
        year=_register_year(conference),
        doc_type=doc.doc_type,
        key=f"blocyear:{bloc_year.pk}:{name}",
        title=context["title"],
        issued_on=_issued_on(name, bloc_year, conference),
        render=lambda ctx: render_pdf(doc.template, ctx),
        html=template_html(doc.template),
        context=context,
        actor=actor,
        issuer_code=f"KTĐ{bloc_year.bloc.number}",
    )


def issue_achievement(report: AchievementReport, actor, conference=None):
    """The issued achievement report, numbered in the nominee agency's register (the
    unit reports on itself), or None before the results are confirmed."""
    proposal = report.proposal
    bloc_year = proposal.bloc_year
    conference = conference or conference_for_documents(bloc_year)
    if not _confirmed(conference):
        return None
    template = "awards/pdf/achievement.html"
    context = achievement_context(report)
    return issue_pdf(
        agency=proposal.agency,
        year=_register_year(conference),
        doc_type=DocType.REPORT,
        key=f"blocyear:{bloc_year.pk}:achievement:{proposal.pk}",
        title=context["title"],
        issued_on=conference.held_on or timezone.localdate(),
        render=lambda ctx: render_pdf(template, ctx),
        html=template_html(template),
        context=context,
        actor=actor,
    )


# The dossier ---------------------------------------------------------------------------


def can_download_dossier(user, bloc_year) -> bool:
    """The secretariat and the province's board: the dossier is theirs to file and
    receive; the members read the documents one by one."""
    return is_secretariat(user, bloc_year) or bloc_permissions.is_board_for(
        user, bloc_year.bloc.province_id
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
    table = ranking_table(bloc_year, Period.YEAR_END)
    files.append(
        DossierFile(
            title=f"Bảng tổng hợp kết quả chấm điểm thi đua năm {bloc_year.year}",
            filename=name("bang-tong-hop-ket-qua-cham-diem"),
            content=score_table_pdf(table),
        )
    )
    issued = issue_document("report", bloc_year, actor, conference)
    files.append(_issued_file(issued, name("bao-cao-tong-ket")))
    for proposal in proposals_in_order(bloc_year):
        report = AchievementReport.objects.filter(proposal=proposal).first()
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


def _manifest(bloc_year, conference, files: list[DossierFile]) -> bytes:
    superior, body = issuer(bloc_year)
    return render_pdf(
        MANIFEST_TEMPLATE,
        {
            "bloc_year": bloc_year,
            "issuer_superior": superior,
            "issuer_body": body,
            "place": place(bloc_year),
            "issued_on": timezone.localdate(),
            "doc_type": "DANH MỤC HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG",
            "summary": f"{bloc_year.bloc.name} năm {bloc_year.year}",
            "title": f"Danh mục hồ sơ đề nghị khen thưởng năm {bloc_year.year}",
            "landscape": True,
            "files": files,
        },
    )


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, content in entries:
            info = zipfile.ZipInfo(filename, date_time=timezone.localtime().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def dossier_zip(bloc_year, actor) -> bytes:
    """The year's dossier as a ZIP: the table of contents, then one PDF per document.

    Raises PermissionDenied for anyone but the secretariat and the province's board,
    :class:`DossierNotReady` before the results are confirmed (or without a chair to
    issue the documents). Issuing registers numbers once; the download is recorded in
    the conference's trail.
    """
    if not can_download_dossier(actor, bloc_year):
        raise PermissionDenied(_("Only the secretariat and the board download the dossier."))
    conference = conference_for_documents(bloc_year)
    if not _confirmed(conference) or bloc_year.chair is None:
        raise DossierNotReady
    files = dossier_files(bloc_year, actor, conference)
    manifest = _manifest(bloc_year, conference, files)
    core.record(bloc_year, "dossier_downloaded", actor=actor, note=f"{len(files)} files")
    return _zip([(MANIFEST_NAME, manifest), *((f.filename, f.content) for f in files)])
