import factory

from blocs.models import Bloc, BlocYear, MemberRole, Membership
from tests.members.factories import AgencyFactory, ProvinceFactory


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bloc

    province = factory.SubFactory(ProvinceFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda b: f"Khối thi đua số {b.number}")
    field = "Văn hóa – Xã hội"


class BlocYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlocYear

    bloc = factory.SubFactory(BlocFactory)
    year = 2026


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    bloc_year = factory.SubFactory(BlocYearFactory)
    agency = factory.SubFactory(
        AgencyFactory, province=factory.SelfAttribute("..bloc_year.bloc.province")
    )
    role = MemberRole.MEMBER


def ready_bloc_year(*, members: int = 3, **kwargs) -> BlocYear:
    """A bloc-year whose set-up is complete: members, a chair and a vice-chair."""
    bloc_year = BlocYearFactory(**kwargs)
    MembershipFactory(bloc_year=bloc_year, role=MemberRole.CHAIR)
    MembershipFactory(bloc_year=bloc_year, role=MemberRole.VICE_CHAIR)
    for _ in range(max(members - 2, 0)):
        MembershipFactory(bloc_year=bloc_year)
    return bloc_year
