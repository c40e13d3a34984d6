"""Set-up edits: members, officers, dates; and a closed year refusing them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from blocs import services
from blocs.models import BlocYear, MemberRole, Membership
from blocs.stages import Stage
from members.models import Agency
from tests.blocs.factories import BlocFactory, BlocYearFactory, MembershipFactory
from tests.members.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _roles(bloc_year):
    return {m.agency_id: m.role for m in bloc_year.memberships.all()}


def test_swapping_chair_and_vice_chair_in_one_step(bloc_year, board_user):
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    vice = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency

    services.bloc_year_set_officers(
        bloc_year=bloc_year, actor=board_user, chair=vice, vice_chair=chair
    )

    roles = _roles(bloc_year)
    assert roles[vice.pk] == MemberRole.CHAIR
    assert roles[chair.pk] == MemberRole.VICE_CHAIR


def test_officers_must_be_distinct_current_members(bloc_year, board_user):
    member = bloc_year.memberships.filter(role=MemberRole.MEMBER).first()
    with pytest.raises(ValidationError) as excinfo:
        services.bloc_year_set_officers(
            bloc_year=bloc_year, actor=board_user, chair=member.agency, vice_chair=member.agency
        )
    assert "vice_chair" in excinfo.value.error_dict

    stranger = AgencyFactory(province=bloc_year.bloc.province)
    with pytest.raises(ValidationError) as excinfo:
        services.bloc_year_set_officers(
            bloc_year=bloc_year, actor=board_user, chair=stranger, vice_chair=None
        )
    assert "chair" in excinfo.value.error_dict

    member.left_on = datetime.date(2026, 6, 1)
    member.save()
    with pytest.raises(ValidationError):
        services.bloc_year_set_officers(
            bloc_year=bloc_year, actor=board_user, chair=member.agency, vice_chair=None
        )


def test_a_member_of_the_bloc_cannot_change_the_set_up(bloc_year, member_leader):
    with pytest.raises(PermissionDenied):
        services.bloc_year_set_officers(
            bloc_year=bloc_year, actor=member_leader, chair=member_leader.agency, vice_chair=None
        )


def test_adding_an_agency_of_another_province_is_refused(bloc_year, board_user):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(bloc_year=bloc_year, actor=board_user, agency=AgencyFactory())
    assert "agency" in excinfo.value.error_dict


def test_an_agency_that_ended_before_the_year_cannot_join_it(bloc_year, board_user):
    province = bloc_year.bloc.province
    ended_2025 = AgencyFactory(province=province)
    Agency.objects.filter(pk=ended_2025.pk).update(
        is_active=False, ended_on=datetime.date(2025, 3, 1)
    )
    ended_2025.refresh_from_db()
    with pytest.raises(ValidationError):
        services.membership_add(bloc_year=bloc_year, actor=board_user, agency=ended_2025)

    past_year = BlocYearFactory(bloc=bloc_year.bloc, year=2025)
    services.membership_add(bloc_year=past_year, actor=board_user, agency=ended_2025)


def test_the_secretariat_adds_members_and_records_a_departure(bloc_year, secretariat_user):
    agency = AgencyFactory(province=bloc_year.bloc.province)
    membership = services.membership_add(
        bloc_year=bloc_year, actor=secretariat_user, agency=agency, joined_on=None
    )
    services.membership_update(
        membership=membership,
        actor=secretariat_user,
        joined_on=None,
        left_on=datetime.date(2026, 7, 1),
    )
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2026, 7, 1)


def test_removing_a_member_only_in_set_up_and_never_an_officer(bloc_year, board_user):
    member = bloc_year.memberships.filter(role=MemberRole.MEMBER).first()
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR)
    with pytest.raises(ValidationError, match="Hand the chair"):
        services.membership_remove(membership=chair, actor=board_user)

    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING)
    with pytest.raises(ValidationError, match="record the date it left"):
        services.membership_remove(membership=member, actor=board_user)

    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SETUP)
    services.membership_remove(membership=member, actor=board_user)
    assert not Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize(
    "edit",
    [
        lambda by, user: services.bloc_year_update(bloc_year=by, actor=user, data={"theme": "x"}),
        lambda by, user: services.bloc_year_set_officers(
            bloc_year=by, actor=user, chair=None, vice_chair=None
        ),
        lambda by, user: services.membership_add(
            bloc_year=by, actor=user, agency=AgencyFactory(province=by.bloc.province)
        ),
        lambda by, user: services.membership_update(
            membership=by.memberships.first(), actor=user, joined_on=None, left_on=None
        ),
    ],
    ids=["dates", "officers", "add member", "member dates"],
)
def test_a_closed_year_refuses_every_edit(edit, bloc_year, board_user):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED, theme="Kept")
    before = _roles(bloc_year)

    with pytest.raises(ValidationError, match="closed"):
        edit(bloc_year, board_user)

    bloc_year.refresh_from_db()
    assert bloc_year.theme == "Kept"
    assert _roles(bloc_year) == before


def test_a_new_year_carries_over_the_current_members_but_not_the_officers(board_user):
    bloc = BlocFactory(province=board_user.board_province)
    last_year = BlocYearFactory(bloc=bloc, year=2025)
    stay = MembershipFactory(bloc_year=last_year, role=MemberRole.CHAIR)
    MembershipFactory(bloc_year=last_year, left_on=datetime.date(2025, 3, 1))
    merged = MembershipFactory(bloc_year=last_year)
    Agency.objects.filter(pk=merged.agency_id).update(
        is_active=False, ended_on=datetime.date(2025, 12, 31)
    )

    new_year = services.bloc_year_create(bloc=bloc, year=2026, actor=board_user)

    assert _roles(new_year) == {stay.agency_id: MemberRole.MEMBER}
    assert new_year.stage == Stage.SETUP


def test_only_the_board_opens_a_year(bloc_year, secretariat_user):
    with pytest.raises(PermissionDenied):
        services.bloc_year_create(bloc=bloc_year.bloc, year=2027, actor=secretariat_user)


def test_opening_the_same_year_twice_is_a_clear_error(bloc_year, board_user):
    with pytest.raises(ValidationError, match="already has this year"):
        services.bloc_year_create(bloc=bloc_year.bloc, year=bloc_year.year, actor=board_user)
