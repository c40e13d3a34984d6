"""The ballot and the results pages: a leader votes and the choice is never echoed,
refusals stay on the page, results stay hidden until a poll closes, and a small
poll warns before its breakdown."""

import pytest

from awards.models import BallotParticipation, PollCandidate, PollKind
from awards.voting import poll_close, poll_create
from tests.awards.conference_page_helpers import member_leader, page_html, page_url
from tests.awards.voting_factories import cast, open_poll, register, voting_year
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return voting_year(members=5)


# Voting ---------------------------------------------------------------------------------


def test_a_leader_votes_from_the_ballot_page_and_the_choice_is_never_echoed(client, year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    choice = PollCandidate.objects.filter(poll=poll).order_by("rank").last()
    leader = member_leader(bloc_year, leaders)
    client.force_login(leader)
    url = page_url("vote", bloc_year, poll.pk)
    html = page_html(client, url)
    assert html.count('type="checkbox" name="choices"') == 5
    assert vi("Cast the ballot") in html
    response = client.post(url, {"choices": [choice.agency_id]})
    assert response.status_code == 302
    assert response.url == page_url("conference", bloc_year)
    assert response.content == b""
    hub = client.get(response.url).content.decode()
    assert vi("Your agency's vote is recorded.") in hub
    your_vote = hub[
        hub.index('id="your-vote"') : hub.index("</section>", hub.index('id="your-vote"'))
    ]
    assert choice.agency.name not in your_vote
    html = page_html(client, url)
    assert vi("Your agency has already voted in this poll.") in html
    assert "checked" not in html
    assert PollCandidate.objects.get(pk=choice.pk).votes == 1


def test_too_many_ticks_are_refused_on_the_page_and_kept(client, year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    first, second = PollCandidate.objects.filter(poll=poll).order_by("rank")[:2]
    client.force_login(member_leader(bloc_year, leaders))
    response = client.post(
        page_url("vote", bloc_year, poll.pk), {"choices": [first.agency_id, second.agency_id]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        vi("Choose at most %(seats)s: there are %(seats)s places to fill.") % {"seats": 1} in html
    )
    assert html.count("checked") == 2
    assert not BallotParticipation.objects.exists()


def test_someone_with_no_agency_to_vote_for_gets_no_ballot(client, year):
    bloc_year, secretariat, _leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    for someone in (secretariat, BoardUserFactory(board_province=bloc_year.bloc.province)):
        client.force_login(someone)
        assert client.get(page_url("vote", bloc_year, poll.pk)).status_code == 403
        assert client.post(page_url("vote", bloc_year, poll.pk), {"choices": []}).status_code == 403


def test_a_draft_poll_offers_no_ballot(client, year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    client.force_login(member_leader(bloc_year, leaders))
    html = page_html(client, page_url("vote", bloc_year, poll.pk))
    assert vi("This poll is not open for voting.") in html
    assert 'name="choices"' not in html


# Results -----------------------------------------------------------------------------


def test_results_are_hidden_until_the_poll_closes(client, year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    first = PollCandidate.objects.filter(poll=poll).order_by("rank").first()
    cast(poll, leaders, {agency_id: [first.agency_id] for agency_id in leaders})
    for user in (secretariat, member_leader(bloc_year, leaders)):
        client.force_login(user)
        for url in (page_url("poll", bloc_year, poll.pk), page_url("conference", bloc_year)):
            for accept in ("text/html", "application/json"):
                response = client.get(url, HTTP_ACCEPT=accept)
                html = response.content.decode()
                assert response["Content-Type"].startswith("text/html")
                assert 'id="breakdown"' not in html
                assert "5/5 phiếu" not in html
                assert "100,00" not in html
                assert "results-" not in html
    client.force_login(secretariat)
    html = page_html(client, page_url("poll", bloc_year, poll.pk))
    assert (
        vi("Ballots cast so far: %(returned)s of %(present)s.")
        % {
            "returned": 5,
            "present": 5,
        }
        in html
    )
    poll_close(poll=poll, actor=secretariat)
    html = page_html(client, page_url("poll", bloc_year, poll.pk))
    assert 'id="breakdown"' in html
    assert "5/5 phiếu" in html
    assert "100,00" in html
    assert 'id="small-poll-warning"' not in html
    assert page_url("results", bloc_year) in page_html(client, page_url("conference", bloc_year))


def test_a_small_poll_warns_before_showing_its_breakdown(client, year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    first = PollCandidate.objects.filter(poll=poll).order_by("rank").first()
    voters = dict(list(leaders.items())[:4])
    cast(poll, leaders, {agency_id: [first.agency_id] for agency_id in voters})
    poll_close(poll=poll, actor=secretariat)
    client.force_login(member_leader(bloc_year, leaders))
    url = page_url("poll", bloc_year, poll.pk)
    html = page_html(client, url)
    assert 'id="small-poll-warning"' in html
    assert vi("Show the breakdown anyway") in html
    assert 'id="breakdown"' not in html
    assert "4/5 phiếu" not in html
    # The outcome itself is public: who is elected.
    assert first.agency.name in html
    html = page_html(client, url + "?breakdown=1")
    assert 'id="breakdown"' in html
    assert "4/5 phiếu" in html
