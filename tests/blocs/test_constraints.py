"""Every bloc invariant is held by the database itself, not only by forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from blocs.models import BlocYear, MemberRole, Membership, SecretariatDelegation, StageChange
from tests.blocs.factories import BlocFactory, BlocYearFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_one_bloc_year_per_bloc_and_year():
    bloc_year = BlocYearFactory(year=2026)
    _violates(lambda: BlocYear.objects.create(bloc=bloc_year.bloc, year=2026))
    with pytest.raises(ValidationError, match="already has this year"):
        BlocYear(bloc=bloc_year.bloc, year=2026).full_clean()


def test_bloc_number_is_unique_in_its_province():
    bloc = BlocFactory(number=6)
    _violates(lambda: BlocFactory(province=bloc.province, number=6))
    BlocFactory(number=6)  # another province may reuse it


def test_stage_must_be_a_declared_stage():
    bloc_year = BlocYearFactory()
    _violates(lambda: BlocYear.objects.filter(pk=bloc_year.pk).update(stage="voting_open"))


@pytest.mark.parametrize("year", [1999, 2101])
def test_year_is_within_range(year):
    _violates(lambda: BlocYearFactory(year=year))


def test_signing_comes_before_the_mid_year_review():
    _violates(
        lambda: BlocYearFactory(
            signing_date=datetime.date(2026, 8, 1), mid_year_review_date=datetime.date(2026, 7, 1)
        )
    )


def test_an_agency_is_a_member_once_per_bloc_year():
    membership = MembershipFactory()
    _violates(
        lambda: Membership.objects.create(bloc_year=membership.bloc_year, agency=membership.agency)
    )


@pytest.mark.parametrize("role", [MemberRole.CHAIR, MemberRole.VICE_CHAIR])
def test_one_chair_and_one_vice_chair_per_year(role):
    first = MembershipFactory(role=role)
    _violates(lambda: MembershipFactory(bloc_year=first.bloc_year, role=role))


def test_chair_and_vice_chair_are_distinct_members_by_construction():
    """Both roles sit on memberships, and an agency has one membership a year."""
    chair = MembershipFactory(role=MemberRole.CHAIR)
    _violates(
        lambda: Membership.objects.create(
            bloc_year=chair.bloc_year, agency=chair.agency, role=MemberRole.VICE_CHAIR
        )
    )


def test_the_same_agency_chairs_different_years():
    chair = MembershipFactory(role=MemberRole.CHAIR, bloc_year__year=2025)
    next_year = BlocYearFactory(bloc=chair.bloc_year.bloc, year=2026)
    MembershipFactory(bloc_year=next_year, agency=chair.agency, role=MemberRole.CHAIR)


def test_role_must_be_declared():
    _violates(lambda: MembershipFactory(role="secretary"))


def test_an_agency_cannot_leave_before_it_joined():
    _violates(
        lambda: MembershipFactory(
            joined_on=datetime.date(2026, 5, 1), left_on=datetime.date(2026, 4, 1)
        )
    )


def test_officers_cannot_have_left():
    _violates(lambda: MembershipFactory(role=MemberRole.CHAIR, left_on=datetime.date(2026, 5, 1)))


def test_one_active_delegation_per_person_and_year():
    bloc_year, user, grantor = BlocYearFactory(), UserFactory(), UserFactory()
    SecretariatDelegation.objects.create(bloc_year=bloc_year, user=user, granted_by=grantor)
    _violates(
        lambda: SecretariatDelegation.objects.create(
            bloc_year=bloc_year, user=user, granted_by=grantor
        )
    )


def test_a_revoked_delegation_can_be_granted_again():
    bloc_year, user, grantor = BlocYearFactory(), UserFactory(), UserFactory()
    first = SecretariatDelegation.objects.create(bloc_year=bloc_year, user=user, granted_by=grantor)
    first.revoked_at = first.granted_at
    first.save()
    SecretariatDelegation.objects.create(bloc_year=bloc_year, user=user, granted_by=grantor)


def test_a_stage_change_moves_between_declared_stages():
    bloc_year, actor = BlocYearFactory(), UserFactory()
    _violates(
        lambda: StageChange.objects.create(
            bloc_year=bloc_year, transition="x", from_stage="setup", to_stage="setup", actor=actor
        )
    )
    _violates(
        lambda: StageChange.objects.create(
            bloc_year=bloc_year, transition="x", from_stage="setup", to_stage="nowhere", actor=actor
        )
    )
