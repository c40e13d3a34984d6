"""Issued documents' latest builds read ahead, for a download issuing many at once.

:func:`members.documents.issue_pdf` checks a document with one read (its register line
and latest build). The dossier checks every document of a year, one per nominee among
them: inside :func:`builds_read_ahead` those reads are one query for all, whatever the
number of documents. The block is a download's: each document's read-ahead build
serves its first check only (after that it may have been built again), and the memory
is dropped when the block ends (a context variable: two requests never share it).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from .models_documents import IssuedDocument

__all__ = ["builds_read_ahead", "read_ahead"]

#: The keys read ahead and not used yet, and each line's latest build by
#: (agency id, year, type, key).
_ahead: ContextVar[tuple[set, dict] | None] = ContextVar("members_builds_ahead", default=None)


@contextmanager
def builds_read_ahead(keys: Iterable[str]):
    """Read the latest build of every document of ``keys`` (any agency's register) in
    one query, for the block."""
    keys = set(keys)
    builds = (
        IssuedDocument.objects.filter(entry__key__in=keys)
        .select_related("entry")
        .order_by("-created_at", "-pk")
    )
    latest = {}
    for build in builds:
        entry = build.entry
        latest.setdefault((entry.agency_id, entry.year, entry.doc_type, entry.key), build)
    token = _ahead.set((keys, latest))
    try:
        yield
    finally:
        _ahead.reset(token)


def read_ahead(agency_id: int, year: int, doc_type: str, key: str, *, use: bool):
    """``(known, build)``: whether the document's latest build was read ahead (and not
    used yet), and that build (None: the document was never built). ``use`` spends it:
    the document's next check reads again."""
    ahead = _ahead.get()
    if ahead is None or key not in ahead[0]:
        return False, None
    keys, builds = ahead
    if use:
        keys.discard(key)
    return True, builds.get((agency_id, year, doc_type, key))
