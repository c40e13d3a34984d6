import factory

from members.models import Agency, AgencyKind, AgencyRole, Province, User


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")
    code = factory.Sequence(lambda n: f"tinh-thu-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"stn{n}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"STN{n}")
    kind = AgencyKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("secret-pass")


class AgencyStaffFactory(UserFactory):
    agency = factory.SubFactory(AgencyFactory)
    agency_role = AgencyRole.STAFF


class AgencyLeaderFactory(AgencyStaffFactory):
    agency_role = AgencyRole.LEADER


class BoardUserFactory(UserFactory):
    board_province = factory.SubFactory(ProvinceFactory)
