"""A conference as the documents read it: the record, the register, the
counting committee, closed polls with their outcome, proposals.

Rows are written directly (the voting and results services are tested on
their own); the outcome JSON follows the schema the results service stores.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from awards.models import (
    AchievementReport,
    Attendance,
    AwardKind,
    AwardProposal,
    Conference,
    ConferenceStatus,
    CountingMember,
    CountingRole,
    Poll,
    PollCandidate,
    PollKind,
    PollStatus,
    ReportStatus,
)
from blocs.models import MemberRole
from members.models import Agency
from tests.awards.factories import conference_year
from tests.members.factories import UserFactory

__all__ = [
    "NAMES",
    "closed_poll",
    "confirm",
    "documents_year",
    "members_in_order",
    "propose",
    "report_for",
]

#: Member names in membership order: the chair, the vice-chair, then members.
NAMES = [
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Trường Cao đẳng Cộng đồng",
    "Sở Khoa học và Công nghệ",
    "Báo Quảng Ngãi",
    "Sở Dân tộc và Tôn giáo",
    "Trường Đại học Phạm Văn Đồng",
]


def members_in_order(bloc_year) -> list[Agency]:
    return [
        m.agency
        for m in bloc_year.memberships.filter(left_on__isnull=True)
        .select_related("agency")
        .order_by("pk")
    ]


def _percent(votes: int, base: int) -> Decimal:
    if not base:
        return Decimal("0.00")
    return (Decimal(votes * 100) / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def closed_poll(
    bloc_year,
    kind=PollKind.FLAG,
    *,
    votes: dict,
    elected=(),
    round_no=1,
    threshold=(2, 3, False, "members"),
    members=None,
    present=None,
    invalid=0,
    next_round=(),
    fallback=None,
    needs_decision=False,
    seats=1,
) -> Poll:
    """A closed poll with ``votes`` (agency → votes) and its outcome JSON."""
    numerator, denominator, strict, base_kind = threshold
    members = members if members is not None else len(members_in_order(bloc_year))
    present = present if present is not None else members
    returned = present
    valid = returned - invalid
    base = {"members": members, "present": present, "valid": valid}[base_kind]
    product = numerator * base
    required = product // denominator + 1 if strict else -(-product // denominator)
    poll = Poll.objects.create(
        bloc_year=bloc_year,
        kind=kind,
        round=round_no,
        status=PollStatus.CLOSED,
        seats=seats,
        threshold_numerator=numerator,
        threshold_denominator=denominator,
        threshold_strict=strict,
        threshold_base=base_kind,
        present=present,
        members=members,
        ballots_issued=present,
        ballots_returned=returned,
        ballots_invalid=invalid,
        opened_at=timezone.now(),
        closed_at=timezone.now(),
    )
    results = []
    for rank, (agency, count) in enumerate(votes.items(), start=1):
        PollCandidate.objects.create(
            poll=poll, agency=agency, rank=rank, score=Decimal(95 - rank), votes=count
        )
        percent = _percent(count, base)
        results.append(
            {
                "agency_id": agency.pk,
                "name": agency.name,
                "votes": count,
                "percent": str(percent),
                "passed": count >= required and count > 0,
                "text": f"{count}/{base} votes = {percent} %",
            }
        )
    results.sort(key=lambda r: -r["votes"])
    poll.outcome = {
        "elected": [agency.pk for agency in elected],
        "next_round": [agency.pk for agency in next_round],
        "seats_left": seats - len(elected),
        "fallback": fallback,
        "needs_decision": needs_decision,
        "base_count": base,
        "required": required,
        "rule_text": "at least 2/3 of all members",
        "warnings": [],
        "results": results,
    }
    poll.save(update_fields=["outcome"])
    return poll


def propose(bloc_year, agency, award=AwardKind.FLAG, *, poll=None, votes=7, base=9, order=1):
    return AwardProposal.objects.create(
        bloc_year=bloc_year,
        agency=agency,
        award=award,
        poll=poll,
        votes=votes,
        base_count=base,
        percent=_percent(votes, base),
        rank=order,
        score=Decimal("92.50"),
        rule_text=f"{votes}/{base} phiếu",
        order=order,
    )


def confirm(bloc_year, *, by=None) -> Conference:
    conference = Conference.objects.get(bloc_year=bloc_year)
    conference.status = ConferenceStatus.CONFIRMED
    conference.confirmed_at = timezone.now()
    conference.confirmed_by = by or UserFactory()
    conference.save()
    return conference


def report_for(
    proposal, *, status=ReportStatus.DRAFT, text="Báo cáo thành tích"
) -> AchievementReport:
    return AchievementReport.objects.create(
        proposal=proposal,
        status=status,
        text=text,
        signed_file="" if status == ReportStatus.DRAFT else "achievements/signed.pdf",
        signed_name="" if status == ReportStatus.DRAFT else "signed.pdf",
        checked_at=timezone.now() if status == ReportStatus.CHECKED else None,
    )


def documents_year(*, members: int = 5, polls: bool = True):
    """A bloc-year at the conference with Vietnamese names, the record, the
    register (one proxy, one absent), a committee of three and, with
    ``polls``, a closed flag poll (first member 4 of 5 votes, at least 2/3 of
    all members), a closed certificate poll, the chair and vice-chair polls
    and the matching proposals; the results are not confirmed."""
    bloc_year = conference_year(members=members)
    agencies = members_in_order(bloc_year)
    for agency, name in zip(agencies, NAMES, strict=False):
        Agency.objects.filter(pk=agency.pk).update(name=name)
        agency.name = name
    conference = Conference.objects.create(
        bloc_year=bloc_year,
        held_on=datetime.date(bloc_year.year, 12, 18),
        place="Hội trường Sở Văn hóa, Thể thao và Du lịch",
        chaired_by="Nguyễn Văn Hùng, Giám đốc Sở Văn hóa, Thể thao và Du lịch",
        secretary="Trần Thị Thủy, chuyên viên Văn phòng Sở",
        board_representative="Phạm Minh Tuấn, Phó Trưởng ban Ban Thi đua – Khen thưởng",
        minutes_number="05/BB-KTĐVHXH",
    )
    for index, agency in enumerate(agencies):
        if index == len(agencies) - 1:
            Attendance.objects.create(conference=conference, agency=agency, present=False)
            continue
        Attendance.objects.create(
            conference=conference,
            agency=agency,
            representative_name=f"Đại biểu {index + 1}",
            representative_title="Phó Giám đốc" if index == 1 else "Giám đốc",
            is_proxy=index == 1,
        )
    for order, (name, role) in enumerate(
        [
            ("Lê Thị Hoa", CountingRole.HEAD),
            ("Võ Văn Nam", CountingRole.MEMBER),
            ("Đặng Thu Trang", CountingRole.MEMBER),
        ],
        start=1,
    ):
        CountingMember.objects.create(
            conference=conference,
            full_name=name,
            role=role,
            order=order,
            agency=agencies[order % len(agencies)],
        )
    if polls:
        first, second, third = agencies[0], agencies[1], agencies[2]
        flag = closed_poll(
            bloc_year, PollKind.FLAG, votes={first: 4, second: 1}, elected=[first], invalid=0
        )
        certificates = closed_poll(
            bloc_year,
            PollKind.CERTIFICATE,
            votes={second: 4, third: 3},
            elected=[second],
            threshold=(1, 2, True, "members"),
            seats=1,
        )
        chair = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency
        closed_poll(
            bloc_year,
            PollKind.CHAIR,
            votes={chair: 4},
            elected=[chair],
            threshold=(1, 2, True, "valid"),
        )
        propose(bloc_year, first, AwardKind.FLAG, poll=flag, votes=4, base=len(agencies))
        propose(
            bloc_year, second, AwardKind.CERTIFICATE, poll=certificates, votes=4, base=5, order=1
        )
        conference.next_chair = chair
        conference.next_vice_chair = third
        conference.save()
    return bloc_year
