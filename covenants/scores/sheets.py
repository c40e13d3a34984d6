"""Opening a period's sheets: one per current member, a line per scored line.

Sheets open with the stage: mid-year sheets when the year's work starts,
year-end sheets when scoring opens (effects in :mod:`covenants.guards`).
Opening is idempotent, so a member that joins later gets its sheet when
the secretariat opens the period again. Lines are copied from the frozen
template with their line keys, in sheet order; a count line fed by the
initiatives register starts with the register's count.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..models import (
    Initiative,
    InitiativeLevel,
    Period,
    ScoreLine,
    ScoreSheet,
    ScoringTemplate,
    TemplateStatus,
)
from ..scoring import scored_lines
from .core import settings_for

__all__ = ["default_reviewer", "sheets_open"]


def _frozen_template(bloc_year) -> ScoringTemplate:
    template = (
        ScoringTemplate.objects.filter(bloc_year=bloc_year, status=TemplateStatus.FROZEN)
        .order_by("-version")
        .with_content()
        .first()
    )
    if template is None:
        raise ValidationError(_("This year has no frozen scoring sheet."), code="no_template")
    return template


def default_reviewer(bloc_year, agency_id):
    """The secretariat (None) reviews, except the chair's own sheet, which the
    vice-chair reviews: an agency never reviews itself."""
    chair, vice = bloc_year.chair, bloc_year.vice_chair
    if chair is not None and agency_id == chair.pk:
        return vice
    return None


def _criteria_by_key(template: ScoringTemplate) -> dict:
    """Line key → ScoringCriterion row, from the prefetched content."""
    rows = {}
    for group in template.groups.all():
        for criterion in group.criteria.all():
            rows[(group.code, criterion.code)] = criterion
    return {
        line.key: rows[(line.group.code, line.criterion.code)]
        for line in scored_lines(template.to_draft())
    }


def _initiative_values(bloc_year, settings) -> dict:
    """(agency_id, criterion_id) → the register's count, for linked lines."""
    linked = {
        InitiativeLevel.GRASSROOTS: settings.grassroots_initiatives_criterion_id,
        InitiativeLevel.PROVINCIAL: settings.provincial_initiatives_criterion_id,
    }
    values = {}
    for row in Initiative.objects.filter(bloc_year=bloc_year):
        criterion_id = linked.get(row.level)
        if criterion_id is not None:
            values[(row.agency_id, criterion_id)] = row.count
    return values


@transaction.atomic
def sheets_open(*, bloc_year, period: str) -> list[ScoreSheet]:
    """Create the missing sheets of ``period`` for the current members.

    Called by stage effects (the transition has checked the actor) and by
    the secretariat's "open missing sheets" action, which checks it first.
    Returns the sheets created.
    """
    period = Period(period)
    template = _frozen_template(bloc_year)
    settings = settings_for(bloc_year)
    existing = set(
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=period).values_list(
            "agency_id", flat=True
        )
    )
    criteria = _criteria_by_key(template)
    initiatives = _initiative_values(bloc_year, settings)
    created = []
    for membership in bloc_year.memberships.current().select_related("agency"):
        if membership.agency_id in existing:
            continue
        sheet = ScoreSheet.objects.create(
            bloc_year=bloc_year,
            period=period,
            agency=membership.agency,
            template=template,
            reviewer_agency=default_reviewer(bloc_year, membership.agency_id)
            if settings.is_reviewed(period)
            else None,
        )
        bulk_create_with_history(
            [
                ScoreLine(
                    sheet=sheet,
                    criterion=criterion,
                    key=key,
                    order=order,
                    self_value=initiatives.get((membership.agency_id, criterion.pk)),
                )
                for order, (key, criterion) in enumerate(criteria.items(), start=1)
            ],
            ScoreLine,
        )
        created.append(sheet)
    return created
