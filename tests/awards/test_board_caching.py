"""The board's inbox and the bloc history are kept as fragments under the data version
(members.caching): a repeated read comes from the cache, the next read after a write shows
it, the permission check still runs first, and the board's view of unpublished ranks never
reaches a member (nor the other way round), whoever opened the page first."""

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.board import decision_record
from awards.models import AwardKind, AwardProposal, DecisionOutcome
from covenants.models import Period, RankingPublication
from members.models import Agency
from tests.awards.test_board_decisions import submitted_year
from tests.cached_pages import read_twice, signed_in, without_csrf
from tests.covenants.factories_score import leader_of
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db

RANKS_TABLE = 'class="table table-sm align-middle mb-0 ranks"'


def _inbox(year):
    return reverse("awards:board_inbox", args=[year.bloc.province.code, year.year])


def _history(year):
    return reverse("awards:bloc_history", args=[year.bloc_id])


def _flag(year):
    return AwardProposal.objects.get(bloc_year=year, award=AwardKind.FLAG)


def _decide(proposal, board, number="15/QĐ-UBND"):
    decision_record(
        proposal=proposal,
        actor=board,
        outcome=DecisionOutcome.APPROVED,
        number=number,
        reason="",
        decided_on=timezone.localdate(),
    )


def test_the_inbox_is_read_from_the_cache_until_a_decision_or_a_rename(client):
    year = submitted_year()
    board = BoardUserFactory(board_province=year.bloc.province)
    client.force_login(board)

    first, second, cold_queries, warm_queries, hits = read_twice(client, _inbox(year))

    assert hits >= 1
    assert warm_queries < cold_queries
    assert without_csrf(first) == without_csrf(second)
    assert "15/QĐ-UBND" not in second

    _decide(_flag(year), board)  # the real service, in its own transaction
    assert "15/QĐ-UBND" in client.get(_inbox(year)).content.decode()

    Agency.objects.filter(pk=_flag(year).agency_id).update(name="Sở Mới Đổi Tên")
    assert "Sở Mới Đổi Tên" in client.get(_inbox(year)).content.decode()


def test_the_cached_inbox_is_still_only_the_boards():
    year = submitted_year()
    board = signed_in(BoardUserFactory(board_province=year.bloc.province))
    other_board = signed_in(BoardUserFactory())
    leader = signed_in(leader_of(_flag(year).agency))
    assert board.get(_inbox(year)).status_code == 200  # now in the cache

    assert other_board.get(_inbox(year)).status_code == 403
    assert leader.get(_inbox(year)).status_code == 403


def test_the_bloc_history_is_read_from_the_cache_until_a_decision(client):
    year = submitted_year()
    board = BoardUserFactory(board_province=year.bloc.province)
    client.force_login(board)

    first, second, cold_queries, warm_queries, hits = read_twice(client, _history(year))

    assert hits >= 1
    assert warm_queries < cold_queries
    assert without_csrf(first) == without_csrf(second)
    assert vi("Proposed, not decided yet") in second

    _decide(_flag(year), board, number="7/QĐ-UBND")
    html = client.get(_history(year)).content.decode()
    assert "7/QĐ-UBND" in html
    assert vi("Proposed, not decided yet") not in html


@pytest.mark.parametrize("board_first", [True, False])
def test_unpublished_ranks_are_the_boards_alone_whoever_opened_the_history_first(board_first):
    year = submitted_year(members=4)
    RankingPublication.objects.filter(bloc_year=year).delete()
    board_user = BoardUserFactory(board_province=year.bloc.province)
    board = signed_in(board_user)
    member = signed_in(leader_of(year.memberships.order_by("pk").last().agency))
    outsider = signed_in(BoardUserFactory())
    viewers = [(board, True), (member, False)]
    if not board_first:
        viewers.reverse()

    for _round in range(2):  # the second round is read from the cache
        for viewer, sees_ranks in viewers:
            html = viewer.get(_history(year)).content.decode()
            assert (RANKS_TABLE in html) is sees_ranks
            assert (vi("No year-end ranking to show.") in html) is not sees_ranks
    assert outsider.get(_history(year)).status_code == 403

    RankingPublication.objects.create(
        bloc_year=year, period=Period.YEAR_END, published_by=board_user
    )
    assert RANKS_TABLE in member.get(_history(year)).content.decode()
