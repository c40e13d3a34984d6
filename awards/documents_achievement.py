"""A nominee's achievement report (báo cáo thành tích, the collective
template of Decree 152/2025, domain.md §5): the draft the app writes from
the unit's year, and the PDF of the text the unit edits.

The draft saves the unit from copying what the app already knows: its
year-end score and rank with the group scores, the initiatives recognised
at grassroots and provincial level, the covenant's signature, the mid-year
result and the conference's vote. What the app cannot know (address,
functions and organisation, earlier awards) is left as dotted lines for the
unit to complete. The text is plain: lines "I. …", "II. …" are headings,
other lines paragraphs, so the unit edits it in an ordinary text box.

The PDF is issued by the unit itself (its name in the issuer cell, its
head signing) and carries no draft mark: it is what the unit prints, signs
and uploads back.
"""

import re
from dataclasses import dataclass

from config.pdf import render_pdf
from covenants.documents import issuer_lines
from covenants.models import (
    Covenant,
    Initiative,
    InitiativeLevel,
    Period,
    Signature,
    SignatureStatus,
)
from covenants.scores.documents_mid_year import mid_year_results
from covenants.scores.ranking import ranking_table
from members.templatetags.documents import vn_decimal

from .documents import AWARD_WORDS, leader_name, place

__all__ = ["achievement_context", "achievement_draft_text", "achievement_pdf", "text_blocks"]

DOTS = "...................."
_HEADING = re.compile(r"^(?:[IVX]+|[A-Z])\.\s")


@dataclass(frozen=True)
class Block:
    heading: bool
    text: str


def _covenant_line(proposal) -> str:
    bloc_year = proposal.bloc_year
    covenant = Covenant.objects.filter(bloc_year=bloc_year).first()
    signature = (
        Signature.objects.filter(
            covenant=covenant,
            agency=proposal.agency,
            voided_at__isnull=True,
            status=SignatureStatus.SIGNED,
        ).first()
        if covenant
        else None
    )
    if signature is None:
        return f"- Giao ước thi đua năm {bloc_year.year} của Khối: {DOTS}"
    return (
        f"- Đơn vị đã ký kết giao ước thi đua năm {bloc_year.year} của Khối "
        f"ngày {signature.signed_at:%d/%m/%Y}."
    )


def _mid_year_line(proposal) -> str:
    rows = mid_year_results(proposal.bloc_year, agency_id=proposal.agency_id)
    if not rows:
        return f"- Kết quả sơ kết 6 tháng đầu năm: {DOTS}"
    return f"- Kết quả chấm điểm sơ kết 6 tháng đầu năm: {vn_decimal(rows[0].total)} điểm."


def _score_lines(proposal) -> list[str]:
    table = ranking_table(proposal.bloc_year, Period.YEAR_END)
    row = table.row_for(proposal.agency_id)
    year = proposal.bloc_year.year
    if row is None:
        return [f"- Kết quả chấm điểm thi đua năm {year}: {DOTS}"]
    lines = [
        f"- Kết quả chấm điểm thi đua năm {year}: {vn_decimal(row.total)} điểm, "
        f"xếp thứ {row.rank}/{len(table.rows)} đơn vị trong Khối."
    ]
    groups = [
        f"nhóm {column.code} ({column.title}): {vn_decimal(points)} điểm"
        for column, points in zip(table.columns, row.groups, strict=True)
        if points is not None
    ]
    if groups:
        lines.append(f"- Điểm theo nhóm tiêu chí: {'; '.join(groups)}.")
    extras = []
    if row.score.bonus_total:
        extras.append(f"điểm thưởng: {vn_decimal(row.score.bonus_total)} điểm")
    if row.score.deduction_total:
        extras.append(f"điểm trừ: {vn_decimal(row.score.deduction_total)} điểm")
    if extras:
        lines.append(f"- {'; '.join(extras).capitalize()}.")
    return lines


def _initiatives_line(proposal) -> str:
    counts = dict(
        Initiative.objects.filter(bloc_year=proposal.bloc_year, agency=proposal.agency).values_list(
            "level", "count"
        )
    )
    return (
        f"- Số sáng kiến được công nhận: cấp cơ sở {counts.get(InitiativeLevel.GRASSROOTS, 0)}; "
        f"cấp tỉnh {counts.get(InitiativeLevel.PROVINCIAL, 0)}."
    )


def _vote_line(proposal) -> str:
    award = AWARD_WORDS.get(proposal.award, proposal.award)
    if proposal.votes is None or not proposal.base_count:
        return f"- Được Khối bình xét, đề nghị tặng {award}."
    share = f" ({vn_decimal(proposal.percent, 2)} %)" if proposal.percent is not None else ""
    return (
        f"- Được Khối bình xét, đề nghị tặng {award} với "
        f"{proposal.votes}/{proposal.base_count} phiếu{share}."
    )


def achievement_draft_text(proposal) -> str:
    """The draft of ``proposal``'s report, from the unit's year (see the module docstring)."""
    bloc_year, agency = proposal.bloc_year, proposal.agency
    year = bloc_year.year
    lines = [
        f"Tên tập thể: {agency.name}",
        f"Địa chỉ trụ sở: {DOTS}",
        f"Điện thoại: {DOTS}; Email: {DOTS}",
        f"Thủ trưởng đơn vị: {leader_name(agency) or DOTS}",
        "",
        "I. ĐẶC ĐIỂM, TÌNH HÌNH",
        f"1. Đặc điểm: {agency.name} là đơn vị thành viên của {bloc_year.bloc.name} năm {year}.",
        f"2. Chức năng, nhiệm vụ, tổ chức bộ máy, số lượng cán bộ, công chức, viên chức: {DOTS}",
        "",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "1. Kết quả thực hiện giao ước thi đua",
        _covenant_line(proposal),
        _mid_year_line(proposal),
        *_score_lines(proposal),
        "2. Sáng kiến",
        _initiatives_line(proposal),
        "3. Kết quả bình xét tại hội nghị tổng kết của Khối",
        _vote_line(proposal),
        "",
        "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN",
        f"- Năm ....: hình thức khen thưởng, số và ngày của quyết định: {DOTS}",
    ]
    return "\n".join(lines)


def text_blocks(text: str) -> list[Block]:
    """The report's lines as headings ("I. …") and paragraphs; blank lines dropped."""
    return [
        Block(heading=bool(_HEADING.match(line)), text=line)
        for line in (raw.strip() for raw in text.splitlines())
        if line
    ]


def achievement_context(report) -> dict:
    proposal = report.proposal
    bloc_year, agency = proposal.bloc_year, proposal.agency
    superior, _bloc_line = issuer_lines(bloc_year)
    award = AWARD_WORDS.get(proposal.award, proposal.award)
    return {
        "report": report,
        "bloc_year": bloc_year,
        "blocks": text_blocks(report.text),
        "issuer_superior": superior,
        "issuer_body": agency.name.upper(),
        "place": place(bloc_year),
        "issued_on": None,
        "doc_type": "BÁO CÁO THÀNH TÍCH",
        "summary": f"Đề nghị tặng {award} năm {bloc_year.year}",
        "title": f"Báo cáo thành tích {agency.name} năm {bloc_year.year}",
        "superior_signer": {
            "position": "THỦ TRƯỞNG ĐƠN VỊ CẤP TRÊN TRỰC TIẾP NHẬN XÉT, XÁC NHẬN",
            "note": "(Ký, đóng dấu)",
            "name": "",
        },
        "unit_signer": {
            "position": "THỦ TRƯỞNG ĐƠN VỊ",
            "note": "(Ký, đóng dấu)",
            "name": leader_name(agency),
        },
    }


def achievement_pdf(report) -> bytes:
    return render_pdf("awards/pdf/achievement.html", achievement_context(report))
