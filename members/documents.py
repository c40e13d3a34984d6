"""Numbered, fingerprinted, cached official documents (domain rule 30).

:func:`issue_pdf` is the one way a generated document becomes an *issued* one:

1. its number comes from the issuing agency's register for the year (:func:`register`):
   the next free number under a lock on the agency row, or the number the same document
   (same ``key``) already holds, so a rebuilt document keeps its number;
2. its ``content_key`` is the SHA-256 of the HTML the template produces with the number
   but *without* the verification block (whose token changes with every build): same data,
   same key, and the stored PDF is returned without rendering (the cache), after one
   plain read (the register line with its latest build), without taking any lock;
3. otherwise that same HTML is printed with the verification block (the public URL, the
   number and the QR code as inline SVG) added, stored in the private storage and
   fingerprinted.

:func:`verify_upload` answers the public verification page: does this file have the
fingerprint of that issued document? The upload is hashed in chunks and never stored.

The register is below every other app (``members``), so it records its own trail: who
registered the number and when (:class:`RegisterEntry`), and every build kept with its
date (:class:`IssuedDocument`). Who may issue a document is for the caller to decide
(e.g. who may read the conference's minutes); here the actor must be an active user.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import audit
from .documents_ahead import builds_read_ahead, read_ahead
from .models import Agency
from .models_documents import DocType, IssuedDocument, RegisterEntry

__all__ = [
    "absolute_verify_url",
    "builds_read_ahead",
    "current_issue",
    "issue_pdf",
    "qr_svg",
    "register",
    "template_html",
]

logger = logging.getLogger(__name__)

#: The documents are Vietnamese whatever the reader's language (config.pdf).
DOCUMENT_LANGUAGE = "vi"


def absolute_verify_url(token) -> str:
    """The verification page's full address: a printed QR code has no request to ask."""
    return settings.SITE_URL + reverse("verify_document", kwargs={"token": token})


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline ``<svg>`` element.

    Inline, because the PDF renderer refuses ``data:`` URLs (config.pdf.url_fetcher).
    Level M survives a smudged printout; no XML declaration, so it sits in the HTML.
    """
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=2, border=2, omitsize=True)


def template_html(template_name: str) -> Callable[[dict], str]:
    """The HTML a document template renders to, in the documents' language.

    ``issue_pdf`` hashes it to decide whether the stored PDF is still current.
    """

    def html(context: dict) -> str:
        with translation.override(DOCUMENT_LANGUAGE):
            return render_to_string(template_name, context)

    return html


def _check_actor(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Only a signed-in user can issue a document."))


def _symbol(doc_type: str, agency: Agency, issuer_code: str | None) -> str:
    """ "BB-KTĐ6" or "TTr-SYT": the type, then the issuer's code (the agency's by default)."""
    return f"{doc_type}-{issuer_code or agency.code.upper()}"


@audit.service
def register(
    *,
    agency: Agency,
    year: int,
    doc_type: str,
    key: str,
    title: str,
    issued_on: date,
    actor,
    issuer_code: str | None = None,
) -> RegisterEntry:
    """The register line of the document ``key``: the one it holds, or the next number.

    A line already holding this title and date is returned after one plain read: there
    is nothing to write, so nothing to lock (every download of an issued document asks).
    Otherwise the line is written under the agency's lock (:func:`_entry_locked`).
    """
    _check_actor(actor)
    _check_doc_type(doc_type)
    line = _Line(agency, year, doc_type, key, title, issued_on, actor, issuer_code)
    held = _entry_read_ahead(line) or (
        RegisterEntry.objects.filter(agency=agency, year=year, doc_type=doc_type, key=key)
        .select_related("agency")
        .first()
    )
    if held is not None and held.title == title and held.issued_on == issued_on:
        return held
    with _write():
        return _entry_locked(line)[0]


def _check_doc_type(doc_type: str) -> None:
    if doc_type not in DocType.values:
        raise ValueError(f"unknown document type {doc_type!r}")


@dataclass(frozen=True)
class _Line:
    """What a register line is asked to hold (:func:`register`'s arguments)."""

    agency: Agency
    year: int
    doc_type: str
    key: str
    title: str
    issued_on: date
    actor: object
    issuer_code: str | None


def _write():
    """The transaction of a register write or a build.

    Without a savepoint of its own: a write that fails (a number taken concurrently, a
    renderer that fails) fails the request, so there is nothing to go back to inside
    an outer transaction; outside one (a download: no ATOMIC_REQUESTS) it is the
    transaction. A savepoint would only add two statements to every first issue.
    """
    return transaction.atomic(savepoint=False)


def _entry_locked(line: _Line) -> tuple[RegisterEntry, bool]:
    """:func:`register`'s write, inside :func:`_write`: the held line (its new title or
    date saved), or a new line with the next number; and whether it is new.

    The agency row is locked first, so two documents registered at once by the agency
    (on PostgreSQL) cannot take the same number; SQLite serialises the writes anyway, and
    the unique constraints are the last guard. Under the lock, one read gives both the
    year's last number and the line the document may already hold.
    """
    agency = line.agency
    Agency.objects.select_for_update().only("pk").get(pk=agency.pk)
    found = RegisterEntry.objects.filter(agency=agency, year=line.year).aggregate(
        last=Max("number"), held=Max("pk", filter=Q(doc_type=line.doc_type, key=line.key))
    )
    if found["held"] is not None:
        entry = RegisterEntry.objects.select_for_update().get(pk=found["held"])
        entry.agency = agency
        changed = [
            field
            for field, value in (("title", line.title), ("issued_on", line.issued_on))
            if getattr(entry, field) != value
        ]
        for field in changed:
            setattr(entry, field, getattr(line, field))
        if changed:
            entry.save(update_fields=changed)
        return entry, False
    entry = RegisterEntry(
        agency=agency,
        year=line.year,
        number=(found["last"] or 0) + 1,
        doc_type=line.doc_type,
        key=line.key,
        symbol=_symbol(line.doc_type, agency, line.issuer_code),
        title=line.title[:300],
        issued_on=line.issued_on,
        created_by=line.actor,
    )
    # The fields' own checks only: the agency is the row just locked and the actor the
    # signed-in user (no existence query for either); the number is the year's next
    # under that lock and the key held no line, which the unique constraints guard; the
    # type was checked first, and the number is at least 1.
    entry.full_clean(
        exclude=["agency", "created_by"], validate_unique=False, validate_constraints=False
    )
    try:
        entry.save()
    except IntegrityError:  # another process took the number first: never reuse one
        logger.warning("register number %s/%s taken concurrently", entry.number, line.year)
        raise
    return entry, True


def current_issue(entry: RegisterEntry) -> IssuedDocument | None:
    """The latest build of a registered document, or None if never built."""
    return entry.issues.order_by("-created_at", "-pk").first()


def _entry_read_ahead(line: _Line) -> RegisterEntry | None:
    """The line of a document whose latest build was read ahead and not used yet (the
    dossier registers the minutes, which the submission quotes, before issuing them)."""
    _known, build = read_ahead(line.agency.pk, line.year, line.doc_type, line.key, use=False)
    if build is None:
        return None
    build.entry.agency = line.agency
    return build.entry


def _latest_build(line: _Line) -> IssuedDocument | None:
    """The document's latest build with its register line, in one read (None when it
    has no line or was never built), or read ahead (:func:`builds_read_ahead`)."""
    known, latest = read_ahead(line.agency.pk, line.year, line.doc_type, line.key, use=True)
    if not known:
        latest = (
            IssuedDocument.objects.filter(
                entry__agency=line.agency,
                entry__year=line.year,
                entry__doc_type=line.doc_type,
                entry__key=line.key,
            )
            .select_related("entry")
            .order_by("-created_at", "-pk")
            .first()
        )
    if latest is not None:
        latest.entry.agency = line.agency
    return latest


def _numbered(context: dict, entry: RegisterEntry) -> dict:
    return {**context, "number": entry.number, "symbol": entry.symbol}


def _content_key(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


@audit.service
def issue_pdf(
    *,
    agency: Agency,
    year: int,
    doc_type: str,
    key: str,
    title: str,
    issued_on: date,
    context: dict,
    actor,
    template: str | None = None,
    render: Callable[[dict], bytes] | None = None,
    html: Callable[[dict], str] | None = None,
    issuer_code: str | None = None,
    numbered: Callable[[dict, RegisterEntry], dict] | None = None,
) -> IssuedDocument:
    """The issued PDF of a document, rendered only when its content changed.

    ``template`` (a document template's name) is the usual way: the cache key is the
    hash of the HTML the template renders, and the PDF prints that very HTML with the
    verification block added (:func:`config.pdf.with_verification`), so the template is
    rendered once per build. Otherwise ``render`` turns a context into PDF bytes and
    ``html`` (e.g. :func:`template_html`) into the HTML whose hash is the key; without
    ``html`` the context's ``repr`` is hashed, which is only safe for plain values. The
    register's ``number`` and ``symbol`` replace those of the context; ``numbered``, if
    given, then adds what else the document prints from its own register line (the
    submission quotes its number again).

    An unchanged document (its register line already holds this title and date, and
    its latest build this content key) is returned after one plain read (the line and
    its latest build together), without the register's locks: the common case, as
    every download of the dossier checks every document. A changed one is built under a
    lock (the register line's; the agency's when the line is new or changes), so two
    readers of a changed document build it once. A new line is numbered and built in
    one transaction: the number is never taken without its document.
    """
    _check_actor(actor)
    _check_doc_type(doc_type)
    if (template is None) == (render is None):
        raise TypeError("issue_pdf needs either a template or a render function")
    build = _Build(template, render, html, numbered, context)
    line = _Line(agency, year, doc_type, key, title, issued_on, actor, issuer_code)
    latest = _latest_build(line)
    entry = latest.entry if latest is not None else None
    if entry is None or entry.title != title or entry.issued_on != issued_on:
        return _issue_locked(line, build)
    source = build.source(entry)
    if latest.content_key == _content_key(source):
        return latest
    with _write():
        # The line's lock makes two readers of a changed document build it once.
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        entry.agency = agency
        return _current_or_built(entry, source, build)


def _issue_locked(line: _Line, build: _Build) -> IssuedDocument:
    """A document whose register line is new, or changes, or was never built: the line
    written under the agency's lock, then the PDF built unless a build of this content
    is already there (another reader's)."""
    with _write():
        entry, new = _entry_locked(line)
        source = build.source(entry)
        if new:
            return _built(entry, source, build)
        return _current_or_built(entry, source, build)


def _current_or_built(entry, source: str, build: _Build) -> IssuedDocument:
    cached = current_issue(entry)
    if cached is not None and cached.content_key == _content_key(source):
        cached.entry = entry
        return cached
    return _built(entry, source, build)


@dataclass(frozen=True)
class _Build:
    """How a document becomes HTML (its cache key's source) and PDF bytes."""

    template: str | None
    render: Callable[[dict], bytes] | None
    html: Callable[[dict], str] | None
    numbered: Callable[[dict, RegisterEntry], dict] | None
    context: dict

    def context_for(self, entry: RegisterEntry) -> dict:
        context = _numbered(self.context, entry)
        return self.numbered(context, entry) if self.numbered else context

    def source(self, entry: RegisterEntry) -> str:
        context = self.context_for(entry)
        if self.template is not None:
            from config.pdf import render_html

            return render_html(self.template, context)
        if self.html is not None:
            return self.html(context)
        return repr(sorted(context.items(), key=lambda i: i[0]))


def _built(entry: RegisterEntry, source: str, build: _Build) -> IssuedDocument:
    """A new build of ``entry`` (inside the transaction holding its lock): printed,
    stored and fingerprinted."""
    issued = IssuedDocument(entry=entry, content_key=_content_key(source))
    url = absolute_verify_url(issued.token)
    verification = {
        "url": url,
        "number": entry.number_symbol,
        "qr_svg": qr_svg(url),
        "issued_on": entry.issued_on,
        "issuer": entry.agency.name,
    }
    if build.template is not None:
        from config.pdf import html_to_pdf, with_verification

        # Stored below: the in-memory cache would only hold a second copy.
        content = html_to_pdf(
            with_verification(source, verification), name=build.template, use_cache=False
        )
    else:
        content = build.render({**build.context_for(entry), "verification": verification})
    issued.sha256 = hashlib.sha256(content).hexdigest()
    issued.size = len(content)
    issued.file.save(f"{issued.token}.pdf", ContentFile(content), save=False)
    issued.save()
    return issued
