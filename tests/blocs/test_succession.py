"""Renames and merges keep past years' names and carry open years forward."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from blocs import services
from blocs.models import BlocYear, MemberRole, Membership
from blocs.stages import Stage
from members.models import Agency, AgencyKind
from tests.blocs.factories import BlocYearFactory, MembershipFactory
from tests.members.factories import AgencyFactory, AgencyStaffFactory

pytestmark = pytest.mark.django_db

MERGE_DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def three_years(bloc_year):
    """2025 closed, 2026 (the fixture's year) under way, 2027 in set-up."""
    bloc = bloc_year.bloc
    past = BlocYearFactory(bloc=bloc, year=2025, stage=Stage.CLOSED)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.IN_PROGRESS)
    future = BlocYearFactory(bloc=bloc, year=2027)
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    for by in (past, future):
        MembershipFactory(bloc_year=by, agency=chair, role=MemberRole.CHAIR)
    return past, BlocYear.objects.get(pk=bloc_year.pk), future, chair


def _names(bloc_year):
    return {
        m.agency.name: (m.role, m.joined_on, m.left_on)
        for m in Membership.objects.filter(bloc_year=bloc_year).select_related("agency")
    }


def test_a_rename_mid_year_keeps_history_and_hands_over_the_chair(three_years, board_user):
    past, current, future, chair = three_years
    old_name = chair.name
    staff = AgencyStaffFactory(agency=chair)

    successor = services.agency_rename(
        agency=chair,
        name="Sở Văn hóa và Thể thao",
        short_name="Sở VH&TT",
        effective_on=MERGE_DAY,
        actor=board_user,
    )

    chair.refresh_from_db()
    assert (chair.is_active, chair.ended_on, chair.successor) == (False, MERGE_DAY, successor)
    assert successor.code == chair.code
    assert _names(past)[old_name] == (MemberRole.CHAIR, None, None)  # untouched
    assert _names(current)[old_name] == (MemberRole.MEMBER, None, MERGE_DAY)
    assert _names(current)["Sở Văn hóa và Thể thao"] == (MemberRole.CHAIR, MERGE_DAY, None)
    assert old_name not in _names(future)
    assert _names(future)["Sở Văn hóa và Thể thao"][0] == MemberRole.CHAIR
    staff.refresh_from_db()
    assert staff.agency == successor


def test_past_pages_show_the_old_name(three_years, board_user, client):
    past, _current, _future, chair = three_years
    old_name = chair.name
    services.agency_rename(
        agency=chair, name="Tên mới", short_name="TM", effective_on=MERGE_DAY, actor=board_user
    )
    client.force_login(board_user)
    html = client.get(past.get_absolute_url()).content.decode()
    assert old_name in html
    assert "Tên mới" not in html


def test_a_merge_into_a_new_agency(three_years, board_user):
    _past, current, _future, _chair = three_years
    members = list(current.memberships.filter(role=MemberRole.MEMBER).select_related("agency"))
    merging = [m.agency for m in members[:2]]
    successor = services.agency_merge(
        agencies=merging,
        successor=Agency(
            province=current.bloc.province,
            code="BPTTH",
            name="Báo và Phát thanh, Truyền hình",
            short_name="Báo và PT-TH",
            kind=AgencyKind.NEWSPAPER,
        ),
        effective_on=MERGE_DAY,
        actor=board_user,
    )
    names = _names(current)
    for agency in merging:
        assert names[agency.name][2] == MERGE_DAY
    assert names[successor.name] == (MemberRole.MEMBER, MERGE_DAY, None)
    assert set(Agency.objects.filter(successor=successor)) == set(merging)


def test_a_merge_into_an_existing_member(three_years, board_user):
    _past, current, future, chair = three_years
    absorbed = current.memberships.filter(role=MemberRole.MEMBER).first().agency
    services.agency_merge(
        agencies=[absorbed], successor=chair, effective_on=MERGE_DAY, actor=board_user
    )
    assert _names(current)[absorbed.name][2] == MERGE_DAY
    assert _names(current)[chair.name][0] == MemberRole.CHAIR
    assert absorbed.name not in _names(future)
    assert _names(future)[chair.name][0] == MemberRole.CHAIR


def test_only_the_board_renames(bloc_year, secretariat_user):
    agency = AgencyFactory(province=bloc_year.bloc.province)
    with pytest.raises(PermissionDenied):
        services.agency_rename(
            agency=agency,
            name="X",
            short_name="X",
            effective_on=MERGE_DAY,
            actor=secretariat_user,
        )


def test_rename_and_merge_pages(client, board_user, bloc_year):
    from django.urls import reverse

    agency = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    client.force_login(board_user)
    response = client.post(
        reverse("blocs:rename", args=[agency.pk]),
        {"name": "Sở Mới", "short_name": "SM", "effective_on": "2026-03-01"},
    )
    successor = Agency.objects.get(name="Sở Mới")
    assert response.url == successor.get_absolute_url()

    others = list(bloc_year.memberships.filter(role=MemberRole.MEMBER).exclude(agency=successor))
    url = reverse("blocs:merge", args=[bloc_year.bloc.province.code])
    response = client.post(url, {"agencies": [others[0].agency_id], "effective_on": "2026-03-01"})
    assert response.status_code == 200  # a new agency needs its details
    response = client.post(
        url,
        {"agencies": [others[0].agency_id], "into": successor.pk, "effective_on": "2026-03-01"},
    )
    assert response.url == successor.get_absolute_url()
