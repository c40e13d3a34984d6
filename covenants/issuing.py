"""Bloc documents issued under the chair agency's register (domain rule 30, §5.2).

The bloc has no seal: its documents are issued by the year's chair agency, numbered in
that agency's yearly register with the bloc as the issuer ("05/BB-KTĐ6"). Every bloc
document is keyed ``blocyear:<id>:<name>``, so a rebuilt document keeps its number.

These helpers live here, below ``awards``, so that the covenant, the mid-year minutes and
the score table (this app) and the conference's documents and the dossier
(:mod:`awards.dossier`) number their documents the same way, with the same key scheme,
in the same register. Issuing itself (numbering, fingerprint, QR code, the cache by
content hash) is :func:`members.documents.issue_pdf`; who may read a document is for the
caller to decide.
"""

from __future__ import annotations

from datetime import date

from members import audit
from members.documents import issue_pdf, register
from members.models import IssuedDocument, RegisterEntry

__all__ = [
    "bloc_document_key",
    "bloc_issuer_code",
    "issue_bloc_pdf",
    "register_bloc_document",
    "registered_number",
]


def bloc_issuer_code(bloc_year) -> str:
    """ "KTĐ6": the bloc, as the issuer part of its documents' symbols."""
    return f"KTĐ{bloc_year.bloc.number}"


def bloc_document_key(bloc_year, name: str) -> str:
    """ "blocyear:12:minutes": which bloc document a register line holds."""
    return f"blocyear:{bloc_year.pk}:{name}"


def registered_number(bloc_year, name: str) -> str:
    """ "03/GƯ-KTĐ6" once the document is in the chair's register, else "".

    Pages show this number rather than the one typed on the form: once issued, the
    register's number is the one printed on the PDF and on its verification page.
    """
    entry = (
        RegisterEntry.objects.filter(key=bloc_document_key(bloc_year, name))
        .only("number", "symbol")
        .first()
    )
    return entry.number_symbol if entry else ""


@audit.service
def register_bloc_document(
    bloc_year,
    name: str,
    *,
    doc_type: str,
    title: str,
    issued_on: date,
    actor,
    year: int | None = None,
) -> RegisterEntry:
    """The chair's register line of the bloc document ``name`` (taken once, then kept).

    ``year`` is the register's year, the document's date's year unless the caller keeps
    a document in the year it was first numbered (the conference's documents do).
    The caller makes sure the year has a chair.
    """
    return register(
        agency=bloc_year.chair,
        year=year or issued_on.year,
        doc_type=doc_type,
        key=bloc_document_key(bloc_year, name),
        title=title,
        issued_on=issued_on,
        actor=actor,
        issuer_code=bloc_issuer_code(bloc_year),
    )


@audit.service
def issue_bloc_pdf(
    bloc_year,
    name: str,
    *,
    doc_type: str,
    template: str,
    context: dict,
    issued_on: date,
    actor,
    year: int | None = None,
    numbered=None,
) -> IssuedDocument | None:
    """The issued PDF of the bloc document ``name``, rendered from ``template`` only when
    the HTML it produces changed; None when the year has no chair to issue it.

    The title is the context's ``title``; the register's number and symbol replace the
    context's, and the verification block (QR code, address) is added to the render;
    ``numbered`` adds what else the document prints from its own line
    (:func:`members.documents.issue_pdf`).
    """
    chair = bloc_year.chair
    if chair is None:
        return None
    return issue_pdf(
        agency=chair,
        year=year or issued_on.year,
        doc_type=doc_type,
        key=bloc_document_key(bloc_year, name),
        title=context["title"],
        issued_on=issued_on,
        template=template,
        context=context,
        actor=actor,
        issuer_code=bloc_issuer_code(bloc_year),
        numbered=numbered,
    )
