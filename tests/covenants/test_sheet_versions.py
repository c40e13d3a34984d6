"""Versions, freezing and reading of a year's scoring sheet."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from blocs.stages import Stage
from covenants.models import (
    CriterionKind,
    ScoringGroup,
    ScoringTemplate,
    TemplateStatus,
)
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_rules import Kind
from covenants.sheet_services import (
    can_edit_template,
    current_template,
    draft_template,
    template_create,
    template_discard_draft,
    template_freeze,
    template_freeze_current,
    template_new_version,
    template_replace_content,
    template_signing_blockers,
)
from tests.blocs.factories import BlocYearFactory
from tests.covenants.factories_sheet import sheet_template
from tests.covenants.sheet_helpers import content, set_stage


@pytest.fixture
def bloc_year(bloc_year):
    """The shared set-up year, before anyone has made its scoring sheet."""
    ScoringTemplate.objects.filter(bloc_year=bloc_year).delete()
    return bloc_year


# Versions ------------------------------------------------------------------


def test_a_new_version_copies_the_newest_frozen_one_during_set_up(bloc_year, board_user):
    sheet_template(bloc_year, status=TemplateStatus.FROZEN, version=1)
    newest = culture_society_draft(base_total=1000)
    sheet_template(bloc_year, draft=newest, status=TemplateStatus.FROZEN, version=2)

    template = template_new_version(bloc_year=bloc_year, actor=board_user)

    assert (template.version, template.status) == (3, TemplateStatus.DRAFT)
    assert content(template) == newest


def test_a_new_version_is_refused_while_a_draft_exists(bloc_year, secretariat_user):
    sheet_template(bloc_year, status=TemplateStatus.FROZEN, version=1)
    sheet_template(bloc_year, version=2)

    with pytest.raises(ValidationError, match=r"draft scoring sheet \(version 2\)"):
        template_new_version(bloc_year=bloc_year, actor=secretariat_user)


def test_a_new_version_needs_a_frozen_one(bloc_year, secretariat_user):
    with pytest.raises(ValidationError, match="No version of the scoring sheet is frozen"):
        template_new_version(bloc_year=bloc_year, actor=secretariat_user)


def test_a_new_version_is_refused_after_set_up(bloc_year, secretariat_user):
    sheet_template(bloc_year, status=TemplateStatus.FROZEN)
    set_stage(bloc_year, Stage.SIGNING)

    with pytest.raises(ValidationError) as caught:
        template_new_version(bloc_year=bloc_year, actor=secretariat_user)

    assert caught.value.code == "not_setup"
    assert ScoringTemplate.objects.count() == 1


def test_an_unwanted_draft_can_be_discarded(bloc_year, secretariat_user):
    frozen = sheet_template(bloc_year, status=TemplateStatus.FROZEN, version=1)
    draft = template_new_version(bloc_year=bloc_year, actor=secretariat_user)

    template_discard_draft(template=draft, actor=secretariat_user)

    assert list(ScoringTemplate.objects.all()) == [frozen]
    assert not ScoringGroup.objects.filter(template_id=draft.pk).exists()


def test_a_frozen_version_cannot_be_discarded(bloc_year, secretariat_user):
    frozen = sheet_template(bloc_year, status=TemplateStatus.FROZEN)

    with pytest.raises(ValidationError, match="is frozen"):
        template_discard_draft(template=frozen, actor=secretariat_user)


# Freezing ------------------------------------------------------------------


def test_freezing_makes_the_sheet_read_only(bloc_year, secretariat_user):
    template = sheet_template(bloc_year)

    frozen = template_freeze(template=template)

    assert frozen.status == TemplateStatus.FROZEN
    assert frozen.frozen_at is not None
    with pytest.raises(ValidationError, match="is frozen"):
        template_replace_content(
            template=frozen, actor=secretariat_user, draft=culture_society_draft()
        )


def test_an_invalid_draft_cannot_be_frozen(bloc_year, secretariat_user):
    template = template_create(bloc_year=bloc_year, actor=secretariat_user)

    with pytest.raises(ValidationError, match="The sheet has no groups"):
        template_freeze(template=template)

    template.refresh_from_db()
    assert template.status == TemplateStatus.DRAFT


def test_a_frozen_sheet_is_not_frozen_again(bloc_year):
    template = sheet_template(bloc_year, status=TemplateStatus.FROZEN)

    with pytest.raises(ValidationError, match="already frozen"):
        template_freeze(template=template)


def test_opening_signing_freezes_the_draft_and_returns_the_sheet_in_force(bloc_year):
    sheet_template(bloc_year, status=TemplateStatus.FROZEN, version=1)
    draft = sheet_template(bloc_year, version=2)

    in_force = template_freeze_current(bloc_year=bloc_year)

    assert in_force == draft
    assert in_force.status == TemplateStatus.FROZEN


def test_freezing_the_current_sheet_without_a_draft_changes_nothing(bloc_year):
    frozen = sheet_template(bloc_year, status=TemplateStatus.FROZEN)

    assert template_freeze_current(bloc_year=bloc_year) == frozen
    assert template_freeze_current(bloc_year=BlocYearFactory()) is None


def test_signing_is_blocked_without_a_sheet_or_with_an_invalid_draft(bloc_year):
    assert template_signing_blockers(bloc_year) == ["The year has no scoring sheet yet."]

    draft = sheet_template(bloc_year, draft=replace(culture_society_draft(), base_total=D(90)))
    assert template_signing_blockers(bloc_year) == [
        "Scoring sheet, version 1: The regular groups add up to 100 points, not the base "
        "total of 90."
    ]

    ScoringTemplate.objects.filter(pk=draft.pk).delete()
    sheet_template(bloc_year)
    assert template_signing_blockers(bloc_year) == []


def test_a_frozen_sheet_does_not_block_signing(bloc_year):
    sheet_template(bloc_year, status=TemplateStatus.FROZEN)

    assert template_signing_blockers(bloc_year) == []


# Reading -------------------------------------------------------------------


def test_the_sheet_in_force_is_the_newest_frozen_version(bloc_year):
    assert current_template(bloc_year) is None
    draft_1 = sheet_template(bloc_year, version=1)
    assert current_template(bloc_year) == draft_1

    ScoringTemplate.objects.filter(pk=draft_1.pk).delete()
    sheet_template(bloc_year, status=TemplateStatus.FROZEN, version=1)
    frozen_2 = sheet_template(bloc_year, status=TemplateStatus.FROZEN, version=2)
    draft_3 = sheet_template(bloc_year, version=3)

    assert current_template(bloc_year) == frozen_2
    assert draft_template(bloc_year) == draft_3


def test_the_sheet_in_force_loads_in_three_queries(bloc_year, django_assert_num_queries):
    sheet_template(bloc_year, status=TemplateStatus.FROZEN)

    with django_assert_num_queries(3):
        template = current_template(bloc_year)
        draft = template.to_draft()
        kinds = [group.kind for group in template.groups.all()]

    assert draft == culture_society_draft()
    assert kinds[-2:] == ["bonus", "deduction"]


def test_to_draft_without_prefetching_reads_the_same(bloc_year):
    template = sheet_template(bloc_year)

    assert ScoringTemplate.objects.get(pk=template.pk).to_draft() == culture_society_draft()


def test_who_may_edit_the_sheet(
    bloc_year, secretariat_user, board_user, member_leader, outsider, other_board_user
):
    assert can_edit_template(secretariat_user, bloc_year) is True
    assert can_edit_template(board_user, bloc_year) is True
    assert can_edit_template(member_leader, bloc_year) is False
    assert can_edit_template(outsider, bloc_year) is False
    assert can_edit_template(other_board_user, bloc_year) is False

    set_stage(bloc_year, Stage.SIGNING)
    assert can_edit_template(board_user, bloc_year) is False


def test_str_names_the_year_and_version(bloc_year):
    template = sheet_template(bloc_year, version=2)
    group = template.groups.first()

    assert str(template) == f"Scoring sheet {bloc_year}, version 2"
    assert str(group) == "I – Thực hiện nhiệm vụ chính trị, chuyên môn được giao"


def test_criterion_kinds_are_the_rules_kinds():
    assert CriterionKind.values == [kind.value for kind in Kind]
