"""The conference hub, the results and the proposals are kept as fragments under the data
version (members.caching): a repeated read comes from the cache, the next read after a
write shows it, the permission check still runs first, the secretariat's buttons and
documents never reach a member (nor the other way round) whoever opened the page first,
and an agency's vote shows on its own hub only."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from awards.models import Attendance, AwardKind, AwardProposal
from awards.outcomes import results_confirm
from awards.voting import poll_close
from blocs.models import MemberRole
from members import caching
from members.models import Agency
from tests.awards.conference_page_helpers import member_leader, page_url
from tests.awards.factories import conference_year
from tests.awards.factories_polls import (
    closed_poll,
    full_results,
    members_in_rank_order,
    open_conference,
)
from tests.awards.results_helpers import elect_officers, results_url, secretariat_of
from tests.awards.voting_factories import cast, open_poll, register, voting_year
from tests.cached_pages import read_twice, signed_in
from tests.covenants.factories_score import leader_of
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _assert_read_twice_from_the_cache(client, url) -> str:
    """The page read twice: the second read finds fragments, makes fewer queries and
    answers the same HTML. Returns that HTML (its CSRF tokens blanked)."""
    reads = read_twice(client, url)
    assert reads.hits > 0
    assert reads.warm_queries < reads.cold_queries
    assert reads.first == reads.second
    return reads.second


def _member(year):
    return leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)


# The hub ------------------------------------------------------------------------------


@pytest.fixture
def voting():
    return voting_year(members=5)


def test_the_hub_is_read_from_the_cache_until_the_register_or_a_poll_changes(voting):
    bloc_year, secretariat, _leaders = voting
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    client = signed_in(secretariat)
    hub = page_url("conference", bloc_year)

    html = _assert_read_twice_from_the_cache(client, hub)
    assert page_url("results", bloc_year) not in html  # no closed poll yet

    Attendance.objects.filter(conference__bloc_year=bloc_year).update(
        representative_name="Người Đại Diện Mới"
    )
    assert "Người Đại Diện Mới" in _html(client, hub)

    poll_close(poll=poll, actor=secretariat)  # the real service, in its own transaction
    html = _html(client, hub)
    assert f'id="results-{poll.pk}"' in html
    assert page_url("results", bloc_year) in html


def test_the_secretariats_buttons_never_reach_a_member_whoever_reads_first(voting):
    bloc_year, secretariat, leaders = voting
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    clients = {
        "secretariat": signed_in(secretariat),
        "member": signed_in(member_leader(bloc_year, leaders)),
        "board": signed_in(BoardUserFactory(board_province=bloc_year.bloc.province)),
    }
    hub = page_url("conference", bloc_year)
    manage_links = [page_url(name, bloc_year) for name in ("attendance", "conference_edit")]
    vote_link = page_url("vote", bloc_year, poll.pk)

    for order in (("secretariat", "member", "board"), ("member", "board", "secretariat")):
        caches[caching.CACHE_ALIAS].clear()
        html = {who: _html(clients[who], hub) for who in order}
        assert all(link in html["secretariat"] for link in manage_links)
        assert not any(link in html["member"] for link in manage_links)
        assert not any(link in html["board"] for link in manage_links)
        assert vote_link in html["member"]
        assert vote_link not in html["board"]


def test_an_agencys_vote_shows_on_its_own_hub_only(voting):
    bloc_year, secretariat, leaders = voting
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    voter_agency, other_agency = [
        m.agency_id for m in bloc_year.memberships.filter(role=MemberRole.MEMBER)[:2]
    ]
    voter, other = signed_in(leaders[voter_agency]), signed_in(leaders[other_agency])
    hub = page_url("conference", bloc_year)
    vote_link = page_url("vote", bloc_year, poll.pk)
    voted = vi("Your agency has voted: %(poll)s (round %(round)s).").split(":")[0]
    assert vote_link in _html(voter, hub)
    assert vote_link in _html(other, hub)  # both read from the cache now

    candidate = poll.candidates.first()
    cast(poll, leaders, {voter_agency: [candidate.agency_id]})

    html = _html(voter, hub)
    assert voted in html
    assert vote_link not in html
    html = _html(other, hub)
    assert voted not in html
    assert vote_link in html
    assert voted not in _html(signed_in(secretariat), hub)


# The results --------------------------------------------------------------------------


def test_the_results_are_read_from_the_cache_until_they_are_confirmed():
    year = conference_year(members=5)
    flag, _certified, next_chair, _next_vice = full_results(year)
    board = signed_in(BoardUserFactory(board_province=year.bloc.province))

    html = _assert_read_twice_from_the_cache(board, results_url(year))
    assert vi("Not confirmed yet") in html
    assert vi("Confirmed results") not in html

    results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    html = _html(board, results_url(year))
    assert vi("Confirmed results") in html
    assert flag.name in html.split('id="flag-nominees"')[1].split("</dd>")[0]
    assert next_chair.name in html.split('id="next-chair"')[1].split("</dd>")[0]

    Agency.objects.filter(pk=flag.pk).update(name="Sở Mới Đổi Tên")
    assert "Sở Mới Đổi Tên" in _html(board, results_url(year))


def test_the_secretariats_documents_never_reach_a_member_whoever_reads_first():
    year = conference_year(members=5)
    full_results(year)
    results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    secretariat, member = signed_in(secretariat_of(year)), signed_in(_member(year))
    report_edit = reverse("awards:report_edit", args=[year.bloc_id, year.year])
    dossier = reverse("awards:dossier", args=[year.bloc_id, year.year])
    minutes = reverse("awards:minutes_pdf", args=[year.bloc_id, year.year])

    for first, second in ((secretariat, member), (member, secretariat)):
        caches[caching.CACHE_ALIAS].clear()
        html = {client: _html(client, results_url(year)) for client in (first, second)}
        assert report_edit in html[secretariat]
        assert dossier in html[secretariat]
        assert report_edit not in html[member]
        assert dossier not in html[member]
        assert minutes in html[member]  # the members read the documents once confirmed


def test_the_breakdown_shown_on_request_is_not_shown_to_the_next_reader():
    year = conference_year(members=5)
    open_conference(year)
    ranked = members_in_rank_order(year)
    closed_poll(year, "flag", {ranked[0]: 3}, candidates=ranked, ballots=3)
    client = signed_in(BoardUserFactory(board_province=year.bloc.province))

    assert "3/5 phiếu" in _html(client, results_url(year) + "?breakdown=all")
    html = _html(client, results_url(year))
    assert "3/5 phiếu" not in html
    assert vi("Show the breakdown anyway") in html


def test_the_confirmation_form_and_its_errors_stay_out_of_the_cache():
    year = conference_year(members=5)
    open_conference(year)
    ranked = members_in_rank_order(year)
    closed_poll(year, "flag", {ranked[1]: 5}, candidates=ranked)
    closed_poll(year, "certificate", {ranked[2]: 4}, candidates=ranked[2:], seats=1)
    elect_officers(year)
    secretariat, board = signed_in(secretariat_of(year)), signed_in(_board_of(year))
    reason = f'name="reason_{ranked[1].pk}"'
    assert reason in _assert_read_twice_from_the_cache(secretariat, results_url(year))
    assert reason not in _html(board, results_url(year))

    response = secretariat.post(results_url(year, "results_confirm"), {})
    assert response.status_code == 200
    message = vi("%(name)s is not ranked first by score: give the reason for proposing it.")
    assert message.replace("%(name)s", ranked[1].name) in response.content.decode()
    html = _html(secretariat, results_url(year))
    assert message.replace("%(name)s", ranked[1].name) not in html
    assert reason in html


def test_each_language_has_its_own_results():
    year = conference_year(members=5)
    full_results(year)
    board = _board_of(year)
    english = _board_of(year)
    english.preferred_language = "en"
    english.save(update_fields=["preferred_language"])
    vietnamese, english = signed_in(board), signed_in(english)

    assert vi("Elected:") in _html(vietnamese, results_url(year))
    html = _html(english, results_url(year))
    assert "Elected:" in html
    assert vi("Elected:") not in html


def _board_of(year):
    return BoardUserFactory(board_province=year.bloc.province)


# The proposals ------------------------------------------------------------------------


def _proposals_url(year):
    return reverse("awards:proposals", args=[year.bloc_id, year.year])


def test_the_proposals_are_read_from_the_cache_until_they_change():
    year = conference_year(members=5)
    full_results(year)
    board = signed_in(_board_of(year))
    no_proposals = vi(
        "No proposals yet: they are written when the secretariat confirms the conference results."
    )
    assert no_proposals in _assert_read_twice_from_the_cache(board, _proposals_url(year))

    results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    html = _assert_read_twice_from_the_cache(board, _proposals_url(year))
    assert no_proposals not in html

    AwardProposal.objects.filter(bloc_year=year, award=AwardKind.FLAG).update(
        reason="Nhiều sáng kiến xuất sắc"
    )
    assert "Nhiều sáng kiến xuất sắc" in _html(board, _proposals_url(year))


def test_the_cached_proposals_are_still_checked_for_each_reader():
    year = conference_year(members=5)
    full_results(year)
    board, member = signed_in(_board_of(year)), signed_in(_member(year))
    outsider = signed_in(BoardUserFactory())
    assert board.get(_proposals_url(year)).status_code == 200  # now in the cache

    assert member.get(_proposals_url(year)).status_code == 403  # not confirmed yet
    assert outsider.get(_proposals_url(year)).status_code == 403
