"""The conference's issued documents: the bloc's own under the chair agency's register,
each nominee's achievement report under its own (domain rule 30).

Once the conference's results are confirmed, :func:`issue_document` and
:func:`issue_achievement` go through :func:`members.documents.issue_pdf`, so the number is
taken once and kept, the PDF is stored, fingerprinted, QR-coded and rebuilt only when its
content changes. Before confirmation the documents are drafts: the views render them
unnumbered and nothing is registered. :mod:`awards.dossier` packs them for the board.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from covenants.issuing import issue_bloc_pdf, register_bloc_document
from members.documents import issue_pdf
from members.models import DocType
from members.templatetags.documents import doc_number

from .documents import conference_for_documents, submitted_on
from .documents_achievement import achievement_context
from .documents_minutes import counting_context, minutes_context, minutes_title
from .documents_reads import shared_reads
from .documents_report import report_context
from .documents_submission import submission_context
from .models import AchievementReport, ConferenceStatus


@dataclass(frozen=True)
class BlocDocument:
    """One document the bloc issues under the chair agency's register."""

    name: str  # the key's last part: "blocyear:<id>:<name>"
    doc_type: str
    template: str
    context: Callable
    words: str  # the file name's words


DOCUMENTS = {
    doc.name: doc
    for doc in (
        BlocDocument(
            "minutes",
            DocType.MINUTES,
            "awards/pdf/minutes.html",
            minutes_context,
            "Biên bản họp bình xét thi đua",
        ),
        BlocDocument(
            "counting",
            DocType.MINUTES,
            "awards/pdf/counting.html",
            counting_context,
            "Biên bản kiểm phiếu",
        ),
        BlocDocument(
            "submission",
            DocType.SUBMISSION,
            "awards/pdf/submission.html",
            submission_context,
            "Tờ trình đề nghị khen thưởng",
        ),
        BlocDocument(
            "report",
            DocType.REPORT,
            "awards/pdf/summary_report.html",
            report_context,
            "Báo cáo tổng kết thi đua",
        ),
    )
}


def is_confirmed(conference) -> bool:
    return conference is not None and conference.status == ConferenceStatus.CONFIRMED


def register_year(conference) -> int:
    """The register's year is the conference's: a submission sent in January keeps the
    number it was given in December."""
    return (conference.held_on or timezone.localdate()).year


def _issued_on(name: str, bloc_year, conference):
    if name == "submission" and (sent := submitted_on(bloc_year)) is not None:
        return timezone.localdate(sent)
    return conference.held_on or timezone.localdate()


def _bloc_register(name: str, bloc_year, conference, actor, title: str):
    return register_bloc_document(
        bloc_year,
        name,
        doc_type=DOCUMENTS[name].doc_type,
        title=title,
        issued_on=_issued_on(name, bloc_year, conference),
        actor=actor,
        year=register_year(conference),
    )


def issue_document(name: str, bloc_year, actor, conference=None):
    """The issued PDF (:class:`members.models.IssuedDocument`) of one bloc document, or
    None while it is a draft (results not confirmed, or no chair to issue it).

    The caller checks who may read it (:func:`awards.documents.can_view_documents`).
    The submission quotes the minutes' and its own register numbers, so the minutes
    are registered first.
    """
    conference = conference or conference_for_documents(bloc_year)
    if not is_confirmed(conference) or bloc_year.chair is None:
        return None
    doc = DOCUMENTS[name]
    numbered = None
    with shared_reads():  # the submission's date is read by its context and its number
        context = doc.context(bloc_year, conference)
        if name == "submission":
            title = minutes_title(bloc_year)
            minutes = _bloc_register("minutes", bloc_year, conference, actor, title)
            context["minutes_number"] = minutes.number_symbol
            numbered = _quoting_own_number
        return issue_bloc_pdf(
            bloc_year,
            name,
            doc_type=doc.doc_type,
            template=doc.template,
            context=context,
            issued_on=_issued_on(name, bloc_year, conference),
            actor=actor,
            year=register_year(conference),
            numbered=numbered,
        )


def _quoting_own_number(context: dict, entry) -> dict:
    """The submission's list quotes the submission's own register number ("05/TTr-…"):
    added once the register line is known, inside the issuing (one register write, not
    a registration before it)."""
    reference = doc_number(entry.number, entry.symbol).removeprefix("Số:").lstrip(" ")
    return {**context, "reference_number": reference}


def issue_achievement(report: AchievementReport, actor, conference=None):
    """The issued achievement report, numbered in the nominee agency's register (the
    unit reports on itself), or None before the results are confirmed."""
    proposal = report.proposal
    bloc_year = proposal.bloc_year
    conference = conference or conference_for_documents(bloc_year)
    if not is_confirmed(conference):
        return None
    template = "awards/pdf/achievement.html"
    context = achievement_context(report)
    return issue_pdf(
        agency=proposal.agency,
        year=register_year(conference),
        doc_type=DocType.REPORT,
        key=achievement_key(bloc_year, proposal),
        title=context["title"],
        issued_on=conference.held_on or timezone.localdate(),
        template=template,
        context=context,
        actor=actor,
    )


def achievement_key(bloc_year, proposal) -> str:
    return f"blocyear:{bloc_year.pk}:achievement:{proposal.pk}"
