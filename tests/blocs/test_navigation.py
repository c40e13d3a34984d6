"""The navigation bar's secretariat link: every page computes it, so it is one narrow query."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from blocs.context_processors import navigation
from blocs.models import BlocYear, SecretariatDelegation
from blocs.stages import Stage
from tests.utils import cold

pytestmark = pytest.mark.django_db


def _items(user):
    request = RequestFactory().get("/")
    request.user = user
    return {str(label): url for label, url in navigation(request)["nav_items"]}


def _secretariat_link(bloc_year):
    label = f"Secretariat: bloc {bloc_year.bloc.number}, {bloc_year.year}"
    return label, f"/blocs/{bloc_year.bloc_id}/{bloc_year.year}/"


def test_the_chair_staff_get_a_link_to_their_year_in_one_query(bloc_year, secretariat_user):
    label, url = _secretariat_link(bloc_year)
    cold()
    with CaptureQueriesContext(connection) as queries:
        items = _items(secretariat_user)
    assert items[label] == url
    # Besides the data version's token (members.caching), which every cached read reads.
    token, *navigation_queries = [q["sql"] for q in queries]
    assert "members_dataversion" in token
    assert len(navigation_queries) == 1
    with CaptureQueriesContext(connection) as again:
        assert _items(secretariat_user)[label] == url
    assert [q["sql"] for q in again] == [token]  # read from the cache


def test_a_delegated_member_gets_the_link_and_loses_it_when_revoked(
    bloc_year, secretariat_user, member_leader
):
    label, url = _secretariat_link(bloc_year)
    assert label not in _items(member_leader)
    delegation = SecretariatDelegation.objects.create(
        bloc_year=bloc_year, user=member_leader, granted_by=secretariat_user
    )
    assert _items(member_leader)[label] == url
    delegation.revoked_by = secretariat_user
    delegation.revoked_at = delegation.granted_at
    delegation.save()
    assert label not in _items(member_leader)


def test_a_closed_year_gives_no_secretariat_link(bloc_year, secretariat_user):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    assert not any(label.startswith("Secretariat") for label in _items(secretariat_user))
