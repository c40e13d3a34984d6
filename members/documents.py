"""Numbered, fingerprinted, cached official documents (domain rule 30).

:func:`issue_pdf` is the one way a generated document becomes an *issued* one:

1. its number comes from the issuing agency's register for the year (:func:`register`):
   the next free number under a lock on the agency row, or the number the same document
   (same ``key``) already holds, so a rebuilt document keeps its number;
2. its ``content_key`` is the SHA-256 of the HTML the template produces with the number
   but *without* the verification block (whose token changes with every build): same data,
   same key, and the stored PDF is returned without rendering (the cache), after two
   plain reads, without taking the register's locks;
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
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import audit
from .models import Agency
from .models_documents import DocType, IssuedDocument, RegisterEntry

__all__ = [
    "absolute_verify_url",
    "current_issue",
    "file_sha256",
    "issue_pdf",
    "qr_svg",
    "register",
    "template_html",
    "verify_upload",
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


def file_sha256(file) -> str:
    """SHA-256 of an uploaded file, read in chunks (a scanned dossier can be large)."""
    digest = hashlib.sha256()
    if hasattr(file, "chunks"):
        for chunk in file.chunks():
            digest.update(chunk)
    else:
        digest.update(file.read())
    return digest.hexdigest()


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

    The agency row is locked first, so two documents registered at once by the agency
    (on PostgreSQL) cannot take the same number; SQLite serialises the writes anyway, and
    the unique constraint is the last guard. A held number keeps its number but follows
    the document's current title and date.

    A line already holding this title and date is returned after one plain read: there
    is nothing to write, so nothing to lock (every download of an issued document asks).
    """
    _check_actor(actor)
    if doc_type not in DocType.values:
        raise ValueError(f"unknown document type {doc_type!r}")
    held = (
        RegisterEntry.objects.filter(agency=agency, year=year, doc_type=doc_type, key=key)
        .select_related("agency")
        .first()
    )
    if held is not None and held.title == title and held.issued_on == issued_on:
        return held
    return _register_locked(
        agency=agency,
        year=year,
        doc_type=doc_type,
        key=key,
        title=title,
        issued_on=issued_on,
        actor=actor,
        issuer_code=issuer_code,
    )


@audit.service
@transaction.atomic
def _register_locked(*, agency, year, doc_type, key, title, issued_on, actor, issuer_code):
    """:func:`register`'s write: a new line, or the held line's new title or date."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    entry = (
        RegisterEntry.objects.select_for_update()
        .filter(agency=agency, year=year, doc_type=doc_type, key=key)
        .first()
    )
    if entry is not None:
        changed = [
            field
            for field, value in (("title", title), ("issued_on", issued_on))
            if getattr(entry, field) != value
        ]
        for field in changed:
            setattr(entry, field, title if field == "title" else issued_on)
        if changed:
            entry.save(update_fields=changed)
        return entry
    last = RegisterEntry.objects.filter(agency=agency, year=year).aggregate(last=Max("number"))
    entry = RegisterEntry(
        agency=agency,
        year=year,
        number=(last["last"] or 0) + 1,
        doc_type=doc_type,
        key=key,
        symbol=_symbol(doc_type, agency, issuer_code),
        title=title[:300],
        issued_on=issued_on,
        created_by=actor,
    )
    entry.full_clean()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # another process took the number first: never reuse one
        logger.warning("register number %s/%s taken concurrently", entry.number, year)
        raise
    return entry


def current_issue(entry: RegisterEntry) -> IssuedDocument | None:
    """The latest build of a registered document, or None if never built."""
    return entry.issues.order_by("-created_at", "-pk").first()


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
) -> IssuedDocument:
    """The issued PDF of a document, rendered only when its content changed.

    ``template`` (a document template's name) is the usual way: the cache key is the
    hash of the HTML the template renders, and the PDF prints that very HTML with the
    verification block added (:func:`config.pdf.with_verification`), so the template is
    rendered once per build. Otherwise ``render`` turns a context into PDF bytes and
    ``html`` (e.g. :func:`template_html`) into the HTML whose hash is the key; without
    ``html`` the context's ``repr`` is hashed, which is only safe for plain values. The
    register's ``number`` and ``symbol`` replace those of the context.

    An unchanged document (its register line already holds this title and date, and
    its latest build this content key) is returned after two plain reads, without the
    register's locks: the common case, as every download of the dossier checks every
    document. A changed one is checked again under the register line's lock, so two
    readers of a changed document build it once.
    """
    _check_actor(actor)
    if (template is None) == (render is None):
        raise TypeError("issue_pdf needs either a template or a render function")
    if template is not None:
        from config.pdf import render_html

        def html(ctx):
            return render_html(template, ctx)

    def source_of(numbered: dict) -> str:
        return html(numbered) if html else repr(sorted(numbered.items(), key=lambda i: i[0]))

    held = register(
        agency=agency,
        year=year,
        doc_type=doc_type,
        key=key,
        title=title,
        issued_on=issued_on,
        actor=actor,
        issuer_code=issuer_code,
    )
    source = source_of(_numbered(context, held))
    cached = current_issue(held)
    if cached is not None and cached.content_key == _content_key(source):
        cached.entry = held
        return cached
    with transaction.atomic():
        # The entry's lock makes two readers of a changed document build it once.
        entry = RegisterEntry.objects.select_for_update().select_related("agency").get(pk=held.pk)
        numbered = _numbered(context, entry)
        content_key = _content_key(source)
        cached = current_issue(entry)
        if cached is not None and cached.content_key == content_key:
            return cached
        issued = IssuedDocument(entry=entry, content_key=content_key)
        url = absolute_verify_url(issued.token)
        verification = {
            "url": url,
            "number": entry.number_symbol,
            "qr_svg": qr_svg(url),
            "issued_on": entry.issued_on,
            "issuer": entry.agency.name,
        }
        if template is not None:
            from config.pdf import html_to_pdf, with_verification

            # Stored below: the in-memory cache would only hold a second copy.
            content = html_to_pdf(
                with_verification(source, verification), name=template, use_cache=False
            )
        else:
            content = render({**numbered, "verification": verification})
        issued.sha256 = hashlib.sha256(content).hexdigest()
        issued.size = len(content)
        issued.file.save(f"{issued.token}.pdf", ContentFile(content), save=False)
        issued.save()
    return issued


def verify_upload(issued: IssuedDocument, file) -> bool:
    """Whether the uploaded file is byte for byte the issued PDF (same SHA-256)."""
    return file_sha256(file) == issued.sha256
