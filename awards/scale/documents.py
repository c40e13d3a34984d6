"""The documents a scale bloc-year issued: register lines and their builds' metadata.

As in a real closed year (:mod:`awards.dossier`), the chair agency's register for the
year holds the bloc's documents — score table, minutes, counting minutes, summary
report, submission, dossier contents — numbered 01, 02, … in that order, and each
nominee's achievement report is numbered in the nominee's own register. Each line has
one :class:`~members.models.IssuedDocument` with a token, a size and fingerprints, but
no PDF is stored: the fingerprints are synthetic (``content_key`` never equals a real
content hash, so a page asking for the document renders and issues it afresh).
"""

from __future__ import annotations

import hashlib
import uuid

from members.models import DocType, IssuedDocument, RegisterEntry

from .years import YearInfo

__all__ = ["BLOC_DOCUMENTS", "document_number", "queue_documents"]

#: The bloc's documents in register order: key name, type, title (before the year),
#: issued on (month, day).
BLOC_DOCUMENTS = (
    (
        "score_table:year_end",
        DocType.TABLE,
        "Bảng tổng hợp kết quả chấm điểm thi đua năm",
        (12, 1),
    ),
    ("minutes", DocType.MINUTES, "Biên bản họp bình xét thi đua và kết quả bỏ phiếu năm", (12, 2)),
    ("counting", DocType.MINUTES, "Biên bản kiểm phiếu năm", (12, 2)),
    ("report", DocType.REPORT, "Báo cáo tổng kết công tác thi đua, khen thưởng năm", (12, 2)),
    (
        "submission",
        DocType.SUBMISSION,
        "Tờ trình đề nghị tặng Cờ thi đua, Bằng khen của UBND tỉnh năm",
        (12, 5),
    ),
    ("dossier_manifest", DocType.LIST, "Danh mục hồ sơ đề nghị khen thưởng năm", (12, 5)),
)
_NUMBERS = {name: number for number, (name, *_rest) in enumerate(BLOC_DOCUMENTS, start=1)}


def document_number(info: YearInfo, name: str) -> str:
    """ "02/BB-KTĐ6": the number the bloc document ``name`` holds in the chair's register."""
    doc_type = next(row[1] for row in BLOC_DOCUMENTS if row[0] == name)
    return f"{_NUMBERS[name]:02d}/{doc_type}-{info.issuer}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def queue_documents(writer, info: YearInfo, proposals) -> None:
    """Register lines and builds for the year; ``proposals``: (proposal id, agency)."""
    count = len(BLOC_DOCUMENTS) + len(proposals)
    entry_ids = iter(writer.ids(RegisterEntry, count))
    issue_ids = iter(writer.ids(IssuedDocument, count))
    rows = [
        (info.chair, number, doc_type, name, f"{title} {info.year}", info.day(*when), info.issuer)
        for number, (name, doc_type, title, when) in enumerate(BLOC_DOCUMENTS, start=1)
    ]
    for proposal_id, agency in proposals:
        # One award per unit: a nominee's report is its register's first document of the
        # year, unless the nominee is the chair, whose register holds the bloc's first.
        number = len(BLOC_DOCUMENTS) + 1 if agency is info.chair else 1
        rows.append(
            (
                agency,
                number,
                DocType.REPORT,
                f"achievement:{proposal_id}",
                f"Báo cáo thành tích {agency.name} năm {info.year}",
                info.conference_date,
                agency.code.upper(),
            )
        )
    for agency, number, doc_type, name, title, issued_on, issuer in rows:
        entry_id, issue_id = next(entry_ids), next(issue_ids)
        key = f"blocyear:{info.id}:{name}"
        writer.add(
            RegisterEntry,
            {
                "id": entry_id,
                "agency_id": agency.id,
                "year": info.year,
                "number": number,
                "doc_type": doc_type,
                "key": key,
                "symbol": f"{doc_type}-{issuer}",
                "title": title,
                "issued_on": issued_on,
                "created_by_id": info.secretariat.id,
            },
        )
        token = uuid.uuid4()
        writer.add(
            IssuedDocument,
            {
                "id": issue_id,
                "entry_id": entry_id,
                "token": token,
                "content_key": _digest(f"scale-content:{key}"),
                "file": f"register/{agency.id}/{info.year}/{token}.pdf",
                "sha256": _digest(f"scale-pdf:{key}"),
                "size": 30_000 + (entry_id % 20_000),
            },
        )
