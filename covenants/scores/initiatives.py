"""The initiatives register (sáng kiến): each member's counts per level,
and the sheet lines they feed.

Seed 003 style: a bloc counts "130 sáng kiến cấp cơ sở, 6 sáng kiến cấp
tỉnh". The scoring settings may link each level to a count line (or a
per-item bonus line) of the year's frozen sheet; a draft year-end sheet
then takes the register's count on that line, each change written to the
sheet's trail, so members do not type the same number twice.

Counts are kept by the agency's own leader, deputy or emulation officer, or
by the secretariat, until that agency's year-end sheet is final: from then
on the count is part of an agreed score.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.models import BlocYear
from blocs.stages import Stage
from members import audit
from members.permissions import is_active_user

from ..models import (
    CriterionKind,
    Initiative,
    InitiativeLevel,
    Period,
    ScoreLine,
    ScoreSheet,
    ScoringCriterion,
    ScoringTemplate,
    SheetStatus,
    TemplateStatus,
)
from ..scoring import line_key
from .core import record_value, record_year, settings_for
from .permissions import is_secretariat

__all__ = [
    "MAX_INITIATIVES",
    "can_set_initiatives",
    "final_year_end_agencies",
    "initiative_criteria",
    "initiatives_set",
    "may_keep_initiatives",
    "prefill_linked_lines",
]

#: More than any agency records in a year; stops typing slips (1300 for 130).
MAX_INITIATIVES = 10_000
#: Initiatives are counted while the year runs, up to year-end scoring.
INITIATIVE_STAGES = frozenset({Stage.SETUP, Stage.SIGNING, Stage.IN_PROGRESS, Stage.SCORING})
_AGENCY_STAFF = ("leader", "deputy", "officer")


def initiative_criteria(bloc_year) -> list[tuple[str, ScoringCriterion]]:
    """The lines an initiatives count can feed: count lines and per-item bonus
    lines of the year's frozen sheet, as (line key, criterion) in sheet order."""
    template = (
        ScoringTemplate.objects.filter(bloc_year=bloc_year, status=TemplateStatus.FROZEN)
        .order_by("-version")
        .first()
    )
    if template is None:
        return []
    criteria = ScoringCriterion.objects.filter(group__template=template).filter(
        kind__in=[CriterionKind.COUNT, CriterionKind.BONUS], points_per_item__isnull=False
    )
    # Lines with points per item never have sub-criteria (sheet_rules), so
    # each of these is a scored line.
    rows = [(line_key(c.group.code, c.code), c) for c in criteria.select_related("group", "parent")]
    return sorted(
        rows,
        key=lambda row: (
            row[1].group.order,
            row[1].parent.order if row[1].parent else row[1].order,
            row[1].parent_id is not None,
            row[1].order,
        ),
    )


def prefill_linked_lines(bloc_year, settings, actor, agency_ids=None) -> None:
    """Copy the register's counts into the linked lines of draft year-end
    sheets, each change in the sheet's trail."""
    links = {
        InitiativeLevel.GRASSROOTS: settings.grassroots_initiatives_criterion_id,
        InitiativeLevel.PROVINCIAL: settings.provincial_initiatives_criterion_id,
    }
    level_of = {criterion: level for level, criterion in links.items() if criterion}
    if not level_of:
        return
    register = Initiative.objects.filter(bloc_year=bloc_year)
    lines = ScoreLine.objects.filter(
        sheet__bloc_year=bloc_year,
        sheet__period=Period.YEAR_END,
        sheet__status=SheetStatus.DRAFT,
        criterion_id__in=level_of,
    )
    if agency_ids is not None:
        register = register.filter(agency_id__in=agency_ids)
        lines = lines.filter(sheet__agency_id__in=agency_ids)
    counts = {(row.agency_id, row.level): row.count for row in register}
    for line in lines.select_for_update().select_related("sheet"):
        count = counts.get((line.sheet.agency_id, level_of[line.criterion_id]))
        if count is None or line.self_value == count:
            continue
        old, line.self_value = line.self_value, Decimal(count)
        line.save(update_fields=["self_value"])
        record_value(
            line,
            "self",
            old,
            line.self_value,
            actor=actor,
            note=_("From the initiatives register."),
        )


def final_year_end_agencies(bloc_year) -> set[int]:
    """Agencies whose year-end score is agreed: their counts are history."""
    return set(
        ScoreSheet.objects.filter(
            bloc_year=bloc_year, period=Period.YEAR_END, status=SheetStatus.FINAL
        ).values_list("agency_id", flat=True)
    )


def may_keep_initiatives(user, bloc_year, agency_id) -> bool:
    """The agency's leader, deputy or emulation officer, or the secretariat."""
    own = is_active_user(user) and user.agency_id == agency_id and user.agency_role in _AGENCY_STAFF
    return own or is_secretariat(user, bloc_year)


def can_set_initiatives(user, bloc_year, agency_id, *, final_agencies=None) -> bool:
    """``final_agencies``: the agencies whose year-end sheet is final, when
    the caller has them (list pages), to save a query per row."""
    if bloc_year.is_read_only or bloc_year.stage not in INITIATIVE_STAGES:
        return False
    if not may_keep_initiatives(user, bloc_year, agency_id):
        return False
    final = final_year_end_agencies(bloc_year) if final_agencies is None else final_agencies
    return agency_id not in final


def _count_error(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return _("Enter a whole number.")
    if value < 0:
        return _("The number of initiatives cannot be negative.")
    if value > MAX_INITIATIVES:
        return _("At most %(max)s initiatives; check the number.") % {"max": MAX_INITIATIVES}
    return None


@audit.service
@transaction.atomic
def initiatives_set(
    *, bloc_year, agency, actor, grassroots: int, provincial: int, decisions: str
) -> list[Initiative]:
    """Set the agency's counts of recognised initiatives at both levels; a
    linked line of its draft year-end sheet takes the new count."""
    bloc_year = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
    if bloc_year.is_read_only:
        raise PermissionDenied(_("The year is closed: its records are read-only."))
    if not may_keep_initiatives(actor, bloc_year, agency.pk):
        raise PermissionDenied(
            _("Only the agency's own staff or the secretariat record its initiatives.")
        )
    if not any(m.agency_id == agency.pk and m.left_on is None for m in bloc_year.memberships.all()):
        raise ValidationError(
            _("%(agency)s is not a current member.") % {"agency": agency.name}, code="member"
        )
    if bloc_year.stage not in INITIATIVE_STAGES or agency.pk in final_year_end_agencies(bloc_year):
        raise ValidationError(
            _("The year-end sheet of %(agency)s is final: its initiatives no longer change.")
            % {"agency": agency.name},
            code="final",
        )
    counts = {InitiativeLevel.GRASSROOTS: grassroots, InitiativeLevel.PROVINCIAL: provincial}
    errors = {
        level.value: error for level, value in counts.items() if (error := _count_error(value))
    }
    if errors:
        raise ValidationError(errors)
    rows = []
    for level, count in counts.items():
        row, _created = Initiative.objects.update_or_create(
            bloc_year=bloc_year,
            agency=agency,
            level=level,
            defaults={
                "count": count,
                "decisions": decisions.strip(),
                "updated_at": timezone.now(),
                "updated_by": actor,
            },
        )
        rows.append(row)
    prefill_linked_lines(bloc_year, settings_for(bloc_year), actor, agency_ids=[agency.pk])
    record_year(
        bloc_year,
        "initiatives",
        "recorded",
        actor=actor,
        note=_("%(agency)s: %(grassroots)s grassroots, %(provincial)s provincial")
        % {"agency": agency.name, "grassroots": grassroots, "provincial": provincial},
    )
    return rows
