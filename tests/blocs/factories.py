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
    """A bloc-year whose set-up is complete: members, a chair, a vice-chair,
    a covenant ready to open and a valid scoring sheet."""
    from tests.covenants.factories import complete_covenant, valid_template

    bloc_year = BlocYearFactory(**kwargs)
    MembershipFactory(bloc_year=bloc_year, role=MemberRole.CHAIR)
    MembershipFactory(bloc_year=bloc_year, role=MemberRole.VICE_CHAIR)
    for _ in range(max(members - 2, 0)):
        MembershipFactory(bloc_year=bloc_year)
    complete_covenant(bloc_year)
    valid_template(bloc_year)
    return bloc_year


def prepare_for(bloc_year, transition) -> None:
    """Put in place what the guards of ``transition`` need (tests that jump
    straight to a stage skip the steps that would have done it)."""
    from covenants.models import CovenantStatus, Period
    from covenants.scores.sheets import sheets_open
    from covenants.sheet_services import template_freeze_current
    from tests.awards.factories import complete_conference, hand_over
    from tests.covenants.factories import sign_all
    from tests.covenants.factories_score import complete_year_end, hold_mid_year

    if transition.name not in ("open_signing",):
        # Every stage after set-up runs on the frozen sheet.
        template_freeze_current(bloc_year=bloc_year)
    if transition.name == "start_year":
        covenant = bloc_year.covenant
        covenant.status = CovenantStatus.OPEN
        covenant.save()
        sign_all(covenant)
    if transition.name == "open_scoring":
        sheets_open(bloc_year=bloc_year, period=Period.MID_YEAR)
        hold_mid_year(bloc_year)
    if transition.name == "open_conference":
        sheets_open(bloc_year=bloc_year, period=Period.YEAR_END)
        complete_year_end(bloc_year)
    if transition.name == "submit_proposals":
        complete_conference(bloc_year)
    if transition.name == "close_year":
        complete_conference(bloc_year)
        hand_over(bloc_year)
