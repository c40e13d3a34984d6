"""A province with Sở Y tế, one official, and its board, for the import tests."""

import pytest

from members.models import AgencyRole
from tests.members.factories import (
    AgencyFactory,
    AgencyStaffFactory,
    BoardUserFactory,
    ProvinceFactory,
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
