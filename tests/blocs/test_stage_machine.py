"""The bloc-year stage machine: every legal and illegal move, who may make
it, the guards' blockers, the history row and the mail after commit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from blocs import services
from blocs.models import BlocYear, MemberRole, StageChange
from blocs.stages import (
    STAGE_ORDER,
    TRANSITIONS,
    TRANSITIONS_BY_NAME,
    Actor,
    Stage,
    forward_transition,
    register_guard,
    transitions_from,
)
from members.models import AgencyRole
from tests.awards.factories import complete_conference, hand_over
from tests.blocs.factories import BlocYearFactory, MembershipFactory, prepare_for
from tests.covenants.factories import sign_all
from tests.covenants.factories_score import complete_year_end, hold_mid_year
from tests.members.factories import AgencyStaffFactory

pytestmark = pytest.mark.django_db


def _actor_for(transition, *, board_user, secretariat_user):
    return secretariat_user if Actor.SECRETARIAT in transition.actors else board_user


# The declared machine -------------------------------------------------------


def test_every_transition_has_exactly_one_service():
    assert services.TRANSITION_SERVICES.keys() == TRANSITIONS_BY_NAME.keys()
    assert len(set(services.TRANSITION_SERVICES.values())) == len(TRANSITIONS)


def test_forward_transitions_walk_every_stage_in_order():
    stage, walked = Stage.SETUP, [Stage.SETUP]
    while (transition := forward_transition(stage)) is not None:
        stage = transition.target
        walked.append(stage)
    assert walked == list(STAGE_ORDER)


def test_closed_is_terminal():
    assert transitions_from(Stage.CLOSED) == []


def test_registering_a_guard_for_an_unknown_transition_fails_loudly():
    with pytest.raises(ValueError, match="Unknown transitions"):
        register_guard("no_such_step")


# Legal moves ----------------------------------------------------------------


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.name)
def test_each_legal_transition_moves_the_stage_and_records_history(
    transition, bloc_year, board_user, secretariat_user, django_capture_on_commit_callbacks
):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=transition.source)
    prepare_for(bloc_year, transition)
    actor = _actor_for(transition, board_user=board_user, secretariat_user=secretariat_user)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.TRANSITION_SERVICES[transition.name](
            bloc_year=bloc_year, actor=actor, note="Theo kế hoạch"
        )

    bloc_year.refresh_from_db()
    assert result.stage == bloc_year.stage == transition.target
    change = StageChange.objects.get(bloc_year=bloc_year)
    assert (change.transition, change.from_stage, change.to_stage) == (
        transition.name,
        transition.source,
        transition.target,
    )
    assert change.actor == actor
    assert change.note == "Theo kế hoạch"
    assert len(callbacks) == 1


def test_a_whole_year_from_set_up_to_closed(bloc_year, board_user, secretariat_user):
    for transition in TRANSITIONS:
        if transition.is_backward:
            continue
        if transition.name == "start_year":
            sign_all(bloc_year.covenant)
        if transition.name == "open_scoring":
            hold_mid_year(bloc_year)
        if transition.name == "open_conference":
            complete_year_end(bloc_year)
        if transition.name == "submit_proposals":
            complete_conference(bloc_year)
        if transition.name == "close_year":
            hand_over(bloc_year)
        actor = _actor_for(transition, board_user=board_user, secretariat_user=secretariat_user)
        bloc_year = services.TRANSITION_SERVICES[transition.name](bloc_year=bloc_year, actor=actor)
    assert bloc_year.stage == Stage.CLOSED
    assert bloc_year.is_read_only is True
    assert [c.to_stage for c in bloc_year.stage_changes.order_by("pk")] == list(STAGE_ORDER[1:])


# Illegal moves -----------------------------------------------------------------


ILLEGAL = [
    (transition, stage)
    for transition in TRANSITIONS
    for stage in Stage
    if stage != transition.source
]


@pytest.mark.parametrize(
    ("transition", "stage"), ILLEGAL, ids=lambda v: getattr(v, "name", None) or str(v)
)
def test_a_transition_from_any_other_stage_is_refused(
    transition, stage, bloc_year, board_user, secretariat_user
):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=stage)
    actor = _actor_for(transition, board_user=board_user, secretariat_user=secretariat_user)

    with pytest.raises(ValidationError) as excinfo:
        services.TRANSITION_SERVICES[transition.name](bloc_year=bloc_year, actor=actor)

    # A closed year refuses first, as read-only (tests/test_closed_year.py).
    assert excinfo.value.code == ("read_only" if stage == Stage.CLOSED else "wrong_stage")
    bloc_year.refresh_from_db()
    assert bloc_year.stage == stage
    assert not StageChange.objects.exists()


# Permissions -------------------------------------------------------------------


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.name)
@pytest.mark.parametrize(
    "who", ["member_leader", "outsider", "other_board_user", "board_user", "secretariat_user"]
)
def test_only_the_declared_actors_may_move_the_year(transition, who, bloc_year, request):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=transition.source)
    prepare_for(bloc_year, transition)
    user = request.getfixturevalue(who)
    allowed = (who == "board_user" and Actor.BOARD in transition.actors) or (
        who == "secretariat_user" and Actor.SECRETARIAT in transition.actors
    )
    service = services.TRANSITION_SERVICES[transition.name]

    if allowed:
        service(bloc_year=bloc_year, actor=user)
        assert StageChange.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            service(bloc_year=bloc_year, actor=user)
        bloc_year.refresh_from_db()
        assert bloc_year.stage == transition.source
        assert not StageChange.objects.exists()


def test_a_site_admin_may_perform_any_transition(bloc_year, site_admin):
    services.bloc_year_open_signing(bloc_year=bloc_year, actor=site_admin)
    sign_all(bloc_year.covenant)
    services.bloc_year_start_year(bloc_year=bloc_year, actor=site_admin)
    bloc_year.refresh_from_db()
    assert bloc_year.stage == Stage.IN_PROGRESS


def test_a_deactivated_secretariat_member_loses_the_right(bloc_year, secretariat_user):
    secretariat_user.is_active = False
    secretariat_user.save()
    with pytest.raises(PermissionDenied):
        services.bloc_year_open_signing(bloc_year=bloc_year, actor=secretariat_user)


# Set-up guards ---------------------------------------------------------------


def test_open_signing_lists_every_set_up_blocker(board_user):
    bloc_year = BlocYearFactory()
    MembershipFactory(bloc_year=bloc_year)
    board_user.board_province = bloc_year.bloc.province
    board_user.save()

    with pytest.raises(ValidationError) as excinfo:
        services.bloc_year_open_signing(bloc_year=bloc_year, actor=board_user)

    messages = excinfo.value.messages
    assert "1 member" in messages[0]
    assert "at least 2" in messages[0]
    assert "No chair agency" in messages[1]
    assert "No vice-chair agency" in messages[2]
    assert "The covenant has not been drafted yet." in messages  # covenants' guard
    bloc_year.refresh_from_db()
    assert bloc_year.stage == Stage.SETUP
    assert not StageChange.objects.exists()


def test_members_who_left_do_not_count_towards_the_minimum(bloc_year, board_user):
    bloc_year.memberships.filter(role=MemberRole.MEMBER).update(left_on="2026-03-01")
    bloc_year.memberships.filter(role=MemberRole.VICE_CHAIR).update(role=MemberRole.MEMBER)
    bloc_year.memberships.filter(role=MemberRole.MEMBER).update(left_on="2026-03-01")

    with pytest.raises(ValidationError) as excinfo:
        services.bloc_year_open_signing(bloc_year=bloc_year, actor=board_user)

    assert any("1 member" in m for m in excinfo.value.messages)


def test_blockers_are_translated(bloc_year, board_user):
    from django.utils import translation

    bloc_year.memberships.filter(role=MemberRole.VICE_CHAIR).update(role=MemberRole.MEMBER)
    with translation.override("vi"), pytest.raises(ValidationError) as excinfo:
        services.bloc_year_open_signing(bloc_year=bloc_year, actor=board_user)
    assert "khối phó" in excinfo.value.messages[0].lower()


# Side effects ----------------------------------------------------------------


def test_members_are_mailed_after_commit_only(
    bloc_year, board_user, mailoutbox, django_capture_on_commit_callbacks
):
    leader = AgencyStaffFactory(
        agency=bloc_year.memberships.first().agency, agency_role=AgencyRole.LEADER
    )
    AgencyStaffFactory(agency=leader.agency, agency_role=AgencyRole.STAFF)  # not mailed

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.bloc_year_open_signing(bloc_year=bloc_year, actor=board_user)
    assert mailoutbox == []

    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[leader.email]]
    assert str(bloc_year.year) in mailoutbox[0].subject
