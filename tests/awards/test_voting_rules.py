"""Polls under the year's rules: the quorum, the order of business, who
stands (eligibility gates, one award per unit, the chair not re-elected),
places from the quota, the threshold snapshot, rules frozen on the first
open."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.core import rules_for
from awards.models import (
    Conference,
    ConferenceEvent,
    ConferenceStatus,
    Eligibility,
    PollKind,
    PollMode,
    PollStatus,
    TaskCompletion,
    ThresholdBase,
)
from awards.voting import (
    poll_close,
    poll_create,
    poll_open,
)
from blocs.models import MemberRole
from tests.awards.voting_factories import cast, open_poll, register, voting_year
from tests.members.factories import BoardUserFactory, UserFactory

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


# Quorum and opening ---------------------------------------------------------------


def test_a_poll_does_not_open_without_the_quorum(year):
    bloc_year, secretariat, _leaders = year
    members = list(bloc_year.memberships.values_list("agency_id", flat=True))
    quorum = register(bloc_year, secretariat, absent=members[:2])
    assert (quorum.present, quorum.members, quorum.needed, quorum.met) == (3, 5, 4, False)
    poll = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    with pytest.raises(ValidationError) as error:
        poll_open(poll=poll, actor=secretariat)
    assert error.value.messages == [
        "No quorum: 3 of 5 members are present; at least 4 (2/3) are needed to vote."
    ]
    poll.refresh_from_db()
    assert poll.status == PollStatus.DRAFT
    assert rules_for(bloc_year).frozen_at is None


def test_the_first_open_freezes_the_rules_and_snapshots_the_register(year):
    bloc_year, secretariat, _leaders = year
    members = list(bloc_year.memberships.values_list("agency_id", flat=True))
    register(bloc_year, secretariat, absent=members[:1])
    poll = open_poll(bloc_year, secretariat)
    rules = rules_for(bloc_year)
    conference = Conference.objects.get(bloc_year=bloc_year)
    assert rules.is_frozen
    assert conference.status == ConferenceStatus.VOTING
    assert conference.voting_opened_at is not None
    assert (poll.status, poll.present, poll.members, poll.ballots_issued) == ("open", 4, 5, 4)
    actions = list(
        ConferenceEvent.objects.filter(bloc_year=bloc_year).values_list("action", flat=True)
    )
    assert actions.count("rules_frozen") == 1
    assert {"poll_created", "poll_opened", "attendance_set"} <= set(actions)


def test_only_the_secretariat_opens_a_poll(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    member = leaders[_member(bloc_year, MemberRole.VICE_CHAIR).pk]
    for someone in (member, BoardUserFactory(), UserFactory()):
        with pytest.raises(PermissionDenied):
            poll_open(poll=poll, actor=someone)


def test_a_paper_poll_issues_no_ballot_until_counted(year):
    bloc_year, secretariat, _leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat, mode=PollMode.PAPER)
    assert (poll.present, poll.ballots_issued) == (5, 0)


# Order of business -----------------------------------------------------------------


def test_polls_follow_the_order_flag_certificates_chair_vice_chair(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    with pytest.raises(ValidationError) as error:
        poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.CHAIR)
    assert "first “Emulation flag of the provincial People's Committee”" in error.value.messages[0]
    flag = open_poll(bloc_year, secretariat)
    with pytest.raises(ValidationError, match="Finish the current round"):
        poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    with pytest.raises(ValidationError, match="order of business"):
        poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.CERTIFICATE)
    _settle(flag, secretariat, leaders, _ids(flag)[0])
    with pytest.raises(ValidationError, match="already been held"):
        poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    certificates = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.CERTIFICATE)
    assert certificates.round == 1


def test_a_kind_waiting_for_its_further_round_blocks_the_next(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    flag = open_poll(bloc_year, secretariat)
    first, second = _ids(flag)[:2]
    agencies = list(leaders)
    cast(flag, leaders, {agencies[0]: [first], agencies[1]: [first], agencies[2]: [second]})
    flag = poll_close(poll=flag, actor=secretariat)
    assert flag.outcome["elected"] == []
    assert flag.outcome["next_round"]
    with pytest.raises(ValidationError, match="needs a further round"):
        poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    with pytest.raises(ValidationError, match="order of business"):
        poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.CERTIFICATE)


# Candidates, gates and places ------------------------------------------------------


def test_flag_candidates_are_the_members_not_under_discipline_with_score_and_rank(year):
    bloc_year, secretariat, _leaders = year
    blocked = _member(bloc_year, MemberRole.VICE_CHAIR)
    Eligibility.objects.create(bloc_year=bloc_year, agency=blocked, under_discipline=True)
    poll = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    candidates = list(poll.candidates.order_by("rank"))
    assert blocked.pk not in [c.agency_id for c in candidates]
    assert len(candidates) == 4
    assert [c.rank for c in candidates] == sorted(c.rank for c in candidates)
    assert all(c.score is not None for c in candidates)
    assert poll.seats == 1


def test_the_discipline_gate_follows_the_rules(year):
    bloc_year, secretariat, _leaders = year
    rules = rules_for(bloc_year)
    rules.block_under_discipline = False
    rules.save()
    blocked = _member(bloc_year, MemberRole.VICE_CHAIR)
    Eligibility.objects.create(bloc_year=bloc_year, agency=blocked, under_discipline=True)
    poll = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    assert blocked.pk in _ids(poll)


def test_certificates_need_excellence_and_exclude_the_flag_unit(year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    agencies = list(leaders)
    good = agencies[2]
    Eligibility.objects.create(
        bloc_year=bloc_year, agency_id=good, task_completion=TaskCompletion.GOOD
    )
    once = agencies[3]
    Eligibility.objects.create(bloc_year=bloc_year, agency_id=once, excellent_previous_year=False)
    flag = open_poll(bloc_year, secretariat)
    winner = _ids(flag)[0]
    _settle(flag, secretariat, leaders, winner)
    certificates = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.CERTIFICATE)
    ids = set(_ids(certificates))
    assert winner not in ids
    assert good not in ids
    assert once not in ids
    assert len(ids) == 2
    # 50 % of the 4 members other than the flag unit: 2 places.
    assert certificates.seats == 2


def test_the_previous_year_gate_and_one_award_per_unit_follow_the_rules(year):
    bloc_year, secretariat, leaders = year
    rules = rules_for(bloc_year)
    rules.certificate_needs_excellent = False
    rules.one_award_per_unit = False
    rules.certificate_quota_percent = 100
    rules.save()
    register(bloc_year, secretariat)
    once = list(leaders)[3]
    Eligibility.objects.create(bloc_year=bloc_year, agency_id=once, excellent_previous_year=False)
    flag = open_poll(bloc_year, secretariat)
    winner = _ids(flag)[0]
    _settle(flag, secretariat, leaders, winner)
    certificates = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.CERTIFICATE)
    assert {winner, once} <= set(_ids(certificates))
    assert certificates.seats == 4


def test_a_kind_with_no_place_is_skipped(year):
    bloc_year, secretariat, _leaders = year
    rules = rules_for(bloc_year)
    rules.flag_nominees = 0
    rules.save()
    register(bloc_year, secretariat)
    with pytest.raises(ValidationError, match="skipped"):
        poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    certificates = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.CERTIFICATE)
    # Nobody holds the flag: half of all 5 members, rounded down.
    assert certificates.seats == 2


def test_the_chair_is_not_re_elected_and_the_vice_chair_is_not_the_new_chair(year):
    bloc_year, secretariat, leaders = year
    rules = rules_for(bloc_year)
    rules.flag_nominees = 0
    rules.certificate_quota_percent = 0
    rules.save()
    register(bloc_year, secretariat)
    chair = _member(bloc_year, MemberRole.CHAIR)
    vice = _member(bloc_year, MemberRole.VICE_CHAIR)
    poll = open_poll(bloc_year, secretariat, kind=PollKind.CHAIR)
    assert chair.pk not in _ids(poll)
    assert len(_ids(poll)) == 4
    _settle(poll, secretariat, leaders, vice.pk)
    following = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.VICE_CHAIR)
    assert vice.pk not in _ids(following)
    assert chair.pk in _ids(following)
    assert following.seats == 1


def test_the_threshold_is_a_snapshot_of_the_rules_for_its_kind(year):
    bloc_year, secretariat, _leaders = year
    rules = rules_for(bloc_year)
    rules.flag_numerator, rules.flag_denominator, rules.flag_strict = 2, 3, False
    rules.election_base = ThresholdBase.PRESENT
    rules.save()
    register(bloc_year, secretariat)
    flag = open_poll(bloc_year, secretariat)
    assert (flag.threshold_numerator, flag.threshold_denominator) == (2, 3)
    assert (flag.threshold_strict, flag.threshold_base) == (False, ThresholdBase.MEMBERS)
    # A later change of the rules (bypassing the frozen check) leaves the poll alone.
    rules.flag_numerator = 1
    rules.save()
    flag.refresh_from_db()
    assert flag.threshold_numerator == 2


def test_a_poll_created_before_the_rules_changed_opens_under_the_rules_that_freeze(year):
    bloc_year, secretariat, _leaders = year
    register(bloc_year, secretariat)
    poll = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    rules = rules_for(bloc_year)
    rules.flag_nominees = 2
    rules.flag_numerator, rules.flag_denominator = 4, 5
    rules.save()
    poll = poll_open(poll=poll, actor=secretariat)
    assert (poll.seats, poll.threshold_numerator, poll.threshold_denominator) == (2, 4, 5)
