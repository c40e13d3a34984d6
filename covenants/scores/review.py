"""Every change of the review side of a sheet goes through a function here:
who reviews whom, the blind review itself, returning a sheet to its agency,
and the secretariat's reconciliation into the final score.

Assigning reviewers lives in :mod:`.reviewers` and is re-exported here.

Each service follows the blocs recipe (see :mod:`.core`): lock the row,
check the permission on the *locked* row (the stage or the sheet may have
moved since the page was drawn), check the move where the status changes,
change, write the trail, and leave mail to ``transaction.on_commit``.

Values are checked with the pure module's :func:`~covenants.scoring.line_points`
(evidence aside: the reviewer does not see the evidence before both sides
are in, and the final score is agreed by people who have). A bad entry
raises one :class:`ValidationError` whose ``error_dict`` is keyed by the
line key, so a page shows every problem next to its line and nothing is
saved until all are fixed.
"""

import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import audit
from members.emails import send_to_person
from members.models import LEADER_ROLES, User

from ..models import ScoreLine, ScoreSheet
from ..scoring import ScoreError, review_gaps
from . import core, permissions
from .reviewers import (
    MODES,
    check_period,
    reviewers_assign,
    rotation,
    rotation_step,
    started_reviews,
)
from .values import check_value, line_input, line_label

__all__ = [
    "MODES",
    "final_prefill",
    "final_scores_save",
    "notify_sheet_returned",
    "review_save",
    "review_submit",
    "reviewers_assign",
    "rotation",
    "rotation_step",
    "sheet_finalize",
    "sheet_return",
    "started_reviews",
]

logger = logging.getLogger(__name__)


# Checking entered values --------------------------------------------------------


def _lines(sheet) -> dict:
    return {
        line.key: line
        for line in ScoreLine.objects.filter(sheet=sheet)
        .select_related("criterion")
        .order_by("order", "pk")
    }


def _cleaned(lines: dict, entries: dict, text_field: str, *, reason_needed=False) -> dict:
    """line key → (value, text) for ``entries``, or one ValidationError keyed
    by line key listing every bad line."""
    cleaned, errors = {}, {}
    for key, entry in entries.items():
        line = lines.get(key)
        if line is None:
            errors[key] = _("%(line)s: there is no such line on this sheet.") % {"line": key}
            continue
        text = (entry.get(text_field) or "").strip()
        try:
            value = check_value(line, entry.get("value"))
        except ScoreError as error:
            errors[key] = error.message
            continue
        if reason_needed and value is not None and value != line.self_value and not text:
            errors[key] = _(
                "%(line)s: a final score that differs from the self-score needs a reason."
            ) % {"line": line_label(line)}
            continue
        cleaned[key] = (value, text)
    if errors:
        raise ValidationError(errors, code="invalid")
    return cleaned


def _missing(lines: dict, attribute: str) -> list[str]:
    return [line_label(line) for line in lines.values() if getattr(line, attribute) is None]


# The review -------------------------------------------------------------------------


def _lock_for_review(sheet, actor) -> ScoreSheet:
    sheet = core.lock_sheet(sheet)
    if not permissions.can_review(actor, sheet):
        raise PermissionDenied(
            _("Only the assigned reviewer enters the review, until it is submitted.")
        )
    check_period(sheet.bloc_year, sheet.period)
    return sheet


@audit.service
@transaction.atomic
def review_save(*, sheet, actor, entries: dict) -> ScoreSheet:
    """Save review values and notes; ``entries``: line key → {"value", "note"}.
    A draft: values may stay empty until the review is submitted."""
    sheet = _lock_for_review(sheet, actor)
    lines = _lines(sheet)
    for key, (value, note) in _cleaned(lines, entries, "note").items():
        line = lines[key]
        old = line.review_value
        if old == value and line.review_note == note:
            continue
        line.review_value, line.review_note = value, note
        line.save(update_fields=["review_value", "review_note"])
        core.record_value(line, "review", old, value, actor=actor, note=note)
    return sheet


@audit.service
@transaction.atomic
def review_submit(*, sheet, actor) -> ScoreSheet:
    """The reviewer hands in the review: every line scored, no more changes."""
    sheet = _lock_for_review(sheet, actor)
    if missing := _missing(_lines(sheet), "review_value"):
        raise ValidationError(
            _("Every line needs a review score before the review is submitted. Missing: %(lines)s")
            % {"lines": "; ".join(missing)},
            code="incomplete",
        )
    sheet.review_submitted_at = timezone.now()
    sheet.review_submitted_by = actor
    sheet.save(update_fields=["review_submitted_at", "review_submitted_by", "updated_at"])
    core.record(sheet, "review_submitted", actor=actor)
    return sheet


# Returning a sheet ------------------------------------------------------------------


@audit.service
@transaction.atomic
def sheet_return(*, sheet, actor, reason: str) -> ScoreSheet:
    """Send a submitted sheet back to its agency to correct (review values stay);
    the agency's leaders are told why by mail."""
    sheet = core.lock_sheet(sheet)
    if not (
        permissions.can_manage_scoring(actor, sheet.bloc_year)
        and permissions.period_is_open(sheet.bloc_year, sheet.period)
    ):
        raise PermissionDenied(_("Only the secretariat returns sheets, while the period is open."))
    if sheet.is_final:
        raise ValidationError(_("A final sheet can no longer be returned."), code="final")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the sheet is returned.")}, code="reason")
    core.move(sheet, "return", actor=actor, note=reason)
    transaction.on_commit(partial(notify_sheet_returned, sheet_id=sheet.pk, reason=reason))
    return sheet


def notify_sheet_returned(*, sheet_id: int, reason: str) -> None:
    """Mail the returned sheet's agency leaders, each in their own language."""
    sheet = ScoreSheet.objects.select_related("agency", "bloc_year__bloc").get(pk=sheet_id)
    recipients = (
        User.objects.filter(is_active=True, agency_id=sheet.agency_id, agency_role__in=LEADER_ROLES)
        .exclude(email="")
        .order_by("email")
    )
    for user in recipients:
        try:
            send_to_person(
                user,
                subject_template="covenants/scores/return_email_subject.txt",
                body_template="covenants/scores/return_email_body.txt",
                context={"sheet": sheet, "bloc_year": sheet.bloc_year, "reason": reason},
            )
        except OSError:
            # The return is committed; a mail server outage must not undo it.
            logger.exception("Could not send sheet-returned mail to %s", user.email)


# Reconciliation -----------------------------------------------------------------


def _lock_for_reconcile(sheet, actor) -> ScoreSheet:
    sheet = core.lock_sheet(sheet)
    if not permissions.can_reconcile(actor, sheet):
        raise PermissionDenied(
            _(
                "Only the secretariat sets final scores, once both sides have submitted "
                "and until the sheet is final."
            )
        )
    return sheet


@audit.service
@transaction.atomic
def final_scores_save(*, sheet, actor, entries: dict) -> ScoreSheet:
    """Save final values; ``entries``: line key → {"value", "reason"}. A final
    value other than the self-score needs a reason (also a DB check)."""
    sheet = _lock_for_reconcile(sheet, actor)
    lines = _lines(sheet)
    for key, (value, reason) in _cleaned(lines, entries, "reason", reason_needed=True).items():
        line = lines[key]
        old = line.final_value
        if old == value and line.final_reason == reason:
            continue
        line.final_value, line.final_reason = value, reason
        line.save(update_fields=["final_value", "final_reason"])
        core.record_value(line, "final", old, value, actor=actor, note=reason)
    return sheet


@audit.service
@transaction.atomic
def final_prefill(*, sheet, actor) -> int:
    """Accept the self-score as final on every line where the review agrees
    (differs by no more than the year's review gap) and no final value is
    set yet; the other lines are left for the secretariat. Returns how
    many lines were filled."""
    sheet = _lock_for_reconcile(sheet, actor)
    lines = _lines(sheet)
    scored = [
        line
        for line in lines.values()
        if line.self_value is not None and line.review_value is not None
    ]
    gaps = set(
        review_gaps(
            {line.key: line_input(line.criterion, line.self_value) for line in scored},
            {line.key: line_input(line.criterion, line.review_value) for line in scored},
            sheet.template.to_draft(),
            gap=core.settings_for(sheet.bloc_year).review_gap,
        )
    )
    filled = 0
    for line in scored:
        if line.final_value is not None or line.key in gaps:
            continue
        line.final_value, line.final_reason = line.self_value, ""
        line.save(update_fields=["final_value", "final_reason"])
        core.record_value(
            line,
            "final",
            None,
            line.final_value,
            actor=actor,
            note=_("The self-score and the review agree."),
        )
        filled += 1
    return filled


@audit.service
@transaction.atomic
def sheet_finalize(*, sheet, actor) -> ScoreSheet:
    """Make the sheet final: every line has its agreed value; nothing changes after."""
    sheet = _lock_for_reconcile(sheet, actor)
    if missing := _missing(_lines(sheet), "final_value"):
        raise ValidationError(
            _("Every line needs a final score before the sheet is made final. Missing: %(lines)s")
            % {"lines": "; ".join(missing)},
            code="incomplete",
        )
    sheet.finalized_at = timezone.now()
    sheet.finalized_by = actor
    return core.move(sheet, "finalize", actor=actor, fields=["finalized_at", "finalized_by"])
