"""The covenant: drafting, opening with the stage, signing, recording, reopening."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants import services
from covenants.models import Covenant, CovenantStatus, Signature, SignatureStatus
from members.models import AgencyRole
from tests.members.factories import AgencyStaffFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(bloc_year, board_user):
    """The year at the signing stage: the covenant opened with the stage."""
    bloc_services.bloc_year_open_signing(bloc_year=bloc_year, actor=board_user)
    bloc_year.refresh_from_db()
    return bloc_year


def _leader_of(membership):
    return AgencyStaffFactory(
        agency=membership.agency, agency_role=AgencyRole.LEADER, position="Giám đốc"
    )


def test_opening_signing_opens_the_covenant_with_an_event(signing, board_user):
    covenant = signing.covenant
    assert covenant.status == CovenantStatus.OPEN
    event = covenant.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "open",
        "draft",
        "open",
        board_user,
    )


def test_signing_cannot_open_without_a_complete_covenant(bloc_year, board_user):
    bloc_year.covenant.commitments.all().delete()
    with pytest.raises(ValidationError) as excinfo:
        bloc_services.bloc_year_open_signing(bloc_year=bloc_year, actor=board_user)
    assert "The covenant has no commitments." in excinfo.value.messages
    assert Covenant.objects.get(bloc_year=bloc_year).status == CovenantStatus.DRAFT


def test_a_leader_signs_for_their_own_agency_once(signing):
    membership = signing.memberships.filter(role=MemberRole.MEMBER).first()
    leader = _leader_of(membership)

    signature = services.covenant_sign(
        covenant=signing.covenant, agency=membership.agency, actor=leader
    )
    assert (signature.signer_name, signature.signer_title) == (leader.full_name, "Giám đốc")
    assert signature.recorded_by == leader

    with pytest.raises(ValidationError, match="already signed"):
        services.covenant_sign(covenant=signing.covenant, agency=membership.agency, actor=leader)


def test_the_database_refuses_a_second_valid_signature(signing):
    membership = signing.memberships.first()
    leader = _leader_of(membership)
    services.covenant_sign(covenant=signing.covenant, agency=membership.agency, actor=leader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            covenant=signing.covenant,
            agency=membership.agency,
            status="signed",
            method="app",
            signer_name="X",
            recorded_by=leader,
        )


def test_nobody_signs_for_another_agency(signing):
    first, second = signing.memberships.filter(role=MemberRole.MEMBER)[:2]
    leader = _leader_of(first)
    with pytest.raises(PermissionDenied):
        services.covenant_sign(covenant=signing.covenant, agency=second.agency, actor=leader)


def test_staff_who_are_not_leaders_cannot_sign(signing, secretariat_user):
    chair = signing.memberships.get(role=MemberRole.CHAIR).agency
    with pytest.raises(PermissionDenied):
        services.covenant_sign(covenant=signing.covenant, agency=chair, actor=secretariat_user)


def test_no_signing_outside_the_signing_stage(bloc_year):
    membership = bloc_year.memberships.first()
    leader = _leader_of(membership)
    with pytest.raises(PermissionDenied):
        services.covenant_sign(covenant=bloc_year.covenant, agency=membership.agency, actor=leader)


def test_the_secretariat_records_paper_and_inability_and_the_covenant_completes(
    signing, secretariat_user, member_leader
):
    covenant = signing.covenant
    agencies = services.unsigned_agencies(covenant)
    *paper, last = agencies
    for agency in paper:
        services.signature_record_paper(
            covenant=covenant,
            agency=agency,
            actor=secretariat_user,
            signer_name="Trần Văn A",
            signer_title="Giám đốc",
        )
    with pytest.raises(ValidationError):
        services.signature_record_unable(
            covenant=covenant, agency=last, actor=secretariat_user, reason=""
        )
    services.signature_record_unable(
        covenant=covenant, agency=last, actor=secretariat_user, reason="Đang sáp nhập"
    )
    covenant.refresh_from_db()
    assert covenant.status == CovenantStatus.SIGNED
    assert Signature.objects.get(agency=last).status == SignatureStatus.UNABLE
    with pytest.raises(PermissionDenied):
        services.signature_record_paper(
            covenant=covenant, agency=last, actor=member_leader, signer_name="X", signer_title=""
        )


def test_the_year_starts_only_when_every_member_has_signed(signing, secretariat_user):
    covenant = signing.covenant
    agencies = services.unsigned_agencies(covenant)
    with pytest.raises(ValidationError) as excinfo:
        bloc_services.bloc_year_start_year(bloc_year=signing, actor=secretariat_user)
    assert len(excinfo.value.messages) == len(agencies)
    assert agencies[0].name in excinfo.value.messages[0]

    for agency in agencies:
        services.signature_record_paper(
            covenant=covenant,
            agency=agency,
            actor=secretariat_user,
            signer_name="A",
            signer_title="",
        )
    bloc_services.bloc_year_start_year(bloc_year=signing, actor=secretariat_user)
    signing.refresh_from_db()
    assert signing.stage == Stage.IN_PROGRESS


def test_reopening_voids_every_signature_with_the_reason(signing, secretariat_user):
    covenant = signing.covenant
    agency = services.unsigned_agencies(covenant)[0]
    services.signature_record_paper(
        covenant=covenant, agency=agency, actor=secretariat_user, signer_name="A", signer_title=""
    )
    with pytest.raises(ValidationError):
        services.covenant_reopen(covenant=covenant, actor=secretariat_user, reason=" ")

    services.covenant_reopen(covenant=covenant, actor=secretariat_user, reason="Sửa nội dung 3")
    covenant.refresh_from_db()
    assert covenant.status == CovenantStatus.DRAFT
    voided = Signature.objects.get(agency=agency)
    assert voided.voided_at is not None
    assert voided.void_reason == "Sửa nội dung 3"
    assert covenant.events.filter(action="reopen", note="Sửa nội dung 3").exists()

    services.covenant_open(covenant=covenant, actor=secretariat_user)
    services.signature_record_paper(
        covenant=covenant, agency=agency, actor=secretariat_user, signer_name="A", signer_title=""
    )
    assert Signature.objects.filter(agency=agency).count() == 2


def test_a_signed_covenant_cannot_be_edited(signing, secretariat_user):
    with pytest.raises(PermissionDenied):
        services.covenant_update(
            covenant=signing.covenant, actor=secretariat_user, data={"theme": "Khác"}
        )


def test_start_from_last_years_covenant(bloc_year, secretariat_user):
    covenant = bloc_year.covenant
    next_year = BlocYear.objects.create(bloc=bloc_year.bloc, year=bloc_year.year + 1)
    for m in bloc_year.memberships.all():
        next_year.memberships.create(agency=m.agency, role=m.role)
    copy = services.covenant_create(bloc_year=next_year, actor=secretariat_user, copy_previous=True)
    assert [c.text for c in copy.commitments.all()] == [c.text for c in covenant.commitments.all()]
    assert copy.status == CovenantStatus.DRAFT


def test_only_the_secretariat_drafts(bloc_year, board_user, member_leader):
    Covenant.objects.filter(bloc_year=bloc_year).delete()
    for user in (board_user, member_leader):
        with pytest.raises(PermissionDenied):
            services.covenant_create(bloc_year=bloc_year, actor=user)


# Pages -------------------------------------------------------------------------


def test_the_leader_signs_through_the_page(client, signing):
    membership = signing.memberships.filter(role=MemberRole.MEMBER).first()
    leader = _leader_of(membership)
    client.force_login(leader)
    page = client.get(reverse("covenants:detail", args=[signing.bloc_id, signing.year]))
    sign_url = reverse("covenants:sign", args=[signing.bloc_id, signing.year, membership.agency_id])
    assert sign_url in page.content.decode()

    response = client.post(sign_url, {})
    assert response.status_code == 200  # the confirmation box is required
    client.post(sign_url, {"confirm": "on"})
    assert signing.covenant.signatures.filter(agency=membership.agency).exists()


def test_covenant_page_access(
    client, bloc_year, board_user, member_leader, outsider, other_board_user
):
    url = reverse("covenants:detail", args=[bloc_year.bloc_id, bloc_year.year])
    for user, status in (
        (board_user, 200),
        (member_leader, 200),
        (outsider, 403),
        (other_board_user, 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(member_leader)
    assert (
        client.get(reverse("covenants:edit", args=[bloc_year.bloc_id, bloc_year.year])).status_code
        == 403
    )


def test_the_secretariat_edits_the_draft_with_translated_errors(
    client, bloc_year, secretariat_user
):
    client.force_login(secretariat_user)
    url = reverse("covenants:edit", args=[bloc_year.bloc_id, bloc_year.year])
    response = client.post(url, {"theme": "", "number": "01/GƯ"})
    assert response.status_code == 200
    assert 'value="01/GƯ"' in response.content.decode()
    response = client.post(url, {"theme": "Chủ đề mới", "number": "01/GƯ"})
    assert response.status_code == 302
    bloc_year.covenant.refresh_from_db()
    assert bloc_year.covenant.theme == "Chủ đề mới"
    assert vi("Covenant")


def test_the_secretariat_attaches_a_document_and_members_download_it(
    client, bloc_year, secretariat_user, member_leader
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretariat_user)
    url = reverse("covenants:attachment_add", args=[bloc_year.bloc_id, bloc_year.year])
    client.post(
        url,
        {"title": "Quy chế hoạt động", "file": SimpleUploadedFile("quy-che.pdf", b"%PDF-1.4 x")},
    )
    attachment = bloc_year.covenant.attachments.get()
    client.force_login(member_leader)
    response = client.get(
        reverse("covenants:attachment", args=[bloc_year.bloc_id, bloc_year.year, attachment.pk])
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


def test_the_secretariat_edits_the_commitments(client, bloc_year, secretariat_user):
    client.force_login(secretariat_user)
    url = reverse("covenants:commitments", args=[bloc_year.bloc_id, bloc_year.year])
    page = client.get(url).content.decode()
    assert 'id="id_form-0-text"' in page
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-group": "I. Nhiệm vụ",
        "form-0-text": "Nội dung một",
        "form-1-group": "",
        "form-1-text": "",
    }
    client.post(url, data)
    assert [c.text for c in bloc_year.covenant.commitments.all()] == ["Nội dung một"]
