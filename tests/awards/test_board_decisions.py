"""The board's decision on a proposal: only the province's board records it,
only once the bloc has submitted (or the year is closed); a refusal needs a
reason, an approval a number; re-recording changes it and the trail keeps
what it was before."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from awards.board import decision_record
from awards.models import (
    AwardKind,
    AwardProposal,
    ConferenceEvent,
    DecisionOutcome,
    ProposalDecision,
)
from blocs.models import BlocYear
from blocs.stages import Stage
from tests.awards.factories import complete_conference, conference_year
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import BoardUserFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def submitted_year(*, members=5, stage=Stage.SUBMITTED, **kwargs):
    """A bloc-year whose proposals are submitted: a flag (the top member) and
    a certificate (the second member)."""
    year = conference_year(members=members, **kwargs)
    complete_conference(year)
    second = year.memberships.order_by("pk")[1].agency
    AwardProposal.objects.create(
        bloc_year=year, agency=second, award=AwardKind.CERTIFICATE, votes=4, base_count=5
    )
    BlocYear.objects.filter(pk=year.pk).update(stage=stage)
    year.refresh_from_db()
    return year


def _flag(year):
    return AwardProposal.objects.get(bloc_year=year, award=AwardKind.FLAG)


def _approve(proposal, actor, **kwargs):
    values = {
        "outcome": DecisionOutcome.APPROVED,
        "reason": "",
        "number": "1234/QĐ-UBND",
        "decided_on": TODAY(),
    }
    return decision_record(proposal=proposal, actor=actor, **{**values, **kwargs})


def test_the_board_of_the_province_approves_with_a_number_and_the_trail_records_it():
    year = submitted_year()
    board = BoardUserFactory(board_province=year.bloc.province)

    decision = _approve(_flag(year), board)

    decision.refresh_from_db()
    assert decision.outcome == DecisionOutcome.APPROVED
    assert (decision.number, decision.decided_on, decision.decided_by) == (
        "1234/QĐ-UBND",
        TODAY(),
        board,
    )
    event = ConferenceEvent.objects.get(bloc_year=year, action="decision_recorded")
    assert event.actor == board
    assert "— → Approved, 1234/QĐ-UBND" in event.note


def test_only_the_board_of_that_province_or_a_site_admin_decides():
    year = submitted_year()
    proposal = _flag(year)
    for outsider in (
        BoardUserFactory(),  # another province's board
        officer_of(year.chair),  # the secretariat
        leader_of(proposal.agency),  # the proposed unit itself
    ):
        with pytest.raises(PermissionDenied):
            _approve(proposal, outsider)
    assert not ProposalDecision.objects.exists()

    _approve(proposal, UserFactory(is_superuser=True))
    assert ProposalDecision.objects.count() == 1


def test_a_refusal_needs_a_reason_and_an_approval_a_number():
    year = submitted_year()
    board = BoardUserFactory(board_province=year.bloc.province)

    with pytest.raises(ValidationError) as refused:
        _approve(_flag(year), board, outcome=DecisionOutcome.NOT_APPROVED, number="")
    assert refused.value.message_dict == {
        "reason": ["Give the reason why the proposal is not approved."]
    }
    with pytest.raises(ValidationError) as approved:
        _approve(_flag(year), board, number="  ")
    assert "number" in approved.value.message_dict
    with pytest.raises(ValidationError) as dated:
        _approve(_flag(year), board, decided_on=TODAY() + datetime.timedelta(days=1))
    assert "decided_on" in dated.value.message_dict
    assert not ProposalDecision.objects.exists()

    decision = _approve(
        _flag(year),
        board,
        outcome=DecisionOutcome.NOT_APPROVED,
        number="",
        reason="Chưa đủ hai năm hoàn thành xuất sắc nhiệm vụ",
    )
    assert decision.outcome == DecisionOutcome.NOT_APPROVED
    assert decision.reason == "Chưa đủ hai năm hoàn thành xuất sắc nhiệm vụ"


def test_the_database_refuses_a_refusal_without_a_reason():
    year = submitted_year()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalDecision.objects.create(
            proposal=_flag(year),
            outcome=DecisionOutcome.NOT_APPROVED,
            decided_on=TODAY(),
            decided_by=UserFactory(),
        )


def test_recording_again_changes_the_decision_and_the_trail_keeps_before_and_after():
    year = submitted_year()
    board = BoardUserFactory(board_province=year.bloc.province)
    proposal = _flag(year)
    _approve(proposal, board)

    _approve(proposal, board, outcome=DecisionOutcome.NOT_APPROVED, number="", reason="Sai hồ sơ")

    decision = ProposalDecision.objects.get(proposal=proposal)
    assert (decision.outcome, decision.reason, decision.number) == (
        DecisionOutcome.NOT_APPROVED,
        "Sai hồ sơ",
        "",
    )
    notes = list(
        ConferenceEvent.objects.filter(bloc_year=year, action="decision_recorded")
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert len(notes) == 2
    assert "Approved, 1234/QĐ-UBND" in notes[1].split("→")[0]
    assert "Not approved" in notes[1].split("→")[1]
    assert "Sai hồ sơ" in notes[1]


@pytest.mark.parametrize("stage", [Stage.CONFERENCE, Stage.SCORING])
def test_no_decision_before_the_bloc_submits(stage):
    year = submitted_year(stage=stage)
    board = BoardUserFactory(board_province=year.bloc.province)

    with pytest.raises(ValidationError, match="once the bloc has submitted"):
        _approve(_flag(year), board)
    assert not ProposalDecision.objects.exists()


def test_a_decision_may_still_be_recorded_once_the_year_is_closed():
    """The decree often arrives after the board has closed the bloc's year."""
    year = submitted_year(stage=Stage.CLOSED)
    board = BoardUserFactory(board_province=year.bloc.province)

    assert _approve(_flag(year), board).pk
