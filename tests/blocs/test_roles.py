"""Roles are derived from the year: the secretariat rotates with the chair."""

import pytest
from django.utils import timezone

from blocs import permissions, services
from blocs.models import MemberRole, SecretariatDelegation
from members.models import AgencyRole
from tests.blocs.factories import BlocYearFactory, MembershipFactory
from tests.members.factories import AgencyFactory, AgencyStaffFactory, BoardUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years():
    """Agency A chairs 2025 with B as vice; B chairs 2026 with A as vice."""
    year_2025 = BlocYearFactory(year=2025)
    province = year_2025.bloc.province
    a, b = AgencyFactory(province=province), AgencyFactory(province=province)
    MembershipFactory(bloc_year=year_2025, agency=a, role=MemberRole.CHAIR)
    MembershipFactory(bloc_year=year_2025, agency=b, role=MemberRole.VICE_CHAIR)
    year_2026 = BlocYearFactory(bloc=year_2025.bloc, year=2026)
    MembershipFactory(bloc_year=year_2026, agency=b, role=MemberRole.CHAIR)
    MembershipFactory(bloc_year=year_2026, agency=a, role=MemberRole.VICE_CHAIR)
    return year_2025, year_2026, a, b


def test_the_secretariat_follows_the_chair_year_by_year(two_years):
    year_2025, year_2026, a, b = two_years
    officer_a = AgencyStaffFactory(agency=a, agency_role=AgencyRole.OFFICER)
    officer_b = AgencyStaffFactory(agency=b, agency_role=AgencyRole.OFFICER)

    assert permissions.is_secretariat(officer_a, year_2025) is True
    assert permissions.is_secretariat(officer_a, year_2026) is False
    assert permissions.is_secretariat(officer_b, year_2025) is False
    assert permissions.is_secretariat(officer_b, year_2026) is True
    assert list(permissions.secretariat_years(officer_b)) == [year_2026]


def test_every_staff_member_of_the_chair_agency_is_secretariat(two_years):
    year_2025, _, a, _ = two_years
    for role in AgencyRole:
        assert permissions.is_secretariat(AgencyStaffFactory(agency=a, agency_role=role), year_2025)


def test_handing_the_chair_to_another_member_moves_the_secretariat(two_years):
    _, year_2026, a, b = two_years
    board = BoardUserFactory(board_province=year_2026.bloc.province)
    officer_a = AgencyStaffFactory(agency=a, agency_role=AgencyRole.OFFICER)
    assert permissions.is_secretariat(officer_a, year_2026) is False

    services.bloc_year_set_officers(bloc_year=year_2026, actor=board, chair=a, vice_chair=b)

    year_2026.refresh_from_db()
    assert permissions.is_secretariat(officer_a, year_2026) is True


def test_a_delegation_grants_secretariat_rights_for_that_year_only(two_years):
    year_2025, year_2026, a, _ = two_years
    helper = AgencyStaffFactory(agency=AgencyFactory(province=year_2025.bloc.province))
    grantor = AgencyStaffFactory(agency=a, agency_role=AgencyRole.LEADER)
    delegation = SecretariatDelegation.objects.create(
        bloc_year=year_2025, user=helper, granted_by=grantor
    )

    assert permissions.is_secretariat(helper, year_2025) is True
    assert permissions.is_secretariat(helper, year_2026) is False
    assert list(permissions.secretariat_years(helper)) == [year_2025]

    delegation.revoked_at = timezone.now()
    delegation.save()
    assert permissions.is_secretariat(helper, year_2025) is False


def test_board_rights_are_per_province(bloc_year, board_user, other_board_user):
    assert permissions.can_view_bloc_year(board_user, bloc_year) is True
    assert permissions.can_view_bloc_year(other_board_user, bloc_year) is False


def test_role_changes_take_effect_immediately(bloc_year, member_leader):
    assert permissions.can_view_bloc_year(member_leader, bloc_year) is True
    member_leader.agency = AgencyFactory(province=bloc_year.bloc.province)
    member_leader.save()
    bloc_year.refresh_from_db()
    assert permissions.can_view_bloc_year(member_leader, bloc_year) is False


def test_a_closed_year_is_read_only_for_everyone(bloc_year, board_user, secretariat_user):
    bloc_year.stage = "closed"
    bloc_year.save()
    assert permissions.can_edit_bloc_year(board_user, bloc_year) is False
    assert permissions.can_edit_bloc_year(secretariat_user, bloc_year) is False
    assert permissions.can_view_bloc_year(secretariat_user, bloc_year) is True
