"""The proposals page: what the board receives, with votes and scores and a
link to each achievement report. The board of the province and the
secretariat see it; members once the results are confirmed; nobody else."""

import pytest
from django.urls import reverse

from awards.models import AwardKind, AwardProposal
from awards.outcomes import results_confirm
from blocs.models import MemberRole
from tests.awards.factories import conference_year
from tests.awards.factories_polls import full_results
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import AgencyFactory, AgencyStaffFactory, BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _url(year):
    return reverse("awards:proposals", args=[year.bloc_id, year.year])


def _member(year):
    return leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)


def test_the_board_and_the_secretariat_see_it_before_confirmation_members_after(client):
    year = conference_year(members=5)
    full_results(year)
    board = BoardUserFactory(board_province=year.bloc.province)
    member = _member(year)

    for user, status in (
        (board, 200),
        (officer_of(year.chair), 200),
        (member, 403),
        (BoardUserFactory(), 403),
    ):
        client.force_login(user)
        assert client.get(_url(year)).status_code == status

    client.force_login(board)
    html = client.get(_url(year)).content.decode()
    assert (
        vi(
            "No proposals yet: they are written when the secretariat confirms the conference "
            "results."
        )
        in html
    )

    results_confirm(bloc_year=year, actor=officer_of(year.chair), reasons={}, decisions={})
    client.force_login(member)
    assert client.get(_url(year)).status_code == 200
    outsider = AgencyStaffFactory(agency=AgencyFactory(province=year.bloc.province))
    for user in (outsider, BoardUserFactory()):
        client.force_login(user)
        assert client.get(_url(year)).status_code == 403


def test_each_proposal_shows_votes_scores_and_its_achievement_report(client):
    year = conference_year(members=5)
    flag, certified, next_chair, next_vice = full_results(year)
    results_confirm(bloc_year=year, actor=officer_of(year.chair), reasons={}, decisions={})
    client.force_login(BoardUserFactory(board_province=year.bloc.province))

    html = client.get(_url(year)).content.decode()

    flag_proposal = AwardProposal.objects.get(bloc_year=year, award=AwardKind.FLAG)
    assert flag.name in html
    assert all(agency.name in html for agency in certified)
    assert "5/5 · 100,00 %" in html
    assert "5/5 phiếu = 100,00 % &gt; 1/2 tổng số thành viên" in html
    assert reverse("awards:achievement", args=[year.bloc_id, year.year, flag_proposal.pk]) in html
    table = html.split('id="proposals"')[1]
    assert table.index(flag.name) < table.index(certified[0].name)  # flag first
    assert next_chair.name in html
    assert next_vice.name in html
    assert vi("Not drafted yet") in html


def _page_queries(client, members, django_assert_max_num_queries):
    year = conference_year(members=members)
    full_results(year, certificates=3)
    results_confirm(bloc_year=year, actor=officer_of(year.chair), reasons={}, decisions={})
    client.force_login(BoardUserFactory(board_province=year.bloc.province))
    with django_assert_max_num_queries(10):
        assert client.get(_url(year)).status_code == 200


@pytest.mark.parametrize("members", [5, 9])
def test_the_proposals_page_query_count_does_not_grow_with_members(
    client, members, django_assert_max_num_queries
):
    _page_queries(client, members, django_assert_max_num_queries)
