"""The public verification page: anyone with the QR code sees the register's facts about
the document (and nothing else) and can check a file against its fingerprint; the upload
is never kept; unknown tokens are a 404."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.documents import issue_pdf
from members.models import DocType, IssuedDocument
from tests.members.factories import AgencyFactory, UserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def render(context):
    return f"%PDF-1.7 {context['body']} {context['verification']['number']}".encode()


def issue(agency, body="Nội dung", key="blocyear:3:minutes"):
    return issue_pdf(
        agency=agency,
        year=2026,
        doc_type=DocType.MINUTES,
        key=key,
        title="Biên bản họp bình xét thi đua năm 2026",
        issued_on=datetime.date(2026, 12, 18),
        render=render,
        html=lambda context: context["body"],
        context={"body": body, "secret_votes": "7/9 phiếu"},
        actor=UserFactory(),
        issuer_code="KTĐ6",
    )


@pytest.fixture
def issued(db):
    return issue(AgencyFactory(name="Sở Văn hóa, Thể thao và Du lịch", code="svhttdl"))


def url(issued):
    return reverse("verify_document", kwargs={"token": issued.token})


def test_anyone_sees_title_number_date_issuer_and_fingerprint_in_vietnamese(client, issued):
    response = client.get(url(issued))
    assert response.status_code == 200
    page = response.content.decode()
    assert vi("Document verification") in page
    assert "Biên bản họp bình xét thi đua năm 2026" in page
    assert "01/BB-KTĐ6" in page
    assert "18/12/2026" in page
    assert "Sở Văn hóa, Thể thao và Du lịch" in page
    assert issued.sha256 in page
    assert f">{issued.size} " in page
    # Nothing of the document's content, nor the cache key.
    assert "7/9" not in page
    assert issued.content_key not in page


def test_the_issued_file_matches(client, issued):
    upload = SimpleUploadedFile("bien-ban.pdf", issued.read_bytes(), "application/pdf")
    response = client.post(url(issued), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-result="match"' in page
    assert vi("This file matches: it is exactly the document issued under this number.") in page
    assert IssuedDocument.objects.count() == 1


def test_a_modified_file_does_not_match(client, issued):
    content = issued.read_bytes().replace(b"KT", b"KX")
    upload = SimpleUploadedFile("bien-ban.pdf", content, "application/pdf")
    page = client.post(url(issued), {"file": upload}).content.decode()
    assert 'data-result="mismatch"' in page
    assert 'data-result="match"' not in page


def test_no_file_is_an_error_next_to_the_field(client, issued):
    response = client.post(url(issued), {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "data-result" not in response.content.decode()


def test_an_unknown_token_is_not_found(client, issued):
    response = client.get(reverse("verify_document", kwargs={"token": uuid.uuid4()}))
    assert response.status_code == 404
    assert client.get("/verify/not-a-token/").status_code == 404


def test_a_replaced_build_still_verifies_and_says_it_was_replaced(client, issued):
    newer = issue(issued.entry.agency, body="Nội dung đã sửa")
    assert newer.entry_id == issued.entry_id
    page = client.get(url(issued)).content.decode()
    assert "alert-warning" in page
    assert "alert-warning" not in client.get(url(newer)).content.decode()
    upload = SimpleUploadedFile("old.pdf", issued.read_bytes(), "application/pdf")
    assert 'data-result="match"' in client.post(url(issued), {"file": upload}).content.decode()
