"""The ranking's plain-row reads (:mod:`covenants.scores.ranking_reads`) give what the
model-instance path gave: the templates' drafts, the agreed inputs of self-only and final
sheets read together, the late rule of :func:`covenants.scores.totals.column_score`."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import override_settings

from covenants.models import Period, ScoreLine, ScoreSheet, ScoringCriterion
from covenants.scores.ranking import ranking_table, ranking_tables_for
from covenants.scores.ranking_reads import template_drafts
from covenants.scores.totals import column_score, sheet_total
from covenants.scores.values import line_input
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_rules import GroupDraft
from members.templatetags.documents import vn_decimal
from tests.covenants.factories_score import fill_review, fill_self, finalize, scoring_year
from tests.covenants.factories_sheet import sheet_template

pytestmark = pytest.mark.django_db


def test_drafts_from_rows_equal_the_models_drafts_with_sub_criteria_and_an_empty_group():
    bloc_year = scoring_year(members=2)
    example = culture_society_draft()
    assert any(c.children for g in example.groups for c in g.criteria)
    empty = GroupDraft(code="IX", title="Không có tiêu chí", max_points=Decimal(0))
    other = sheet_template(
        bloc_year, draft=replace(example, groups=(*example.groups, empty)), version=2
    )
    templates = {t.pk: t for t in (other, ScoreSheet.objects.first().template)}

    drafts, criteria = template_drafts(templates)

    assert drafts == {pk: t.to_draft() for pk, t in templates.items()}
    stored = ScoringCriterion.objects.filter(group__template__in=templates.values())
    assert set(criteria) == set(stored.values_list("pk", flat=True))
    assert template_drafts({}) == ({}, {})


def _sig(table):
    return [(row.rank, row.agency.pk, row.score) for row in table.rows], table.missing


def test_self_only_and_final_sheets_ranked_together_as_each_alone():
    bloc_year = scoring_year(members=3)
    mid_year = ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR)
    for index, sheet in enumerate(mid_year.order_by("pk")):
        fill_self(sheet, fraction=Decimal("0.9") - Decimal("0.1") * index)
    year_end = ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END)
    for index, sheet in enumerate(year_end.order_by("pk")[:2]):
        fill_self(sheet, fraction=Decimal("0.6") + Decimal("0.1") * index)
        fill_review(sheet)
        finalize(sheet)
    # The self and final columns differ, so reading the wrong one shows.
    ScoreLine.objects.filter(sheet__in=year_end).update(self_value=0, final_reason="Đối chiếu")

    both = ranking_tables_for([(bloc_year, Period.MID_YEAR), (bloc_year, Period.YEAR_END)])

    for period in (Period.MID_YEAR, Period.YEAR_END):
        alone = ranking_table(bloc_year, period)
        assert _sig(both[(bloc_year.pk, period)]) == _sig(alone)
        lines = ScoreLine.objects.filter(sheet__bloc_year=bloc_year, sheet__period=period)
        column = "self" if period == Period.MID_YEAR else "final"
        for row in alone.rows:
            own = lines.filter(sheet=row.sheet).select_related("criterion")
            draft = row.sheet.template.to_draft()
            assert row.score == sheet_total(draft, own, column=column)
    assert len(both[(bloc_year.pk, Period.MID_YEAR)].rows) == 3
    assert len(both[(bloc_year.pk, Period.YEAR_END)].rows) == 2


def test_column_score_takes_the_late_penalty_off_self_and_final_but_not_the_review():
    draft = culture_society_draft()
    criterion = draft.groups[0].criteria[-1]
    inputs = {f"I.{criterion.code}": line_input(criterion, Decimal(1))}
    scores = {
        column: column_score(draft, inputs, column=column, late=True, late_deduction=Decimal(3))
        for column in ("self", "review", "final")
    }
    assert [s.late_penalty for s in scores.values()] == [Decimal("3.00"), 0, Decimal("3.00")]
    with pytest.raises(KeyError):
        column_score(draft, inputs, column="other")


def test_vn_decimal_follows_a_changed_thousand_separator_setting():
    assert vn_decimal(Decimal("12345.50")) == "12345,5"
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert vn_decimal(Decimal("12345.50")) == "12.345,5"
    assert vn_decimal(Decimal("12345.50")) == "12345,5"
