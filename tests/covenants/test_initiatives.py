"""The initiatives register: counts per level kept by the agency or the
secretariat, a linked sheet line filled in, the bloc's totals on the page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import (
    Initiative,
    InitiativeLevel,
    Period,
    ScoreEvent,
    ScoreLine,
    ScoreSheet,
    ScoringCriterion,
)
from covenants.scores.core import settings_for
from covenants.scores.mid_year import initiatives_set
from members.models import AgencyRole
from tests.covenants.factories_score import fill_self, finalize, leader_of, officer_of, scoring_year
from tests.members.factories import AgencyStaffFactory, BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _year(stage=Stage.SCORING, members=4):
    bloc_year = scoring_year(stage=stage, members=members)
    return bloc_year, officer_of(bloc_year.memberships.get(role=MemberRole.CHAIR).agency)


def _members(bloc_year):
    return [m.agency for m in bloc_year.memberships.filter(role=MemberRole.MEMBER).order_by("pk")]


def _set(bloc_year, agency, actor, grassroots=3, provincial=1, decisions="QĐ 12/QĐ-SKHCN"):
    return initiatives_set(
        bloc_year=bloc_year,
        agency=agency,
        actor=actor,
        grassroots=grassroots,
        provincial=provincial,
        decisions=decisions,
    )


def _link(bloc_year, level_field, group, code):
    settings = settings_for(bloc_year)
    criterion = ScoringCriterion.objects.get(
        group__template__bloc_year=bloc_year, group__code=group, code=code
    )
    setattr(settings, level_field, criterion)
    settings.save()
    return criterion


def _line(bloc_year, agency, criterion):
    return ScoreLine.objects.get(
        sheet__bloc_year=bloc_year,
        sheet__period=Period.YEAR_END,
        sheet__agency=agency,
        criterion=criterion,
    )


def _url(bloc_year, name="covenants:initiatives", *extra):
    return reverse(name, args=[bloc_year.bloc_id, bloc_year.year, *extra])


def test_the_agency_records_both_levels_and_a_second_save_updates_them():
    bloc_year, _secretariat = _year()
    agency = _members(bloc_year)[0]
    officer = officer_of(agency)
    _set(bloc_year, agency, officer, grassroots=3, provincial=1)
    _set(bloc_year, agency, officer, grassroots=5, provincial=0, decisions="QĐ 20/QĐ-SKHCN")
    rows = {row.level: row for row in Initiative.objects.filter(bloc_year=bloc_year)}
    assert len(rows) == 2
    assert rows[InitiativeLevel.GRASSROOTS].count == 5
    assert rows[InitiativeLevel.PROVINCIAL].count == 0
    assert rows[InitiativeLevel.PROVINCIAL].decisions == "QĐ 20/QĐ-SKHCN"
    assert rows[InitiativeLevel.GRASSROOTS].updated_by == officer


@pytest.mark.parametrize(
    ("grassroots", "provincial", "field"),
    [(-1, 0, "grassroots"), (0, 10_001, "provincial"), (True, 0, "grassroots")],
)
def test_negative_and_huge_counts_are_refused_on_their_field(grassroots, provincial, field):
    bloc_year, secretariat = _year()
    with pytest.raises(ValidationError) as error:
        _set(bloc_year, _members(bloc_year)[0], secretariat, grassroots, provincial)
    assert field in error.value.error_dict
    assert not Initiative.objects.exists()


def test_a_linked_line_of_the_draft_year_end_sheet_takes_the_count():
    bloc_year, secretariat = _year()
    grassroots_line = _link(bloc_year, "grassroots_initiatives_criterion", "III", "3")
    provincial_line = _link(bloc_year, "provincial_initiatives_criterion", "VI", "3")
    agency, submitted = _members(bloc_year)
    fill_self(ScoreSheet.objects.get(bloc_year=bloc_year, period=Period.YEAR_END, agency=submitted))
    before = _line(bloc_year, submitted, grassroots_line).self_value

    _set(bloc_year, agency, secretariat, grassroots=2, provincial=1)
    _set(bloc_year, submitted, secretariat, grassroots=9, provincial=9)

    assert _line(bloc_year, agency, grassroots_line).self_value == 2
    assert _line(bloc_year, agency, provincial_line).self_value == 1
    event = ScoreEvent.objects.get(line=_line(bloc_year, agency, grassroots_line))
    assert (event.field, event.old_value, event.new_value) == ("self", None, 2)
    assert event.actor == secretariat
    assert _line(bloc_year, submitted, grassroots_line).self_value == before  # not a draft


def test_an_unlinked_register_leaves_the_sheet_alone():
    bloc_year, secretariat = _year()
    agency = _members(bloc_year)[0]
    _set(bloc_year, agency, secretariat)
    assert not ScoreEvent.objects.exists()


def test_who_may_keep_an_agencys_counts():
    bloc_year, secretariat = _year()
    agency, other = _members(bloc_year)
    for user in (
        leader_of(agency),
        officer_of(agency),
        AgencyStaffFactory(agency=agency, agency_role=AgencyRole.DEPUTY),
        secretariat,
    ):
        _set(bloc_year, agency, user)
    for user in (
        leader_of(other),
        AgencyStaffFactory(agency=agency, agency_role=AgencyRole.STAFF),
        BoardUserFactory(board_province=bloc_year.bloc.province),
    ):
        with pytest.raises(PermissionDenied):
            _set(bloc_year, agency, user)


def test_a_final_year_end_sheet_or_a_closed_year_refuses():
    bloc_year, secretariat = _year()
    agency = _members(bloc_year)[0]
    sheet = ScoreSheet.objects.get(bloc_year=bloc_year, period=Period.YEAR_END, agency=agency)
    finalize(fill_self(sheet))
    with pytest.raises(ValidationError, match="final"):
        _set(bloc_year, agency, secretariat)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    bloc_year.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _set(bloc_year, _members(bloc_year)[1], secretariat)
    assert not Initiative.objects.exists()


def test_the_page_shows_every_member_and_the_bloc_totals(client):
    bloc_year, secretariat = _year(members=4)
    agencies = [m.agency for m in bloc_year.memberships.order_by("pk")]
    for agency, (grassroots, provincial) in zip(
        agencies, [(70, 3), (40, 2), (20, 1), (0, 0)], strict=True
    ):
        _set(bloc_year, agency, secretariat, grassroots, provincial)
    member = leader_of(agencies[1])
    client.force_login(member)
    html = client.get(_url(bloc_year)).content.decode()
    assert "130 sáng kiến cấp cơ sở, 6 sáng kiến cấp tỉnh" in html
    assert all(agency.name in html for agency in agencies)  # public recognitions
    assert _url(bloc_year, "covenants:initiatives_edit", agencies[1].pk) in html
    assert _url(bloc_year, "covenants:initiatives_edit", agencies[0].pk) not in html


def test_the_edit_page_saves_and_shows_errors_next_to_the_fields(client):
    bloc_year, _secretariat = _year()
    agency = _members(bloc_year)[0]
    criterion = _link(bloc_year, "grassroots_initiatives_criterion", "III", "3")
    client.force_login(officer_of(agency))
    url = _url(bloc_year, "covenants:initiatives_edit", agency.pk)
    html = client.get(url).content.decode()
    assert "III.3" in html  # which line the count fills
    response = client.post(url, {"grassroots": "-4", "provincial": "1", "decisions": "QĐ 7"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert "QĐ 7" in response.content.decode()
    assert not Initiative.objects.exists()
    response = client.post(url, {"grassroots": "4", "provincial": "1", "decisions": "QĐ 7"})
    assert response.status_code == 302
    assert _line(bloc_year, agency, criterion).self_value == 4
    other = client.get(_url(bloc_year, "covenants:initiatives_edit", _members(bloc_year)[1].pk))
    assert other.status_code == 403


def test_the_edit_page_of_an_agency_outside_the_bloc_is_not_found(client, outsider):
    bloc_year, secretariat = _year()
    client.force_login(secretariat)
    url = _url(bloc_year, "covenants:initiatives_edit", outsider.agency_id)
    assert client.get(url).status_code == 404


def _page_queries(client, members: int) -> int:
    bloc_year, secretariat = _year(members=members)
    for agency in _members(bloc_year):
        _set(bloc_year, agency, secretariat)
    client.force_login(secretariat)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(bloc_year)).status_code == 200
    return len(queries)


def test_the_page_needs_the_same_queries_for_3_and_6_members(client):
    assert _page_queries(client, 3) == _page_queries(client, 6)


def test_the_page_title_is_translated(client):
    bloc_year, secretariat = _year()
    client.force_login(secretariat)
    html = client.get(_url(bloc_year)).content.decode()
    assert vi("Recognised initiatives %(year)s") % {"year": bloc_year.year} in html
