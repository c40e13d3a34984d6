"""Creating, filling and copying a year's scoring sheet."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from blocs.stages import Stage
from covenants.models import (
    CriterionKind,
    ScoringCriterion,
    ScoringGroup,
    ScoringTemplate,
    TemplateStatus,
)
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_rules import TemplateDraft
from covenants.sheet_services import (
    template_copy_from_previous,
    template_create,
    template_discard_draft,
    template_new_version,
    template_replace_content,
)
from tests.blocs.factories import BlocYearFactory
from tests.covenants.factories_sheet import sheet_template
from tests.covenants.sheet_helpers import content, set_stage


@pytest.fixture
def bloc_year(bloc_year):
    """The shared set-up year, before anyone has made its scoring sheet."""
    ScoringTemplate.objects.filter(bloc_year=bloc_year).delete()
    return bloc_year


# Creating ------------------------------------------------------------------


def test_the_secretariat_creates_an_empty_draft_with_the_default_settings(
    bloc_year, secretariat_user
):
    template = template_create(bloc_year=bloc_year, actor=secretariat_user)

    assert (template.version, template.status) == (1, TemplateStatus.DRAFT)
    assert (template.base_total, template.bonus_cap, template.deduction_cap) == (100, 10, None)
    assert template.created_by == secretariat_user
    assert template.frozen_at is None


def test_the_board_creates_a_1000_point_draft(bloc_year, board_user):
    template = template_create(
        bloc_year=bloc_year, actor=board_user, base_total=1000, bonus_cap=100, deduction_cap=50
    )

    assert (template.base_total, template.bonus_cap, template.deduction_cap) == (1000, 100, 50)


@pytest.mark.parametrize("user", ["member_leader", "outsider", "other_board_user"])
def test_only_the_secretariat_and_the_board_create_a_sheet(request, bloc_year, user):
    with pytest.raises(PermissionDenied):
        template_create(bloc_year=bloc_year, actor=request.getfixturevalue(user))

    assert not ScoringTemplate.objects.exists()


def test_a_second_draft_is_refused(bloc_year, secretariat_user):
    template_create(bloc_year=bloc_year, actor=secretariat_user)

    with pytest.raises(ValidationError, match=r"already has a draft scoring sheet \(version 1\)"):
        template_create(bloc_year=bloc_year, actor=secretariat_user)


def test_settings_are_checked_on_create(bloc_year, secretariat_user):
    with pytest.raises(ValidationError, match="The base total must be more than 0"):
        template_create(bloc_year=bloc_year, actor=secretariat_user, base_total=0)


# Replacing the content -----------------------------------------------------


@pytest.mark.parametrize("base_total", [100, 1000])
def test_replacing_the_content_stores_the_draft_exactly(bloc_year, secretariat_user, base_total):
    template = template_create(bloc_year=bloc_year, actor=secretariat_user)
    draft = culture_society_draft(base_total=base_total)

    template_replace_content(template=template, actor=secretariat_user, draft=draft)

    assert content(template) == draft
    assert ScoringGroup.objects.filter(template=template).count() == 7
    stored = ScoringTemplate.objects.get(pk=template.pk)
    assert stored.base_total == base_total


def test_sub_criteria_are_stored_under_their_parent(bloc_year, secretariat_user):
    template = template_create(bloc_year=bloc_year, actor=secretariat_user)
    template_replace_content(
        template=template, actor=secretariat_user, draft=culture_society_draft()
    )

    parent = ScoringCriterion.objects.get(group__template=template, group__code="I", code="2")
    children = list(parent.children.order_by("order").values_list("code", "kind"))

    assert children == [("2.1", CriterionKind.POINTS), ("2.2", CriterionKind.PASS_FAIL)]
    assert str(parent).startswith("2 – Tham mưu UBND tỉnh")


def test_replacing_again_replaces_everything(bloc_year, secretariat_user):
    template = sheet_template(bloc_year)
    smaller = replace(
        culture_society_draft(),
        groups=culture_society_draft().groups[:1],
        base_total=D(50),
    )

    template_replace_content(template=template, actor=secretariat_user, draft=smaller)

    assert content(template) == smaller
    assert ScoringCriterion.objects.filter(group__template=template).count() == 6


def test_an_invalid_draft_is_refused_with_every_problem_and_nothing_changes(
    bloc_year, secretariat_user
):
    template = sheet_template(bloc_year)
    before = content(template)
    broken = replace(before, base_total=D(90), deduction_cap=D(5))

    with pytest.raises(ValidationError) as caught:
        template_replace_content(template=template, actor=secretariat_user, draft=broken)

    messages = caught.value.messages
    assert "The regular groups add up to 100 points, not the base total of 90." in messages
    assert "VII – Điểm trừ: a deduction group may take away at most the deduction cap of " in (
        " ".join(messages)
    )
    assert len(messages) == 4
    assert content(template) == before


@pytest.mark.parametrize("user", ["member_leader", "outsider"])
def test_members_and_outsiders_cannot_edit_the_sheet(request, bloc_year, user):
    template = sheet_template(bloc_year)

    with pytest.raises(PermissionDenied):
        template_replace_content(
            template=template, actor=request.getfixturevalue(user), draft=culture_society_draft()
        )


def test_a_frozen_template_cannot_be_edited(bloc_year, secretariat_user):
    template = sheet_template(bloc_year, status=TemplateStatus.FROZEN)

    with pytest.raises(ValidationError, match="is frozen; start a new version") as caught:
        template_replace_content(
            template=template, actor=secretariat_user, draft=culture_society_draft()
        )

    assert caught.value.code == "frozen"


@pytest.mark.parametrize(
    "stage", [Stage.SIGNING, Stage.IN_PROGRESS, Stage.SCORING, Stage.CONFERENCE]
)
def test_the_sheet_cannot_change_once_signing_has_opened(bloc_year, board_user, stage):
    template = sheet_template(bloc_year)
    set_stage(bloc_year, stage)

    with pytest.raises(ValidationError, match="fixed once covenant signing opens") as caught:
        template_replace_content(
            template=template, actor=board_user, draft=culture_society_draft(base_total=1000)
        )

    assert caught.value.code == "not_setup"
    assert content(template) == culture_society_draft()


def test_a_closed_year_refuses_every_edit(bloc_year, board_user):
    template = sheet_template(bloc_year)
    set_stage(bloc_year, Stage.CLOSED)

    with pytest.raises(ValidationError, match="is closed") as caught:
        template_replace_content(template=template, actor=board_user, draft=TemplateDraft())
    assert caught.value.code == "read_only"
    with pytest.raises(ValidationError, match="is closed"):
        template_discard_draft(template=template, actor=board_user)


def test_after_signing_no_sheet_can_be_created_or_copied(bloc_year, secretariat_user):
    set_stage(bloc_year, Stage.SIGNING)

    for service in (template_create, template_copy_from_previous, template_new_version):
        with pytest.raises(ValidationError, match="fixed once covenant signing opens"):
            service(bloc_year=bloc_year, actor=secretariat_user)


# Copying last year's sheet -------------------------------------------------


def test_copying_takes_last_years_sheet_in_force_as_version_1(bloc_year, secretariat_user):
    last_year = BlocYearFactory(bloc=bloc_year.bloc, year=bloc_year.year - 1)
    sheet_template(last_year, status=TemplateStatus.FROZEN, version=1)
    in_force = culture_society_draft(base_total=1000)
    sheet_template(last_year, draft=in_force, status=TemplateStatus.FROZEN, version=2)
    sheet_template(last_year, version=3)  # a draft nobody froze

    copy = template_copy_from_previous(bloc_year=bloc_year, actor=secretariat_user)

    assert (copy.bloc_year, copy.version, copy.status) == (bloc_year, 1, TemplateStatus.DRAFT)
    assert content(copy) == in_force
    assert copy.created_by == secretariat_user


def test_copying_takes_the_nearest_earlier_year(bloc_year, secretariat_user):
    two_years_ago = BlocYearFactory(bloc=bloc_year.bloc, year=bloc_year.year - 2)
    sheet_template(two_years_ago, status=TemplateStatus.FROZEN)

    copy = template_copy_from_previous(bloc_year=bloc_year, actor=secretariat_user)

    assert content(copy) == culture_society_draft()


def test_copying_leaves_last_years_sheet_untouched(bloc_year, secretariat_user):
    last_year = BlocYearFactory(bloc=bloc_year.bloc, year=bloc_year.year - 1)
    source = sheet_template(last_year, status=TemplateStatus.FROZEN)

    copy = template_copy_from_previous(bloc_year=bloc_year, actor=secretariat_user)
    template_replace_content(
        template=copy, actor=secretariat_user, draft=culture_society_draft(base_total=1000)
    )

    assert content(source) == culture_society_draft()
    assert ScoringGroup.objects.filter(template=source).count() == 7


def test_copying_is_refused_when_the_year_has_a_sheet(bloc_year, secretariat_user):
    last_year = BlocYearFactory(bloc=bloc_year.bloc, year=bloc_year.year - 1)
    sheet_template(last_year, status=TemplateStatus.FROZEN)
    template_create(bloc_year=bloc_year, actor=secretariat_user)

    with pytest.raises(ValidationError, match="already has a scoring sheet"):
        template_copy_from_previous(bloc_year=bloc_year, actor=secretariat_user)


def test_copying_needs_an_earlier_year_with_a_sheet(bloc_year, secretariat_user):
    with pytest.raises(ValidationError, match="no earlier year"):
        template_copy_from_previous(bloc_year=bloc_year, actor=secretariat_user)

    BlocYearFactory(bloc=bloc_year.bloc, year=bloc_year.year - 1)
    with pytest.raises(ValidationError, match=f"year {bloc_year.year - 1} has no scoring sheet"):
        template_copy_from_previous(bloc_year=bloc_year, actor=secretariat_user)


def test_copying_is_refused_to_members(bloc_year, member_leader):
    last_year = BlocYearFactory(bloc=bloc_year.bloc, year=bloc_year.year - 1)
    sheet_template(last_year, status=TemplateStatus.FROZEN)

    with pytest.raises(PermissionDenied):
        template_copy_from_previous(bloc_year=bloc_year, actor=member_leader)
