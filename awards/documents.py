"""What the conference's documents share: who reads them, who issues and
signs them, their numbers and file names, the proposals in document order.

The documents themselves are one module each:

- :mod:`.documents_minutes`: the minutes of the meeting with the ballot
  results (BIÊN BẢN HỌP BÌNH XÉT THI ĐUA VÀ KẾT QUẢ BỎ PHIẾU) and the
  counting committee's minutes (BIÊN BẢN KIỂM PHIẾU);
- :mod:`.documents_submission`: the submission to the provincial chairman
  with its list of proposed units (TỜ TRÌNH + DANH SÁCH);
- :mod:`.documents_report`: the year-end summary report (BÁO CÁO TỔNG KẾT),
  whose texts :func:`summary_report_save` (here) writes with the documents'
  numbers;
- :mod:`.documents_achievement`: each nominee's achievement report.

Bloc documents are issued under the chair agency's name (domain.md §5.2:
the bloc has no seal), with the bloc named on the line above it, and
signed by the chair agency's head for the bloc. Like every official
document of the project they are Vietnamese whatever the reader's
language, so their words are written here in Vietnamese rather than taken
from the page's translations.

Who reads them: the secretariat and the board at any time (a document of
a conference whose results are not confirmed yet carries "DỰ THẢO"), the
bloc's members once the results are confirmed: before that the minutes
would publish a result the secretariat may still correct.

The report's texts and the numbers may change until the proposals are
submitted: after that the province has the dossier, and a dossier the
board returns for correction opens them again. A closed year is read-only.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs import permissions as bloc_permissions
from blocs.models import Membership, StageChange
from blocs.stages import STAGE_ORDER, Stage
from config.pdf import ascii_filename
from covenants.documents import issuer_lines, place_name
from members import audit
from members.models import AgencyRole, User

from . import core
from .documents_reads import shared, sharing
from .models import AwardKind, AwardProposal, Conference, ConferenceStatus
from .permissions import is_secretariat
from .selectors import current_memberships as _members

__all__ = [
    "AWARD_WORDS",
    "NUMBER_FIELDS",
    "REPORT_FIELDS",
    "TEXT_FIELDS",
    "can_edit_report",
    "can_view_documents",
    "chair_signer",
    "conference_for_documents",
    "current_memberships",
    "document_filename",
    "issuer",
    "leader_name",
    "leaders_read_ahead",
    "number_parts",
    "place",
    "proposals_in_order",
    "submitted_on",
    "summary_report_save",
]

#: The awards as the documents name them.
AWARD_WORDS = {
    AwardKind.FLAG: "Cờ thi đua của UBND tỉnh",
    AwardKind.CERTIFICATE: "Bằng khen của Chủ tịch UBND tỉnh",
}


def conference_for_documents(bloc_year) -> Conference | None:
    """The year's conference with what every document prints, or None."""
    return (
        Conference.objects.select_related("next_chair", "next_vice_chair")
        .filter(bloc_year=bloc_year)
        .first()
    )


def can_view_documents(user, bloc_year, conference: Conference | None) -> bool:
    """The secretariat and the board always; members once results are confirmed."""
    if conference is None:
        return False
    # The board first: a test on the user, where the secretariat may read the year's
    # delegations (a query the board, who opens these pages most, never needs).
    if bloc_permissions.is_board_for(user, bloc_year.bloc.province_id) or is_secretariat(
        user, bloc_year
    ):
        return True
    return conference.status == ConferenceStatus.CONFIRMED and bloc_permissions.is_member_user(
        user, bloc_year
    )


def issuer(bloc_year) -> tuple[str, str]:
    """The bloc's line and the chair agency (Decree 30 cell 2).

    Without a chair (never the case once a year is set up) the bloc issues
    under the province, as the mid-year minutes do.
    """
    superior, bloc_line = issuer_lines(bloc_year)
    chair = bloc_year.chair
    if chair is None:
        return superior, bloc_line
    return bloc_line, chair.name.upper()


def number_parts(value: str, doc_code: str, bloc_year) -> tuple[str, str]:
    """The register number and symbol of "05/BB-KTĐ6" for ``doc_number``.

    An empty field gives a blank number and the default symbol
    ("BB-KTĐ6"), to be completed by hand; a number that is not a register
    number ("05a") is left blank too, with the symbol kept.
    """
    value = (value or "").strip()
    default_symbol = f"{doc_code}-KTĐ{bloc_year.bloc.number}"
    if not value:
        return "", default_symbol
    number, slash, symbol = value.partition("/")
    number, symbol = number.strip(), symbol.strip()
    if not slash:
        return "", value
    return (number if number.isdigit() else ""), (symbol or default_symbol)


def current_memberships(bloc_year) -> list[Membership]:
    """The year's current members with their agencies, in Vietnamese name order
    (:func:`awards.selectors.current_memberships`), read once per dossier build."""
    return shared(("current_memberships", bloc_year.pk), lambda: _members(bloc_year))


def leader_name(agency) -> str:
    """The agency's head (its first active leader), "" when it has none on record."""
    if agency is None:
        return ""

    def read():
        leader = (
            User.objects.filter(agency=agency, agency_role=AgencyRole.LEADER, is_active=True)
            .order_by("pk")
            .first()
        )
        return leader.full_name if leader else ""

    return shared(("leader_name", agency.pk), read)


def leaders_read_ahead(agencies) -> None:
    """Inside :func:`.documents_reads.shared_reads`: the head of every one of
    ``agencies`` in one query, for :func:`leader_name` (the dossier's chair and each
    nominee sign a document: one read, not one per nominee)."""
    if not sharing():
        return
    ids = {agency.pk for agency in agencies if agency is not None}
    names: dict[int, str] = {}
    leaders = User.objects.filter(
        agency_id__in=ids, agency_role=AgencyRole.LEADER, is_active=True
    ).order_by("agency_id", "pk")
    for agency_id, full_name in leaders.values_list("agency_id", "full_name"):
        names.setdefault(agency_id, full_name)
    for pk in ids:
        shared(("leader_name", pk), lambda pk=pk: names.get(pk, ""))


def chair_signer(bloc_year) -> dict:
    """The chair agency's head signs for the bloc (name blank if none on record)."""
    return {
        "authority": f"TM. {bloc_year.bloc.name.upper()}",
        "position": "KHỐI TRƯỞNG",
        "name": leader_name(bloc_year.chair),
    }


def proposals_in_order(bloc_year) -> list[AwardProposal]:
    """Flag nominees first, then certificates, each in the conference's order."""

    def read():
        proposals = AwardProposal.objects.filter(bloc_year=bloc_year).select_related("agency")
        return sorted(proposals, key=lambda p: (p.award != AwardKind.FLAG, p.order, p.pk))

    return list(shared(("proposals", bloc_year.pk), read))


def submitted_on(bloc_year):
    """When the proposals last went to the province, or None."""

    def read():
        change = (
            StageChange.objects.filter(bloc_year=bloc_year, to_stage=Stage.SUBMITTED)
            .order_by("-at", "-pk")
            .first()
        )
        return change.at if change else None

    return shared(("submitted_on", bloc_year.pk), read)


def document_filename(words: str, bloc_year) -> str:
    """An ASCII file name: "bien-ban-kiem-phieu-khoi-thi-dua-so-6-2026.pdf"."""
    return ascii_filename(f"{words} {bloc_year.bloc.name} {bloc_year.year}.pdf")


def place(bloc_year) -> str:
    """ "Quảng Ngãi" for the place–date line."""
    return place_name(bloc_year.bloc.province)


# The summary report's texts and the documents' numbers -------------------------------

TEXT_FIELDS = ("achievements", "limitations", "lessons", "directions")
NUMBER_FIELDS = ("minutes_number", "counting_number", "submission_number", "report_number")
REPORT_FIELDS = TEXT_FIELDS + NUMBER_FIELDS


def _before_submission(bloc_year) -> bool:
    return STAGE_ORDER.index(Stage(bloc_year.stage)) <= STAGE_ORDER.index(Stage.CONFERENCE)


def can_edit_report(user, bloc_year) -> bool:
    """The secretariat, until the proposals are submitted (never once closed)."""
    return (
        not bloc_year.is_read_only
        and _before_submission(bloc_year)
        and is_secretariat(user, bloc_year)
    )


def _number_errors(conference: Conference) -> dict:
    errors = {}
    for field in NUMBER_FIELDS:
        value = getattr(conference, field)
        if not value:
            continue
        number, slash, symbol = value.partition("/")
        if not slash or not symbol.strip() or (number.strip() and not number.strip().isdigit()):
            errors[field] = _(
                "Write the number and symbol as 05/BB-KTĐ6, or /BB-KTĐ6 while the number "
                "is not known."
            )
    return errors


@audit.service
@transaction.atomic
def summary_report_save(*, bloc_year, actor, data: dict) -> Conference:
    """Save the report's texts and the documents' numbers (``data`` holds
    some of :data:`REPORT_FIELDS`); the conference record is created if the
    secretariat starts here."""
    bloc_year = core.lock_year(bloc_year)
    if bloc_year.is_read_only:
        raise PermissionDenied(_("The year is closed: its records are read-only."))
    if not is_secretariat(actor, bloc_year):
        raise PermissionDenied(_("Only the secretariat writes the summary report."))
    if not _before_submission(bloc_year):
        raise ValidationError(
            _(
                "The proposals have been submitted: the report and the document numbers "
                "can no longer change."
            ),
            code="submitted",
        )
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"not a report field: {', '.join(sorted(unknown))}")
    conference = Conference.objects.select_for_update().filter(
        bloc_year=bloc_year
    ).first() or Conference(bloc_year=bloc_year)
    before = {field: getattr(conference, field) for field in REPORT_FIELDS}
    for field, value in data.items():
        setattr(conference, field, (value or "").strip())
    if errors := _number_errors(conference):
        raise ValidationError(errors)
    conference.full_clean()
    conference.save()
    changed = [field for field in REPORT_FIELDS if getattr(conference, field) != before[field]]
    if changed:
        core.record(
            bloc_year,
            "report_saved",
            actor=actor,
            note=", ".join(str(Conference._meta.get_field(f).verbose_name) for f in changed),
        )
    return conference


def document_links(user, bloc_year, conference: Conference | None) -> dict:
    """What the conference pages need to offer the documents: the PDFs to
    whoever may read them, the summary-report form to the secretariat."""
    from .dossier import can_download_dossier  # dossier builds on this module

    confirmed = conference is not None and conference.status == ConferenceStatus.CONFIRMED
    return {
        "can_view_documents": can_view_documents(user, bloc_year, conference),
        "can_edit_report": can_edit_report(user, bloc_year),
        "can_download_dossier": confirmed and can_download_dossier(user, bloc_year),
    }
