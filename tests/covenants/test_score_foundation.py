"""The scoring foundation: the blind-review rule (pure), stored values ↔
pure inputs, opening sheets with the stage, the guards, and the invariants
the database keeps on its own."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from blocs import services as bloc_services
from blocs.models import MemberRole
from blocs.stages import Stage
from covenants.models import Period, ScoreLine, ScoreSheet
from covenants.scores.values import line_input, stored_value
from covenants.scores.visibility import SheetSide, visible_values
from covenants.sheet_rules import CriterionDraft
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    finalize,
    hold_mid_year,
    scoring_year,
)

# The blind-review rule, database-free ------------------------------------------

STATES = [(False, False), (True, False), (False, True), (True, True)]


@pytest.mark.parametrize(("self_in", "review_in"), STATES)
def test_member_never_sees_the_review_before_both_are_in(self_in, review_in):
    seen = visible_values(SheetSide.MEMBER, self_submitted=self_in, review_submitted=review_in)
    assert seen.self_values is True
    assert seen.review_values is seen.final_values is (self_in and review_in)


@pytest.mark.parametrize(("self_in", "review_in"), STATES)
def test_reviewer_never_sees_the_self_scores_before_both_are_in(self_in, review_in):
    seen = visible_values(SheetSide.REVIEWER, self_submitted=self_in, review_submitted=review_in)
    assert seen.review_values is True
    assert seen.self_values is seen.final_values is (self_in and review_in)


@pytest.mark.parametrize("side", [SheetSide.SECRETARIAT, SheetSide.BOARD])
@pytest.mark.parametrize(("self_in", "review_in"), STATES)
def test_overseers_see_what_was_submitted(side, self_in, review_in):
    seen = visible_values(side, self_submitted=self_in, review_submitted=review_in)
    assert (seen.self_values, seen.review_values) == (self_in, review_in)


@pytest.mark.parametrize("published", [False, True])
def test_other_members_see_only_final_values_once_published(published):
    seen = visible_values(
        SheetSide.PEER, self_submitted=True, review_submitted=True, published=published
    )
    assert (seen.self_values, seen.review_values, seen.final_values) == (False, False, published)
    nobody = visible_values(
        SheetSide.NONE, self_submitted=True, review_submitted=True, published=True
    )
    assert not (nobody.self_values)
    assert not (nobody.review_values)
    assert not (nobody.final_values)


# Stored values ↔ pure inputs ---------------------------------------------------


def _criterion(kind, per_item=None):
    return CriterionDraft(
        code="1", title="t", kind=kind, max_points=Decimal(10), points_per_item=per_item
    )


def test_pass_fail_is_stored_as_one_or_zero_and_read_as_a_bool():
    criterion = _criterion("pass_fail")
    assert stored_value(criterion, True) == 1
    assert stored_value(criterion, False) == 0
    assert line_input(criterion, Decimal(1)).value is True
    assert line_input(criterion, Decimal(0)).value is False


def test_counts_read_back_as_whole_numbers_and_fractions_stay_invalid():
    criterion = _criterion("count", Decimal("0.5"))
    assert line_input(criterion, Decimal("6.00")).value == 6
    assert isinstance(line_input(criterion, Decimal("6.00")).value, int)
    assert line_input(criterion, Decimal("6.5")).value == Decimal("6.5")


def test_points_and_empty_values_pass_through():
    criterion = _criterion("points")
    assert line_input(criterion, Decimal("7.25")).value == Decimal("7.25")
    assert line_input(criterion, None).value is None
    assert stored_value(criterion, "") is None


# Sheets open with the stage ----------------------------------------------------


@pytest.mark.django_db
def test_starting_the_year_opens_a_mid_year_sheet_per_member_with_every_line(
    bloc_year, secretariat_user
):
    from blocs.models import BlocYear
    from blocs.stages import TRANSITIONS_BY_NAME
    from tests.blocs.factories import prepare_for

    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING)
    prepare_for(bloc_year, TRANSITIONS_BY_NAME["start_year"])
    bloc_services.TRANSITION_SERVICES["start_year"](bloc_year=bloc_year, actor=secretariat_user)

    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR)
    assert sheets.count() == bloc_year.memberships.count() == 4
    keys = [line.key for line in sheets.first().lines.all()]
    assert keys[0] == "I.1"
    assert len(keys) == len(set(keys))
    assert all(s.reviewer_agency_id is None for s in sheets)  # mid-year: self only by default


@pytest.mark.django_db
def test_year_end_sheets_have_the_vice_chair_reviewing_the_chair():
    bloc_year = scoring_year()
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    vice = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END)
    assert sheets.get(agency=chair).reviewer_agency == vice
    assert {s.reviewer_agency_id for s in sheets.exclude(agency=chair)} == {None}


@pytest.mark.django_db
def test_opening_again_adds_only_the_missing_sheets():
    from covenants.scores.sheets import sheets_open

    bloc_year = scoring_year()
    assert sheets_open(bloc_year=bloc_year, period=Period.YEAR_END) == []


# Guards --------------------------------------------------------------------------


@pytest.mark.django_db
def test_open_scoring_names_who_has_not_submitted_the_mid_year_sheet(secretariat_user):
    bloc_year = scoring_year(stage=Stage.IN_PROGRESS)
    from blocs.permissions import is_secretariat

    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    secretariat_user.agency = chair
    secretariat_user.save()
    assert is_secretariat(secretariat_user, bloc_year)
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR)
    late = sheets.order_by("pk").first()
    for sheet in sheets.exclude(pk=late.pk):
        fill_self(sheet)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        bloc_services.TRANSITION_SERVICES["open_scoring"](
            bloc_year=bloc_year, actor=secretariat_user
        )
    text = " ".join(error.value.messages)
    assert "The mid-year review has not been recorded as held." in text
    assert f"{late.agency.name} has not submitted its self-scores." in text

    hold_mid_year(bloc_year)
    bloc_services.TRANSITION_SERVICES["open_scoring"](bloc_year=bloc_year, actor=secretariat_user)
    assert ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END).count() == 4


@pytest.mark.django_db
def test_open_conference_needs_every_sheet_final_and_the_ranking_published(secretariat_user):
    from django.core.exceptions import ValidationError

    bloc_year = scoring_year()
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    secretariat_user.agency = chair
    secretariat_user.save()
    sheets = list(
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END).order_by("pk")
    )
    fill_self(sheets[0])
    fill_self(sheets[1])
    fill_review(sheets[1])
    fill_self(sheets[2])
    fill_review(sheets[2])
    finalize(sheets[2])
    with pytest.raises(ValidationError) as error:
        bloc_services.TRANSITION_SERVICES["open_conference"](
            bloc_year=bloc_year, actor=secretariat_user
        )
    text = " ".join(error.value.messages)
    assert f"The review of {sheets[0].agency.name}'s sheet is not submitted." in text
    assert f"{sheets[1].agency.name}'s sheet is not final yet." in text
    assert f"{sheets[3].agency.name} has not submitted its self-scores." in text
    assert sheets[2].agency.name not in text
    assert "The year-end ranking has not been published." in text


# What the database keeps on its own ----------------------------------------------


@pytest.mark.django_db
def test_an_agency_cannot_review_its_own_sheet_even_by_a_direct_write():
    bloc_year = scoring_year()
    sheet = ScoreSheet.objects.filter(bloc_year=bloc_year).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.filter(pk=sheet.pk).update(reviewer_agency=sheet.agency)


@pytest.mark.django_db
def test_a_changed_final_score_without_a_reason_is_refused_by_the_database():
    bloc_year = scoring_year()
    line = ScoreLine.objects.filter(sheet__bloc_year=bloc_year).first()
    ScoreLine.objects.filter(pk=line.pk).update(self_value=Decimal(5))
    ScoreLine.objects.filter(pk=line.pk).update(final_value=Decimal(5))  # same: no reason needed
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreLine.objects.filter(pk=line.pk).update(final_value=Decimal(4))
    ScoreLine.objects.filter(pk=line.pk).update(final_value=Decimal(4), final_reason="Thiếu QĐ")


@pytest.mark.django_db
def test_one_sheet_per_member_and_period_and_no_negative_scores():
    bloc_year = scoring_year()
    sheet = ScoreSheet.objects.filter(bloc_year=bloc_year).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.create(
            bloc_year=bloc_year, period=sheet.period, agency=sheet.agency, template=sheet.template
        )
    line = sheet.lines.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreLine.objects.filter(pk=line.pk).update(review_value=Decimal(-1))
