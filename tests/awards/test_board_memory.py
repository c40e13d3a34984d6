"""Multi-year memory: a bloc's officers, flag, certificates and ranks year by
year, and an agency's bloc, rank, total, award and decision, with the
groups of criteria that moved its total when its rank changed. Both pages
run the same number of queries for one year as for three."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.board import decision_record
from awards.board_selectors import agency_history, bloc_history
from awards.models import AwardKind, AwardProposal, DecisionOutcome
from blocs.models import BlocYear, Membership
from blocs.stages import Stage
from covenants.models import Period, RankingPublication, ScoreSheet
from covenants.scores.sheets import sheets_open
from tests.awards.test_board_decisions import submitted_year
from tests.blocs.factories import BlocYearFactory
from tests.covenants.factories import complete_covenant, valid_template
from tests.covenants.factories_score import complete_year_end, fill_self, freeze_and_sign, leader_of
from tests.members.factories import AgencyStaffFactory, BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def next_year(previous, *, fractions, stage=Stage.SUBMITTED) -> BlocYear:
    """The same bloc and members a year later, year-end scores final with
    ``fractions`` (by membership order) and the ranking published."""
    year = BlocYearFactory(bloc=previous.bloc, year=previous.year + 1)
    for membership in previous.memberships.order_by("pk"):
        Membership.objects.create(bloc_year=year, agency=membership.agency, role=membership.role)
    complete_covenant(year)
    valid_template(year)
    freeze_and_sign(year)
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.SCORING)
    year.refresh_from_db()
    sheets_open(bloc_year=year, period=Period.YEAR_END)
    order = list(year.memberships.order_by("pk").values_list("agency_id", flat=True))
    for sheet in ScoreSheet.objects.filter(bloc_year=year, period=Period.YEAR_END):
        fill_self(sheet, fraction=fractions[order.index(sheet.agency_id)])
    complete_year_end(year)
    BlocYear.objects.filter(pk=year.pk).update(stage=stage)
    year.refresh_from_db()
    return year


def _decide(proposal, outcome=DecisionOutcome.APPROVED):
    return decision_record(
        proposal=proposal,
        actor=BoardUserFactory(board_province=proposal.bloc_year.bloc.province),
        outcome=outcome,
        number="5/QĐ-UBND" if outcome == DecisionOutcome.APPROVED else "",
        reason="" if outcome == DecisionOutcome.APPROVED else "Thiếu hồ sơ",
        decided_on=timezone.localdate(),
    )


@pytest.fixture
def three_years():
    """2026: member 0 first (flag approved); 2027: member 0 last (reversed
    scores); 2028: as 2026, the flag proposal of member 0 not decided."""
    first = submitted_year(members=4, year=2026, stage=Stage.CLOSED)
    _decide(AwardProposal.objects.get(bloc_year=first, award=AwardKind.FLAG))
    second = next_year(
        first, fractions=[Decimal("0.6"), Decimal("0.7"), Decimal("0.8"), Decimal("0.9")]
    )
    third = next_year(
        second,
        fractions=[Decimal("0.9"), Decimal("0.85"), Decimal("0.8"), Decimal("0.75")],
    )
    top = first.memberships.order_by("pk").first().agency
    AwardProposal.objects.create(bloc_year=third, agency=top, award=AwardKind.FLAG)
    return first, second, third


def test_the_bloc_page_shows_officers_flag_certificates_and_ranks_year_by_year(client, three_years):
    first, _second, _third = three_years
    top = first.memberships.order_by("pk").first().agency
    client.force_login(leader_of(first.memberships.order_by("pk").last().agency))

    html = client.get(reverse("awards:bloc_history", args=[first.bloc_id])).content.decode()

    assert html.index('id="year-2028"') < html.index('id="year-2026"')  # newest first
    section_2026 = html.split('id="year-2026"')[1].split("</section>")[0]
    assert first.chair.name in section_2026.split('class="col-sm-9 chair"')[1]
    assert first.vice_chair.name in section_2026.split('class="col-sm-9 vice-chair"')[1]
    flag_2026 = section_2026.split('class="col-sm-9 flag"')[1].split("</dd>")[0]
    assert top.name in flag_2026
    assert "5/QĐ-UBND" in flag_2026
    flag_2028 = html.split('id="year-2028"')[1].split('class="col-sm-9 flag"')[1]
    assert top.name in flag_2028.split("</dd>")[0]
    assert vi("Proposed, not decided yet") in flag_2028.split("</dd>")[0]
    certificates = section_2026.split('class="col-sm-9 certificates"')[1].split("</dd>")[0]
    second_agency = first.memberships.order_by("pk")[1].agency
    assert second_agency.name in certificates
    ranks_2027 = html.split('id="year-2027"')[1].split("</section>")[0].split("ranks")[1]
    assert ranks_2027.index(top.name) > ranks_2027.index(second_agency.name)  # top was last


def test_the_agency_page_shows_ranks_awards_and_what_moved_the_total(client, three_years):
    first, _second, _third = three_years
    top = first.memberships.order_by("pk").first().agency
    client.force_login(leader_of(top))

    html = client.get(reverse("awards:agency_history", args=[top.pk])).content.decode()

    row_2026 = html.split('id="year-2026"')[1].split("</tr>")[0]
    assert "1/4" in row_2026
    assert "5/QĐ-UBND" in row_2026
    row_2027 = html.split('id="year-2027"')[1].split("</tr>")[0]
    assert "4/4" in row_2027
    movers_2027 = html.split('id="year-2027"')[1].split('class="movers"')[1].split("</tr>")[0]
    assert "1 → 4" in movers_2027
    assert vi("Group %(code)s – %(title)s").split("%")[0] in movers_2027
    history = agency_history(top)
    years = {entry.bloc_year.year: entry for entry in history}
    assert years[2026].previous_rank is None
    assert years[2027].previous_rank == 1
    assert years[2027].row.rank == 4
    assert years[2027].movers[0].delta < 0  # the largest change first: a group fell
    assert sum(d.delta for d in years[2027].movers) == (
        years[2027].row.total - years[2026].row.total
    )
    assert years[2028].previous_rank == 4
    assert years[2028].row.rank == 1
    assert years[2028].proposal.award == AwardKind.FLAG
    assert years[2028].decision is None


def test_memory_pages_run_the_same_queries_for_one_year_as_for_three(client, three_years):
    first, _second, _third = three_years
    single = submitted_year(members=4)
    board_one = BoardUserFactory(board_province=single.bloc.province)
    board_three = BoardUserFactory(board_province=first.bloc.province)

    def count(user, url):
        client.force_login(user)
        client.get(url)  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = single.memberships.order_by("pk").first().agency
    three = first.memberships.order_by("pk").first().agency
    assert count(board_one, reverse("awards:bloc_history", args=[single.bloc_id])) == count(
        board_three, reverse("awards:bloc_history", args=[first.bloc_id])
    )
    assert count(board_one, reverse("awards:agency_history", args=[one.pk])) == count(
        board_three, reverse("awards:agency_history", args=[three.pk])
    )


def test_memory_pages_are_for_the_board_and_the_bloc_members(client, three_years):
    first, _second, _third = three_years
    top = first.memberships.order_by("pk").first().agency
    outsider = AgencyStaffFactory()  # another province
    for user, status in ((BoardUserFactory(), 403), (outsider, 403)):
        client.force_login(user)
        assert client.get(reverse("awards:bloc_history", args=[first.bloc_id])).status_code == (
            status
        )
        assert client.get(reverse("awards:agency_history", args=[top.pk])).status_code == status
    client.force_login(leader_of(first.memberships.order_by("pk").last().agency))
    assert client.get(reverse("awards:agency_history", args=[top.pk])).status_code == 200


def test_unpublished_ranks_stay_hidden_from_members_not_from_the_board():
    year = submitted_year(members=4)
    RankingPublication.objects.filter(bloc_year=year).delete()
    assert bloc_history(year.bloc)[0].rows == []
    assert len(bloc_history(year.bloc, see_unpublished=True)[0].rows) == 4
