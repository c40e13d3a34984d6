"""Steps every scoring service shares: lock, move, record, settings.

Each service in this package follows the blocs recipe: lock the row, check
the permission on the locked row, check the move is declared in
``SHEET_TRANSITIONS``, evaluate the guards, change, write a
:class:`~covenants.models.ScoreEvent`, and leave side effects (mail) to
``transaction.on_commit``.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members import audit

from ..models import (
    SHEET_TRANSITIONS,
    ScoreEvent,
    ScoreLine,
    ScoreSheet,
    ScoringSettings,
    ScoringYearEvent,
)

__all__ = [
    "lock_sheet",
    "move",
    "record",
    "record_value",
    "record_year",
    "settings_for",
    "year_events",
]


def settings_for(bloc_year) -> ScoringSettings:
    """The year's scoring settings, created with the defaults on first use."""
    settings, _created = ScoringSettings.objects.get_or_create(bloc_year=bloc_year)
    return settings


def lock_sheet(sheet: ScoreSheet) -> ScoreSheet:
    """The sheet again, locked for the rest of the transaction; refused at once
    if its year is closed."""
    locked = (
        ScoreSheet.objects.select_for_update()
        .select_related("bloc_year__bloc", "agency", "template")
        .get(pk=sheet.pk)
    )
    locked.bloc_year.refuse_if_closed()
    return locked


@audit.service
def move(sheet: ScoreSheet, name: str, *, actor, note: str = "", fields=()) -> ScoreSheet:
    """Change the sheet's status by the declared move ``name`` and record it.

    ``fields``: further fields the caller set on ``sheet`` to save with it.
    """
    sources, target = SHEET_TRANSITIONS[name]
    if sheet.status not in sources:
        raise ValidationError(
            _("The sheet is “%(status)s”; this step is not possible now.")
            % {"status": sheet.get_status_display()},
            code="wrong_status",
        )
    sheet.status = target
    sheet.save(update_fields=["status", "updated_at", *fields])
    record(sheet, name, actor=actor, note=note)
    return sheet


@audit.service
def record(sheet: ScoreSheet, action: str, *, actor, note: str = "") -> ScoreEvent:
    """A move or other event of the whole sheet."""
    return ScoreEvent.objects.create(sheet=sheet, action=action, actor=actor, note=note)


@audit.service
def record_value(
    line: ScoreLine,
    field: str,
    old: Decimal | None,
    new: Decimal | None,
    *,
    actor,
    note: str = "",
) -> ScoreEvent | None:
    """A value of ``line`` changed (``field`` is self, review or final);
    nothing is written when it did not."""
    if old == new:
        return None
    return ScoreEvent.objects.create(
        sheet_id=line.sheet_id,
        line=line,
        action=f"{field}_value",
        field=field,
        old_value=old,
        new_value=new,
        note=note,
        actor=actor,
    )


@audit.service
def record_year(bloc_year, subject: str, action: str, *, actor, note: str = "") -> ScoringYearEvent:
    """An event of the year's scoring that belongs to no single sheet
    (``subject``: settings, mid_year or initiatives)."""
    return ScoringYearEvent.objects.create(
        bloc_year=bloc_year, subject=subject, action=action, actor=actor, note=note
    )


def year_events(bloc_year, subject: str) -> list[ScoringYearEvent]:
    """The year's trail for ``subject``, newest first, with who did it."""
    return list(
        ScoringYearEvent.objects.filter(bloc_year=bloc_year, subject=subject).select_related(
            "actor"
        )
    )
