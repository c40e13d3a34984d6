"""The scores home: sections per period, rows per role, deadlines, the
secretariat's tools, opening missing sheets, and a fixed query count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import Period, ScoreSheet
from covenants.scores.core import settings_for
from tests.blocs.factories import MembershipFactory
from tests.covenants.factories_score import leader_of, officer_of, publish, scoring_year
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _home(bloc_year):
    return reverse("covenants:scores", args=[bloc_year.bloc_id, bloc_year.year])


def _sheet_url(sheet):
    return reverse(
        "covenants:score_sheet",
        args=[sheet.bloc_year.bloc_id, sheet.bloc_year.year, sheet.period, sheet.agency_id],
    )


def _members(bloc_year):
    return [m.agency for m in bloc_year.memberships.filter(role=MemberRole.MEMBER).order_by("pk")]


@pytest.fixture
def year():
    return scoring_year(stage=Stage.SCORING, members=4)


def test_the_secretariat_sees_every_sheet_of_both_periods_and_its_tools(client, year):
    client.force_login(officer_of(year.chair))
    html = client.get(_home(year)).content.decode()
    assert vi("Mid-year") in html
    assert vi("Year-end") in html
    for sheet in ScoreSheet.objects.filter(bloc_year=year):
        assert _sheet_url(sheet) in html
    args = [year.bloc_id, year.year]
    assert reverse("covenants:score_settings", args=args) in html
    assert reverse("covenants:mid_year", args=args) in html
    assert reverse("covenants:initiatives", args=args) in html
    assert reverse("covenants:ranking", args=[*args, "year_end"]) in html
    assert reverse("covenants:score_reviewers", args=[*args, "year_end"]) in html
    assert vi("Secretariat") in html  # who reviews the members' sheets


def test_a_member_sees_only_its_own_rows_until_the_ranking_is_published(client, year):
    own, other = _members(year)[:2]
    client.force_login(leader_of(own))
    html = client.get(_home(year)).content.decode()
    own_sheet = ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=own)
    other_sheet = ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=other)
    assert _sheet_url(own_sheet) in html
    assert _sheet_url(other_sheet) not in html
    assert other.name not in html
    assert reverse("covenants:score_settings", args=[year.bloc_id, year.year]) not in html
    assert reverse("covenants:ranking", args=[year.bloc_id, year.year, "year_end"]) not in html

    publish(year)
    html = client.get(_home(year)).content.decode()
    assert _sheet_url(other_sheet) in html
    assert vi("Ranking published") in html
    mid_year_other = ScoreSheet.objects.get(bloc_year=year, period=Period.MID_YEAR, agency=other)
    assert _sheet_url(mid_year_other) not in html  # only the published period opens up


def test_the_board_sees_every_row_and_outsiders_and_visitors_are_kept_out(client, year, outsider):
    client.force_login(BoardUserFactory(board_province=year.bloc.province))
    html = client.get(_home(year)).content.decode()
    for sheet in ScoreSheet.objects.filter(bloc_year=year):
        assert _sheet_url(sheet) in html
    client.force_login(outsider)
    assert client.get(_home(year)).status_code == 403
    client.logout()
    assert client.get(_home(year)).status_code == 302


def test_the_open_period_shows_its_deadline_and_the_days_left(client, year):
    settings = settings_for(year)
    settings.year_end_deadline = timezone.localdate() + datetime.timedelta(days=5)
    settings.save()
    client.force_login(leader_of(_members(year)[0]))
    html = client.get(_home(year)).content.decode()
    assert settings.year_end_deadline.strftime("%d/%m/%Y") in html
    assert 'id="deadline-year_end"' in html
    assert "5 " in html.split('id="deadline-year_end"')[1].split("</p>")[0]

    settings.year_end_deadline = timezone.localdate() - datetime.timedelta(days=1)
    settings.save()
    html = client.get(_home(year)).content.decode()
    assert vi("Deadline passed") in html


def test_the_secretariat_opens_the_sheet_of_a_member_that_joined_late(client, year):
    newcomer = MembershipFactory(bloc_year=year).agency
    open_url = reverse("covenants:scores_open", args=[year.bloc_id, year.year, "year_end"])
    client.force_login(leader_of(newcomer))
    assert client.post(open_url).status_code == 403
    assert client.get(open_url).status_code in (403, 405)

    client.force_login(officer_of(year.chair))
    html = client.get(_home(year)).content.decode()
    assert open_url in html
    response = client.post(open_url, follow=True)
    assert ScoreSheet.objects.filter(bloc_year=year, period="year_end", agency=newcomer).exists()
    assert open_url not in response.content.decode()
    assert (
        client.post(
            reverse("covenants:scores_open", args=[year.bloc_id, year.year, "someday"])
        ).status_code
        == 404
    )


def _home_queries(client, members, django_assert_max_num_queries):
    year = scoring_year(stage=Stage.SCORING, members=members)
    for index, sheet in enumerate(ScoreSheet.objects.filter(bloc_year=year)):
        if index % 2:
            sheet.reviewer_agency = year.vice_chair if sheet.agency != year.vice_chair else None
            sheet.save()
    client.force_login(officer_of(year.chair))
    with django_assert_max_num_queries(16):
        assert client.get(_home(year)).status_code == 200


@pytest.mark.parametrize("members", [3, 6])
def test_the_home_page_query_count_does_not_grow_with_members(
    client, members, django_assert_max_num_queries
):
    _home_queries(client, members, django_assert_max_num_queries)


def test_during_the_year_only_the_mid_year_period_is_listed_and_editable(client):
    year = scoring_year(stage=Stage.IN_PROGRESS, members=3)
    agency = _members(year)[0]
    settings = settings_for(year)
    settings.mid_year_deadline = timezone.localdate() + datetime.timedelta(days=10)
    settings.save()
    client.force_login(leader_of(agency))
    html = client.get(_home(year)).content.decode()
    assert 'id="period-mid_year"' in html
    assert 'id="period-year_end"' not in html
    assert 'id="deadline-mid_year"' in html
    sheet = ScoreSheet.objects.get(bloc_year=year, period=Period.MID_YEAR, agency=agency)
    page = client.get(_sheet_url(sheet)).content.decode()
    assert (
        reverse("covenants:score_sheet_edit", args=[year.bloc_id, year.year, "mid_year", agency.pk])
        in page
    )


def test_a_closed_year_offers_no_changes(client, year):
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.CLOSED)
    agency = _members(year)[0]
    client.force_login(officer_of(year.chair))
    html = client.get(_home(year)).content.decode()
    assert "/open/" not in html
    client.force_login(leader_of(agency))
    sheet = ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=agency)
    edit = reverse(
        "covenants:score_sheet_edit", args=[year.bloc_id, year.year, "year_end", agency.pk]
    )
    assert edit not in client.get(_sheet_url(sheet)).content.decode()
    assert client.get(edit).status_code == 403


def test_a_blind_reviewer_does_not_learn_how_many_evidence_files_back_a_sheet(client):
    """The number of evidence files belongs to the self side, like the files."""
    from django.core.files.base import ContentFile

    from covenants.models import Evidence, Period, ScoreSheet
    from covenants.scores.reviewers import reviewers_assign
    from tests.covenants.factories_score import fill_self

    bloc_year = scoring_year(members=3)
    sheets = list(
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END).order_by("pk")
    )
    scored, reviewer = sheets[1], sheets[2]
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    chair_officer = officer_of(chair)
    reviewers_assign(
        bloc_year=bloc_year,
        period=Period.YEAR_END,
        actor=chair_officer,
        mode="manual",
        assignments={scored.agency_id: reviewer.agency_id},
    )
    fill_self(scored)
    Evidence.objects.create(
        line=scored.lines.first(),
        file=ContentFile(b"%PDF-1.4", name="a.pdf"),
        original_name="a.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=chair_officer,
    )
    client.force_login(leader_of(reviewer.agency))
    body = client.get(f"/blocs/{bloc_year.bloc_id}/{bloc_year.year}/scores/").content.decode()
    year_end = body.split('id="sheets-year_end"', 1)[1]
    row = year_end.split(f">{scored.agency.name}</a></th>", 1)[1].split("</tr>", 1)[0]
    assert 'class="text-end">1<' not in row
    assert "—" in row

    client.force_login(chair_officer)
    body = client.get(f"/blocs/{bloc_year.bloc_id}/{bloc_year.year}/scores/").content.decode()
    year_end = body.split('id="sheets-year_end"', 1)[1]
    row = year_end.split(f">{scored.agency.name}</a></th>", 1)[1].split("</tr>", 1)[0]
    assert 'class="text-end">1<' in row
