"""Checks shared by the tests of issued documents (domain rule 30): what the PDF says,
and what the public verification page answers about a file."""

import hashlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

__all__ = ["assert_issued_pdf", "is_superseded", "text_of", "verify_answer"]


def text_of(pdf: bytes) -> str:
    """The PDF's text with whitespace runs collapsed to single spaces."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def assert_issued_pdf(pdf: bytes, issued) -> str:
    """``pdf`` is the stored build of ``issued``: same bytes and SHA-256, the register's
    number in the header and in the verification block, the verification address (with
    the build's token) in the text. Returns the text."""
    assert pdf == issued.read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == issued.sha256
    text = text_of(pdf)
    number = issued.entry.number_symbol
    assert f"Số: {number}" in text
    assert f"Văn bản số: {number}" in text
    compact = text.replace(" ", "")
    assert issued.get_absolute_url() in compact
    assert str(issued.token) in compact
    return text


def verify_answer(client, issued, content: bytes) -> str:
    """ "match" or "mismatch": what the public page says about a copy."""
    url = reverse("verify_document", kwargs={"token": issued.token})
    upload = SimpleUploadedFile("copy.pdf", content, "application/pdf")
    page = client.post(url, {"file": upload}).content.decode()
    if 'data-result="match"' in page:
        return "match"
    assert 'data-result="mismatch"' in page
    return "mismatch"


def is_superseded(client, issued) -> bool:
    """Whether the public page of this build says a newer one replaced it."""
    url = reverse("verify_document", kwargs={"token": issued.token})
    return "alert-warning" in client.get(url).content.decode()
