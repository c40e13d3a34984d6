"""The conference results page: every round with its votes and the rule, the
secretariat's confirmation with errors next to their fields, the warning before a
small poll's breakdown, and a query count that does not grow with the bloc."""

import pytest

from awards.models import AwardProposal, Conference, ConferenceStatus
from awards.outcomes import results_confirm
from blocs.models import MemberRole
from tests.awards.factories import conference_year
from tests.awards.factories_polls import (
    closed_poll,
    full_results,
    members_in_rank_order,
    open_conference,
)
from tests.awards.results_helpers import elect_officers, results_url, secretariat_of
from tests.covenants.factories_score import leader_of
from tests.utils import vi

pytestmark = pytest.mark.django_db


def test_the_page_shows_every_round_with_votes_and_the_rule(client):
    year = conference_year(members=5)
    flag, _certified, _chair, _vice = full_results(year)
    client.force_login(leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency))

    html = client.get(results_url(year)).content.decode()

    assert flag.name in html
    assert "5/5 phiếu = 100,00 % &gt; 1/2 tổng số thành viên" in html
    assert vi("Confirm the results") not in html  # a member does not confirm


def test_the_secretariat_confirms_on_the_page_and_errors_come_back_next_to_fields(client):
    year = conference_year(members=5)
    open_conference(year)
    ranked = members_in_rank_order(year)
    closed_poll(year, "flag", {ranked[1]: 5}, candidates=ranked)
    closed_poll(year, "certificate", {ranked[2]: 4}, candidates=ranked[2:], seats=1)
    next_chair, next_vice = elect_officers(year)
    client.force_login(secretariat_of(year))

    html = client.get(results_url(year)).content.decode()
    assert f'name="reason_{ranked[1].pk}"' in html

    response = client.post(results_url(year, "results_confirm"), {})
    assert response.status_code == 200
    html = response.content.decode()
    message = vi("%(name)s is not ranked first by score: give the reason for proposing it.")
    tag = next(t for t in html.split("<textarea")[1:] if f'name="reason_{ranked[1].pk}"' in t)
    assert "is-invalid" in tag.split(">")[0]
    assert message.replace("%(name)s", ranked[1].name) in html
    assert not AwardProposal.objects.filter(bloc_year=year).exists()

    response = client.post(
        results_url(year, "results_confirm"),
        {f"reason_{ranked[1].pk}": "Nhiều sáng kiến"},
        follow=True,
    )
    html = response.content.decode()
    assert Conference.objects.get(bloc_year=year).status == ConferenceStatus.CONFIRMED
    assert vi("Confirmed results") in html
    assert next_chair.name in html
    assert next_vice.name in html


def test_a_small_poll_warns_before_its_breakdown(client):
    year = conference_year(members=5)
    open_conference(year)
    ranked = members_in_rank_order(year)
    closed_poll(year, "flag", {ranked[0]: 3}, candidates=ranked, ballots=3)
    client.force_login(secretariat_of(year))

    html = client.get(results_url(year)).content.decode()
    assert vi("Show the breakdown anyway") in html
    assert "3/5 phiếu" not in html

    html = client.get(results_url(year) + "?breakdown=all").content.decode()
    assert "3/5 phiếu" in html


def _page_queries(client, members, django_assert_max_num_queries):
    year = conference_year(members=members)
    full_results(year, certificates=2)
    client.force_login(secretariat_of(year))
    with django_assert_max_num_queries(14):
        assert client.get(results_url(year)).status_code == 200
    results_confirm(bloc_year=year, actor=secretariat_of(year), reasons={}, decisions={})
    with django_assert_max_num_queries(14):
        assert client.get(results_url(year)).status_code == 200


@pytest.mark.parametrize("members", [5, 9])
def test_the_results_page_query_count_does_not_grow_with_members(
    client, members, django_assert_max_num_queries
):
    _page_queries(client, members, django_assert_max_num_queries)
