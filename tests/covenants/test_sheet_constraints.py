"""The database constraints of a stored scoring sheet."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from covenants.models import (
    CriterionKind,
    ScoringCriterion,
    ScoringGroup,
    ScoringTemplate,
    TemplateStatus,
)
from tests.covenants.factories_sheet import sheet_template
from tests.members.factories import UserFactory


@pytest.fixture
def bloc_year(bloc_year):
    """The shared set-up year, before anyone has made its scoring sheet."""
    ScoringTemplate.objects.filter(bloc_year=bloc_year).delete()
    return bloc_year


# Database constraints ------------------------------------------------------


def _template(bloc_year, **fields):
    return ScoringTemplate(**{"bloc_year": bloc_year, "created_by": UserFactory(), **fields})


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        # An unknown status breaks the frozen-date rule too; databases report either.
        ({"status": "archived"}, "covenants_scoringtemplate_(status_valid|frozen_has_date)"),
        ({"version": 0}, "covenants_scoringtemplate_version_positive"),
        ({"base_total": 0}, "covenants_scoringtemplate_base_total_positive"),
        ({"bonus_cap": -1}, "covenants_scoringtemplate_caps_not_negative"),
        ({"deduction_cap": -1}, "covenants_scoringtemplate_caps_not_negative"),
        ({"status": TemplateStatus.FROZEN}, "covenants_scoringtemplate_frozen_has_date"),
    ],
)
def test_template_constraints(bloc_year, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        _template(bloc_year, **fields).save()


def test_one_draft_and_one_row_per_version_per_year(bloc_year):
    _template(bloc_year, version=1).save()

    with pytest.raises(IntegrityError), transaction.atomic():
        _template(bloc_year, version=2).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _template(
            bloc_year, version=1, status=TemplateStatus.FROZEN, frozen_at=timezone.now()
        ).save()


def test_full_clean_reports_a_second_draft_in_words(bloc_year):
    _template(bloc_year, version=1).save()

    with pytest.raises(ValidationError, match="already has a draft scoring sheet"):
        _template(bloc_year, version=2).full_clean()


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "stars"},
        {"max_points": -1},
        {"kind": CriterionKind.COUNT, "points_per_item": None},
        {"kind": CriterionKind.BONUS, "points_per_item": 0},
        {"kind": CriterionKind.POINTS, "points_per_item": 1},
        {"kind": CriterionKind.PASS_FAIL, "points_per_item": 1},
        {"code": "1"},  # taken by the first criterion of the group
    ],
)
def test_criterion_constraints(bloc_year, fields):
    group = sheet_template(bloc_year).groups.first()
    values = {"group": group, "order": 99, "code": "9", "title": "Thử", "max_points": 1}

    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringCriterion.objects.create(**{**values, **fields})


def test_group_codes_are_unique_in_a_template(bloc_year):
    template = sheet_template(bloc_year)

    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringGroup.objects.create(template=template, order=9, code="I", title="x", max_points=1)
