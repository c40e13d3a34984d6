"""Pages per role: who lands where, who sees what, who gets 403."""

import pytest
from django.urls import reverse

from blocs.models import BlocYear, MemberRole, StageChange
from blocs.stages import Stage
from tests.blocs.factories import MembershipFactory, ready_bloc_year
from tests.members.factories import AgencyFactory, AgencyStaffFactory, UserFactory
from tests.utils import cold, vi

pytestmark = pytest.mark.django_db

ROLES = ["board_user", "secretariat_user", "member_leader", "outsider", "other_board_user"]


def _year_url(bloc_year, name="blocs:year", *extra):
    return reverse(name, args=[bloc_year.bloc_id, bloc_year.year, *extra])


def _pages(bloc_year):
    membership = bloc_year.memberships.filter(role=MemberRole.MEMBER).first()
    return {
        "overview": _year_url(bloc_year),
        "edit": _year_url(bloc_year, "blocs:year_update"),
        "officers": _year_url(bloc_year, "blocs:officers"),
        "add member": _year_url(bloc_year, "blocs:membership_add"),
        "member dates": _year_url(bloc_year, "blocs:membership_update", membership.pk),
        "open signing": _year_url(bloc_year, "blocs:transition", "open_signing"),
        "bloc": reverse("blocs:bloc", args=[bloc_year.bloc_id]),
        "open year": reverse("blocs:year_create", args=[bloc_year.bloc_id]),
        "province": reverse("blocs:province", args=[bloc_year.bloc.province.code]),
        "new bloc": reverse("blocs:bloc_create", args=[bloc_year.bloc.province.code]),
        "agencies": reverse("members:list"),
        "new agency": reverse("members:create"),
    }


# page -> roles that may open it (everyone else gets 403)
ACCESS = {
    "overview": {"board_user", "secretariat_user", "member_leader"},
    "edit": {"board_user", "secretariat_user"},
    "officers": {"board_user", "secretariat_user"},
    "add member": {"board_user", "secretariat_user"},
    "member dates": {"board_user", "secretariat_user"},
    "open signing": {"board_user", "secretariat_user"},
    "bloc": {"board_user", "secretariat_user", "member_leader"},
    "open year": {"board_user"},
    "province": {"board_user"},
    "new bloc": {"board_user"},
    "agencies": {"board_user", "other_board_user"},
    "new agency": {"board_user", "other_board_user"},
}


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, bloc_year, client, request):
    client.force_login(request.getfixturevalue(role))
    for page, url in _pages(bloc_year).items():
        response = client.get(url)
        expected = 200 if role in ACCESS[page] else 403
        assert response.status_code == expected, f"{role} → {page}: {response.status_code}"


def test_anonymous_users_are_sent_to_the_login_page(bloc_year, client):
    for url in _pages(bloc_year).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_403_page_is_in_vietnamese(bloc_year, client, outsider):
    client.force_login(outsider)
    response = client.get(_year_url(bloc_year))
    assert response.status_code == 403
    assert vi("You do not have access to this page") in response.content.decode()


def test_404_page_is_in_the_users_language(client, board_user):
    client.force_login(board_user)
    assert vi("Page not found") in client.get("/khong-co/").content.decode()
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/no-such-page/").content.decode()


# Landing pages --------------------------------------------------------------


def test_board_lands_on_the_province_dashboard(client, board_user, bloc_year):
    client.force_login(board_user)
    response = client.get(reverse("blocs:home"))
    assert response.url == reverse("blocs:province", args=[board_user.board_province.code])


def test_secretariat_lands_on_its_open_bloc_year(client, secretariat_user, bloc_year):
    closed = BlocYear.objects.create(bloc=bloc_year.bloc, year=2025, stage=Stage.CLOSED)
    MembershipFactory(bloc_year=closed, agency=secretariat_user.agency, role=MemberRole.CHAIR)
    client.force_login(secretariat_user)
    assert client.get(reverse("blocs:home")).url == bloc_year.get_absolute_url()


def test_agency_leader_lands_on_the_agency_page(client, member_leader):
    client.force_login(member_leader)
    response = client.get(reverse("blocs:home"))
    assert response.url == reverse("blocs:agency", args=[member_leader.agency_id])
    page = client.get(response.url)
    assert member_leader.agency.name in page.content.decode()


def test_a_user_without_any_role_is_told_so(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("blocs:home"))
    assert response.status_code == 200
    message = (
        "Your account is not linked to an agency or to the provincial board yet. "
        "Ask the provincial emulation board to set your role."
    )
    assert vi(message) in response.content.decode()


# The overview ------------------------------------------------------------------


def test_overview_shows_stepper_blockers_and_only_allowed_actions(client, board_user):
    bloc_year = ready_bloc_year(members=2)
    bloc_year.memberships.filter(role=MemberRole.VICE_CHAIR).update(role=MemberRole.MEMBER)
    board_user.board_province = bloc_year.bloc.province
    board_user.save()
    member = AgencyStaffFactory(
        agency=bloc_year.memberships.get(role=MemberRole.MEMBER).agency, agency_role="leader"
    )

    client.force_login(board_user)
    html = client.get(bloc_year.get_absolute_url()).content.decode()
    assert 'aria-current="step"' in html
    assert vi("No vice-chair agency (khối phó) is set for this year.") in html
    assert vi("Open covenant signing") in html  # the board may open signing, once unblocked

    client.force_login(member)
    html = client.get(bloc_year.get_absolute_url()).content.decode()
    assert (
        vi("No vice-chair agency (khối phó) is set for this year.") in html
    )  # members see blockers too
    assert (
        reverse("blocs:transition", args=[bloc_year.bloc_id, bloc_year.year, "open_signing"])
        not in html
    )
    assert reverse("blocs:officers", args=[bloc_year.bloc_id, bloc_year.year]) not in html


def test_overview_query_count_does_not_grow_with_members(
    client, board_user, django_assert_max_num_queries
):
    small = ready_bloc_year(members=3)
    big = ready_bloc_year(members=12)
    for bloc_year in (small, big):
        bloc_year.bloc.province = board_user.board_province
        bloc_year.bloc.save()
        for _ in range(3):
            StageChange.objects.create(
                bloc_year=bloc_year,
                transition="open_signing",
                from_stage="setup",
                to_stage="signing",
                actor=board_user,
            )
    client.force_login(board_user)
    counts = []
    for bloc_year in (small, big):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cold()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(bloc_year.get_absolute_url()).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    # Fixed cost: the bloc-year and its prefetches, the user's roles, and the
    # guards of the next step (covenant and scoring sheet, a few queries each).
    with django_assert_max_num_queries(18):
        client.get(big.get_absolute_url())


def test_province_dashboard_query_count_is_fixed(client, board_user, django_assert_max_num_queries):
    province = board_user.board_province
    for number in range(1, 6):
        bloc_year = ready_bloc_year(members=8, bloc__province=province, bloc__number=number)
        BlocYear.objects.create(bloc=bloc_year.bloc, year=2025, stage=Stage.CLOSED)
    client.force_login(board_user)
    with django_assert_max_num_queries(9):  # 8 and the data version (members.caching)
        response = client.get(reverse("blocs:province", args=[province.code]))
    html = response.content.decode()
    assert "2025" in html
    assert "2026" in html
    assert html.count(vi("Set-up")) >= 5  # every 2026 bloc-year is in set-up


# Forms -------------------------------------------------------------------------


def test_transition_post_moves_the_year_and_redirects(client, secretariat_user, bloc_year):
    client.force_login(secretariat_user)
    url = _year_url(bloc_year, "blocs:transition", "open_signing")
    response = client.post(url, {"note": "Đủ thành viên"}, follow=True)
    bloc_year.refresh_from_db()
    assert bloc_year.stage == Stage.SIGNING
    assert vi("Covenant signing") in response.content.decode()


def test_a_blocked_transition_shows_the_blockers_next_to_the_form(client, board_user, bloc_year):
    bloc_year.memberships.filter(role=MemberRole.CHAIR).update(role=MemberRole.MEMBER)
    client.force_login(board_user)
    response = client.post(_year_url(bloc_year, "blocs:transition", "open_signing"), {"note": "x"})
    assert response.status_code == 200
    assert vi("No chair agency (khối trưởng) is set for this year.") in response.content.decode()
    bloc_year.refresh_from_db()
    assert bloc_year.stage == Stage.SETUP


def test_unknown_transition_is_404(client, board_user, bloc_year):
    client.force_login(board_user)
    assert client.get(_year_url(bloc_year, "blocs:transition", "skip_to_end")).status_code == 404


def test_officers_form_rejects_the_same_agency_with_a_translated_message(
    client, board_user, bloc_year
):
    agency = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    client.force_login(board_user)
    response = client.post(
        _year_url(bloc_year, "blocs:officers"), {"chair": agency.pk, "vice_chair": agency.pk}
    )
    assert response.status_code == 200
    assert (
        vi("The vice-chair must be a different agency from the chair.") in response.content.decode()
    )
    assert bloc_year.memberships.get(role=MemberRole.CHAIR).agency != agency  # nothing changed


def test_year_form_keeps_input_and_explains_bad_dates(client, secretariat_user, bloc_year):
    client.force_login(secretariat_user)
    response = client.post(
        _year_url(bloc_year, "blocs:year_update"),
        {"theme": "Chủ đề mới", "signing_date": "2026-08-01", "mid_year_review_date": "2026-07-01"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Chủ đề mới"' in html
    assert vi("The covenant is signed before the mid-year review, not after it.") in html
    bloc_year.refresh_from_db()
    assert bloc_year.theme == ""


def test_board_adds_a_member_and_opens_the_next_year(client, board_user, bloc_year):
    client.force_login(board_user)
    agency = AgencyFactory(province=bloc_year.bloc.province, name="Sở Du lịch")
    response = client.post(_year_url(bloc_year, "blocs:membership_add"), {"agency": agency.pk})
    assert response.status_code == 302
    assert bloc_year.memberships.filter(agency=agency).exists()

    response = client.post(
        reverse("blocs:year_create", args=[bloc_year.bloc_id]),
        {"year": 2027, "theme": "", "copy_members": "on"},
    )
    new_year = BlocYear.objects.get(bloc=bloc_year.bloc, year=2027)
    assert response.url == new_year.get_absolute_url()
    assert new_year.memberships.count() == bloc_year.memberships.count()


def test_a_closed_year_offers_no_edits_and_refuses_them(client, board_user, bloc_year):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    client.force_login(board_user)
    html = client.get(bloc_year.get_absolute_url()).content.decode()
    assert (
        vi("This year is closed: its records are kept as they are and can no longer change.")
        in html
    )
    assert _year_url(bloc_year, "blocs:officers") not in html
    assert client.post(_year_url(bloc_year, "blocs:year_update"), {"theme": "x"}).status_code == 403


def test_a_delegated_person_acts_as_secretariat_for_that_year_only(client, bloc_year, outsider):
    from blocs.models import SecretariatDelegation

    grantor = AgencyStaffFactory(agency=bloc_year.chair, agency_role="leader")
    SecretariatDelegation.objects.create(bloc_year=bloc_year, user=outsider, granted_by=grantor)
    other_year = BlocYear.objects.create(bloc=bloc_year.bloc, year=2027)
    MembershipFactory(bloc_year=other_year, agency=bloc_year.chair, role=MemberRole.CHAIR)
    client.force_login(outsider)

    assert client.get(_year_url(bloc_year, "blocs:officers")).status_code == 200
    html = client.get(bloc_year.get_absolute_url()).content.decode()
    assert vi("You are this year's secretariat") in html
    assert client.get(_year_url(other_year, "blocs:officers")).status_code == 403


def test_a_duplicate_bloc_number_is_explained_and_the_province_cannot_be_forged(
    client, board_user, bloc_year, other_board_user
):
    client.force_login(board_user)
    url = reverse("blocs:bloc_create", args=[board_user.board_province.code])
    data = {"number": bloc_year.bloc.number, "name": "Khối mới", "field": "", "is_active": "on"}

    response = client.post(url, {**data, "province": other_board_user.board_province.pk})
    assert response.status_code == 200
    assert vi("This province already has a bloc with this number.") in response.content.decode()

    response = client.post(url, {**data, "number": 99})
    assert response.status_code == 302
    assert board_user.board_province.blocs.filter(number=99).exists()


def test_the_500_page_speaks_the_users_language(client, board_user, monkeypatch):
    from blocs.views import dashboard

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(dashboard.selectors, "province_dashboard", broken)
    client.raise_request_exception = False
    client.force_login(board_user)
    url = reverse("blocs:province", args=[board_user.board_province.code])

    response = client.get(url)
    assert response.status_code == 500
    assert vi("Something went wrong on our side") in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Something went wrong on our side" in client.get(url).content.decode()
