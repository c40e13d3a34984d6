"""A scale bloc-year's scoring: settings, every member's mid-year and year-end sheets
line by line, the published ranking, the mid-year review and the initiatives register.

Year-end sheets are final, each with its self-score, the cross-review (by the next
member on the list, so the chair's sheet goes to the vice-chair) and the agreed value on
every line; mid-year sheets are submitted self-scores (the default settings do not
review them). Lines that require evidence carry a reference in ``evidence_note``, which
counts as evidence, so no file is stored. The sheet's trail keeps its moves, not each
value typed.

The ranking is computed here with the app's pure modules (:func:`covenants.scoring.score_sheet`,
:func:`covenants.ranking.rank_members`) on the stored values, so it is the ranking the
pages compute; the conference's candidates and proposals quote it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from covenants.models import (
    Initiative,
    InitiativeLevel,
    MidYearReview,
    MidYearStatus,
    Period,
    RankingPublication,
    ScoreEvent,
    ScoreLine,
    ScoreSheet,
    ScoringSettings,
    ScoringYearEvent,
    SheetStatus,
)
from covenants.ranking import DEFAULT_TIE_BREAKS, MemberScore, rank_members
from covenants.scores.values import line_input
from covenants.scoring import score_sheet

from .people import AgencyInfo
from .template import line_values
from .years import YearInfo, at

__all__ = ["Ranked", "queue_mid_year", "queue_scores"]

EXPLANATION = "Đã thực hiện theo kế hoạch năm; có báo cáo kèm theo."
REVIEW_NOTE = "Minh chứng chưa thể hiện đầy đủ kết quả."


@dataclass(frozen=True)
class Ranked:
    agency: AgencyInfo
    rank: int
    total: Decimal


def queue_scores(
    writer, rng: random.Random, info: YearInfo, preset, draft, lines, template_id, criteria
) -> list[Ranked]:
    """Queue the year's sheets and lines; return the year-end ranking, best first."""
    members = info.members
    writer.add(
        ScoringSettings,
        {
            "id": writer.id(ScoringSettings),
            "bloc_year_id": info.id,
            "mid_year_deadline": info.day(7, 10),
            "year_end_deadline": info.day(11, 30),
        },
    )
    published_at = at(info.day(12, 1), 9)
    writer.add(
        RankingPublication,
        {
            "id": writer.id(RankingPublication),
            "bloc_year_id": info.id,
            "period": Period.YEAR_END,
            "published_at": published_at,
            "published_by_id": info.secretariat.id,
        },
    )
    periods = (Period.YEAR_END, Period.MID_YEAR) if preset.mid_year else (Period.YEAR_END,)
    sheet_ids = iter(writer.ids(ScoreSheet, len(members) * len(periods)))
    line_ids = iter(writer.ids(ScoreLine, len(members) * len(periods) * len(lines)))
    event_ids = iter(writer.ids(ScoreEvent, len(members) * (3 + len(periods))))
    scores = []
    for index, agency in enumerate(members):
        skill = rng.uniform(0.72, 0.97)
        female = Decimal(rng.randint(25, 80))
        reviewer = members[(index + 1) % len(members)]
        for period in periods:
            final = period == Period.YEAR_END
            sheet_id = next(sheet_ids)
            submitted_at = at(info.day(11, 28) if final else info.day(7, 8))
            writer.add(
                ScoreSheet,
                {
                    "id": sheet_id,
                    "bloc_year_id": info.id,
                    "period": period,
                    "agency_id": agency.id,
                    "template_id": template_id,
                    "status": SheetStatus.FINAL if final else SheetStatus.SUBMITTED,
                    "reviewer_agency_id": reviewer.id if final else None,
                    "female_percent": female,
                    "submitted_at": submitted_at,
                    "submitted_by_id": agency.leader.id,
                    "review_submitted_at": at(info.day(11, 30)) if final else None,
                    "review_submitted_by_id": reviewer.leader.id if final else None,
                    "finalized_at": at(info.day(12, 1), 8) if final else None,
                    "finalized_by_id": info.secretariat.id if final else None,
                },
            )
            values = line_values(rng, lines, skill, reviewed=final)
            inputs = {}
            for order, (line, value) in enumerate(zip(lines, values, strict=True), 1):
                agreed = value.review_value if final else None
                writer.add(
                    ScoreLine,
                    {
                        "id": next(line_ids),
                        "sheet_id": sheet_id,
                        "criterion_id": criteria[line.key],
                        "key": line.key,
                        "order": order,
                        "self_value": value.self_value,
                        "explanation": EXPLANATION,
                        "evidence_note": f"Báo cáo số {order}/BC-{agency.code.upper()}"
                        if line.criterion.evidence_required
                        else "",
                        "review_value": agreed,
                        "review_note": REVIEW_NOTE if final and value.reason else "",
                        "final_value": agreed,
                        "final_reason": value.reason if final else "",
                    },
                )
                if final:
                    inputs[line.key] = line_input(line.criterion, agreed)
            trail = [("submit", agency.leader, submitted_at)]
            if final:
                trail += [
                    ("review_submitted", reviewer.leader, at(info.day(11, 30))),
                    ("finalize", info.secretariat, at(info.day(12, 1), 8)),
                    ("ranking_published", info.secretariat, published_at),
                ]
            for action, actor, moment in trail:
                writer.add(
                    ScoreEvent,
                    {
                        "id": next(event_ids),
                        "sheet_id": sheet_id,
                        "action": action,
                        "actor_id": actor.id,
                        "at": moment,
                    },
                )
            if final:
                score = score_sheet(draft, inputs)
                scores.append(
                    MemberScore(
                        agency_id=agency.id,
                        name=agency.name,
                        total=score.total,
                        group_totals=score.group_totals,
                        deduction_total=score.deduction_total,
                        female_share=female / 100,
                    )
                )
    by_id = {agency.id: agency for agency in members}
    return [
        Ranked(by_id[row.member.agency_id], row.rank, row.member.total)
        for row in rank_members(scores, tie_breaks=DEFAULT_TIE_BREAKS, first_group="I")
    ]


def queue_mid_year(writer, rng: random.Random, info: YearInfo) -> None:
    """The mid-year review (held, with its record) and each member's initiatives."""
    held_at = at(info.review_date, 11)
    writer.add(
        MidYearReview,
        {
            "id": writer.id(MidYearReview),
            "bloc_year_id": info.id,
            "status": MidYearStatus.HELD,
            "number": f"02/BB-{info.issuer}",
            "held_on": info.review_date,
            "place": f"Hội trường {info.chair.name}",
            "chaired_by": f"{info.chair.leader.full_name}, Giám đốc",
            "secretary": f"{info.chair.officer.full_name}, {info.chair.officer.position}",
            "host_agency_id": info.chair.id,
            "attendees": "\n".join(f"Đại diện lãnh đạo {a.name}" for a in info.members),
            "results_summary": "Các đơn vị trong Khối đã triển khai đầy đủ nội dung giao ước; "
            "100% đơn vị nộp bảng tự chấm điểm 6 tháng đúng hạn.",
            "limitations": "Một số đơn vị gửi báo cáo chậm; minh chứng chưa đầy đủ.",
            "second_half_tasks": "Tập trung hoàn thành chỉ tiêu năm; tổ chức chấm chéo.",
            "held_at": held_at,
            "held_by_id": info.secretariat.id,
        },
    )
    writer.add(
        ScoringYearEvent,
        {
            "id": writer.id(ScoringYearEvent),
            "bloc_year_id": info.id,
            "subject": "mid_year",
            "action": "held",
            "actor_id": info.secretariat.id,
            "at": held_at,
        },
    )
    ids = iter(writer.ids(Initiative, 2 * len(info.members)))
    updated_at = at(info.day(10, 15))
    for agency in info.members:
        for level, count in (
            (InitiativeLevel.GRASSROOTS, rng.randint(3, 40)),
            (InitiativeLevel.PROVINCIAL, rng.randint(0, 3)),
        ):
            writer.add(
                Initiative,
                {
                    "id": next(ids),
                    "bloc_year_id": info.id,
                    "agency_id": agency.id,
                    "level": level,
                    "count": count,
                    "decisions": f"Quyết định số {rng.randint(10, 99)}/QĐ-HĐSK "
                    f"ngày 15/10/{info.year}",
                    "updated_at": updated_at,
                    "updated_by_id": agency.officer.id,
                },
            )
