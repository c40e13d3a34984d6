"""One closed bloc-year of the scale dataset: the year, its members and stage trail, the
signed covenant and the frozen scoring sheet (blocs and covenants rows).

Every year follows the same calendar (signing on 05/03, mid-year review on 18/07,
conference on 02/12, dossier by 10/12) and ends closed, as the demo's past years do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from blocs.models import BlocYear, MemberRole, Membership, StageChange
from blocs.stages import TRANSITIONS, Stage
from covenants.models import (
    Commitment,
    Covenant,
    CovenantEvent,
    CovenantStatus,
    ScoringCriterion,
    ScoringGroup,
    ScoringTemplate,
    Signature,
    SignatureMethod,
    SignatureStatus,
    TemplateStatus,
)

from .people import AgencyInfo, BlocInfo, ProvinceInfo

__all__ = ["YearInfo", "at", "queue_bloc_year", "queue_covenant", "queue_template", "year_info"]

THEMES = (
    "Đoàn kết, sáng tạo, nâng cao hiệu quả công tác",
    "Đổi mới, tinh gọn, hiệu quả",
    "Kỷ cương, trách nhiệm, hành động, sáng tạo",
)
COMMITMENTS = (
    ("I. Thực hiện nhiệm vụ chính trị", "Hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ được giao."),
    ("I. Thực hiện nhiệm vụ chính trị", "Tham mưu kịp thời, có chất lượng các văn bản chỉ đạo."),
    ("II. Cải cách hành chính", "Giải quyết 100% hồ sơ thủ tục hành chính đúng hạn."),
    ("II. Cải cách hành chính", "Đẩy mạnh chuyển đổi số, sử dụng văn bản điện tử."),
    ("III. Thi đua, khen thưởng", "Phát động và tổ chức thực hiện tốt các phong trào thi đua."),
    ("III. Thi đua, khen thưởng", "Phát hiện, bồi dưỡng và nhân rộng điển hình tiên tiến."),
)
#: When each stage move happened (month, day) and whether the board made it.
STAGE_DATES = {
    "open_signing": ((1, 20), True),
    "start_year": ((3, 5), False),
    "open_scoring": ((10, 1), False),
    "open_conference": ((12, 1), False),
    "submit_proposals": ((12, 5), False),
    "close_year": ((12, 20), True),
}


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour`` in the site's time zone."""
    return datetime.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone()
    )


@dataclass
class YearInfo:
    id: int
    year: int
    province: ProvinceInfo
    bloc: BlocInfo
    chair: AgencyInfo
    vice_chair: AgencyInfo
    next_chair: AgencyInfo
    next_vice_chair: AgencyInfo

    @property
    def members(self) -> list[AgencyInfo]:
        return self.bloc.agencies

    @property
    def secretariat(self):
        """The chair agency's emulation officer acts for the secretariat."""
        return self.chair.officer

    def day(self, month: int, day: int) -> datetime.date:
        return datetime.date(self.year, month, day)

    @property
    def signing_date(self):
        return self.day(3, 5)

    @property
    def review_date(self):
        return self.day(7, 18)

    @property
    def conference_date(self):
        return self.day(12, 2)

    @property
    def issuer(self) -> str:
        """The bloc as the issuer of its documents ("KTĐ6")."""
        return f"KTĐ{self.bloc.number}"


def year_info(writer, province, bloc, index: int, year: int) -> YearInfo:
    chair, vice = bloc.officers(index)
    next_chair, next_vice = bloc.officers(index + 1)
    return YearInfo(writer.id(BlocYear), year, province, bloc, chair, vice, next_chair, next_vice)


def queue_bloc_year(writer, info: YearInfo) -> None:
    """The year (closed), its members with the chair and vice-chair, and its stage trail."""
    writer.add(
        BlocYear,
        {
            "id": info.id,
            "bloc_id": info.bloc.id,
            "year": info.year,
            "theme": THEMES[info.year % len(THEMES)],
            "stage": Stage.CLOSED,
            "signing_date": info.signing_date,
            "mid_year_review_date": info.review_date,
            "conference_date": info.conference_date,
            "dossier_deadline": info.day(12, 10),
        },
    )
    for agency, membership_id in zip(
        info.members, writer.ids(Membership, len(info.members)), strict=True
    ):
        role = MemberRole.MEMBER
        if agency is info.chair:
            role = MemberRole.CHAIR
        elif agency is info.vice_chair:
            role = MemberRole.VICE_CHAIR
        writer.add(
            Membership,
            {"id": membership_id, "bloc_year_id": info.id, "agency_id": agency.id, "role": role},
        )
    for transition, change_id in zip(
        TRANSITIONS_FORWARD, writer.ids(StageChange, len(TRANSITIONS_FORWARD)), strict=True
    ):
        (month, day), by_board = STAGE_DATES[transition.name]
        actor = info.province.board if by_board else info.secretariat
        writer.add(
            StageChange,
            {
                "id": change_id,
                "bloc_year_id": info.id,
                "transition": transition.name,
                "from_stage": transition.source,
                "to_stage": transition.target,
                "actor_id": actor.id,
                "at": at(info.day(month, day), 8),
            },
        )


#: The moves a year makes from set-up to closed (no return of the proposals).
TRANSITIONS_FORWARD = tuple(t for t in TRANSITIONS if not t.is_backward)


def queue_covenant(writer, info: YearInfo) -> None:
    """The covenant, signed in the app by every member's leader at the signing conference."""
    covenant_id = writer.id(Covenant)
    signed_at = at(info.signing_date, 10)
    writer.add(
        Covenant,
        {
            "id": covenant_id,
            "bloc_year_id": info.id,
            "theme": THEMES[info.year % len(THEMES)],
            "status": CovenantStatus.SIGNED,
            "number": f"01/GƯ-{info.issuer}",
            "regulation": "Quy chế hoạt động của Khối quy định nhiệm vụ của Khối trưởng, "
            "Khối phó và các đơn vị thành viên; chế độ hội họp; phương pháp chấm điểm.",
            "scoring_guide": "Các đơn vị tự chấm điểm theo Bảng chấm điểm kèm minh chứng; "
            "Khối trưởng tổ chức chấm chéo và tổng hợp.",
            "conference_date": info.signing_date,
            "conference_place": f"Hội trường {info.chair.name}",
            "host_agency_id": info.chair.id,
            "chaired_by": f"{info.chair.leader.full_name}, Giám đốc {info.chair.name}",
            "attendees": "Lãnh đạo và cán bộ phụ trách thi đua của các đơn vị thành viên.",
        },
    )
    for (order, (group, text)), commitment_id in zip(
        enumerate(COMMITMENTS, start=1), writer.ids(Commitment, len(COMMITMENTS)), strict=True
    ):
        writer.add(
            Commitment,
            {
                "id": commitment_id,
                "covenant_id": covenant_id,
                "order": order,
                "group": group,
                "text": text,
            },
        )
    for agency, signature_id in zip(
        info.members, writer.ids(Signature, len(info.members)), strict=True
    ):
        writer.add(
            Signature,
            {
                "id": signature_id,
                "covenant_id": covenant_id,
                "agency_id": agency.id,
                "status": SignatureStatus.SIGNED,
                "method": SignatureMethod.APP,
                "signer_name": agency.leader.full_name,
                "signer_title": agency.leader.position,
                "signed_at": signed_at,
                "recorded_by_id": agency.leader.id,
            },
        )
    opened, completed = writer.ids(CovenantEvent, 2)
    for event_id, action, source, target, actor, moment in (
        (opened, "open", "draft", "open", info.province.board, at(info.day(1, 20), 8)),
        (completed, "complete", "open", "signed", info.members[-1].leader, signed_at),
    ):
        writer.add(
            CovenantEvent,
            {
                "id": event_id,
                "covenant_id": covenant_id,
                "action": action,
                "from_status": source,
                "to_status": target,
                "actor_id": actor.id,
                "at": moment,
            },
        )


def queue_template(writer, info: YearInfo, draft) -> tuple[int, dict[str, int]]:
    """The year's scoring sheet, frozen when signing opened: its id and the criterion id
    of each scored line's key ("I.2.1")."""
    template_id = writer.id(ScoringTemplate)
    writer.add(
        ScoringTemplate,
        {
            "id": template_id,
            "bloc_year_id": info.id,
            "version": 1,
            "status": TemplateStatus.FROZEN,
            "base_total": draft.base_total,
            "bonus_cap": draft.bonus_cap,
            "deduction_cap": draft.deduction_cap,
            "created_at": at(info.day(1, 10)),
            "created_by_id": info.secretariat.id,
            "frozen_at": at(info.day(1, 20), 8),
        },
    )
    group_ids = writer.ids(ScoringGroup, len(draft.groups))
    rows = sum(1 + len(c.children) for g in draft.groups for c in g.criteria)
    criterion_ids = iter(writer.ids(ScoringCriterion, rows))
    by_key: dict[str, int] = {}
    for order, (group, group_id) in enumerate(zip(draft.groups, group_ids, strict=True), 1):
        writer.add(
            ScoringGroup,
            {
                "id": group_id,
                "template_id": template_id,
                "order": order,
                "code": group.code,
                "title": group.title,
                "max_points": group.max_points,
            },
        )
        # One running order per group, as the sheet services write it: a parent, its
        # sub-criteria, the next parent.
        position = 0
        for criterion in group.criteria:
            position += 1
            parent_id = next(criterion_ids)
            _criterion(writer, criterion, parent_id, group_id, None, position)
            if not criterion.children:
                by_key[f"{group.code}.{criterion.code}"] = parent_id
            for child in criterion.children:
                position += 1
                child_id = next(criterion_ids)
                _criterion(writer, child, child_id, group_id, parent_id, position)
                by_key[f"{group.code}.{child.code}"] = child_id
    return template_id, by_key


def _criterion(writer, criterion, criterion_id, group_id, parent_id, order) -> None:
    writer.add(
        ScoringCriterion,
        {
            "id": criterion_id,
            "group_id": group_id,
            "parent_id": parent_id,
            "order": order,
            "code": criterion.code,
            "title": criterion.title,
            "kind": criterion.kind,
            "max_points": criterion.max_points,
            "points_per_item": criterion.points_per_item,
            "evidence_required": criterion.evidence_required,
            "guidance": criterion.guidance,
        },
    )
