"""Helpers for the scoring-sheet tests: changing one line of the example sheet, and
moving a year or re-reading a stored sheet."""

from dataclasses import replace

from blocs.models import BlocYear
from covenants.models import ScoringTemplate
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_rules import TemplateDraft, template_issues

# Group indexes of the example sheet.
I, II, III, IV, V, VI, VII = range(7)  # noqa: E741


def with_group(draft, g, **changes):
    groups = list(draft.groups)
    groups[g] = replace(groups[g], **changes)
    return replace(draft, groups=tuple(groups))


def with_criterion(draft, g, c, **changes):
    criteria = list(draft.groups[g].criteria)
    criteria[c] = replace(criteria[c], **changes)
    return with_group(draft, g, criteria=tuple(criteria))


def with_child(draft, g, c, s, **changes):
    children = list(draft.groups[g].criteria[c].children)
    children[s] = replace(children[s], **changes)
    return with_criterion(draft, g, c, children=tuple(children))


def base():
    return culture_society_draft()


def issue_keys(draft):
    return [(issue.line, issue.field) for issue in template_issues(draft)]


def set_stage(bloc_year, stage):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=stage)
    bloc_year.refresh_from_db()


def content(template) -> TemplateDraft:
    return ScoringTemplate.objects.get(pk=template.pk).to_draft()
