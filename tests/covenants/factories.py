import factory

from covenants.models import (
    Commitment,
    Covenant,
    CovenantStatus,
    Signature,
    SignatureMethod,
    SignatureStatus,
)
from tests.members.factories import UserFactory


class CovenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Covenant

    theme = "Đoàn kết, sáng tạo, thi đua xây dựng và bảo vệ Tổ quốc"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    covenant = factory.SubFactory(CovenantFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Hoàn thành xuất sắc nhiệm vụ số {n}")


def complete_covenant(bloc_year, *, status=CovenantStatus.DRAFT) -> Covenant:
    """A covenant with a theme and three commitments: ready to open."""
    covenant = CovenantFactory(bloc_year=bloc_year, status=status)
    for _ in range(3):
        CommitmentFactory(covenant=covenant)
    return covenant


def sign_all(covenant, *, recorded_by=None) -> None:
    """Every current member signs (on paper), and the covenant is signed."""
    recorded_by = recorded_by or UserFactory()
    for membership in covenant.bloc_year.memberships.select_related("agency").current():
        Signature.objects.create(
            covenant=covenant,
            agency=membership.agency,
            status=SignatureStatus.SIGNED,
            method=SignatureMethod.PAPER,
            signer_name=f"Lãnh đạo {membership.agency.short_name}",
            recorded_by=recorded_by,
        )
    Covenant.objects.filter(pk=covenant.pk).update(status=CovenantStatus.SIGNED)


def valid_template(bloc_year):
    """A valid culture–society scoring sheet (a draft, frozen when signing opens)."""
    from tests.covenants.factories_sheet import valid_template as sheet

    return sheet(bloc_year)
