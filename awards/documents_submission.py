"""The submission to the provincial chairman (TỜ TRÌNH, ND 152 Mẫu 01 in the
Decree 30 layout Mẫu 1.4) with its attached list of proposed units (DANH
SÁCH ĐỀ NGHỊ KHEN THƯỞNG), domain.md §5.1.

It goes "to the Chairman of the provincial People's Committee, through the
Department of Home Affairs", cites its legal bases (the 2022 Law, Decree
152/2025 and the bloc's minutes), says what is proposed for whom, and is
signed by the chair agency's head for the bloc. The list gives each unit's
award, score, rank and votes, as the conference decided them.
"""

from config.pdf import render_pdf
from members.templatetags.documents import BLANK, doc_number, vn_date, vn_decimal

from .documents import (
    AWARD_WORDS,
    chair_signer,
    conference_for_documents,
    issuer,
    number_parts,
    place,
    proposals_in_order,
    submitted_on,
)
from .models import AwardKind, ConferenceStatus

__all__ = ["submission_context", "submission_pdf"]

LAW = "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
DECREE = (
    "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, "
    "phân quyền trong lĩnh vực thi đua, khen thưởng và quy định chi tiết thi hành Luật Thi đua, "
    "khen thưởng"
)


def _votes(proposal) -> str:
    if proposal.votes is None or not proposal.base_count:
        return ""
    share = f" ({vn_decimal(proposal.percent, 2)} %)" if proposal.percent is not None else ""
    return f"{proposal.votes}/{proposal.base_count}{share}"


def _minutes_number(bloc_year, conference) -> str:
    """ "05/BB-KTĐ6" when the minutes have a register number, else ""."""
    number, symbol = number_parts(conference.minutes_number, "BB", bloc_year)
    return f"{int(number):02d}/{symbol}" if number else ""


def submission_context(bloc_year, conference=None) -> dict:
    conference = conference or conference_for_documents(bloc_year)
    year = bloc_year.year
    superior, body = issuer(bloc_year)
    number, symbol = number_parts(conference.submission_number, "TTr", bloc_year)
    proposals = proposals_in_order(bloc_year)
    issued_on = submitted_on(bloc_year)
    groups = [
        (AWARD_WORDS[kind], [p.agency.name for p in proposals if p.award == kind])
        for kind in (AwardKind.FLAG, AwardKind.CERTIFICATE)
    ]
    rows = [
        {
            "agency": p.agency.name,
            "award": AWARD_WORDS.get(p.award, p.award),
            "score": vn_decimal(p.score) if p.score is not None else "",
            "rank": p.rank or "",
            "votes": _votes(p),
        }
        for p in proposals
    ]
    # "Số: 05/TTr-…" as the list's reference: "05/TTr-…" (blank number, blank date).
    reference_number = doc_number(number, symbol).removeprefix("Số:").lstrip(" ")
    return {
        "bloc_year": bloc_year,
        "conference": conference,
        "is_draft": conference.status != ConferenceStatus.CONFIRMED,
        "issuer_superior": superior,
        "issuer_body": body,
        "number": number,
        "symbol": symbol,
        "place": place(bloc_year),
        "issued_on": issued_on,
        "doc_type": "TỜ TRÌNH",
        "summary": f"Về việc đề nghị tặng Cờ thi đua, Bằng khen của UBND tỉnh năm {year}",
        "title": f"Tờ trình đề nghị tặng Cờ thi đua, Bằng khen của UBND tỉnh năm {year}",
        "addressee": f"Chủ tịch Ủy ban nhân dân tỉnh {place(bloc_year)} (qua Sở Nội vụ)",
        "bases": [LAW, DECREE],
        "minutes_number": _minutes_number(bloc_year, conference),
        "groups": [(words, names) for words, names in groups if names],
        "rows": rows,
        "reference_number": reference_number,
        "reference_date": vn_date(issued_on) if issued_on else f"ngày{BLANK}tháng{BLANK}năm{BLANK}",
        "signer": chair_signer(bloc_year),
        "recipients": [
            "Như trên",
            "Sở Nội vụ (Ban Thi đua – Khen thưởng)",
            "Các đơn vị thành viên Khối",
            "Lưu: VT",
        ],
    }


def submission_pdf(bloc_year, conference=None) -> bytes:
    return render_pdf("awards/pdf/submission.html", submission_context(bloc_year, conference))
