"""The minutes of the year-end meeting with the ballot results (Mẫu 1.9
"BIÊN BẢN HỌP BÌNH XÉT THI ĐUA VÀ KẾT QUẢ BỎ PHIẾU") and the counting
committee's minutes (BIÊN BẢN KIỂM PHIẾU), domain.md §5.1.

Both print every *closed* poll, round by round: the ballots issued,
returned, invalid and valid, each candidate's votes and share, and the
rule as the minutes must quote it ("7/9 phiếu = 77,78 % ≥ 2/3 tổng số
thành viên"), as :mod:`.documents_polls` writes them.

The minutes' conclusions come from what the conference decided: the award
proposals, next year's officers and the flag handover once recorded.
"""

from config.pdf import render_pdf
from members.templatetags.documents import vn_date, vn_decimal

from .documents import (
    AWARD_WORDS,
    conference_for_documents,
    current_memberships,
    issuer,
    number_parts,
    place,
    proposals_in_order,
)
from .documents_polls import PollReport, ResultLine, poll_reports
from .documents_reads import shared, year_end_table
from .models import (
    Attendance,
    AwardKind,
    ConferenceStatus,
    CountingMember,
    CountingRole,
    FlagHandover,
)

__all__ = [
    "PollReport",
    "ResultLine",
    "counting_context",
    "counting_pdf",
    "minutes_context",
    "minutes_pdf",
    "minutes_title",
    "poll_reports",
]


def _signer(position: str, name_and_title: str) -> dict:
    """Decree 30 signs with the name alone: "Trần Thị Thủy, chuyên viên" → the name."""
    return {"position": position, "name": (name_and_title or "").split(",", 1)[0].strip()}


def _attendance(bloc_year, conference) -> list[dict]:
    """Every current member, as the register has it (absent when not on it)."""
    register = {row.agency_id: row for row in Attendance.objects.filter(conference=conference)}
    rows = []
    for membership in current_memberships(bloc_year):
        row = register.get(membership.agency_id)
        present = row is not None and row.present
        rows.append(
            {
                "agency": membership.agency.name,
                "name": row.representative_name if present else "",
                "title": row.representative_title if present else "",
                "note": ("Dự thay (được ủy quyền)" if row.is_proxy else "")
                if present
                else "Vắng mặt",
                "present": present,
            }
        )
    return rows


def _proposal_line(proposal) -> str:
    parts = []
    if proposal.votes is not None and proposal.base_count:
        share = f" = {vn_decimal(proposal.percent, 2)} %" if proposal.percent is not None else ""
        parts.append(f"{proposal.votes}/{proposal.base_count} phiếu{share}")
    if proposal.rank:
        parts.append(f"xếp thứ {proposal.rank} về điểm thi đua")
    line = proposal.agency.name + (f" ({'; '.join(parts)})" if parts else "")
    if proposal.reason.strip():
        line += f"; lý do: {proposal.reason.strip()}"
    return line


def _handover_line(bloc_year) -> str:
    handover = (
        FlagHandover.objects.select_related("outgoing", "incoming")
        .filter(bloc_year=bloc_year)
        .first()
    )
    if handover is None:
        return ""
    return (
        f"{vn_date(handover.handed_on).capitalize()}, {handover.outgoing.name} "
        f"(Khối trưởng năm {bloc_year.year}) đã bàn giao Cờ luân lưu cho "
        f"{handover.incoming.name} (Khối trưởng năm {bloc_year.year + 1})."
    )


def _common(bloc_year, conference, field: str) -> dict:
    superior, body = issuer(bloc_year)
    number, symbol = number_parts(getattr(conference, field), "BB", bloc_year)
    return {
        "bloc_year": bloc_year,
        "conference": conference,
        "is_draft": conference.status != ConferenceStatus.CONFIRMED,
        "issuer_superior": superior,
        "issuer_body": body,
        "number": number,
        "symbol": symbol,
        "place": place(bloc_year),
        "issued_on": conference.held_on,
        "doc_type": "BIÊN BẢN",
        "polls": poll_reports(bloc_year),
        "committee": shared(
            ("committee", conference.pk),
            lambda: list(
                CountingMember.objects.filter(conference=conference).select_related("agency")
            ),
        ),
    }


def minutes_title(bloc_year) -> str:
    """The minutes' title (the submission quotes the minutes by it)."""
    return f"Biên bản họp bình xét thi đua và kết quả bỏ phiếu năm {bloc_year.year}"


def minutes_context(bloc_year, conference=None) -> dict:
    conference = conference or conference_for_documents(bloc_year)
    year = bloc_year.year
    table = year_end_table(bloc_year)
    attendance = _attendance(bloc_year, conference)
    proposals = proposals_in_order(bloc_year)
    return {
        **_common(bloc_year, conference, "minutes_number"),
        "summary": f"HỌP BÌNH XÉT THI ĐUA VÀ KẾT QUẢ BỎ PHIẾU NĂM {year}",
        "title": minutes_title(bloc_year),
        "attendance": attendance,
        "present_count": sum(1 for row in attendance if row["present"]),
        "member_count": len(attendance),
        "agenda": [
            f"Thông qua dự thảo báo cáo tổng kết công tác thi đua, khen thưởng năm {year}; "
            "các đơn vị thành viên góp ý.",
            f"Thống nhất kết quả chấm điểm thi đua năm {year} (Bảng tổng hợp kết quả chấm điểm).",
            "Bỏ phiếu suy tôn đơn vị dẫn đầu, đề nghị tặng Cờ thi đua của UBND tỉnh.",
            "Bỏ phiếu đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh.",
            f"Bầu Khối trưởng, Khối phó năm {year + 1}; bàn giao Cờ luân lưu.",
            "Thông qua biên bản hội nghị.",
        ],
        "ranking": [(row.rank, row.agency.name, row.total) for row in table.rows],
        "flag_lines": [_proposal_line(p) for p in proposals if p.award == AwardKind.FLAG],
        "certificate_lines": [
            _proposal_line(p) for p in proposals if p.award == AwardKind.CERTIFICATE
        ],
        "award_words": AWARD_WORDS,
        "handover_line": _handover_line(bloc_year),
        "secretary": _signer("THƯ KÝ", conference.secretary),
        "chair": _signer("CHỦ TRÌ", conference.chaired_by),
        "recipients": [
            "Ban Thi đua – Khen thưởng tỉnh (Sở Nội vụ)",
            "Các đơn vị thành viên Khối",
            "Lưu: VT",
        ],
    }


def minutes_pdf(bloc_year, conference=None) -> bytes:
    return render_pdf("awards/pdf/minutes.html", minutes_context(bloc_year, conference))


def _committee_signers(committee) -> list[list[dict]]:
    """The committee's signature blocks, three to a row, the head first."""
    ordered = sorted(committee, key=lambda m: (m.role != CountingRole.HEAD, m.order, m.pk))
    blocks = [
        {
            "position": "TRƯỞNG BAN" if member.role == CountingRole.HEAD else "THÀNH VIÊN",
            "name": member.full_name,
        }
        for member in ordered
    ]
    return [blocks[i : i + 3] for i in range(0, len(blocks), 3)]


def counting_context(bloc_year, conference=None) -> dict:
    conference = conference or conference_for_documents(bloc_year)
    context = _common(bloc_year, conference, "counting_number")
    committee = sorted(
        context["committee"], key=lambda m: (m.role != CountingRole.HEAD, m.order, m.pk)
    )
    return {
        **context,
        "committee": committee,
        "summary": f"KIỂM PHIẾU BÌNH XÉT THI ĐUA NĂM {bloc_year.year}",
        "title": f"Biên bản kiểm phiếu năm {bloc_year.year}",
        "signer_rows": _committee_signers(committee),
    }


def counting_pdf(bloc_year, conference=None) -> bytes:
    return render_pdf("awards/pdf/counting.html", counting_context(bloc_year, conference))
