"""The conference pages per role, up to the vote: the hub, the record, the register,
the committee, a poll's creation and opening; and page queries that do not grow with
the bloc."""

import pytest
from django.urls import resolve

from awards.models import (
    Attendance,
    Conference,
    CountingMember,
    Poll,
    PollCandidate,
    PollKind,
    PollStatus,
)
from awards.voting import poll_close, poll_create
from blocs.models import BlocYear
from blocs.stages import Stage
from tests.awards.conference_page_helpers import member_leader, page_html, page_url
from tests.awards.voting_factories import cast, open_poll, register, voting_year
from tests.members.factories import AgencyStaffFactory, BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return voting_year(members=5)


# Who sees what ------------------------------------------------------------------------


def test_the_hub_offers_each_role_its_own_actions(client, year):
    bloc_year, secretariat, leaders = year
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    hub = page_url("conference", bloc_year)

    client.force_login(secretariat)
    html = page_html(client, hub)
    assert page_url("attendance", bloc_year) in html
    assert page_url("committee", bloc_year) in html
    assert page_url("conference_edit", bloc_year) in html
    assert (
        vi("Quorum met (at least %(fraction)s: %(needed)s)")
        % {
            "fraction": "2/3",
            "needed": 4,
        }
        in html
    )

    client.force_login(member_leader(bloc_year, leaders))
    html = page_html(client, hub)
    assert page_url("attendance", bloc_year) not in html
    assert page_url("vote", bloc_year, poll.pk) in html
    assert 'id="your-vote"' in html

    client.force_login(BoardUserFactory(board_province=bloc_year.bloc.province))
    html = page_html(client, hub)
    assert page_url("attendance", bloc_year) not in html
    assert page_url("vote", bloc_year, poll.pk) not in html

    client.force_login(AgencyStaffFactory())
    assert client.get(hub).status_code == 403
    client.logout()
    assert client.get(hub).status_code == 302


@pytest.mark.parametrize("name", ["conference_edit", "attendance", "committee", "poll_create"])
def test_the_preparation_pages_are_the_secretariats(client, year, name):
    bloc_year, secretariat, leaders = year
    url = page_url(name, bloc_year)
    for someone in (
        member_leader(bloc_year, leaders),
        BoardUserFactory(board_province=bloc_year.bloc.province),
    ):
        client.force_login(someone)
        assert client.get(url).status_code == 403
    client.force_login(secretariat)
    assert client.get(url).status_code == 200
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    assert client.get(url).status_code == 403


def test_a_closed_year_shows_the_conference_read_only(client, year):
    bloc_year, secretariat, _leaders = year
    register(bloc_year, secretariat)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    client.force_login(secretariat)
    html = page_html(client, page_url("conference", bloc_year))
    assert 'id="not-conference"' in html
    assert page_url("attendance", bloc_year) not in html
    assert page_url("poll_create", bloc_year) not in html


def test_the_vote_route_is_not_taken_for_a_poll_action(year):
    bloc_year, _secretariat, _leaders = year
    assert resolve(page_url("vote", bloc_year, 7)).url_name == "vote"
    assert resolve(page_url("paper_count", bloc_year, 7)).url_name == "paper_count"
    assert resolve(page_url("poll_action", bloc_year, 7, "open")).url_name == "poll_action"


# Preparing -----------------------------------------------------------------------------


def test_the_record_page_saves_the_record(client, year):
    bloc_year, secretariat, _leaders = year
    client.force_login(secretariat)
    response = client.post(
        page_url("conference_edit", bloc_year),
        {"held_on": "2026-12-18", "place": "Hội trường A", "chaired_by": "Nguyễn Văn Hùng"},
    )
    assert response.status_code == 302
    assert Conference.objects.get(bloc_year=bloc_year).place == "Hội trường A"
    response = client.post(page_url("conference_edit", bloc_year), {"held_on": "2020-01-01"})
    assert (
        vi("The conference is held in %(year)s or early the next year.") % {"year": 2026}
        in response.content.decode()
    )


def _register_data(bloc_year, **override):
    rows = list(bloc_year.memberships.order_by("pk").select_related("agency"))
    data = {"rows-TOTAL_FORMS": len(rows), "rows-INITIAL_FORMS": len(rows)}
    for index, membership in enumerate(rows):
        data |= {
            f"rows-{index}-agency": membership.agency_id,
            f"rows-{index}-present": "on",
            f"rows-{index}-representative_name": f"Đại diện {index}",
            f"rows-{index}-representative_title": "Giám đốc",
            f"rows-{index}-voter": "",
        }
    data.update(override)
    return data


def test_the_register_page_names_a_wrong_row_and_keeps_what_was_typed(client, year):
    bloc_year, secretariat, _leaders = year
    client.force_login(secretariat)
    url = page_url("attendance", bloc_year)
    html = page_html(client, url)
    assert vi("Registered voter") in html
    data = _register_data(
        bloc_year, **{"rows-2-representative_name": "", "rows-3-representative_title": "Phó GĐ"}
    )
    html = client.post(url, data).content.decode()
    assert vi("Say who represents a present agency.") in html
    assert 'value="Phó GĐ"' in html
    assert not Attendance.objects.exists()
    data["rows-2-representative_name"] = "Trần Văn Bình"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.filter(present=True).count() == 5


def test_the_register_page_is_read_only_once_a_poll_opened(client, year):
    bloc_year, secretariat, _leaders = year
    register(bloc_year, secretariat)
    open_poll(bloc_year, secretariat)
    client.force_login(secretariat)
    html = page_html(client, page_url("attendance", bloc_year))
    assert 'id="register-locked"' in html
    assert "rows-TOTAL_FORMS" not in html
    html = client.post(
        page_url("attendance", bloc_year), _register_data(bloc_year)
    ).content.decode()
    assert (
        vi(
            "A poll has opened: the attendance register is what the polls count on, "
            "so it can no longer change."
        )
        in html
    )


def test_the_committee_page_ignores_blank_rows_and_explains_refusals(client, year):
    bloc_year, secretariat, _leaders = year
    client.force_login(secretariat)
    url = page_url("committee", bloc_year)
    page_html(client, url)
    data = {"committee-TOTAL_FORMS": 4, "committee-INITIAL_FORMS": 0}
    data |= {"committee-0-full_name": "Đặng Quốc Bảo", "committee-0-role": "member"}
    data |= {"committee-1-full_name": "Võ Thị Lan", "committee-1-role": "member"}
    html = client.post(url, data).content.decode()
    assert vi("The counting committee has exactly one head.") in html
    data["committee-0-role"] = "head"
    assert client.post(url, data).status_code == 302
    assert list(CountingMember.objects.values_list("full_name", flat=True)) == [
        "Đặng Quốc Bảo",
        "Võ Thị Lan",
    ]


def test_the_poll_create_page_creates_the_next_poll(client, year):
    bloc_year, secretariat, _leaders = year
    client.force_login(secretariat)
    url = page_url("poll_create", bloc_year)
    html = page_html(client, url)
    assert (
        vi("New poll: %(poll)s")
        % {"poll": vi("Emulation flag of the provincial People's Committee")}
        in html
    )
    response = client.post(url, {"mode": "paper"})
    poll = Poll.objects.get(bloc_year=bloc_year)
    assert response.url == page_url("poll", bloc_year, poll.pk)
    assert (poll.kind, poll.mode) == (PollKind.FLAG, "paper")


def test_opening_is_confirmed_and_a_refusal_is_shown(client, year):
    bloc_year, secretariat, _leaders = year
    ids = list(bloc_year.memberships.values_list("agency_id", flat=True))
    register(bloc_year, secretariat, absent=ids[:3])
    poll = poll_create(bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG)
    client.force_login(secretariat)
    url = page_url("poll_action", bloc_year, poll.pk, "open")
    html = page_html(client, url)
    assert 'id="freeze-warning"' in html
    html = client.post(url).content.decode()
    assert 'id="action-errors"' in html
    assert Poll.objects.get(pk=poll.pk).status == PollStatus.DRAFT
    assert client.get(page_url("poll_action", bloc_year, poll.pk, "delete")).status_code == 404


# Query counts --------------------------------------------------------------------------


def _page_queries(client, members, django_assert_max_num_queries):
    bloc_year, secretariat, leaders = voting_year(members=members)
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    first = PollCandidate.objects.filter(poll=poll).order_by("rank").first()
    cast(poll, leaders, {agency_id: [first.agency_id] for agency_id in list(leaders)[:-1]})
    leader = list(leaders.values())[-1]
    pages = {
        secretariat: [
            page_url("conference", bloc_year),
            page_url("attendance", bloc_year),
            page_url("poll", bloc_year, poll.pk),
            page_url("committee", bloc_year),
        ],
        leader: [page_url("conference", bloc_year), page_url("vote", bloc_year, poll.pk)],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            with django_assert_max_num_queries(20):
                assert client.get(url).status_code == 200
    poll_close(poll=poll, actor=secretariat)
    client.force_login(secretariat)
    for url in (page_url("conference", bloc_year), page_url("poll", bloc_year, poll.pk)):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("members", [5, 9])
def test_page_queries_do_not_grow_with_the_bloc(client, members, django_assert_max_num_queries):
    _page_queries(client, members, django_assert_max_num_queries)
