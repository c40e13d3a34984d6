"""Casting votes (once per agency, only for one's own agency, proxies,
blank ballots, too many choices, wrong poll states and stages), closing
with the stored outcome, further rounds and the last-round fallback. The
rules that shape a poll are in ``test_voting_rules``."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.core import rules_for
from awards.models import (
    BallotParticipation,
    Conference,
    ConferenceEvent,
    ConferenceStatus,
    Eligibility,
    Poll,
    PollKind,
    PollMode,
    PollStatus,
    ThresholdBase,
)
from awards.voting import (
    next_round_create,
    poll_close,
    poll_create,
    poll_open,
    poll_outcome,
    vote_cast,
)
from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from members.models import AgencyRole
from tests.awards.voting_factories import cast, open_poll, register, voting_year
from tests.covenants.factories_score import officer_of
from tests.members.factories import AgencyStaffFactory, BoardUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return voting_year(members=5)


def _ids(poll):
    return list(poll.candidates.order_by("rank").values_list("agency_id", flat=True))


def _settle(poll, actor, leaders, winner):
    """Every present member votes for ``winner``; the poll closes."""
    cast(poll, leaders, {agency_id: [winner] for agency_id in leaders})
    return poll_close(poll=poll, actor=actor)


def _member(bloc_year, role):
    return bloc_year.memberships.get(role=role).agency


# Casting votes --------------------------------------------------------------------


def test_an_agency_votes_once_per_poll(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    agency_id, leader = next(iter(leaders.items()))
    choice = _ids(poll)[0]
    assert vote_cast(poll=poll, actor=leader, choices=[choice]) is None
    deputy = AgencyStaffFactory(agency=leader.agency, agency_role=AgencyRole.DEPUTY)
    with pytest.raises(ValidationError) as error:
        vote_cast(poll=poll, actor=deputy, choices=[choice])
    assert "has already voted in this poll" in error.value.messages[0]
    poll.refresh_from_db()
    assert poll.ballots_returned == 1
    assert poll.candidates.get(agency_id=choice).votes == 1
    assert BallotParticipation.objects.filter(poll=poll, agency_id=agency_id).count() == 1


def test_nobody_votes_for_another_agency(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    choice = _ids(poll)[0]
    officer = officer_of(next(iter(leaders.values())).agency)  # staff, not a leader
    for someone in (secretariat, officer, BoardUserFactory(), UserFactory()):
        with pytest.raises(PermissionDenied):
            vote_cast(poll=poll, actor=someone, choices=[choice])
    assert not BallotParticipation.objects.filter(poll=poll).exists()


def test_a_registered_voter_votes_for_the_agency_it_represents(year):
    bloc_year, secretariat, leaders = year
    agency_id = list(leaders)[2]
    proxy = officer_of(leaders[agency_id].agency)
    register(bloc_year, secretariat, voters={agency_id: proxy})
    poll = open_poll(bloc_year, secretariat)
    vote_cast(poll=poll, actor=proxy, choices=[_ids(poll)[0]])
    assert BallotParticipation.objects.filter(poll=poll, agency_id=agency_id).exists()
    with pytest.raises(ValidationError, match="already voted"):
        vote_cast(poll=poll, actor=leaders[agency_id], choices=[])


def test_an_absent_agency_does_not_vote(year):
    bloc_year, secretariat, leaders = year
    absent = list(leaders)[4]
    register(bloc_year, secretariat, absent=[absent])
    poll = open_poll(bloc_year, secretariat)
    with pytest.raises(PermissionDenied, match="not present"):
        vote_cast(poll=poll, actor=leaders[absent], choices=[])


def test_no_vote_in_a_draft_or_closed_poll_or_outside_the_conference(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    leader = next(iter(leaders.values()))
    poll = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    with pytest.raises(ValidationError, match="not open"):
        vote_cast(poll=poll, actor=leader, choices=[])
    poll = poll_open(poll=poll, actor=secretariat)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SUBMITTED)
    with pytest.raises(ValidationError, match="year-end conference"):
        vote_cast(poll=poll, actor=leader, choices=[])
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    with pytest.raises(PermissionDenied, match="closed"):
        vote_cast(poll=poll, actor=leader, choices=[])
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CONFERENCE)
    poll_close(poll=poll, actor=secretariat)
    with pytest.raises(ValidationError, match="not open"):
        vote_cast(poll=poll, actor=leader, choices=[])
    assert not BallotParticipation.objects.exists()


def test_a_paper_poll_takes_no_electronic_vote(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat, mode=PollMode.PAPER)
    with pytest.raises(ValidationError, match="paper ballots"):
        vote_cast(poll=poll, actor=next(iter(leaders.values())), choices=[])


def test_too_many_choices_or_a_non_candidate_are_refused(year):
    bloc_year, secretariat, leaders = year
    Eligibility.objects.create(
        bloc_year=bloc_year,
        agency=_member(bloc_year, MemberRole.VICE_CHAIR),
        under_discipline=True,
    )
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    leader = next(iter(leaders.values()))
    with pytest.raises(ValidationError) as error:
        vote_cast(poll=poll, actor=leader, choices=_ids(poll)[:2])
    assert error.value.messages == ["Choose at most 1: there are 1 places to fill."]
    outsider = _member(bloc_year, MemberRole.VICE_CHAIR).pk
    for choices in ([outsider], [_ids(poll)[0], _ids(poll)[0]], ["x"]):
        with pytest.raises(ValidationError, match="Choose among the candidates"):
            vote_cast(poll=poll, actor=leader, choices=choices)
    poll.refresh_from_db()
    assert poll.ballots_returned == 0
    assert not BallotParticipation.objects.exists()


def test_a_blank_ballot_is_cast_and_valid(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    cast(poll, leaders, {agency_id: [] for agency_id in leaders})
    poll = poll_close(poll=poll, actor=secretariat)
    assert (poll.ballots_returned, poll.ballots_valid) == (5, 5)
    assert sum(poll.candidates.values_list("votes", flat=True)) == 0
    assert poll.outcome["elected"] == []


# Closing ----------------------------------------------------------------------------


def test_closing_stores_the_outcome_in_the_agreed_schema(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    first, second = _ids(poll)[:2]
    agencies = list(leaders)
    cast(poll, leaders, {a: [first] for a in agencies[:4]} | {agencies[4]: [second]})
    poll = poll_close(poll=poll, actor=secretariat)
    outcome = poll.outcome
    assert set(outcome) == {
        "elected",
        "next_round",
        "seats_left",
        "fallback",
        "needs_decision",
        "base_count",
        "required",
        "rule_text",
        "warnings",
        "results",
    }
    assert outcome["elected"] == [first]
    assert (outcome["seats_left"], outcome["fallback"], outcome["needs_decision"]) == (
        0,
        None,
        False,
    )
    assert (outcome["base_count"], outcome["required"]) == (5, 3)
    # The record is in the documents' language.
    assert outcome["rule_text"] == "trên 1/2 tổng số thành viên: cần 3 phiếu"
    top = outcome["results"][0]
    assert set(top) == {"agency_id", "name", "votes", "percent", "passed", "text"}
    assert (top["agency_id"], top["votes"], top["percent"], top["passed"]) == (
        first,
        4,
        "80.00",
        True,
    )
    assert top["text"] == "4/5 phiếu = 80,00 % > 1/2 tổng số thành viên"
    assert poll.closed_at is not None
    assert ConferenceEvent.objects.filter(bloc_year=bloc_year, action="poll_closed").exists()
    # Pages recompute it in the reader's language.
    assert poll_outcome(poll).rule_text == "more than 1/2 of all members: 3 votes needed"


def test_a_paper_poll_closes_only_through_its_counts(year):
    bloc_year, secretariat, _leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat, mode=PollMode.PAPER)
    with pytest.raises(ValidationError, match="counts are entered"):
        poll_close(poll=poll, actor=secretariat)


def test_a_further_round_is_restricted_to_the_undecided_for_the_places_left(year):
    bloc_year, secretariat, leaders = year
    rules = rules_for(bloc_year)
    rules.flag_nominees = 2
    rules.flag_base = ThresholdBase.VALID
    rules.flag_numerator, rules.flag_denominator, rules.flag_strict = 1, 3, False
    rules.save()
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    a, b, c = _ids(poll)[:3]
    agencies = list(leaders)
    # 5 ballots, 2 places, 2 votes needed: a 4 passes; b and c tie on 3 for the last place.
    cast(
        poll,
        leaders,
        {
            agencies[0]: [a, b],
            agencies[1]: [a, b],
            agencies[2]: [a, c],
            agencies[3]: [a, c],
            agencies[4]: [b, c],
        },
    )
    poll = poll_close(poll=poll, actor=secretariat)
    assert poll.outcome["elected"] == [a]
    assert sorted(poll.outcome["next_round"]) == sorted([b, c])
    following = next_round_create(poll=poll, actor=secretariat)
    assert (following.round, following.seats, following.status) == (2, 1, PollStatus.DRAFT)
    assert sorted(following.candidates.values_list("agency_id", flat=True)) == sorted([b, c])
    assert following.threshold_numerator == 1
    assert following.threshold_base == "valid"
    with pytest.raises(ValidationError, match="already exists"):
        next_round_create(poll=poll, actor=secretariat)
    following = poll_open(poll=following, actor=secretariat)
    cast(following, leaders, {agency_id: [b] for agency_id in agencies})
    following = poll_close(poll=following, actor=secretariat)
    assert following.outcome["elected"] == [b]
    with pytest.raises(ValidationError, match="no further round"):
        next_round_create(poll=following, actor=secretariat)
    certificates = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.CERTIFICATE)
    assert not {a, b} & set(_ids(certificates))


def test_after_the_last_round_the_fallback_decides_and_the_kind_is_settled(year):
    bloc_year, secretariat, leaders = year
    rules = rules_for(bloc_year)
    rules.max_rounds = 1
    rules.save()
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    cast(poll, leaders, {agency_id: [] for agency_id in leaders})
    poll = poll_close(poll=poll, actor=secretariat)
    assert poll.outcome["fallback"] == "score_ranking"
    assert poll.outcome["elected"] == [_ids(poll)[0]]
    with pytest.raises(ValidationError, match="no further round"):
        next_round_create(poll=poll, actor=secretariat)
    assert poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.CERTIFICATE)


def test_nothing_changes_once_the_results_are_confirmed(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    Conference.objects.filter(bloc_year=bloc_year).update(
        status=ConferenceStatus.CONFIRMED, confirmed_at="2026-12-20T10:00:00Z"
    )
    with pytest.raises(ValidationError, match="year-end conference"):
        vote_cast(poll=poll, actor=next(iter(leaders.values())), choices=[])
    with pytest.raises(ValidationError, match="confirmed"):
        poll_close(poll=poll, actor=secretariat)
    assert Poll.objects.get(pk=poll.pk).status == PollStatus.OPEN
