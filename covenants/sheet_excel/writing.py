"""Writing a file: a draft or a template in the import layout."""

from decimal import Decimal

from members.spreadsheets import write_workbook

from ..models.sheet import ScoringTemplate
from ..sheet_rules import CriterionDraft, Kind, TemplateDraft
from .layout import _EVIDENCE_LABELS, COLUMNS, KIND_LABELS, SETTINGS_COLUMNS, SETTINGS_SHEET, SHEET


def _number(value: Decimal | None):
    """Whole numbers as integers, others as floats: what a person types in Excel."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _criterion_rows(criterion: CriterionDraft) -> list[list]:
    rows = [
        [
            criterion.code,
            criterion.title,
            KIND_LABELS[Kind(criterion.kind)],
            _number(criterion.max_points),
            _number(criterion.points_per_item),
            _EVIDENCE_LABELS[bool(criterion.evidence_required)],
            criterion.guidance or None,
        ]
    ]
    for child in criterion.children:
        rows.extend(_criterion_rows(child))
    return rows


def draft_workbook(draft: TemplateDraft) -> bytes:
    """A draft in the import layout."""
    rows = []
    for group in draft.groups:
        rows.append([group.code, group.title, None, _number(group.max_points), None, None, None])
        for criterion in group.criteria:
            rows.extend(_criterion_rows(criterion))
    settings = [[_number(draft.base_total), _number(draft.bonus_cap), _number(draft.deduction_cap)]]
    return write_workbook([(SHEET, COLUMNS, rows), (SETTINGS_SHEET, SETTINGS_COLUMNS, settings)])


def export_template(template: ScoringTemplate) -> bytes:
    """The template as a file that imports back unchanged."""
    return draft_workbook(template.to_draft())


def template_workbook_blank() -> bytes:
    """The layout with no lines and the default settings (100, 10, no deduction cap)."""
    return draft_workbook(TemplateDraft())
