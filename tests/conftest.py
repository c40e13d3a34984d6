"""Shared fixtures: one province, one bloc-year with a complete set-up, and a
user for every role around it."""

import os

import pytest
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from blocs.models import MemberRole
from members.models import AgencyRole
from tests.blocs.factories import ready_bloc_year
from tests.members.factories import AgencyFactory, AgencyStaffFactory, BoardUserFactory, UserFactory

# Property-based tests (the form fuzzing, tests/security) run few examples, always
# the same ones (derandomize), so CI is quick and reproducible; no deadline, since a
# page's time depends on the machine. HYPOTHESIS_PROFILE=thorough explores more.
_HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "print_blob": False,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
}
hypothesis_settings.register_profile("ci", max_examples=15, derandomize=True, **_HYPOTHESIS)
hypothesis_settings.register_profile("thorough", max_examples=300, **_HYPOTHESIS)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` check a PostgreSQL behaviour: on another
    database they are deselected (not skipped: there is nothing to check)."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgresql") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Service tests read English messages; pages are tested in Vietnamese
    through the middleware, which picks the language per request."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_fragment_cache():
    """Each test's data is rolled back, and SQLite reuses the ids: fragments cached by one
    test (members.caching) must not be found by the next."""
    from django.core.cache import caches

    caches["fragments"].clear()


@pytest.fixture
def bloc_year(db):
    return ready_bloc_year(members=4)


@pytest.fixture
def chair_agency(bloc_year):
    return bloc_year.memberships.get(role=MemberRole.CHAIR).agency


@pytest.fixture
def secretariat_user(chair_agency):
    """An emulation officer of this year's chair agency."""
    return AgencyStaffFactory(agency=chair_agency, agency_role=AgencyRole.OFFICER)


@pytest.fixture
def member_leader(bloc_year):
    agency = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    return AgencyStaffFactory(agency=agency, agency_role=AgencyRole.LEADER)


@pytest.fixture
def board_user(bloc_year):
    return BoardUserFactory(board_province=bloc_year.bloc.province)


@pytest.fixture
def other_board_user(db):
    return BoardUserFactory()


@pytest.fixture
def outsider(bloc_year):
    """Staff of an agency of the same province that is not in the bloc."""
    return AgencyStaffFactory(agency=AgencyFactory(province=bloc_year.bloc.province))


@pytest.fixture
def site_admin(db):
    return UserFactory(is_superuser=True, is_staff=True)
