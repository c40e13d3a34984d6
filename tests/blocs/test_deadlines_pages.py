"""The calendar pages and the in-app notices on the overview and dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from blocs.models import BlocYear, BlocYearDeadline, DeadlineChange, ProvinceDeadline
from blocs.stages import Stage
from tests.utils import vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing_year(bloc_year):
    # The year is 2026; its signing deadline (30/04) has passed if today is later.
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING, year=2020)
    bloc_year.refresh_from_db()
    return bloc_year


def _year_url(bloc_year):
    return reverse("blocs:year_deadlines", kwargs={"pk": bloc_year.bloc_id, "year": bloc_year.year})


def _province_url(bloc_year):
    return reverse("blocs:province_deadlines", kwargs={"code": bloc_year.bloc.province.code})


def test_only_the_provinces_board_opens_the_calendar(bloc_year, client, board_user, **_):
    client.force_login(board_user)
    assert client.get(_province_url(bloc_year)).status_code == 200


@pytest.mark.parametrize("role", ["other_board_user", "secretariat_user", "member_leader"])
def test_others_cannot_open_the_province_calendar(role, bloc_year, client, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(_province_url(bloc_year)).status_code == 403


def test_board_saves_a_date_and_an_impossible_one_stays_with_its_error(
    bloc_year, client, board_user
):
    client.force_login(board_user)
    url = _province_url(bloc_year)
    response = client.post(
        url,
        {"kind": "dossier", "dossier-kind": "dossier", "dossier-day": "5", "dossier-month": "12"},
    )
    assert response.status_code == 302
    assert ProvinceDeadline.objects.get(kind="dossier").day == 5
    response = client.post(
        url,
        {"kind": "signing", "signing-kind": "signing", "signing-day": "31", "signing-month": "4"},
    )
    assert response.status_code == 200
    assert vi("This day does not exist in that month.") in response.content.decode()
    assert 'value="31"' in response.content.decode()
    assert not ProvinceDeadline.objects.filter(kind="signing").exists()


def test_secretariat_tightens_and_a_later_date_is_refused_next_to_the_field(
    bloc_year, client, secretariat_user
):
    client.force_login(secretariat_user)
    url = _year_url(bloc_year)
    data = {"kind": "dossier", "dossier-kind": "dossier", "dossier-date": "2026-12-01"}
    assert client.post(url, data).status_code == 302
    assert BlocYearDeadline.objects.get().date == datetime.date(2026, 12, 1)
    data["dossier-date"] = "2026-12-20"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "10/12/2026" in response.content.decode()
    assert BlocYearDeadline.objects.get().date == datetime.date(2026, 12, 1)


def test_a_member_sees_the_page_but_cannot_tighten(bloc_year, client, member_leader):
    client.force_login(member_leader)
    url = _year_url(bloc_year)
    assert client.get(url).status_code == 200
    data = {"kind": "dossier", "dossier-kind": "dossier", "dossier-date": "2026-12-01"}
    assert client.post(url, data).status_code == 403


def test_overview_shows_everyone_due_to_the_secretariat_and_own_items_to_a_member(
    signing_year, client, secretariat_user, member_leader
):
    url = signing_year.get_absolute_url()
    others = [
        m.agency.name
        for m in signing_year.memberships.select_related("agency")
        if m.agency_id != member_leader.agency_id
    ]
    client.force_login(secretariat_user)
    page = client.get(url).content.decode()
    assert vi("Deadlines") in page
    assert vi("The covenant is not signed yet.") in page
    assert all(name in page for name in others)
    client.force_login(member_leader)
    page = client.get(url).content.decode()
    assert vi("The covenant is not signed yet.") in page
    notices = page[page.index('id="deadline-notices"') :]
    notices = notices[: notices.index("</section>")]
    assert not any(name in notices for name in others)


def test_dashboard_lists_what_is_late_across_blocs(signing_year, client, board_user):
    client.force_login(board_user)
    page = client.get(signing_year.bloc.province.get_absolute_url()).content.decode()
    assert vi("Late across the blocs") in page
    assert _year_url(signing_year) in page


def test_history_reads_dates_as_the_locale_shows_them():
    """A bloc-year's change is stored ISO but read as a short date, like the province's."""
    change = DeadlineChange(before="", after="2026-03-20")
    with translation.override("vi"):
        assert change.after_shown == "20/03/2026"
    assert DeadlineChange(after="31/03").after_shown == "31/03"
    assert change.before_shown == ""
