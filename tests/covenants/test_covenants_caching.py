"""The covenant page, the scores home, a score sheet and the ranking keep their bodies as
fragments under the data version (members.caching): a repeated read comes from the cache,
the next read after a write shows it, the permission check still runs first, and what one
viewer's standing shows (the secretariat's buttons, a side of the blind review, a leader's
call to sign) never reaches another, whoever opened the page first. The forms inside a
cached body carry the request's own CSRF token (covenants.fragments)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants import services
from covenants.models import Covenant, CovenantStatus, Period, ScoreLine, ScoreSheet
from covenants.scores.core import settings_for
from covenants.scores.publication import ranking_publish
from members import caching
from members.models import AgencyRole
from tests.blocs.factories import MembershipFactory
from tests.cached_pages import CSRF_INPUT, read_twice, signed_in
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    finalize,
    leader_of,
    officer_of,
    scoring_year,
)
from tests.members.factories import AgencyStaffFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _members(bloc_year):
    return [m.agency for m in bloc_year.memberships.filter(role=MemberRole.MEMBER).order_by("pk")]


def _in_both_orders(first_first: bool, viewers: list) -> list:
    return viewers if first_first else list(reversed(viewers))


# The covenant --------------------------------------------------------------------------


def _covenant(bloc_year):
    return reverse("covenants:detail", args=[bloc_year.bloc_id, bloc_year.year])


@pytest.fixture
def signing(bloc_year):
    """The year at the signing stage, its covenant open."""
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING)
    Covenant.objects.filter(bloc_year=bloc_year).update(status=CovenantStatus.OPEN)
    bloc_year.refresh_from_db()
    return bloc_year


def test_the_covenant_is_read_from_the_cache_until_a_signature_is_recorded(
    signing, secretariat_user
):
    client = signed_in(secretariat_user)
    first, second, cold_queries, warm_queries, hits = read_twice(client, _covenant(signing))
    assert hits >= 1
    assert warm_queries < cold_queries
    assert first == second

    agency = _members(signing)[0]
    services.signature_record_paper(
        covenant=signing.covenant,
        agency=agency,
        actor=secretariat_user,
        signer_name="Nguyễn Văn Ký Giấy",
        signer_title="Giám đốc",
    )
    assert "Nguyễn Văn Ký Giấy" in _html(client, _covenant(signing))


@pytest.mark.parametrize("secretariat_first", [True, False])
def test_the_secretariats_buttons_and_a_leaders_call_to_sign_stay_with_their_viewers(
    signing, secretariat_user, secretariat_first
):
    agency = _members(signing)[0]
    leader = AgencyStaffFactory(agency=agency, agency_role=AgencyRole.LEADER)
    record = reverse("covenants:record", args=[signing.bloc_id, signing.year])
    sign = reverse("covenants:sign", args=[signing.bloc_id, signing.year, agency.pk])
    other_leader = AgencyStaffFactory(agency=_members(signing)[1], agency_role=AgencyRole.LEADER)
    viewers = [
        (signed_in(secretariat_user), True, False),
        (signed_in(leader), False, True),
        (signed_in(other_leader), False, False),
    ]
    for _round in range(2):  # the second round is read from the cache
        for client, sees_record, sees_sign in _in_both_orders(secretariat_first, viewers):
            html = _html(client, _covenant(signing))
            assert (record in html) is sees_record
            assert (sign in html) is sees_sign


def test_a_cached_covenant_form_carries_each_requests_own_token(bloc_year, secretariat_user):
    """A draft at the signing stage: the secretariat's "open for signing" form sits in the
    cached body; each reader's page holds its own token, which the form posts."""
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING)
    open_url = reverse("covenants:open", args=[bloc_year.bloc_id, bloc_year.year])
    other_officer = AgencyStaffFactory(agency=bloc_year.chair, agency_role=AgencyRole.OFFICER)
    first = signed_in(secretariat_user, enforce_csrf_checks=True)
    second = signed_in(other_officer, enforce_csrf_checks=True)

    pages = []
    for client in (first, second):
        hits = caching.stats.hits
        html = _html(client, _covenant(bloc_year))
        assert f'action="{open_url}"' in html
        tokens = set(CSRF_INPUT.findall(html))
        assert len(tokens) == 1  # the form's token is the page's (logout, language)
        pages.append((client, tokens.pop(), caching.stats.hits - hits))
    assert pages[1][2] >= 1  # the second page came from the cache
    assert pages[0][1] != pages[1][1]

    client, token, _hits = pages[1]
    assert client.post(open_url, {"csrfmiddlewaretoken": token}).status_code == 302
    bloc_year.covenant.refresh_from_db()
    assert bloc_year.covenant.status == CovenantStatus.OPEN


# The scores home ------------------------------------------------------------------------


def _home(bloc_year):
    return reverse("covenants:scores", args=[bloc_year.bloc_id, bloc_year.year])


def _sheet_url(sheet):
    return reverse(
        "covenants:score_sheet",
        args=[sheet.bloc_year.bloc_id, sheet.bloc_year.year, sheet.period, sheet.agency_id],
    )


def _sheet(bloc_year, agency, period=Period.YEAR_END) -> ScoreSheet:
    return ScoreSheet.objects.get(bloc_year=bloc_year, period=period, agency=agency)


@pytest.fixture
def year():
    return scoring_year(stage=Stage.SCORING, members=4)


def test_the_scores_home_is_read_from_the_cache_until_a_sheet_is_submitted(year):
    client = signed_in(officer_of(year.chair))
    first, second, cold_queries, warm_queries, hits = read_twice(client, _home(year))
    assert hits >= 1
    assert warm_queries < cold_queries
    assert first == second
    assert "badge text-bg-primary" not in second

    fill_self(_sheet(year, _members(year)[0]))  # submitted, as the service leaves it
    assert "badge text-bg-primary" in _html(client, _home(year))


@pytest.mark.parametrize("secretariat_first", [True, False])
def test_each_viewer_sees_its_own_rows_of_the_home_whoever_opened_it_first(year, secretariat_first):
    own, other = _members(year)[:2]
    own_url, other_url = _sheet_url(_sheet(year, own)), _sheet_url(_sheet(year, other))
    settings_url = reverse("covenants:score_settings", args=[year.bloc_id, year.year])
    viewers = [
        (signed_in(officer_of(year.chair)), True),
        (signed_in(leader_of(own)), False),
    ]
    for _round in range(2):
        for client, is_secretariat in _in_both_orders(secretariat_first, viewers):
            html = _html(client, _home(year))
            assert own_url in html
            assert (other_url in html) is is_secretariat
            assert (settings_url in html) is is_secretariat


def test_the_days_left_on_the_home_follow_the_date(year, monkeypatch):
    settings = settings_for(year)
    today = timezone.localdate()
    settings.year_end_deadline = today + datetime.timedelta(days=3)
    settings.save()
    client = signed_in(leader_of(_members(year)[0]))
    days_left = vi("Days left: %(days)s")
    assert days_left % {"days": 3} in _html(client, _home(year))

    monkeypatch.setattr(timezone, "localdate", lambda: today + datetime.timedelta(days=1))
    assert days_left % {"days": 2} in _html(client, _home(year))


def test_the_cached_homes_form_opens_the_missing_sheet_with_the_readers_token(year):
    newcomer = MembershipFactory(bloc_year=year).agency
    open_url = reverse("covenants:scores_open", args=[year.bloc_id, year.year, "year_end"])
    officer = officer_of(year.chair)
    client, earlier = signed_in(officer, enforce_csrf_checks=True), signed_in(officer)
    _html(earlier, _home(year))  # the body is now cached
    hits = caching.stats.hits
    html = _html(client, _home(year))
    assert caching.stats.hits > hits
    assert f'action="{open_url}"' in html
    (token,) = set(CSRF_INPUT.findall(html))
    assert client.post(open_url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert ScoreSheet.objects.filter(bloc_year=year, period="year_end", agency=newcomer).exists()


# One sheet ------------------------------------------------------------------------------

SELF_SECRET, REVIEW_SECRET = "BÍ-MẬT-TỰ-CHẤM", "BÍ-MẬT-THẨM-ĐỊNH"


def _reviewed_sheet(year) -> ScoreSheet:
    """A member's sheet submitted, reviewed by another member that has not submitted:
    the blind review hides each side from the other."""
    scored, reviewer = _members(year)[:2]
    sheet = _sheet(year, scored)
    sheet.reviewer_agency = reviewer
    sheet.save()
    fill_self(sheet)
    fill_review(sheet, submit=False)
    ScoreLine.objects.filter(sheet=sheet, key="I.1").update(
        explanation=SELF_SECRET, review_note=REVIEW_SECRET
    )
    return sheet


def test_the_sheet_is_read_from_the_cache_until_a_line_changes(year):
    sheet = _sheet(year, _members(year)[0])
    fill_self(sheet)
    client = signed_in(leader_of(sheet.agency))
    first, second, cold_queries, warm_queries, hits = read_twice(client, _sheet_url(sheet))
    assert hits >= 1
    assert warm_queries < cold_queries
    assert first == second

    ScoreLine.objects.filter(sheet=sheet, key="I.1").update(explanation="Giải trình mới")
    assert "Giải trình mới" in _html(client, _sheet_url(sheet))


@pytest.mark.parametrize("member_first", [True, False])
def test_each_side_of_the_blind_review_sees_its_own_sheet_whoever_opened_it_first(
    year, member_first
):
    sheet = _reviewed_sheet(year)
    peer = signed_in(leader_of(year.vice_chair))
    viewers = [
        (signed_in(leader_of(sheet.agency)), True, False),
        (signed_in(officer_of(sheet.reviewer_agency)), False, True),
    ]
    for _round in range(2):
        for client, sees_self, sees_review in _in_both_orders(member_first, viewers):
            html = _html(client, _sheet_url(sheet))
            assert (SELF_SECRET in html) is sees_self
            assert (REVIEW_SECRET in html) is sees_review
        assert peer.get(_sheet_url(sheet)).status_code == 403  # before the cache


# The ranking ----------------------------------------------------------------------------


def _ranking(bloc_year):
    return reverse("covenants:ranking", args=[bloc_year.bloc_id, bloc_year.year, "year_end"])


def _results(bloc_year, agency):
    return reverse("covenants:score_results", args=[bloc_year.bloc_id, bloc_year.year, agency.pk])


@pytest.fixture
def agreed(year):
    """Every year-end sheet agreed, the ranking not published yet."""
    for sheet in ScoreSheet.objects.filter(bloc_year=year, period=Period.YEAR_END):
        fill_self(sheet)
        fill_review(sheet)
        finalize(sheet)
    return year


def test_the_ranking_is_read_from_the_cache_until_it_is_published(agreed):
    officer = officer_of(agreed.chair)
    client = signed_in(officer)
    member = signed_in(leader_of(_members(agreed)[0]))
    publish_url = reverse(
        "covenants:ranking_publish", args=[agreed.bloc_id, agreed.year, "year_end"]
    )
    first, second, cold_queries, warm_queries, hits = read_twice(client, _ranking(agreed))
    assert hits >= 1
    assert warm_queries < cold_queries
    assert first == second
    assert f'action="{publish_url}"' in second
    assert member.get(_ranking(agreed)).status_code == 403  # before the cache

    ranking_publish(bloc_year=agreed, period=Period.YEAR_END, actor=officer)
    html = _html(client, _ranking(agreed))
    assert f'action="{publish_url}"' not in html
    assert 'class="alert alert-success" role="status" id="published"' in html
    assert member.get(_ranking(agreed)).status_code == 200


@pytest.mark.parametrize("secretariat_first", [True, False])
def test_only_the_overseers_see_every_members_results_link_whoever_opened_it_first(
    agreed, secretariat_first
):
    ranking_publish(bloc_year=agreed, period=Period.YEAR_END, actor=officer_of(agreed.chair))
    own, other = _members(agreed)[:2]
    viewers = [
        (signed_in(officer_of(agreed.chair)), None),
        (signed_in(leader_of(own)), own),
        (signed_in(leader_of(other)), other),
    ]
    for _round in range(2):
        for client, viewers_agency in _in_both_orders(secretariat_first, viewers):
            html = _html(client, _ranking(agreed))
            for agency in (own, other):
                linked = _results(agreed, agency) in html
                assert linked is (viewers_agency is None or agency == viewers_agency)
