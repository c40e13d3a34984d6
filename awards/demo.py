"""Demo conferences, through the real services (``seed_demo``).

Past years (bloc 6: 2024, 2025; bloc 2: 2025) hold their whole year-end
conference: attendance and the counting committee, electronic secret ballots
for the flag, the certificates and next year's chair and vice-chair, the
results confirmed, each nominee's achievement report drafted, signed and
checked, the proposals submitted, the rotating flag handed over and the year
closed (which sets next year's officers); the board has recorded its
decisions on their proposals. Their documents — minutes,
counting minutes, submission with its list, summary report — download from
the conference pages, and the board's province-wide dossier of 2025 (every
bloc's dossier in one ZIP, normally built by the background worker) is built
and ready to download.

Bloc 6's 2026 conference is under way: the flag poll closed, the
certificate poll open with some members having voted but not Sở Y tế, so the
``leader`` login has a ballot to cast; next year's chair and vice-chair are
still to be elected.

Votes follow the published ranking (the best-ranked unit gets the flag, the
next ones the certificates) and next year's planned officers, so the demo
agrees with the chair register.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.demo_scores import DEMO_PDF, historical_accounts, key_of, leader_of
from covenants.models import Period
from covenants.scores.ranking import ranking_table
from members import audit

from . import achievements, conference, documents, outcomes, voting
from . import board as board_services
from .models import (
    POLL_ORDER,
    AwardProposal,
    BundleStatus,
    Conference,
    ConferenceEvent,
    DecisionOutcome,
    FlagHandover,
    Poll,
    PollKind,
    ProvinceDossier,
)
from .tasks import build_province_dossier

CHAIRED_BY = "{name}, {position} {agency}"


def _secretariat(context, bloc_year):
    return leader_of(context, bloc_year.chair)


def _members(bloc_year):
    return list(
        bloc_year.memberships.filter(left_on__isnull=True)
        .select_related("agency")
        .order_by("agency__name")
    )


def _next_officers(bloc_year):
    """Next year's planned chair and vice-chair: as set up for next year when
    it exists, else the vice-chair moves up and the best-ranked other member
    becomes vice-chair (domain §1.2)."""
    following = BlocYear.objects.filter(bloc=bloc_year.bloc, year=bloc_year.year + 1).first()
    if following is not None and following.chair and following.vice_chair:
        return following.chair, following.vice_chair
    chair = bloc_year.vice_chair
    table = ranking_table(bloc_year, Period.YEAR_END)
    vice = next(
        row.agency for row in table.rows if row.agency.pk not in (chair.pk, bloc_year.chair.pk)
    )
    return chair, vice


def _prepare(context, bloc_year, held_on):
    secretariat = _secretariat(context, bloc_year)
    chair = bloc_year.chair
    conference.conference_save(
        bloc_year=bloc_year,
        actor=secretariat,
        data={
            "held_on": held_on,
            "place": f"Hội trường {chair.name}",
            "chaired_by": f"{secretariat.full_name}, {secretariat.position} {chair.name}",
            "secretary": "Nguyễn Thị Lan, chuyên viên Văn phòng Sở",
            "board_representative": "Trần Thị Thu Hà, Phòng Thi đua, khen thưởng – Sở Nội vụ",
        },
    )
    members = _members(bloc_year)
    conference.attendance_set(
        bloc_year=bloc_year,
        actor=secretariat,
        rows=[
            {
                "agency": m.agency,
                "present": True,
                "representative_name": leader_of(context, m.agency).full_name,
                "representative_title": leader_of(context, m.agency).position,
                "is_proxy": False,
                "voter": None,
            }
            for m in members
        ],
    )
    head, *others = [m for m in members if m.role == MemberRole.MEMBER][:3]
    conference.committee_set(
        bloc_year=bloc_year,
        actor=secretariat,
        members=[
            {
                "full_name": leader_of(context, head.agency).full_name,
                "agency": head.agency,
                "role": "head",
            },
            *(
                {
                    "full_name": leader_of(context, m.agency).full_name,
                    "agency": m.agency,
                    "role": "member",
                }
                for m in others
            ),
        ],
    )


def _choices(kind, poll, bloc_year, voter_agency, plan):
    """A plausible secret choice: mostly the plan, one voter differing."""
    candidates = [c.agency_id for c in poll.candidates.all()]
    wanted = [a for a in plan[kind] if a in candidates][: poll.seats]
    if kind == PollKind.FLAG and voter_agency.pk in wanted and len(candidates) > 1:
        # A unit does not vote for itself for the flag: it votes for the runner-up.
        return [next(a for a in candidates if a != voter_agency.pk)]
    return wanted


def _vote_all(context, poll, bloc_year, plan, *, skip=()):
    for membership in _members(bloc_year):
        if key_of(context, membership.agency) in skip:
            continue
        voting.vote_cast(
            poll=poll,
            actor=leader_of(context, membership.agency),
            choices=_choices(poll.kind, poll, bloc_year, membership.agency, plan),
        )


def _plan(bloc_year):
    table = ranking_table(bloc_year, Period.YEAR_END)
    ranked = [row.agency.pk for row in table.rows]
    chair, vice = _next_officers(bloc_year)
    return {
        PollKind.FLAG: ranked[:1],
        PollKind.CERTIFICATE: ranked[1:],
        PollKind.CHAIR: [chair.pk],
        PollKind.VICE_CHAIR: [vice.pk],
    }


def _run_poll(context, bloc_year, kind, plan, *, close=True, skip=()):
    secretariat = _secretariat(context, bloc_year)
    poll = voting.poll_create(bloc_year=bloc_year, actor=secretariat, kind=kind, mode="electronic")
    voting.poll_open(poll=poll, actor=secretariat)
    poll = Poll.objects.get(pk=poll.pk)
    _vote_all(context, poll, bloc_year, plan, skip=skip)
    if close:
        voting.poll_close(poll=poll, actor=secretariat)
    return poll


def _reports(context, bloc_year):
    secretariat = _secretariat(context, bloc_year)
    for proposal in AwardProposal.objects.filter(bloc_year=bloc_year).select_related("agency"):
        leader = leader_of(context, proposal.agency)
        report = achievements.achievement_draft(proposal=proposal, actor=leader)
        name = f"Bao cao thanh tich {bloc_year.year}.pdf"
        achievements.achievement_upload_signed(
            report=report, actor=leader, file=ContentFile(DEMO_PDF, name=name)
        )
        achievements.achievement_check(report=report, actor=secretariat)


def prepare_submission(context, bloc_year):
    """A past year's whole conference, up to the checked achievement reports."""
    if Conference.objects.filter(bloc_year=bloc_year, status="confirmed").exists():
        return
    with historical_accounts(context, bloc_year):
        held_on = bloc_year.conference_date or datetime.date(bloc_year.year, 12, 2)
        _prepare(context, bloc_year, held_on)
        secretariat = _secretariat(context, bloc_year)
        documents.summary_report_save(
            bloc_year=bloc_year,
            actor=secretariat,
            data={
                "achievements": "Các đơn vị trong Khối hoàn thành tốt các chỉ tiêu, nhiệm vụ "
                "chính trị được giao; phong trào thi đua được triển khai sâu rộng.",
                "limitations": "Một số đơn vị gửi báo cáo còn chậm; minh chứng chưa đầy đủ.",
                "lessons": "Phát huy vai trò Khối trưởng; kiểm tra chéo thực chất.",
                "directions": "Tiếp tục đổi mới nội dung, hình thức thi đua; "
                "gắn với chuyển đổi số.",
                "minutes_number": f"05/BB-KTĐ{bloc_year.bloc.number}",
                "counting_number": f"06/BB-KTĐ{bloc_year.bloc.number}",
                "submission_number": f"12/TTr-KTĐ{bloc_year.bloc.number}",
                "report_number": f"15/BC-KTĐ{bloc_year.bloc.number}",
            },
        )
        plan = _plan(bloc_year)
        for kind in POLL_ORDER:
            _run_poll(context, bloc_year, kind, plan)
        outcomes.results_confirm(bloc_year=bloc_year, actor=secretariat, reasons={}, decisions={})
        _reports(context, bloc_year)


def prepare_close(context, bloc_year):
    if FlagHandover.objects.filter(bloc_year=bloc_year).exists():
        return
    held_on = bloc_year.conference_date or datetime.date(bloc_year.year, 12, 2)
    outcomes.handover_record(
        bloc_year=bloc_year,
        actor=_secretariat(context, bloc_year),
        handed_on=held_on,
        note="Trao Cờ luân lưu Khối trưởng tại Hội nghị tổng kết.",
    )


def conference_in_progress(context, bloc_year):
    """Bloc 6, 2026: the flag decided, certificates being voted on."""
    if Conference.objects.filter(bloc_year=bloc_year).exists():
        return
    _prepare(context, bloc_year, timezone.localdate())
    plan = _plan(bloc_year)
    _run_poll(context, bloc_year, PollKind.FLAG, plan)
    leader_key = "syt"
    waiting = [
        key_of(context, m.agency)
        for m in _members(bloc_year)
        if key_of(context, m.agency) != leader_key
    ]
    # Sở Y tế and one other member have not voted yet.
    _run_poll(
        context,
        bloc_year,
        PollKind.CERTIFICATE,
        plan,
        close=False,
        skip={leader_key, waiting[-1]},
    )


def board_decisions(context, bloc_year):
    """The board's decisions on a closed year's proposals (the Chairman's
    decree of the next January): the flag and all but the last certificate
    approved, the last one not, with the reason."""
    board = context["users"]["board"]
    proposals = list(
        AwardProposal.objects.filter(bloc_year=bloc_year, decision__isnull=True)
        .select_related("bloc_year__bloc")
        .order_by("award", "order", "pk")
    )
    decree_day = datetime.date(bloc_year.year + 1, 1, 15)
    number = f"{120 + bloc_year.bloc.number}/QĐ-UBND"
    for index, proposal in enumerate(proposals):
        refused = len(proposals) > 2 and index == len(proposals) - 1
        board_services.decision_record(
            proposal=proposal,
            actor=board,
            outcome=DecisionOutcome.NOT_APPROVED if refused else DecisionOutcome.APPROVED,
            reason="Chưa đủ 2 năm liên tục hoàn thành xuất sắc nhiệm vụ." if refused else "",
            number="" if refused else number,
            decided_on=decree_day,
        )


def _backdate(bloc_year):
    held_on = bloc_year.conference_date or datetime.date(bloc_year.year, 12, 2)
    moment = datetime.datetime(
        held_on.year, held_on.month, held_on.day, 9, 30, tzinfo=timezone.get_current_timezone()
    )
    ConferenceEvent.objects.filter(bloc_year=bloc_year).update(at=moment)
    # The rows and their latest version (the history agrees with what the pages show).
    quietly = audit.update_quietly
    quietly(Poll.objects.filter(bloc_year=bloc_year), opened_at=moment, closed_at=moment)
    quietly(
        Conference.objects.filter(bloc_year=bloc_year), voting_opened_at=moment, confirmed_at=moment
    )
    quietly(FlagHandover.objects.filter(bloc_year=bloc_year), recorded_at=moment)


def province_bundle(context, year: int = 2025):
    """The board's province-wide dossier of the past year, ready to download.

    The task runs here, synchronously (no worker runs while seeding): the ``board``
    login finds the bundle built. A second seed finds it and builds nothing.
    """
    province, board = context["province"], context["users"]["board"]
    done = ProvinceDossier.objects.filter(
        province=province, year=year, status=BundleStatus.READY
    ).exists()
    if done:
        return
    dossier = ProvinceDossier.objects.create(province=province, year=year, requested_by=board)
    build_province_dossier.call(dossier.pk)


def seed(context):
    preparers = context.setdefault("preparers", {})
    preparers.setdefault("submit_proposals", []).append(prepare_submission)
    preparers.setdefault("close_year", []).append(prepare_close)


def finish(context):
    for bloc_year, until in context.get("walks", []):
        bloc_year.refresh_from_db()
        if until == Stage.CONFERENCE and bloc_year.stage == Stage.CONFERENCE:
            conference_in_progress(context, bloc_year)
        elif until == Stage.CLOSED:
            board_decisions(context, bloc_year)
            _backdate(bloc_year)
    province_bundle(context)
    context["log"](
        "  awards: past conferences complete, bloc 6's 2026 conference voting, "
        "the province's 2025 dossier built"
    )
