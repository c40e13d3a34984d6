import datetime

import pytest
from django.db import IntegrityError, transaction

from members.models import Agency, AgencyRole, User
from tests.members.factories import AgencyFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_active_agency_names_are_unique_per_province():
    agency = AgencyFactory(name="Sở Y tế")
    _violates(lambda: AgencyFactory(province=agency.province, name="Sở Y tế"))
    AgencyFactory(name="Sở Y tế")  # another province


def test_an_ended_agency_frees_its_name_for_a_successor():
    old = AgencyFactory(name="Sở Thông tin và Truyền thông")
    Agency.objects.filter(pk=old.pk).update(is_active=False, ended_on=datetime.date(2025, 3, 1))
    AgencyFactory(province=old.province, name="Sở Thông tin và Truyền thông")


def test_a_successor_means_the_agency_has_ended():
    successor = AgencyFactory()
    _violates(lambda: AgencyFactory(province=successor.province, successor=successor))
    AgencyFactory(
        province=successor.province,
        successor=successor,
        is_active=False,
        ended_on=datetime.date(2025, 3, 1),
    )


def test_an_agency_is_not_its_own_successor():
    agency = AgencyFactory()
    _violates(
        lambda: Agency.objects.filter(pk=agency.pk).update(
            successor=agency, is_active=False, ended_on=datetime.date(2025, 1, 1)
        )
    )


def test_agency_kind_must_be_declared():
    _violates(lambda: AgencyFactory(kind="ministry"))


def test_a_role_in_an_agency_needs_the_agency_and_vice_versa():
    _violates(lambda: User.objects.create(username="a", agency_role=AgencyRole.LEADER))
    agency = AgencyFactory(province=ProvinceFactory())
    _violates(lambda: User.objects.create(username="b", agency=agency))
    _violates(lambda: User.objects.create(username="c", agency=agency, agency_role="boss"))
    User.objects.create(username="d", agency=agency, agency_role=AgencyRole.OFFICER)
