"""A scale bloc-year's year-end conference: rules, attendance, the four closed polls,
proposals with their achievement reports and the board's decisions, the flag handover.

The secret ballot is kept as the app keeps it (:mod:`awards.models.polls`): each member
casts one ballot per poll, simulated here in memory and never stored. What is written is
what :func:`awards.voting.vote_cast` leaves behind — one participation row per agency and
poll with a random key (``uuid4``, never drawn from the seeded generator, and written in
member order, which is no voting order), the candidates' anonymous counters and the
poll's ballot counters. Each poll is then decided by the app's pure tally
(:func:`awards.tally.tally`), whose outcome is stored as closing a poll stores it.

Votes follow the ranking, as in the demo: the best-ranked unit gets the flag (and votes
for the runner-up), the next ones the certificates, the vice-chair is elected chair and
the member after it vice-chair; in blocs of six or more one ballot differs.
"""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from awards import tally
from awards.counting import outcome_json, poll_label, threshold_of
from awards.models import (
    POLL_ORDER,
    AchievementReport,
    Attendance,
    AwardKind,
    AwardProposal,
    BallotParticipation,
    Conference,
    ConferenceEvent,
    ConferenceStatus,
    CountingMember,
    DecisionOutcome,
    FlagHandover,
    Poll,
    PollCandidate,
    PollKind,
    PollMode,
    PollStatus,
    ProposalDecision,
    ReportStatus,
    VotingRules,
)
from config.pdf import DOCUMENT_LANGUAGE

from .documents import document_number
from .scores import Ranked
from .years import YearInfo, at

__all__ = ["SIGNED_COPY", "queue_conference"]

#: The one signed copy every scale achievement report points at (stored once).
SIGNED_COPY = "achievements/scale/bao-cao-thanh-tich.pdf"
_THRESHOLD = {
    PollKind.FLAG: "flag",
    PollKind.CERTIFICATE: "certificate",
    PollKind.CHAIR: "election",
    PollKind.VICE_CHAIR: "election",
}


def _snapshot(kind: str, rules: VotingRules) -> dict:
    prefix = _THRESHOLD[kind]
    return {
        f"threshold_{part}": getattr(rules, f"{prefix}_{part}")
        for part in ("numerator", "denominator", "strict", "base")
    }


def _ballots(rng, kind, info: YearInfo, ranking: list[Ranked], seats: int):
    """(candidates, the plan, each member's ballot): who stands, who should win, how
    everyone votes. Only the counters built from the ballots are kept."""
    ranked = [row.agency for row in ranking]
    members = info.members
    deviant = rng.choice(members) if len(members) >= 6 else None
    if kind == PollKind.FLAG:
        candidates, plan = ranked, [ranked[0]]
        ballots = [[ranked[1]] if voter is ranked[0] else plan for voter in members]
        if deviant is not None and deviant is not ranked[0]:
            ballots[members.index(deviant)] = [ranked[1]]
    elif kind == PollKind.CERTIFICATE:
        candidates, plan = ranked[1:], ranked[1 : 1 + seats]
        ballots = [plan] * len(members)
        if deviant is not None and len(ranked) > 1 + seats:
            ballots[members.index(deviant)] = [*plan[:-1], ranked[1 + seats]]
    else:
        excluded = info.chair if kind == PollKind.CHAIR else info.next_chair
        plan = [info.next_chair if kind == PollKind.CHAIR else info.next_vice_chair]
        candidates = [agency for agency in ranked if agency is not excluded]
        ballots = [plan] * len(members)
        if deviant is not None:
            other = next(a for a in candidates if a is not plan[0])
            ballots[members.index(deviant)] = [other]
    return candidates, plan, ballots


def _poll(writer, rng, info, kind, rules, ranking, moment, seats):
    """Queue one closed poll; return its id, outcome and candidates' rank and score."""
    candidates, plan, ballots = _ballots(rng, kind, info, ranking, seats)
    seats = min(seats, len(candidates))
    votes = {agency.id: 0 for agency in candidates}
    for ballot in ballots:
        for agency in ballot:
            votes[agency.id] += 1
    places = {row.agency.id: row for row in ranking}
    snapshot = _snapshot(kind, rules)
    members = len(info.members)
    with translation.override(DOCUMENT_LANGUAGE):
        outcome = tally.tally(
            tally.PollInput(
                kind=kind,
                seats=seats,
                threshold=threshold_of(snapshot),
                members=members,
                present=members,
                ballots_cast=members,
                ballots_valid=members,
                votes=votes,
                candidates=[
                    tally.Candidate(a.id, a.name, places[a.id].rank, places[a.id].total)
                    for a in candidates
                ],
                round=1,
                max_rounds=rules.max_rounds,
                fallback=tally.Fallback(rules.fallback),
            )
        )
    elected = [c.agency_id for c in outcome.elected]
    if sorted(elected) != sorted(a.id for a in plan) or outcome.next_round:
        raise RuntimeError(f"{info.bloc.name} {info.year}: the {kind} poll did not elect its plan")
    poll_id = writer.id(Poll)
    writer.add(
        Poll,
        {
            "id": poll_id,
            "bloc_year_id": info.id,
            "kind": kind,
            "round": 1,
            "mode": PollMode.ELECTRONIC,
            "status": PollStatus.CLOSED,
            "seats": seats,
            **snapshot,
            "present": members,
            "members": members,
            "ballots_issued": members,
            "ballots_returned": members,
            "outcome": outcome_json(outcome),
            "opened_at": moment,
            "closed_at": moment,
        },
    )
    for agency, candidate_id in zip(
        candidates, writer.ids(PollCandidate, len(candidates)), strict=True
    ):
        writer.add(
            PollCandidate,
            {
                "id": candidate_id,
                "poll_id": poll_id,
                "agency_id": agency.id,
                "rank": places[agency.id].rank,
                "score": places[agency.id].total,
                "votes": votes[agency.id],
            },
        )
    for agency in info.members:
        writer.add(
            BallotParticipation, {"id": uuid.uuid4(), "poll_id": poll_id, "agency_id": agency.id}
        )
    return poll_id, outcome


def queue_conference(writer, rng: random.Random, info: YearInfo, ranking: list[Ranked]):
    """Queue the conference and what it decided; return (proposal id, agency) pairs."""
    moment = at(info.conference_date, 9, 30)
    secretariat = info.secretariat
    rules = VotingRules()
    writer.add(
        VotingRules,
        {"id": writer.id(VotingRules), "bloc_year_id": info.id, "frozen_at": moment},
    )
    conference_id = writer.id(Conference)
    writer.add(
        Conference,
        {
            "id": conference_id,
            "bloc_year_id": info.id,
            "status": ConferenceStatus.CONFIRMED,
            "held_on": info.conference_date,
            "place": f"Hội trường {info.chair.name}",
            "chaired_by": f"{info.chair.leader.full_name}, Giám đốc {info.chair.name}",
            "secretary": f"{secretariat.full_name}, {secretariat.position}",
            "board_representative": f"{info.province.board.full_name}, "
            "Ban Thi đua – Khen thưởng tỉnh",
            "achievements": "Các đơn vị trong Khối hoàn thành tốt các chỉ tiêu, nhiệm vụ "
            "chính trị được giao; phong trào thi đua được triển khai sâu rộng.",
            "limitations": "Một số đơn vị gửi báo cáo còn chậm; minh chứng chưa đầy đủ.",
            "lessons": "Phát huy vai trò Khối trưởng; chấm chéo thực chất.",
            "directions": "Tiếp tục đổi mới nội dung, hình thức thi đua; gắn với chuyển đổi số.",
            "minutes_number": document_number(info, "minutes"),
            "counting_number": document_number(info, "counting"),
            "submission_number": document_number(info, "submission"),
            "report_number": document_number(info, "report"),
            "next_chair_id": info.next_chair.id,
            "next_vice_chair_id": info.next_vice_chair.id,
            "voting_opened_at": moment,
            "confirmed_at": moment,
            "confirmed_by_id": secretariat.id,
        },
    )
    members = info.members
    for agency, attendance_id in zip(members, writer.ids(Attendance, len(members)), strict=True):
        writer.add(
            Attendance,
            {
                "id": attendance_id,
                "conference_id": conference_id,
                "agency_id": agency.id,
                "present": True,
                "representative_name": agency.leader.full_name,
                "representative_title": agency.leader.position,
            },
        )
    committee = [a for a in members if a is not info.chair and a is not info.vice_chair][:3]
    for order, (agency, member_id) in enumerate(
        zip(committee, writer.ids(CountingMember, len(committee)), strict=True), start=1
    ):
        writer.add(
            CountingMember,
            {
                "id": member_id,
                "conference_id": conference_id,
                "full_name": agency.leader.full_name,
                "agency_id": agency.id,
                "role": "head" if order == 1 else "member",
                "order": order,
            },
        )
    trail = [
        ("conference_saved", ""),
        ("attendance_set", f"{len(members)}/{len(members)} đơn vị có mặt"),
        ("committee_set", ", ".join(a.leader.full_name for a in committee)),
        ("rules_frozen", ""),
    ]
    certificates = tally.certificate_quota(len(members), rules.certificate_quota_percent, 1)
    seats = {PollKind.FLAG: rules.flag_nominees, PollKind.CERTIFICATE: certificates}
    decided = {}
    for kind in POLL_ORDER:
        poll_id, outcome = _poll(
            writer, rng, info, kind, rules, ranking, moment, seats.get(kind, 1)
        )
        decided[kind] = (poll_id, outcome)
        with translation.override(DOCUMENT_LANGUAGE):
            label = poll_label(Poll(kind=kind, round=1))
            names = ", ".join(c.name for c in outcome.elected)
            trail += [
                ("poll_created", label),
                ("poll_opened", label),
                ("poll_closed", _("%(poll)s: elected %(names)s") % {"poll": label, "names": names}),
            ]
    trail += [
        ("results_confirmed", ""),
        (
            "flag_handed_over",
            f"{info.conference_date:%d/%m/%Y}: {info.chair.name} → {info.next_chair.name}",
        ),
    ]
    for (action, note), event_id in zip(
        trail, writer.ids(ConferenceEvent, len(trail)), strict=True
    ):
        writer.add(
            ConferenceEvent,
            {
                "id": event_id,
                "bloc_year_id": info.id,
                "action": action,
                "note": note,
                "actor_id": secretariat.id,
                "at": moment,
            },
        )
    writer.add(
        FlagHandover,
        {
            "id": writer.id(FlagHandover),
            "bloc_year_id": info.id,
            "handed_on": info.conference_date,
            "outgoing_id": info.chair.id,
            "incoming_id": info.next_chair.id,
            "note": "Trao Cờ luân lưu Khối trưởng tại Hội nghị tổng kết.",
            "recorded_by_id": secretariat.id,
            "recorded_at": moment,
        },
    )
    return _proposals(writer, info, ranking, decided, moment)


def _proposals(writer, info: YearInfo, ranking, decided, moment):
    by_id = {row.agency.id: row for row in ranking}
    chosen = [
        (AwardKind.FLAG, decided[PollKind.FLAG]),
        (AwardKind.CERTIFICATE, decided[PollKind.CERTIFICATE]),
    ]
    entries = []
    for award, (poll_id, outcome) in chosen:
        results = {result.candidate.agency_id: result for result in outcome.results}
        for order, candidate in enumerate(outcome.elected, start=1):
            entries.append((award, poll_id, outcome, results[candidate.agency_id], order))
    proposal_ids = writer.ids(AwardProposal, len(entries))
    report_ids = writer.ids(AchievementReport, len(entries))
    decision_ids = writer.ids(ProposalDecision, len(entries))
    # The Chairman's decree of the next January.
    decided_on = datetime.date(info.year + 1, 1, 15)
    made = []
    for (award, poll_id, outcome, result, order), proposal_id, report_id, decision_id in zip(
        entries, proposal_ids, report_ids, decision_ids, strict=True
    ):
        row = by_id[result.candidate.agency_id]
        agency = row.agency
        writer.add(
            AwardProposal,
            {
                "id": proposal_id,
                "bloc_year_id": info.id,
                "agency_id": agency.id,
                "award": award,
                "poll_id": poll_id,
                "votes": result.votes,
                "base_count": outcome.base_count,
                "percent": Decimal(f"{result.percent:.2f}"),
                "score": row.total,
                "rank": row.rank,
                "rule_text": result.text,
                "order": order,
                "created_at": moment,
            },
        )
        writer.add(
            AchievementReport,
            {
                "id": report_id,
                "proposal_id": proposal_id,
                "status": ReportStatus.CHECKED,
                "text": _report_text(info, agency, row, result),
                "signed_file": SIGNED_COPY,
                "signed_name": f"Bao cao thanh tich {info.year}.pdf",
                "uploaded_at": at(info.day(12, 3)),
                "uploaded_by_id": agency.leader.id,
                "checked_at": at(info.day(12, 4)),
                "checked_by_id": info.secretariat.id,
            },
        )
        writer.add(
            ProposalDecision,
            {
                "id": decision_id,
                "proposal_id": proposal_id,
                "outcome": DecisionOutcome.APPROVED,
                "number": f"{100 + info.bloc.number}/QĐ-UBND",
                "decided_on": decided_on,
                "decided_by_id": info.province.board.id,
                "decided_at": at(decided_on),
            },
        )
        made.append((proposal_id, agency))
    return made


def _report_text(info: YearInfo, agency, row: Ranked, result) -> str:
    return (
        f"Tên tập thể: {agency.name}\n"
        f"Thủ trưởng đơn vị: {agency.leader.full_name}\n\n"
        "I. ĐẶC ĐIỂM, TÌNH HÌNH\n"
        f"{agency.name} là đơn vị thành viên của {info.bloc.name} năm {info.year}.\n\n"
        "II. THÀNH TÍCH ĐẠT ĐƯỢC\n"
        f"- Kết quả chấm điểm thi đua năm {info.year}: {row.total} điểm, "
        f"xếp thứ {row.rank}/{len(info.members)} đơn vị trong Khối.\n"
        f"- Kết quả bình xét tại hội nghị tổng kết: {result.text}."
    )
