"""Checking a file someone holds against the issued PDF (the verification page).

The board or a citizen uploads the PDF they were given; it is the issued one when its
SHA-256 is the one stored at issue (:mod:`members.documents`).
"""

import hashlib

from .models_documents import IssuedDocument

__all__ = ["file_sha256", "verify_upload"]


def file_sha256(file) -> str:
    """SHA-256 of an uploaded file, read in chunks (a scanned dossier can be large)."""
    digest = hashlib.sha256()
    if hasattr(file, "chunks"):
        for chunk in file.chunks():
            digest.update(chunk)
    else:
        digest.update(file.read())
    return digest.hexdigest()


def verify_upload(issued: IssuedDocument, file) -> bool:
    """Whether the uploaded file is byte for byte the issued PDF (same SHA-256)."""
    return file_sha256(file) == issued.sha256
