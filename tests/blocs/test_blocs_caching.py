"""The bloc-year overview and the province dashboard from cached fragments
(members.caching): a repeated read is served from the cache, a change shows on the next
read, and each viewer's standing (and each day) gets its own fragment."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blocs import services
from blocs.models import Bloc, BlocYear, MemberRole, SecretariatDelegation
from blocs.stages import Stage
from members import caching
from members.models import AgencyRole
from tests.blocs.factories import MembershipFactory
from tests.cached_pages import read, read_cold, signed_in
from tests.members.factories import AgencyFactory, AgencyStaffFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair_leader(chair_agency):
    return AgencyStaffFactory(agency=chair_agency, agency_role=AgencyRole.LEADER)


@pytest.fixture
def on_day(monkeypatch):
    """Make ``timezone.localdate()`` answer a given day (the views read it so)."""

    def set_day(day: datetime.date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_day


# The overview ------------------------------------------------------------------------


def test_a_repeated_overview_is_served_from_the_cache(bloc_year, secretariat_user):
    client, url = signed_in(secretariat_user), bloc_year.get_absolute_url()
    first, cold_queries = read(client, url)
    hits = caching.stats.hits

    second, warm_queries = read(client, url)

    assert second == first
    # The bloc-year, the two fragments (the navigation bar too).
    assert caching.stats.hits >= hits + 3
    assert warm_queries < cold_queries


def test_changes_show_on_the_next_read(bloc_year, secretariat_user, chair_leader, outsider):
    client, url = signed_in(secretariat_user), bloc_year.get_absolute_url()
    read(client, url)

    services.bloc_year_update(
        bloc_year=bloc_year, actor=secretariat_user, data={"theme": "Đoàn kết, sáng tạo"}
    )
    assert "Đoàn kết, sáng tạo" in read(client, url)[0]

    newcomer = AgencyFactory(province=bloc_year.bloc.province, name="Sở Khoa học mới")
    MembershipFactory(bloc_year=bloc_year, agency=newcomer)
    assert "Sở Khoa học mới" in read(client, url)[0]

    # The history, the other fragment, and the stage in the first.
    services.TRANSITION_SERVICES["open_signing"](
        bloc_year=bloc_year, actor=secretariat_user, note="Mở ký kết sớm"
    )
    page = read(client, url)[0]
    assert "Mở ký kết sớm" in page
    assert "stage-signing" in page

    # The delegations, read under the data version too.
    delegation = services.delegation_grant(
        bloc_year=BlocYear.objects.get(pk=bloc_year.pk), user=outsider, actor=chair_leader
    )
    assert outsider.get_full_name() in read(client, url)[0]
    services.delegation_revoke(delegation=delegation, actor=chair_leader)
    page = read(client, url)[0]
    assert chair_leader.get_full_name() in page  # "revoked by"
    assert SecretariatDelegation.objects.get().revoked_at is not None

    assert page == read_cold(client, url)


SECRETARIAT_ONLY = [
    "You are this year's secretariat",
    "blocs:officers",
    "blocs:membership_add",
    "blocs:year_update",
    "open_signing",
]


def _secretariat_marks(bloc_year, page: str) -> list[bool]:
    marks = []
    for mark in SECRETARIAT_ONLY:
        if mark == "open_signing":
            mark = reverse("blocs:transition", args=[bloc_year.bloc_id, bloc_year.year, mark])
        elif mark.startswith("blocs:"):
            mark = reverse(mark, args=[bloc_year.bloc_id, bloc_year.year])
        else:
            mark = vi(mark)
        marks.append(mark in page)
    return marks


@pytest.mark.parametrize("first", ["secretariat_user", "member_leader"])
def test_each_standing_sees_its_own_overview(first, bloc_year, request):
    """Whoever reads first, the other never gets the first's fragment: each page is the
    one built for its reader from the database."""
    second = "member_leader" if first == "secretariat_user" else "secretariat_user"
    url = bloc_year.get_absolute_url()
    clients = {name: signed_in(request.getfixturevalue(name)) for name in (first, second)}
    pages = {name: read(clients[name], url)[0] for name in (first, second)}

    assert all(_secretariat_marks(bloc_year, pages["secretariat_user"]))
    assert not any(_secretariat_marks(bloc_year, pages["member_leader"]))
    for name in (first, second):
        assert pages[name] == read_cold(clients[name], url), name


def test_members_see_their_own_pending_deadlines_whoever_read_first(
    bloc_year, member_leader, secretariat_user
):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING, year=2020)
    bloc_year.refresh_from_db()
    url = bloc_year.get_absolute_url()
    members = list(bloc_year.memberships.filter(role=MemberRole.MEMBER).select_related("agency"))
    other = next(m.agency for m in members if m.agency_id != member_leader.agency_id)
    other_leader = AgencyStaffFactory(agency=other, agency_role=AgencyRole.LEADER)

    def notices(client):
        page = read(client, url)[0]
        section = page[page.index('id="deadline-notices"') :]
        return section[: section.index("</section>")]

    assert other.name in notices(signed_in(secretariat_user))
    own = notices(signed_in(member_leader))
    assert other.name not in own
    assert member_leader.agency.name not in own  # a member's own items name no agency
    assert vi("The covenant is not signed yet.") in own
    theirs = notices(signed_in(other_leader))
    assert other.name not in theirs
    assert vi("The covenant is not signed yet.") in theirs
    # Each its own item, in its own place among the agencies: as built from the database.
    caches["fragments"].clear()
    assert notices(signed_in(other_leader)) == theirs
    caches["fragments"].clear()
    assert notices(signed_in(member_leader)) == own


def test_the_deadline_badges_follow_the_day(bloc_year, secretariat_user, on_day):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING, year=2026)
    client, url = signed_in(secretariat_user), bloc_year.get_absolute_url()
    left = vi("%(days)s day(s) left")

    on_day(datetime.date(2026, 4, 20))
    assert left % {"days": 10} in read(client, url)[0]
    on_day(datetime.date(2026, 4, 21))
    assert left % {"days": 9} in read(client, url)[0]


def test_the_revoke_buttons_carry_the_readers_own_csrf_token(
    bloc_year, chair_leader, secretariat_user, outsider
):
    """The delegations are outside the cached fragments: the chair's leader gets working
    revoke forms after the secretariat's officer (who has none) read the page first."""
    delegation = services.delegation_grant(bloc_year=bloc_year, user=outsider, actor=chair_leader)
    url = bloc_year.get_absolute_url()
    revoke = reverse(
        "blocs:delegation_revoke", args=[bloc_year.bloc_id, bloc_year.year, delegation.pk]
    )
    assert revoke not in read(signed_in(secretariat_user), url)[0]

    client = Client(enforce_csrf_checks=True)
    client.force_login(chair_leader)
    html = client.get(url).content.decode()
    assert revoke in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html[html.index(revoke) :])
    response = client.post(revoke, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


# The province dashboard --------------------------------------------------------------


def _province_url(bloc_year) -> str:
    return reverse("blocs:province", args=[bloc_year.bloc.province.code])


def test_a_repeated_dashboard_is_served_from_the_cache(bloc_year, board_user):
    client, url = signed_in(board_user), _province_url(bloc_year)
    first, cold_queries = read(client, url)
    hits = caching.stats.hits

    second, warm_queries = read(client, url)

    assert second == first
    assert caching.stats.hits >= hits + 2  # the province, the table
    assert warm_queries < cold_queries


def test_the_dashboard_shows_changes_on_the_next_read(bloc_year, board_user):
    client, url = signed_in(board_user), _province_url(bloc_year)
    read(client, url)

    Bloc.objects.filter(pk=bloc_year.bloc_id).update(name="Khối Văn hóa – Xã hội")
    assert "Khối Văn hóa – Xã hội" in read(client, url)[0]

    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SCORING)
    page = read(client, url)[0]
    assert "stage-scoring" in page
    assert page == read_cold(client, url)


def test_the_dashboard_checks_the_reader_before_the_cache(
    bloc_year, board_user, other_board_user, secretariat_user
):
    url = _province_url(bloc_year)
    read(signed_in(board_user), url)
    assert signed_in(other_board_user).get(url).status_code == 403
    assert signed_in(secretariat_user).get(url).status_code == 403


def test_what_is_late_follows_the_day(bloc_year, board_user, on_day):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING, year=2026)
    client, url = signed_in(board_user), _province_url(bloc_year)
    year_deadlines = reverse("blocs:year_deadlines", args=[bloc_year.bloc_id, 2026])

    on_day(datetime.date(2026, 4, 30))
    page = read(client, url)[0]
    assert vi("Nothing is late.") in page
    on_day(datetime.date(2026, 5, 1))
    page = read(client, url)[0]
    assert vi("Nothing is late.") not in page
    assert f'href="{year_deadlines}"' in page
