"""The covenant as an issued document (domain rule 30): a draft until every member has
signed, then numbered in the chair agency's register ("01/GƯ-KTĐ6") and dated the
signing, with its QR code and verification address; served from the cache while
unchanged, rebuilt under the same number when its content changes; a typed number that
is not a register number is left blank instead of failing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blocs import services as bloc_services
from covenants import services
from covenants.documents import covenant_pdf, typed_number
from covenants.models import Covenant
from members.models import Agency, DocType, IssuedDocument, RegisterEntry
from tests.members.issued_helpers import assert_issued_pdf, is_superseded, text_of, verify_answer

pytestmark = pytest.mark.django_db

SIGNING_DAY = datetime.date(2026, 2, 20)


@pytest.fixture
def signing(bloc_year, board_user):
    covenant = bloc_year.covenant
    covenant.number = "07/GƯ-KTĐ6"  # typed by the secretariat: only the draft prints it
    covenant.conference_date = SIGNING_DAY
    covenant.save()
    bloc_services.bloc_year_open_signing(bloc_year=bloc_year, actor=board_user)
    return covenant


def sign_everyone(covenant, secretariat_user):
    for agency in services.unsigned_agencies(covenant):
        services.signature_record_paper(
            covenant=covenant,
            agency=agency,
            actor=secretariat_user,
            signer_name=f"Lãnh đạo {agency.code}",
            signer_title="Giám đốc",
        )


def download(client, user, bloc_year) -> bytes:
    client.force_login(user)
    response = client.get(reverse("covenants:pdf", args=[bloc_year.bloc_id, bloc_year.year]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_covenant_is_a_draft_until_every_member_has_signed(
    client, bloc_year, signing, secretariat_user, member_leader
):
    first, *_others = services.unsigned_agencies(signing)
    services.signature_record_paper(
        covenant=signing,
        agency=first,
        actor=secretariat_user,
        signer_name="Nguyễn Văn A",
        signer_title="Giám đốc",
    )
    text = text_of(download(client, member_leader, bloc_year))
    assert "Số: 07/GƯ-KTĐ6" in text
    assert "Văn bản số" not in text
    assert not RegisterEntry.objects.exists()


def test_the_signed_covenant_is_numbered_in_the_chairs_register_and_verifiable(
    client, bloc_year, signing, secretariat_user, member_leader
):
    sign_everyone(signing, secretariat_user)
    assert Covenant.objects.get(pk=signing.pk).status == "signed"
    pdf = download(client, member_leader, bloc_year)
    issued = IssuedDocument.objects.select_related("entry__agency").get()
    entry = issued.entry
    assert entry.agency == bloc_year.chair
    assert (entry.year, entry.doc_type) == (2026, DocType.COVENANT)
    assert entry.key == f"blocyear:{bloc_year.pk}:covenant"
    assert entry.number_symbol == f"01/GƯ-KTĐ{bloc_year.bloc.number}"
    assert entry.issued_on == SIGNING_DAY
    assert entry.title == "Giao ước thi đua năm 2026"
    text = assert_issued_pdf(pdf, issued)
    assert "ngày 20 tháng 02 năm 2026" in text
    assert "07/GƯ-KTĐ6" not in text  # the register's number replaces the typed one
    assert verify_answer(client, issued, pdf) == "match"
    assert verify_answer(client, issued, pdf + b"% edited\n") == "mismatch"


def test_without_a_conference_date_it_is_dated_the_last_signature(
    client, bloc_year, signing, secretariat_user
):
    Covenant.objects.filter(pk=signing.pk).update(conference_date=None)
    signing.refresh_from_db()
    sign_everyone(signing, secretariat_user)
    last = signing.signatures.order_by("-signed_at").first().signed_at
    download(client, secretariat_user, bloc_year)
    assert RegisterEntry.objects.get().issued_on == timezone.localdate(last)


def test_the_issued_covenant_is_cached_then_rebuilt_when_its_content_changes(
    client, bloc_year, signing, secretariat_user, member_leader, board_user
):
    sign_everyone(signing, secretariat_user)
    first = download(client, member_leader, bloc_year)
    assert download(client, board_user, bloc_year) == first  # cached: the same bytes
    old = IssuedDocument.objects.get()
    Agency.objects.filter(pk=bloc_year.chair.pk).update(name="Sở Văn hóa, Thể thao và Du lịch")
    rebuilt = download(client, member_leader, bloc_year)
    assert rebuilt != first
    assert "Sở Văn hóa, Thể thao và Du lịch" in text_of(rebuilt)
    new = IssuedDocument.objects.exclude(pk=old.pk).get()
    assert new.entry_id == old.entry_id  # the same number
    assert_issued_pdf(rebuilt, new)
    assert is_superseded(client, old)
    assert not is_superseded(client, new)
    assert verify_answer(client, old, first) == "match"  # an old printout still verifies


def test_a_reopened_covenant_is_a_draft_again(
    client, bloc_year, signing, secretariat_user, board_user
):
    sign_everyone(signing, secretariat_user)
    download(client, secretariat_user, bloc_year)
    services.covenant_reopen(covenant=signing, actor=secretariat_user, reason="Sửa nội dung")
    text = text_of(download(client, secretariat_user, bloc_year))
    assert "Văn bản số" not in text
    assert IssuedDocument.objects.count() == 1


# A typed number that is not a register number -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("01/GƯ-KTĐ6", ("01", "GƯ-KTĐ6")),
        (" 12 / GƯ-KTĐ6 ", ("12", "GƯ-KTĐ6")),
        ("01a/GƯ-KTĐ6", ("", "GƯ-KTĐ6")),
        ("I/GƯ-KTĐ6", ("", "GƯ-KTĐ6")),
        ("GƯ-KTĐ6", ("", "GƯ-KTĐ6")),
        ("01/", ("", "01/")),
        ("", ("", "")),
    ],
)
def test_typed_numbers_split_into_a_register_number_and_a_symbol(typed, expected):
    assert typed_number(typed) == expected


def test_a_non_numeric_prefix_leaves_the_number_blank_instead_of_failing(bloc_year):
    covenant = bloc_year.covenant
    covenant.number = "01a/GƯ-KTĐ6"
    covenant.save()
    text = text_of(covenant_pdf(bloc_year))
    assert "/GƯ-KTĐ6" in text
    assert "01a" not in text


def test_the_page_shows_the_registers_number_once_issued(
    client, bloc_year, signing, secretariat_user, member_leader
):
    """One number for one document: the page quotes what the PDF prints."""
    sign_everyone(signing, secretariat_user)
    page = reverse("covenants:detail", args=[bloc_year.bloc_id, bloc_year.year])
    client.force_login(member_leader)
    assert "07/GƯ-KTĐ6" in client.get(page).content.decode()
    download(client, member_leader, bloc_year)
    html = client.get(page).content.decode()
    assert f"01/GƯ-KTĐ{bloc_year.bloc.number}" in html
    assert "07/GƯ-KTĐ6" not in html
