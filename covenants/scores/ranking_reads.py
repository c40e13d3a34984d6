"""The ranking's reads, as plain rows: the templates' drafts and the agreed line inputs.

:func:`covenants.scores.ranking.ranking_tables_for` scores every member's sheet of every
year it ranks on each request (the ranking page, the results, the bloc and agency
histories), so these reads make what the pure :mod:`covenants.scoring` takes straight
from ``values_list`` rows: no model instance per line, group or criterion, one query for
the groups with their criteria and one for the lines whatever columns are agreed.
"""

from collections import defaultdict

from django.db.models import Case, Exists, F, OuterRef, When

from ..models import Evidence, ScoreLine, ScoringGroup
from ..sheet_rules import CriterionDraft, GroupDraft, TemplateDraft
from .totals import VALUE_FIELDS
from .values import line_input

__all__ = ["COLUMNS", "agreed_inputs", "template_drafts"]

#: The columns that can hold a sheet's agreed values (see :func:`.ranking.agreed_column`).
COLUMNS = ("self", "final")

#: A criterion's columns, in CriterionDraft's order, after its id and parent.
_CRITERION_FIELDS = tuple(
    f"criteria__{name}"
    for name in (
        "pk",
        "parent_id",
        "code",
        "title",
        "kind",
        "max_points",
        "points_per_item",
        "evidence_required",
        "guidance",
    )
)


def template_drafts(templates: dict) -> tuple[dict[int, TemplateDraft], dict[int, CriterionDraft]]:
    """Each template's draft, as :meth:`ScoringTemplate.to_draft` makes it, and each of
    their criteria's draft by id, from one query of the groups joined to their criteria
    (rather than one for the groups and one for the criteria, as model instances that
    are only turned into drafts)."""
    if not templates:
        return {}, {}
    rows = (
        ScoringGroup.objects.filter(template_id__in=list(templates))
        .order_by("template_id", "order", "pk", "criteria__order", "criteria__pk")
        .values_list("template_id", "pk", "code", "title", "max_points", *_CRITERION_FIELDS)
    )
    groups: dict[int, tuple] = {}
    for template_id, group_id, code, title, max_points, criterion_id, *criterion in rows:
        entry = groups.setdefault(group_id, (template_id, code, title, max_points, []))
        if criterion_id is not None:
            entry[4].append((criterion_id, *criterion))
    by_id: dict[int, CriterionDraft] = {}
    groups_of = defaultdict(list)
    for template_id, code, title, max_points, criteria in groups.values():
        # ScoringGroup.to_draft: sub-criteria under their parent, in the group's order.
        children = defaultdict(list)
        for pk, parent_id, *fields in criteria:
            if parent_id is not None:
                by_id[pk] = CriterionDraft(*fields)
                children[parent_id].append(by_id[pk])
        for pk, parent_id, *fields in criteria:
            if parent_id is None:
                by_id[pk] = CriterionDraft(*fields, children=tuple(children.get(pk, ())))
        top = tuple(by_id[pk] for pk, parent_id, *_fields in criteria if parent_id is None)
        groups_of[template_id].append(GroupDraft(code, title, max_points, top))
    drafts = {
        pk: TemplateDraft(
            groups=tuple(groups_of[pk]),
            base_total=t.base_total,
            bonus_cap=t.bonus_cap,
            deduction_cap=t.deduction_cap,
        )
        for pk, t in templates.items()
    }
    return drafts, by_id


def agreed_inputs(columns_of: dict[int, str | None], criteria) -> dict[int, dict]:
    """Each agreed sheet's line inputs by key, as :func:`.totals.sheet_total` makes
    them, from one query of plain rows reading only each sheet's agreed column; a line
    has evidence with a file or a non-blank reference."""
    in_use = {
        column: [pk for pk, used in columns_of.items() if used == column] for column in COLUMNS
    }
    sheet_ids = [pk for ids in in_use.values() for pk in ids]
    inputs: dict[int, dict] = defaultdict(dict)
    if not sheet_ids:
        return inputs
    if all(in_use.values()):
        value = Case(When(sheet_id__in=in_use["self"], then="self_value"), default="final_value")
    else:
        value = F(VALUE_FIELDS["self" if in_use["self"] else "final"])
    rows = (
        ScoreLine.objects.filter(sheet_id__in=sheet_ids)
        .annotate(has_file=Exists(Evidence.objects.filter(line=OuterRef("pk"))), agreed=value)
        .order_by("sheet_id", "order", "pk")
        .values_list("sheet_id", "key", "criterion_id", "evidence_note", "has_file", "agreed")
    )
    for sheet_id, key, criterion_id, note, has_file, agreed in rows:
        inputs[sheet_id][key] = line_input(
            criteria[criterion_id], agreed, has_evidence=has_file or bool(note.strip())
        )
    return inputs
