"""The self side of a score sheet: entering self-scores, attaching evidence,
submitting; and opening the sheets a period still lacks.

Every function follows the recipe of :mod:`.core`: lock the sheet, check the
permission on the locked row, validate everything, change, write the trail.
Refusals separate *who* (``PermissionDenied``: not this agency's leader,
deputy or officer) from *when* (``ValidationError``: submitted, closed year,
period not open), so a page can say what to do about it.

Values are checked against their criterion by the pure scoring module
(:func:`covenants.scoring.line_points`, evidence aside: a missing file makes
a line count 0 in the totals, it never blocks typing the score). A save
validates every entry first and raises one error keyed by line key, so a
form — or an Excel import — can show every problem next to its line and
nothing is half saved.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from blocs.models import BlocYear
from members import audit
from members.permissions import is_active_user

from ..models import Evidence, LatePolicy, Period, ScoreEvent, ScoreLine, ScoreSheet
from ..scoring import ScoreError, line_points
from ..sheet_rules import format_points
from . import permissions
from .core import lock_sheet, move, record_value, settings_for
from .evidence import check_upload
from .sheets import sheets_open
from .values import check_value, line_input, line_label

__all__ = [
    "UNCHANGED",
    "evidence_add",
    "evidence_remove",
    "invalid_values",
    "period_open_missing",
    "self_scores_save",
    "sheet_submit",
    "submit_problems",
]

#: ``female_percent`` not given: leave the sheet's share of women as it is.
UNCHANGED = object()

_ENTRY_FIELDS = frozenset({"value", "explanation", "evidence_note"})
_EDIT_ROLES = ("leader", "deputy", "officer")
_MAX_TEXT = 5000
_MAX_STORED = Decimal(10) ** 7  # ScoreLine values: 9 digits, 2 after the point


def _check_self_side(actor, sheet: ScoreSheet, *, submit: bool = False) -> None:
    """Refuse unless ``actor`` may edit (or submit) ``sheet``'s self side now."""
    allowed = permissions.can_submit_self if submit else permissions.can_edit_self
    if allowed(actor, sheet):
        return
    own = (
        is_active_user(actor)
        and actor.agency_id == sheet.agency_id
        and actor.agency_role in _EDIT_ROLES
    )
    if not own:
        raise PermissionDenied(
            _("Only the agency's leader, deputy leader or emulation officer enters its scores.")
        )
    if submit and not actor.is_agency_leader:
        raise PermissionDenied(_("Only the agency's leader or deputy leader submits its sheet."))
    if sheet.bloc_year.is_read_only:
        raise ValidationError(_("This year is closed; its scores no longer change."), code="closed")
    if not sheet.is_draft:
        raise ValidationError(
            _("This sheet has been submitted; its self-scores can no longer change."),
            code="submitted",
        )
    if not permissions.period_is_open(sheet.bloc_year, sheet.period):
        raise ValidationError(
            _("Self-scoring for this period is not open at this stage of the year."),
            code="period_closed",
        )
    raise PermissionDenied


def _checked_text(line: ScoreLine, raw) -> str:
    text = "" if raw is None else str(raw).strip()
    if len(text) > _MAX_TEXT:
        raise ScoreError(
            _("%(line)s: the text is too long (at most %(max)s characters).")
            % {"line": line_label(line), "max": _MAX_TEXT}
        )
    return text


def _checked_percent(raw) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if (
        value is None
        or not value.is_finite()
        or not 0 <= value <= 100
        or value != value.quantize(Decimal("0.01"))
    ):
        raise ValidationError(
            _("The share of women is a percentage from 0 to 100."), code="female_percent"
        )
    return value


def _validate_entries(lines: Mapping[str, ScoreLine], entries: Mapping[str, Mapping]):
    """Every entry checked; returns the cleaned entries or raises one error
    keyed by line key."""
    cleaned: dict[str, dict] = {}
    errors: dict[str, list] = {}
    for key, entry in entries.items():
        unknown = set(entry) - _ENTRY_FIELDS
        if unknown:
            raise ValueError(f"unknown entry fields {sorted(unknown)} for line {key}")
        line = lines.get(key)
        if line is None:
            errors[key] = [
                ValidationError(
                    _("%(line)s: there is no such line on this sheet.") % {"line": key},
                    code="unknown_line",
                )
            ]
            continue
        result, problems = {}, []
        for name in ("value", "explanation", "evidence_note"):
            if name not in entry:
                continue
            try:
                if name == "value":
                    result[name] = check_value(line, entry[name])
                else:
                    result[name] = _checked_text(line, entry[name])
            except ScoreError as error:
                problems.append(ValidationError(error.message, code="invalid_" + name))
        if problems:
            errors[key] = problems
        cleaned[key] = result
    return cleaned, errors


@audit.service
@transaction.atomic
def self_scores_save(
    *,
    sheet: ScoreSheet,
    actor,
    entries: Mapping[str, Mapping],
    female_percent=UNCHANGED,
) -> ScoreSheet:
    """Save self-scores, explanations and evidence references by line key.

    ``entries``: line key → any of ``value`` (Decimal, int, bool or None to
    clear), ``explanation``, ``evidence_note``; what an entry leaves out is
    left as it is. ``female_percent``: the collective's share of women (0–100,
    None to clear) for the tie-break. Raises one :class:`ValidationError`
    whose ``error_dict`` is keyed by line key (and ``female_percent``);
    nothing is saved then. Each changed value is written to the trail.
    """
    sheet = lock_sheet(sheet)
    _check_self_side(actor, sheet)
    lines = {line.key: line for line in sheet.lines.select_related("criterion")}
    cleaned, errors = _validate_entries(lines, entries)
    percent = UNCHANGED
    if female_percent is not UNCHANGED:
        try:
            percent = _checked_percent(female_percent)
        except ValidationError as error:
            errors["female_percent"] = [error]
    if errors:
        raise ValidationError(errors)

    changed = False
    for key, result in cleaned.items():
        line, fields = lines[key], []
        if "value" in result and line.self_value != result["value"]:
            record_value(line, "self", line.self_value, result["value"], actor=actor)
            line.self_value = result["value"]
            fields.append("self_value")
        for name in ("explanation", "evidence_note"):
            if name in result and getattr(line, name) != result[name]:
                setattr(line, name, result[name])
                fields.append(name)
        if fields:
            line.save(update_fields=fields)
            changed = True
    sheet_fields = ["updated_at"]
    if percent is not UNCHANGED and percent != sheet.female_percent:
        ScoreEvent.objects.create(
            sheet=sheet,
            action="female_percent",
            note=f"{format_points(sheet.female_percent) or '—'} → {format_points(percent) or '—'}",
            actor=actor,
        )
        sheet.female_percent = percent
        sheet_fields.append("female_percent")
    if changed or len(sheet_fields) > 1:
        sheet.save(update_fields=sheet_fields)
    return sheet


def invalid_values(lines) -> list[str]:
    """A message naming each line whose stored value no longer fits its
    criterion (written around the service, e.g. by a data fix)."""
    problems = []
    for line in lines:
        if line.self_value is None:
            continue
        try:
            line_points(
                line.criterion,
                line_input(line.criterion, line.self_value),
                require_evidence=False,
                key=line.key,
            )
        except ScoreError as error:
            problems.append(error.message)
    return problems


def submit_problems(lines) -> list[str]:
    """What keeps a sheet with ``lines`` from being submitted: lines without
    a value (all named in one message) and values that do not fit."""
    problems = []
    missing = [line for line in lines if line.self_value is None]
    if missing:
        problems.append(
            _("These lines have no self-score yet: %(lines)s.")
            % {"lines": "; ".join(line_label(line) for line in missing)}
        )
    return problems + invalid_values(lines)


@audit.service
@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, actor) -> ScoreSheet:
    """The unit head submits the self-scores, which locks them.

    Domain rule 13: after the period's deadline a LOCK policy refuses the
    sheet; a DEDUCT policy accepts it flagged late, and the totals take off
    the late deduction.
    """
    sheet = lock_sheet(sheet)
    _check_self_side(actor, sheet, submit=True)
    lines = list(sheet.lines.select_related("criterion"))
    if problems := submit_problems(lines):
        raise ValidationError(problems, code="incomplete")
    settings = settings_for(sheet.bloc_year)
    deadline = settings.deadline(sheet.period)
    late = deadline is not None and timezone.localdate() > deadline
    note = ""
    if late:
        when = date_format(deadline, "d/m/Y")
        if settings.late_policy == LatePolicy.LOCK:
            raise ValidationError(
                _(
                    "The deadline for self-scores was %(date)s and late sheets are not "
                    "accepted. Ask the secretariat to extend the deadline."
                )
                % {"date": when},
                code="late",
            )
        note = _("Submitted after the deadline (%(date)s): %(points)s points are deducted.") % {
            "date": when,
            "points": format_points(settings.late_deduction),
        }
    sheet.submitted_at = timezone.now()
    sheet.submitted_by = actor
    sheet.is_late = late
    return move(
        sheet, "submit", actor=actor, note=note, fields=["submitted_at", "submitted_by", "is_late"]
    )


def _evidence_event(line: ScoreLine, action: str, name: str, actor) -> ScoreEvent:
    # Recorded on the self column so that the trail hides evidence exactly
    # where the self-scores are hidden (see covenants.scores.evidence).
    return ScoreEvent.objects.create(
        sheet_id=line.sheet_id, line=line, action=action, field="self", note=name, actor=actor
    )


@audit.service
@transaction.atomic
def evidence_add(*, line: ScoreLine, actor, file) -> Evidence:
    """Attach an uploaded file to ``line`` while the self side may edit.

    The file is checked (:func:`.evidence.check_upload`) before anything is
    written; it is stored under a random name in the private storage.
    """
    sheet = lock_sheet(line.sheet)
    _check_self_side(actor, sheet)
    line = ScoreLine.objects.select_related("criterion").get(pk=line.pk, sheet=sheet)
    checked = check_upload(file)
    evidence = Evidence(
        line=line,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    file.seek(0)
    evidence.file.save(checked.stored_name, file, save=False)
    stored, storage = evidence.file.name, evidence.file.storage
    try:
        evidence.save()
        _evidence_event(line, "evidence_added", checked.name, actor)
        sheet.save(update_fields=["updated_at"])
    except Exception:
        storage.delete(stored)  # no orphan file when the row cannot be written
        raise
    return evidence


@audit.service
@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor) -> None:
    """Remove an attached file while the self side may edit; the stored file
    goes once the removal is committed."""
    sheet = lock_sheet(evidence.line.sheet)
    _check_self_side(actor, sheet)
    evidence = Evidence.objects.select_related("line").get(pk=evidence.pk, line__sheet=sheet)
    name, stored, storage = evidence.original_name, evidence.file.name, evidence.file.storage
    line = evidence.line
    evidence.delete()
    _evidence_event(line, "evidence_removed", name, actor)
    sheet.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: storage.delete(stored))


@audit.service
@transaction.atomic
def period_open_missing(*, bloc_year: BlocYear, period: str, actor) -> list[ScoreSheet]:
    """The secretariat opens the sheets a period lacks (a member that joined
    after the period opened); returns the sheets created."""
    if period not in Period.values:
        raise ValidationError(_("There is no such period."), code="period")
    locked = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
    locked.refuse_if_closed()
    if not permissions.can_manage_scoring(actor, locked):
        raise PermissionDenied(_("Only the secretariat opens score sheets."))
    if not permissions.period_is_open(locked, period):
        raise ValidationError(
            _("Sheets of this period can only be opened while it is being scored."),
            code="period_closed",
        )
    return sheets_open(bloc_year=locked, period=period)
