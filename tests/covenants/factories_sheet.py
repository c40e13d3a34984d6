"""Scoring-sheet templates written straight to the database (no services, no
permission checks), for tests that need one in place."""

from django.utils import timezone

from covenants import sheet_services
from covenants.models import ScoringTemplate, TemplateStatus
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_rules import TemplateDraft
from tests.members.factories import UserFactory


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
    template = ScoringTemplate(
        bloc_year=bloc_year,
        version=version,
        status=status,
        created_by=created_by or UserFactory(),
        frozen_at=timezone.now() if status == TemplateStatus.FROZEN else None,
    )
    # The service's own writer, so tests store sheets exactly as the app does.
    return sheet_services._write_content(template, draft)


def valid_template(bloc_year, *, status: str = TemplateStatus.DRAFT) -> ScoringTemplate:
    """The year's culture–society sheet (100 points), valid and ready to freeze."""
    return sheet_template(bloc_year, status=status)
