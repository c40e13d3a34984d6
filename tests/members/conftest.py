"""A province with Sở Y tế, one official, and its board, for the import tests; the audit
history pages' world."""

import pytest
from django.core.management import call_command

from blocs.models import MemberRole
from covenants.models import Period, ScoreSheet
from members.models import AgencyRole
from tests.covenants.factories_score import leader_of, officer_of, scoring_year
from tests.members.factories import (
    AgencyFactory,
    AgencyStaffFactory,
    BoardUserFactory,
    ProvinceFactory,
    UserFactory,
)


@pytest.fixture
def province(db):
    return ProvinceFactory()


@pytest.fixture
def syt(province):
    return AgencyFactory(province=province, code="SYT", name="Sở Y tế", short_name="Sở Y tế")


@pytest.fixture
def lan(syt):
    return AgencyStaffFactory(
        username="lan",
        email="lan@syt.vn",
        full_name="Nguyễn Thị Lan",
        position="Chuyên viên",
        phone="0912345678",
        agency=syt,
        agency_role=AgencyRole.OFFICER,
    )


@pytest.fixture
def board(province):
    return BoardUserFactory(board_province=province)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The audit history pages' world (test_history_page, test_history_caching): a year
    being scored and its people, made once per module; each test's writes are rolled back."""
    with django_db_blocker.unblock():
        bloc_year = scoring_year(members=3)
        roles = {m.role: m.agency for m in bloc_year.memberships.select_related("agency")}
        member = roles[MemberRole.MEMBER]
        yield {
            "bloc_year": bloc_year,
            "roles": roles,
            "secretariat": officer_of(roles[MemberRole.CHAIR], full_name="Trần Thư Ký"),
            "board": BoardUserFactory(board_province=bloc_year.bloc.province, full_name="Ban TĐKT"),
            "admin": UserFactory(is_superuser=True, is_staff=True),
            "leader": leader_of(member),
            "officer": officer_of(member),
            "other_board": BoardUserFactory(),
            "sheet": ScoreSheet.objects.get(
                bloc_year=bloc_year, agency=member, period=Period.YEAR_END
            ),
        }
        call_command("flush", interactive=False, verbosity=0)
