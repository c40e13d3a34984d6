"""The measured bloc: 15 members, a 40-line scoring sheet, an open poll.

``seed_demo``'s blocs have 7-10 members and a 30-line sheet; issue 9 asks for the
score-entry page at 15 members × 40 criteria and for 15 ballots at once, so the benchmark
adds one bloc of that size to every database it measures (province ``bench``):

* 2025 at the year-end conference: covenant signed, sheet frozen, mid-year held, every
  year-end sheet self-scored, reviewed and final, the ranking published, the attendance
  registered and the flag poll open (15 leaders may vote);
* 2026 at year-end scoring: every year-end sheet open, the measured member's self-scores
  filled but not submitted (the score-entry page).

It is written with the test suite's factories (``tests/``, the dev dependencies), which
write the rows the services would have left, and through the voting services for the
attendance and the poll, as ``tests/awards/voting_factories.py`` does. Built once per
database; :func:`reset_poll` clears the votes so every run casts its 15 ballots again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

PROVINCE_CODE = "bench"
CONFERENCE_YEAR = 2025
SCORING_YEAR = 2026
MEMBERS = 15
CRITERIA = 40
#: The member whose pages are measured (not an officer: an ordinary member).
FOCUS = 5


def username(role: str, index: int | None = None) -> str:
    return f"bench.{role}" if index is None else f"bench.{role}{index:02d}"


def forty_criteria_draft(criteria: int = CRITERIA):
    """A valid sheet of ``criteria`` scored lines (a multiple of 4 from 8): four regular
    groups of 25 points, then two bonus and two deduction lines."""
    from covenants.sheet_rules import CriterionDraft, GroupDraft, Kind, TemplateDraft

    per_group = (criteria - 4) // 4
    if per_group < 2 or (criteria - 4) % 4:
        raise ValueError("criteria must be 4 × n + 4 with n ≥ 2")
    groups = []
    for g, roman in enumerate(("I", "II", "III", "IV")):
        # per_group - 1 lines share 24 points, the last one is a 1-point pass/fail.
        share = (Decimal(24) / (per_group - 1)).quantize(Decimal("0.01"))
        lines = []
        for c in range(per_group - 1):
            points = share if c < per_group - 2 else Decimal(24) - share * (per_group - 2)
            lines.append(
                CriterionDraft(
                    code=str(c + 1),
                    title=f"Tiêu chí {g + 1}.{c + 1}: hoàn thành nhiệm vụ được giao số {c + 1}",
                    kind=Kind.POINTS,
                    max_points=points,
                    evidence_required=c % 3 == 0,
                    guidance="Căn cứ báo cáo tổng kết năm của đơn vị.",
                )
            )
        lines.append(
            CriterionDraft(
                code=str(per_group),
                title=f"Tiêu chí {g + 1}.{per_group}: gửi báo cáo đúng hạn",
                kind=Kind.PASS_FAIL,
                max_points=Decimal(1),
            )
        )
        groups.append(
            GroupDraft(
                code=roman,
                title=f"Nhóm tiêu chí {roman}",
                max_points=Decimal(25),
                criteria=tuple(lines),
            )
        )
    groups.append(
        GroupDraft(
            code="V",
            title="Điểm thưởng",
            max_points=Decimal(10),
            criteria=tuple(
                CriterionDraft(
                    code=str(i), title=f"Thưởng {i}", kind=Kind.BONUS, max_points=Decimal(5)
                )
                for i in (1, 2)
            ),
        )
    )
    groups.append(
        GroupDraft(
            code="VI",
            title="Điểm trừ",
            max_points=Decimal(10),
            criteria=tuple(
                CriterionDraft(
                    code=str(i), title=f"Trừ {i}", kind=Kind.DEDUCTION, max_points=Decimal(5)
                )
                for i in (1, 2)
            ),
        )
    )
    return TemplateDraft(groups=tuple(groups))


@dataclass(frozen=True)
class World:
    """What the measurements look up, by natural keys (the world is built once)."""

    bloc_id: int
    agency_ids: list[int]
    poll_id: int | None


def find() -> World | None:
    """The world already in this database, or None."""
    from awards.models import Poll, PollStatus
    from blocs.models import Bloc

    bloc = Bloc.objects.filter(province__code=PROVINCE_CODE, number=1).first()
    if bloc is None:
        return None
    members = (
        bloc.years.get(year=CONFERENCE_YEAR)
        .memberships.order_by("agency__code")
        .values_list("agency_id", flat=True)
    )
    poll = Poll.objects.filter(
        bloc_year__bloc=bloc, bloc_year__year=CONFERENCE_YEAR, status=PollStatus.OPEN
    ).first()
    return World(bloc_id=bloc.pk, agency_ids=list(members), poll_id=poll.pk if poll else None)


def _bloc_year(bloc, year, agencies, criteria):
    """A bloc-year at year-end scoring on a frozen ``criteria``-line sheet."""
    from blocs.models import BlocYear, MemberRole
    from blocs.stages import Stage
    from covenants.models import Period
    from covenants.scores.sheets import sheets_open
    from tests.blocs.factories import BlocYearFactory, MembershipFactory
    from tests.covenants.factories import complete_covenant
    from tests.covenants.factories_score import freeze_and_sign, hold_mid_year
    from tests.covenants.factories_sheet import sheet_template

    bloc_year = BlocYearFactory(bloc=bloc, year=year)
    roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR]
    for index, agency in enumerate(agencies):
        role = roles[index] if index < len(roles) else MemberRole.MEMBER
        MembershipFactory(bloc_year=bloc_year, agency=agency, role=role)
    complete_covenant(bloc_year)
    sheet_template(bloc_year, draft=forty_criteria_draft(criteria))
    freeze_and_sign(bloc_year)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SCORING)
    bloc_year.refresh_from_db()
    sheets_open(bloc_year=bloc_year, period=Period.MID_YEAR)
    hold_mid_year(bloc_year)
    sheets_open(bloc_year=bloc_year, period=Period.YEAR_END)
    return bloc_year


@transaction.atomic
def build(*, members: int = MEMBERS, criteria: int = CRITERIA) -> World:
    """Add the measured bloc to this database (refused if it is there already)."""
    from awards.models import PollKind
    from blocs.stages import Stage
    from covenants.models import Period, ScoreSheet
    from members.models import AgencyKind
    from tests.awards.voting_factories import open_poll, register
    from tests.blocs.factories import BlocFactory
    from tests.covenants.factories_score import (
        complete_year_end,
        fill_self,
        leader_of,
        officer_of,
    )
    from tests.members.factories import AgencyFactory, BoardUserFactory, ProvinceFactory

    if find() is not None:
        raise RuntimeError("The benchmark's bloc is already in this database.")
    province = ProvinceFactory(code=PROVINCE_CODE, name="Tỉnh Đo hiệu năng")
    BoardUserFactory(username=username("board"), board_province=province)
    bloc = BlocFactory(province=province, number=1, name="Khối thi đua số 1 – Đo hiệu năng")
    agencies = [
        AgencyFactory(
            province=province,
            code=f"bench{i:02d}",
            name=f"Sở Đo hiệu năng số {i:02d}",
            short_name=f"SĐHN{i:02d}",
            kind=AgencyKind.DEPARTMENT,
        )
        for i in range(1, members + 1)
    ]
    leaders = {
        agency.pk: leader_of(agency, username=username("leader", i))
        for i, agency in enumerate(agencies, start=1)
    }
    secretariat = officer_of(agencies[0], username=username("secretariat"))

    voting = _bloc_year(bloc, CONFERENCE_YEAR, agencies, criteria)
    complete_year_end(voting)
    voting.stage = Stage.CONFERENCE
    voting.save(update_fields=["stage"])
    register(voting, secretariat, voters=dict(leaders))
    open_poll(voting, secretariat, kind=PollKind.FLAG)

    scoring = _bloc_year(bloc, SCORING_YEAR, agencies, criteria)
    sheets = ScoreSheet.objects.filter(bloc_year=scoring, period=Period.YEAR_END)
    focus = sheets.get(agency=agencies[FOCUS - 1])
    fill_self(focus, submit=False)
    return find()


def reset_poll(poll_id: int) -> None:
    """Forget the open poll's ballots, so a run on a kept database votes again.

    Only the secret ballot's rows change (participations, the anonymous counters and the
    poll's ``ballots_returned``), which the audit history leaves out by design; the
    benchmark writes them directly, as no service undoes a vote.
    """
    from awards.models import BallotParticipation, Poll, PollCandidate

    with transaction.atomic():
        BallotParticipation.objects.filter(poll_id=poll_id).delete()
        PollCandidate.objects.filter(poll_id=poll_id).update(votes=0)
        Poll.objects.filter(pk=poll_id).update(ballots_returned=0)
