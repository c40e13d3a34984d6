"""A province with five agencies, bloc 1 and its 2026 year, for the import tests."""

import pytest

from blocs.models import MemberRole
from tests.blocs.factories import BlocFactory, BlocYearFactory, MembershipFactory
from tests.members.factories import (
    AgencyFactory,
    BoardUserFactory,
    ProvinceFactory,
)


@pytest.fixture
def province(db):
    return ProvinceFactory()


@pytest.fixture
def board(province):
    return BoardUserFactory(board_province=province)


@pytest.fixture
def agencies(province):
    names = {
        "SYT": "Sở Y tế",
        "STC": "Sở Tài chính",
        "SNV": "Sở Nội vụ",
        "SXD": "Sở Xây dựng",
        "SCT": "Sở Công Thương",
    }
    return {
        code: AgencyFactory(province=province, code=code, name=name, short_name=code)
        for code, name in names.items()
    }


@pytest.fixture
def bloc(province):
    return BlocFactory(province=province, number=1, name="Khối 1")


@pytest.fixture
def year_2026(bloc, agencies):
    """Bloc 1 in 2026, in set-up: SYT chairs, STC is vice-chair, SNV is a member."""
    bloc_year = BlocYearFactory(bloc=bloc, year=2026)
    MembershipFactory(bloc_year=bloc_year, agency=agencies["SYT"], role=MemberRole.CHAIR)
    MembershipFactory(bloc_year=bloc_year, agency=agencies["STC"], role=MemberRole.VICE_CHAIR)
    MembershipFactory(bloc_year=bloc_year, agency=agencies["SNV"])
    return bloc_year
