"""A member's results page: its own numbers for each period, the bloc's
averages only once published, its history across years, who may open it
and what it costs in queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import BlocYear, MemberRole
from covenants.models import Period, ScoreSheet
from covenants.scores.sheets import sheets_open
from tests.blocs.factories import MembershipFactory
from tests.covenants.factories_score import (
    complete_year_end,
    fill_self,
    leader_of,
    officer_of,
    scoring_year,
)
from tests.members.factories import AgencyStaffFactory, UserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _url(bloc_year, agency):
    return reverse("covenants:score_results", args=[bloc_year.bloc_id, bloc_year.year, agency.pk])


def _member(bloc_year):
    return bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency


def _final_year(members=3, *, published=True):
    """A year whose year-end sheets are all final (published or not)."""
    bloc_year = scoring_year(members=members)
    complete_year_end(bloc_year)
    if not published:
        bloc_year.ranking_publications.all().delete()
    return bloc_year


def test_the_agency_sees_its_own_numbers_but_no_averages_before_publication(client):
    bloc_year = _final_year(published=False)
    agency = _member(bloc_year)
    client.force_login(AgencyStaffFactory(agency=agency, agency_role="staff"))
    response = client.get(_url(bloc_year, agency))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        vi("Points per group. The bloc's averages are shown once the ranking is published.") in html
    )
    assert vi("Bloc average") not in html
    assert f'<dt class="col-sm-4">{vi("Rank")}</dt>' not in html
    assert "<svg" in html  # its own groups, charted
    assert vi("not published yet") in html  # this year's final total, without the rank


def test_after_publication_the_agency_sees_its_rank_and_the_averages(client):
    bloc_year = _final_year()
    agency = _member(bloc_year)
    client.force_login(leader_of(agency))
    html = client.get(_url(bloc_year, agency)).content.decode()
    assert vi("Bloc average") in html
    assert f'<dt class="col-sm-4">{vi("Rank")}</dt>' in html
    assert vi("Points per group against the bloc's average.") in html
    assert 'id="history"' in html
    assert str(bloc_year.year) in html
    assert html.count("<svg") == 2  # year-end groups and the history (mid-year not agreed)


def test_another_agency_outsiders_and_strangers_are_refused(client, outsider):
    bloc_year = _final_year()
    agency = _member(bloc_year)
    other = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency
    client.force_login(leader_of(other))
    assert client.get(_url(bloc_year, agency)).status_code == 403
    client.force_login(UserFactory())
    assert client.get(_url(bloc_year, agency)).status_code == 403
    client.force_login(leader_of(agency))
    assert client.get(_url(bloc_year, AgencyStaffFactory().agency)).status_code == 404


@pytest.mark.parametrize("who", ["secretariat", "board"])
def test_the_secretariat_and_the_board_open_any_members_results(client, who):
    bloc_year = _final_year()
    agency = _member(bloc_year)
    user = (
        officer_of(bloc_year.chair)
        if who == "secretariat"
        else UserFactory(board_province=bloc_year.bloc.province)
    )
    client.force_login(user)
    assert client.get(_url(bloc_year, agency)).status_code == 200


def test_mid_year_self_scores_show_before_the_year_end(client):
    bloc_year = scoring_year(members=3)
    agency = _member(bloc_year)
    sheet = ScoreSheet.objects.get(bloc_year=bloc_year, period=Period.MID_YEAR, agency=agency)
    fill_self(sheet, fraction=Decimal("0.5"))
    client.force_login(leader_of(agency))
    html = client.get(_url(bloc_year, agency)).content.decode()
    assert vi("Agreed total") in html
    sheet_url = reverse(
        "covenants:score_sheet", args=[bloc_year.bloc_id, bloc_year.year, "mid_year", agency.pk]
    )
    assert sheet_url in html


def _join_past_year(agency, year: int) -> BlocYear:
    """A published year-end of another bloc, ``year``, that ``agency`` belonged to."""
    past = scoring_year(members=3, year=year)
    MembershipFactory(bloc_year=past, agency=agency)
    sheets_open(bloc_year=past, period=Period.YEAR_END)
    complete_year_end(past)
    return past


def test_the_history_lists_every_published_year_in_order():
    bloc_year = _final_year()
    agency = _member(bloc_year)
    for year in (2023, 2024):
        _join_past_year(agency, year)
    from covenants.scores.ranking import year_end_history

    years = [table.bloc_year.year for table, row in year_end_history(agency) if row]
    assert years == [2023, 2024, 2026]


def _results_queries(client, *, members=3, past_years=0) -> int:
    bloc_year = _final_year(members=members)
    agency = _member(bloc_year)
    for index in range(past_years):
        _join_past_year(agency, 2020 + index)
    client.force_login(leader_of(agency))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(bloc_year, agency))
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row" class="fw-normal">20') == past_years + 1
    return len(queries)


def test_the_query_count_does_not_grow_with_past_years(client):
    assert _results_queries(client, past_years=1) == _results_queries(client, past_years=3)


def test_the_query_count_does_not_grow_with_members(client):
    assert _results_queries(client, members=3) == _results_queries(client, members=6)
