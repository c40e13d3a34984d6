"""Confirming the conference results (the service): the union of what the rounds
elected, reasons for a flag nominee not ranked first, the chair and vice-chair's
decision where the fallback asks for it, the officers required, one award per
unit, who may confirm and when."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from awards.models import AwardKind, AwardProposal, Conference, ConferenceEvent, ConferenceStatus
from awards.outcomes import results_confirm
from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from tests.awards.factories import conference_year
from tests.awards.factories_polls import (
    closed_poll,
    full_results,
    members_in_rank_order,
    open_conference,
)
from tests.awards.results_helpers import elect_officers, officers_of, secretariat_of
from tests.covenants.factories_score import leader_of
from tests.members.factories import BoardUserFactory

pytestmark = pytest.mark.django_db


def test_confirming_writes_the_proposals_and_next_years_officers():
    year = conference_year(members=5)
    flag, certified, next_chair, next_vice = full_results(year)
    secretariat = secretariat_of(year)

    conference = results_confirm(bloc_year=year, actor=secretariat, reasons={}, decisions={})

    assert conference.status == ConferenceStatus.CONFIRMED
    assert (conference.next_chair, conference.next_vice_chair) == (next_chair, next_vice)
    assert conference.confirmed_by == secretariat
    assert conference.confirmed_at is not None
    proposals = list(AwardProposal.objects.filter(bloc_year=year).order_by("award", "order"))
    assert [(p.agency, p.award) for p in proposals] == [
        (certified[0], AwardKind.CERTIFICATE),
        (certified[1], AwardKind.CERTIFICATE),
        (flag, AwardKind.FLAG),
    ]
    flag_proposal = proposals[-1]
    assert (flag_proposal.votes, flag_proposal.base_count) == (5, 5)
    assert flag_proposal.percent == Decimal("100.00")
    assert flag_proposal.rank == 1
    assert flag_proposal.score is not None
    # Texts are in the language the poll was closed in: the conference's.
    assert flag_proposal.rule_text == "5/5 phiếu = 100,00 % > 1/2 tổng số thành viên"
    assert flag_proposal.poll.kind == "flag"
    event = ConferenceEvent.objects.get(bloc_year=year, action="results_confirmed")
    assert flag.name in event.note
    assert next_chair.name in event.note


def test_what_the_rounds_elected_is_united():
    year = conference_year(members=7)
    open_conference(year)
    ranked = members_in_rank_order(year)
    closed_poll(year, "flag", {a: (7 if a == ranked[0] else 0) for a in ranked})
    others = ranked[1:]
    # Round 1 fills one of three places; round 2 the two others.
    first = closed_poll(
        year, "certificate", {others[0]: 6, others[1]: 2, others[2]: 1}, candidates=others, seats=3
    )
    assert first.outcome["seats_left"] == 2
    closed_poll(
        year,
        "certificate",
        {others[1]: 5, others[2]: 4},
        candidates=[a for a in others if a != others[0]],
        seats=2,
        round=2,
    )
    elect_officers(year)

    results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})

    certificates = AwardProposal.objects.filter(bloc_year=year, award=AwardKind.CERTIFICATE)
    assert [p.agency for p in certificates.order_by("order")] == others[:3]
    assert [p.poll.round for p in certificates.order_by("order")] == [1, 2, 2]


def test_a_flag_nominee_not_ranked_first_needs_a_reason():
    year = conference_year(members=5)
    open_conference(year)
    ranked = members_in_rank_order(year)
    second = ranked[1]
    closed_poll(year, "flag", {second: 5}, candidates=ranked)
    closed_poll(year, "certificate", {ranked[2]: 4}, candidates=ranked[2:], seats=1)
    elect_officers(year)
    secretariat = secretariat_of(year)

    with pytest.raises(ValidationError) as error:
        results_confirm(bloc_year=year, actor=secretariat, reasons={}, decisions={})
    assert f"reason_{second.pk}" in error.value.message_dict
    assert not AwardProposal.objects.filter(bloc_year=year).exists()

    results_confirm(
        bloc_year=year,
        actor=secretariat,
        reasons={second.pk: "Dẫn đầu phong trào chuyển đổi số"},
        decisions={},
    )
    proposal = AwardProposal.objects.get(bloc_year=year, award=AwardKind.FLAG)
    assert proposal.agency == second
    assert proposal.reason == "Dẫn đầu phong trào chuyển đổi số"


def test_no_reason_is_needed_when_the_rules_do_not_ask_for_the_first_rank():
    from awards.core import rules_for

    year = conference_year(members=5)
    rules = rules_for(year)
    rules.flag_needs_first_rank = False
    rules.save()
    open_conference(year)
    ranked = members_in_rank_order(year)
    closed_poll(year, "flag", {ranked[1]: 5}, candidates=ranked)
    closed_poll(year, "certificate", {ranked[2]: 4}, candidates=ranked[2:], seats=1)
    elect_officers(year)

    results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    assert AwardProposal.objects.get(bloc_year=year, award=AwardKind.FLAG).agency == ranked[1]


def _undecided_chair(year):
    """Two rounds for the chair where nobody passes; the chair and vice decide."""
    open_conference(year)
    ranked = members_in_rank_order(year)
    chair, _vice = officers_of(year)
    closed_poll(year, "flag", {ranked[0]: 5}, candidates=ranked)
    closed_poll(year, "certificate", {ranked[1]: 4}, candidates=ranked[1:], seats=1)
    electable = [a for a in ranked if a != chair]
    votes = {electable[0]: 2, electable[1]: 2}
    for round in (1, 2):
        closed_poll(
            year,
            "chair",
            votes,
            candidates=electable,
            round=round,
            fallback="chair_decides",
            threshold=(1, 2, True, "members"),
        )
    return electable


def test_the_chair_and_vice_chair_decide_where_the_fallback_asks():
    year = conference_year(members=5)
    electable = _undecided_chair(year)
    chair, _vice = officers_of(year)
    ranked = members_in_rank_order(year)
    other = next(a for a in ranked if a not in (chair, electable[1]))
    closed_poll(year, "vice_chair", {other: 5}, candidates=[a for a in ranked if a != electable[1]])
    secretariat = secretariat_of(year)

    with pytest.raises(ValidationError) as error:
        results_confirm(bloc_year=year, actor=secretariat, reasons={}, decisions={})
    assert "decision_chair" in error.value.message_dict

    with pytest.raises(ValidationError) as error:
        results_confirm(
            bloc_year=year, actor=secretariat, reasons={}, decisions={"chair": [chair.pk]}
        )
    assert "decision_chair" in error.value.message_dict

    conference = results_confirm(
        bloc_year=year, actor=secretariat, reasons={}, decisions={"chair": [electable[1].pk]}
    )
    assert conference.next_chair == electable[1]


def test_a_decided_award_names_the_decision_and_no_poll():
    year = conference_year(members=5)
    open_conference(year)
    ranked = members_in_rank_order(year)
    closed_poll(year, "flag", {ranked[0]: 5}, candidates=ranked)
    others = ranked[1:]
    for round in (1, 2):
        closed_poll(
            year,
            "certificate",
            {others[0]: 1, others[1]: 1},
            candidates=others,
            seats=2,
            round=round,
            fallback="chair_decides",
        )
    elect_officers(year)

    with pytest.raises(ValidationError) as error:
        results_confirm(
            bloc_year=year,
            actor=secretariat_of(year),
            reasons={},
            decisions={"certificate": [a.pk for a in others[:3]]},
        )
    assert "decision_certificate" in error.value.message_dict
    results_confirm(
        bloc_year=year,
        actor=secretariat_of(year),
        reasons={},
        decisions={"certificate": [others[1].pk]},
    )
    proposal = AwardProposal.objects.get(bloc_year=year, award=AwardKind.CERTIFICATE)
    assert proposal.agency == others[1]
    assert proposal.poll is None
    assert proposal.rule_text.endswith("chosen by the chair and vice-chair after round 2")


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("vice_chair", "The next vice-chair poll has not been held."),
        ("chair", "The next chair poll has not been held."),
    ],
)
def test_the_chair_and_vice_chair_polls_are_required(missing, message):
    year = conference_year(members=5)
    full_results(year)
    year.polls.filter(kind=missing).delete()

    with pytest.raises(ValidationError) as error:
        results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    assert message in error.value.messages
    assert Conference.objects.get(bloc_year=year).status == ConferenceStatus.VOTING


def test_a_poll_still_open_is_named():
    year = conference_year(members=5)
    full_results(year)
    year.polls.filter(kind="certificate").update(status="open", outcome=None)

    with pytest.raises(ValidationError) as error:
        results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    assert "The certificate poll is still open." in error.value.messages


def test_a_poll_waiting_for_its_next_round_is_named():
    year = conference_year(members=5)
    open_conference(year)
    ranked = members_in_rank_order(year)
    # Nobody passes in round 1 of 2: round 2 must be held.
    closed_poll(year, "flag", {ranked[0]: 2, ranked[1]: 2}, candidates=ranked, seats=1)
    with pytest.raises(ValidationError) as error:
        results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    assert "The flag poll needs round 2." in error.value.messages


def test_one_unit_gets_one_award():
    year = conference_year(members=5)
    open_conference(year)
    ranked = members_in_rank_order(year)
    closed_poll(year, "flag", {ranked[0]: 5}, candidates=ranked)
    closed_poll(year, "certificate", {ranked[0]: 5, ranked[1]: 5}, candidates=ranked, seats=2)
    elect_officers(year)

    with pytest.raises(ValidationError, match="One award per unit"):
        results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    assert not AwardProposal.objects.filter(bloc_year=year).exists()


def test_the_database_backs_one_award_per_unit():
    year = conference_year(members=5)
    full_results(year)
    results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    flag = AwardProposal.objects.get(bloc_year=year, award=AwardKind.FLAG)
    with transaction.atomic(), pytest.raises(IntegrityError):
        AwardProposal.objects.create(
            bloc_year=year, agency=flag.agency, award=AwardKind.CERTIFICATE
        )


def test_only_the_secretariat_confirms_at_the_conference_stage():
    year = conference_year(members=5)
    full_results(year)
    member = leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    board = BoardUserFactory(board_province=year.bloc.province)
    for user in (member, board):
        with pytest.raises(PermissionDenied):
            results_confirm(bloc_year=year, actor=user, reasons={}, decisions={})
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.SCORING)
    with pytest.raises(ValidationError, match="conference stage"):
        results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})


def test_a_closed_year_and_confirmed_results_are_not_confirmed_again():
    year = conference_year(members=5)
    full_results(year)
    secretariat = secretariat_of(year)
    results_confirm(bloc_year=year, actor=secretariat, reasons={}, decisions={})
    with pytest.raises(ValidationError, match="already confirmed"):
        results_confirm(bloc_year=year, actor=secretariat, reasons={}, decisions={})
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        results_confirm(bloc_year=year, actor=secretariat, reasons={}, decisions={})
