"""Scoring-sheet templates written straight to the database (no services, no
permission checks), for tests that need one in place."""

from django.utils import timezone

from covenants.models import ScoringCriterion, ScoringGroup, ScoringTemplate, TemplateStatus
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_rules import CriterionDraft, TemplateDraft
from tests.members.factories import UserFactory


def _add_criterion(group, draft: CriterionDraft, order: int, parent=None):
    return ScoringCriterion.objects.create(
        group=group,
        parent=parent,
        order=order,
        code=draft.code,
        title=draft.title,
        kind=draft.kind,
        max_points=draft.max_points,
        points_per_item=draft.points_per_item,
        evidence_required=draft.evidence_required,
        guidance=draft.guidance,
    )


def sheet_template(
    bloc_year,
    *,
    draft: TemplateDraft | None = None,
    status: str = TemplateStatus.DRAFT,
    version: int = 1,
    created_by=None,
) -> ScoringTemplate:
    """A template holding ``draft`` (the culture–society sheet by default)."""
    draft = culture_society_draft() if draft is None else draft
    template = ScoringTemplate.objects.create(
        bloc_year=bloc_year,
        version=version,
        status=status,
        base_total=draft.base_total,
        bonus_cap=draft.bonus_cap,
        deduction_cap=draft.deduction_cap,
        created_by=created_by or UserFactory(),
        frozen_at=timezone.now() if status == TemplateStatus.FROZEN else None,
    )
    for group_order, group_draft in enumerate(draft.groups, start=1):
        group = ScoringGroup.objects.create(
            template=template,
            order=group_order,
            code=group_draft.code,
            title=group_draft.title,
            max_points=group_draft.max_points,
        )
        order = 0
        for criterion in group_draft.criteria:
            order += 1
            parent = _add_criterion(group, criterion, order)
            for child in criterion.children:
                order += 1
                _add_criterion(group, child, order, parent)
    return template


def valid_template(bloc_year, *, status: str = TemplateStatus.DRAFT) -> ScoringTemplate:
    """The year's culture–society sheet (100 points), valid and ready to freeze."""
    return sheet_template(bloc_year, status=status)
