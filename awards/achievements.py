"""Every change of a nominee's achievement report goes through a function
here: drafted by the app from the unit's year, edited and uploaded as
signed by the unit, checked (or returned with the reason) by the
secretariat. The ``submit_proposals`` guard (:mod:`.guards`) then requires
every report checked.

Each service follows the recipe of :mod:`.core`: lock the bloc-year (the
stage machine locks it too, so a report cannot change while the proposals
are being submitted), lock the rows, check the permission on the locked
rows, check the declared move (:data:`REPORT_TRANSITIONS`), change, write
the conference trail, leave mail and file clean-up to ``on_commit``.

Who: the proposed unit's leader, deputy or emulation officer writes and
uploads, and the secretariat may do it for them (a paper report handed in
at the conference); only the secretariat checks and returns. Reports
change only at the conference stage: once submitted the province has the
dossier, and a dossier the board returns is at the conference stage again.
The signed copy is read by the unit, the secretariat and the board only.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import permissions as bloc_permissions
from blocs.stages import Stage
from covenants.scores.evidence import check_upload, display_name
from members import audit
from members.emails import send_to_person
from members.models import AgencyRole, User
from members.permissions import is_active_user

from . import core
from .documents_achievement import achievement_draft_text
from .models import AchievementReport, AwardProposal, ConferenceEvent, ReportStatus
from .permissions import is_secretariat

__all__ = [
    "REPORT_TRANSITIONS",
    "UNIT_ROLES",
    "achievement_check",
    "achievement_draft",
    "achievement_events",
    "achievement_return",
    "achievement_update",
    "achievement_upload_signed",
    "can_check",
    "can_view_achievement",
    "can_write",
    "notify_report_returned",
    "signed_file_response",
]

logger = logging.getLogger(__name__)

#: The report's moves, declared once: name -> (sources, target).
REPORT_TRANSITIONS = {
    "upload": ((ReportStatus.DRAFT, ReportStatus.UPLOADED), ReportStatus.UPLOADED),
    "check": ((ReportStatus.UPLOADED,), ReportStatus.CHECKED),
    "return": ((ReportStatus.UPLOADED, ReportStatus.CHECKED), ReportStatus.DRAFT),
}
#: Who writes the report for the proposed unit (plain staff read it only).
UNIT_ROLES = frozenset({AgencyRole.LEADER, AgencyRole.DEPUTY, AgencyRole.OFFICER})
_ACTIONS = ("achievement_drafted", "achievement_saved", "achievement_uploaded")
_ACTIONS += ("achievement_checked", "achievement_returned")


# Predicates --------------------------------------------------------------------------


def _open(bloc_year) -> bool:
    return not bloc_year.is_read_only and bloc_year.stage == Stage.CONFERENCE


def _of_unit(user, proposal) -> bool:
    return is_active_user(user) and user.agency_id == proposal.agency_id


def can_view_achievement(user, bloc_year, proposal) -> bool:
    """The unit's staff, the secretariat and the board."""
    return (
        _of_unit(user, proposal)
        or is_secretariat(user, bloc_year)
        or bloc_permissions.is_board_for(user, bloc_year.bloc.province_id)
    )


def _is_writer(user, bloc_year, proposal) -> bool:
    """The unit's leader, deputy or officer, or the secretariat, whatever the stage."""
    return (_of_unit(user, proposal) and user.agency_role in UNIT_ROLES) or is_secretariat(
        user, bloc_year
    )


def can_write(user, bloc_year, proposal) -> bool:
    """Draft, edit and upload: the unit's leader, deputy or officer, or the secretariat."""
    return _open(bloc_year) and _is_writer(user, bloc_year, proposal)


def can_check(user, bloc_year) -> bool:
    """Check and return: the secretariat."""
    return _open(bloc_year) and is_secretariat(user, bloc_year)


# Steps shared by the services -----------------------------------------------------------


def _lock(proposal) -> tuple:
    """The bloc-year, the proposal and its report (or None), locked in that order."""
    bloc_year = core.lock_year(proposal.bloc_year)
    proposal = (
        AwardProposal.objects.select_for_update().select_related("agency").get(pk=proposal.pk)
    )
    proposal.bloc_year = bloc_year
    report = AchievementReport.objects.select_for_update().filter(proposal=proposal).first()
    if report is not None:
        report.proposal = proposal
    return bloc_year, proposal, report


def _check_open(bloc_year) -> None:
    if bloc_year.is_read_only:
        raise PermissionDenied(_("The year is closed: its records are read-only."))
    if bloc_year.stage != Stage.CONFERENCE:
        raise ValidationError(
            _(
                "Achievement reports change during the year-end conference, before the "
                "proposals are submitted."
            ),
            code="stage",
        )


def _check_writer(actor, bloc_year, proposal) -> None:
    # Who before when: someone who may never write (the board, another unit) is refused,
    # not told that the stage is wrong, so a crafted POST never gets a page back.
    if not _is_writer(actor, bloc_year, proposal):
        raise PermissionDenied(
            _("Only the proposed unit or the secretariat writes the achievement report.")
        )
    _check_open(bloc_year)


def _check_secretariat(actor, bloc_year) -> None:
    if not is_secretariat(actor, bloc_year):
        raise PermissionDenied(_("Only the secretariat checks achievement reports."))
    _check_open(bloc_year)


def _check_draft(report) -> None:
    if report is not None and report.status != ReportStatus.DRAFT:
        raise ValidationError(
            _("The report is “%(status)s”: only a draft can be changed.")
            % {"status": report.get_status_display()},
            code="not_draft",
        )


def _move(report: AchievementReport | None, name: str) -> None:
    if report is None:
        raise ValidationError(_("Draft the report first."), code="no_report")
    sources, target = REPORT_TRANSITIONS[name]
    if report.status not in sources:
        raise ValidationError(
            _("The report is “%(status)s”; this step is not possible now.")
            % {"status": report.get_status_display()},
            code="wrong_status",
        )
    report.status = target


def _record(bloc_year, action, proposal, actor, detail: str = "") -> None:
    note = proposal.agency.name + (f": {detail}" if detail else "")
    core.record(bloc_year, action, actor=actor, note=note)


# Services ------------------------------------------------------------------------------


@audit.service
@transaction.atomic
def achievement_draft(*, proposal, actor) -> AchievementReport:
    """Write (or write again, while a draft) the report from the unit's year."""
    bloc_year, proposal, report = _lock(proposal)
    _check_writer(actor, bloc_year, proposal)
    _check_draft(report)
    report = report or AchievementReport(proposal=proposal)
    report.text = achievement_draft_text(proposal)
    report.full_clean()
    report.save()
    _record(bloc_year, "achievement_drafted", proposal, actor)
    return report


@audit.service
@transaction.atomic
def achievement_update(*, report, actor, text: str) -> AchievementReport:
    """Save the unit's edits of a draft."""
    bloc_year, proposal, report = _lock(report.proposal)
    _check_writer(actor, bloc_year, proposal)
    _check_draft(report)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The report cannot be empty.")}, code="empty")
    if text != report.text:
        report.text = text
        report.full_clean()
        report.save()
        _record(bloc_year, "achievement_saved", proposal, actor)
    return report


def _checked_pdf(file):
    """The upload, if it is a PDF within the size limit (errors keyed ``file``)."""
    name = display_name(getattr(file, "name", "") or "")
    if not name.lower().endswith(".pdf"):
        raise ValidationError(
            {"file": _("Upload the signed report as a PDF file.")}, code="not_pdf"
        )
    try:
        return check_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}, code=error.code) from error


@audit.service
@transaction.atomic
def achievement_upload_signed(*, report, actor, file) -> AchievementReport:
    """Store the signed copy (PDF) in the private storage; the report is
    then waiting for the secretariat's check. A new copy replaces the old."""
    bloc_year, proposal, report = _lock(report.proposal)
    _check_writer(actor, bloc_year, proposal)
    checked = _checked_pdf(file)
    _move(report, "upload")
    previous, storage = report.signed_file.name, report.signed_file.storage
    file.seek(0)
    report.signed_file.save(checked.stored_name, file, save=False)
    stored = report.signed_file.name
    report.signed_name = checked.name
    report.uploaded_at = timezone.now()
    report.uploaded_by = actor
    report.checked_at = None
    report.checked_by = None
    try:
        report.full_clean()
        report.save()
        _record(bloc_year, "achievement_uploaded", proposal, actor, checked.name)
    except Exception:
        storage.delete(stored)  # no orphan file when the row cannot be written
        raise
    if previous and previous != stored:
        transaction.on_commit(lambda: storage.delete(previous))
    return report


@audit.service
@transaction.atomic
def achievement_check(*, report, actor) -> AchievementReport:
    """The secretariat has read the signed copy: the report is ready for submission."""
    bloc_year, proposal, report = _lock(report.proposal)
    _check_secretariat(actor, bloc_year)
    _move(report, "check")
    report.checked_at = timezone.now()
    report.checked_by = actor
    report.full_clean()
    report.save()
    _record(bloc_year, "achievement_checked", proposal, actor)
    return report


@audit.service
@transaction.atomic
def achievement_return(*, report, actor, reason: str) -> AchievementReport:
    """Back to the unit as a draft, with what to correct; the unit is mailed."""
    bloc_year, proposal, report = _lock(report.proposal)
    _check_secretariat(actor, bloc_year)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the unit must correct.")}, code="reason")
    _move(report, "return")
    report.checked_at = None
    report.checked_by = None
    report.full_clean()
    report.save()
    _record(bloc_year, "achievement_returned", proposal, actor, reason)
    transaction.on_commit(lambda: notify_report_returned(report_id=report.pk, reason=reason))
    return report


def notify_report_returned(*, report_id: int, reason: str) -> None:
    """Mail the unit's leaders and officers, each in their own language."""
    report = AchievementReport.objects.select_related(
        "proposal__agency", "proposal__bloc_year__bloc"
    ).get(pk=report_id)
    recipients = User.objects.filter(
        is_active=True, agency=report.proposal.agency, agency_role__in=UNIT_ROLES
    ).exclude(email="")
    for user in recipients:
        try:
            send_to_person(
                user,
                subject_template="awards/achievement_return_email_subject.html",
                body_template="awards/achievement_return_email_body.html",
                context={"report": report, "proposal": report.proposal, "reason": reason},
            )
        except OSError:
            # The return is committed; a mail server outage must not undo it.
            logger.exception("Could not send the returned-report mail to %s", user.email)


# Reading -------------------------------------------------------------------------------


def achievement_events(proposal) -> list[ConferenceEvent]:
    """The report's trail, newest first; each event's ``detail`` is the note
    without the unit's name (the reason of a return, the file uploaded)."""
    name = proposal.agency.name
    events = list(
        ConferenceEvent.objects.filter(bloc_year_id=proposal.bloc_year_id, action__in=_ACTIONS)
        .filter(Q(note=name) | Q(note__startswith=f"{name}: "))
        .select_related("actor")
    )
    for event in events:
        event.detail = event.note[len(name) + 2 :]
    return events


def signed_file_response(report: AchievementReport) -> FileResponse:
    """The signed copy as a download, never displayed inline (see
    :func:`covenants.scores.evidence.evidence_response`)."""
    response = FileResponse(
        report.signed_file.open("rb"),
        as_attachment=True,
        filename=report.signed_name or "bao-cao-thanh-tich.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
