"""The chair agency's leader lends secretariat rights for one year."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from blocs import permissions, services
from blocs.models import BlocYear, SecretariatDelegation
from blocs.stages import Stage
from members.models import AgencyRole
from tests.members.factories import AgencyStaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair_leader(chair_agency):
    return AgencyStaffFactory(agency=chair_agency, agency_role=AgencyRole.LEADER)


def test_the_chair_leader_grants_and_revokes_with_who_and_when(
    bloc_year, chair_leader, member_leader
):
    delegation = services.delegation_grant(
        bloc_year=bloc_year, user=member_leader, actor=chair_leader
    )
    assert delegation.granted_by == chair_leader
    assert delegation.granted_at is not None
    assert permissions.is_secretariat(member_leader, bloc_year) is True

    services.delegation_revoke(delegation=delegation, actor=chair_leader)
    delegation.refresh_from_db()
    assert delegation.revoked_by == chair_leader
    assert delegation.revoked_at >= delegation.granted_at
    bloc_year.refresh_from_db()
    assert permissions.is_secretariat(member_leader, bloc_year) is False
    assert SecretariatDelegation.objects.count() == 1  # history kept


@pytest.mark.parametrize("who", ["secretariat_user", "board_user", "member_leader"])
def test_only_the_chair_agencys_leader_delegates(who, bloc_year, outsider, request):
    with pytest.raises(PermissionDenied):
        services.delegation_grant(
            bloc_year=bloc_year, user=outsider, actor=request.getfixturevalue(who)
        )


def test_delegating_to_someone_who_already_has_the_rights_is_explained(
    bloc_year, chair_leader, secretariat_user
):
    with pytest.raises(ValidationError) as excinfo:
        services.delegation_grant(bloc_year=bloc_year, user=secretariat_user, actor=chair_leader)
    assert "user" in excinfo.value.error_dict


def test_no_delegation_in_a_closed_year(bloc_year, chair_leader, outsider):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    bloc_year.refresh_from_db()
    with pytest.raises((PermissionDenied, ValidationError)):
        services.delegation_grant(bloc_year=bloc_year, user=outsider, actor=chair_leader)


def test_grant_and_revoke_through_the_overview(client, bloc_year, chair_leader, outsider):
    client.force_login(chair_leader)
    url = reverse("blocs:delegation_grant", args=[bloc_year.bloc_id, bloc_year.year])
    form_page = client.get(url).content.decode()
    assert outsider.full_name in form_page
    client.post(url, {"user": outsider.pk})
    delegation = SecretariatDelegation.objects.get(user=outsider)

    html = client.get(bloc_year.get_absolute_url()).content.decode()
    assert outsider.full_name in html
    client.post(
        reverse("blocs:delegation_revoke", args=[bloc_year.bloc_id, bloc_year.year, delegation.pk])
    )
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_the_delegate_sees_the_secretariat_actions(client, bloc_year, chair_leader, outsider):
    services.delegation_grant(bloc_year=bloc_year, user=outsider, actor=chair_leader)
    client.force_login(outsider)
    html = client.get(bloc_year.get_absolute_url()).content.decode()
    assert reverse("blocs:officers", args=[bloc_year.bloc_id, bloc_year.year]) in html
