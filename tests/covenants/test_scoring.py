"""Scoring one line: values per kind, boundaries, invalid values, evidence, rounding.

Pure: no database.
"""

from decimal import Decimal as D

import pytest

from covenants.scoring import (
    LineInput,
    ScoreError,
    line_key,
    line_points,
    round_points,
    scored_lines,
)
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_rules import CriterionDraft, Kind, template_totals


def criterion(kind, maximum, per_item=None, *, evidence=False, code="1", title="Tiêu chí"):
    return CriterionDraft(
        code=code,
        title=title,
        kind=kind,
        max_points=D(maximum),
        points_per_item=None if per_item is None else D(per_item),
        evidence_required=evidence,
    )


# Line keys and scored lines ------------------------------------------------


@pytest.mark.parametrize(
    ("group", "code", "key"),
    [("I", "1", "I.1"), ("I", "1.2", "I.1.2"), ("XII", "10", "XII.10")],
)
def test_line_key_joins_the_group_and_criterion_codes(group, code, key):
    assert line_key(group, code) == key


def test_scored_lines_list_children_instead_of_their_parent_in_sheet_order():
    draft = culture_society_draft()

    keys = [line.key for line in scored_lines(draft)]

    assert keys[:6] == ["I.1", "I.2.1", "I.2.2", "I.3", "I.4", "II.1"]
    assert "I.2" not in keys
    assert "IV.2" not in keys
    assert {"IV.2.1", "IV.2.2"} <= set(keys)
    assert keys[-3:] == ["VII.1", "VII.2", "VII.3"]
    assert len(keys) == len(set(keys)) == template_totals(draft).scored_lines


def test_a_scored_sub_criterion_knows_its_group_and_parent():
    line = next(line for line in scored_lines(culture_society_draft()) if line.key == "I.2.2")

    assert line.group.code == "I"
    assert line.parent.code == "2"
    assert line.criterion.code == "2.2"
    assert line.criterion.kind == Kind.PASS_FAIL


# Valid values per kind -----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "maximum", "per_item", "value", "expected"),
    [
        # points: 0..max, fractions kept
        (Kind.POINTS, 20, None, 0, "0.00"),
        (Kind.POINTS, 20, None, 20, "20.00"),
        (Kind.POINTS, 20, None, D("12.5"), "12.50"),
        (Kind.POINTS, 20, None, D("19.99"), "19.99"),
        # pass/fail: max or 0
        (Kind.PASS_FAIL, 3, None, True, "3.00"),
        (Kind.PASS_FAIL, 3, None, False, "0.00"),
        # count: count × per item, capped at max
        (Kind.COUNT, 5, "2.5", 0, "0.00"),
        (Kind.COUNT, 5, "2.5", 1, "2.50"),
        (Kind.COUNT, 5, "2.5", 2, "5.00"),
        (Kind.COUNT, 5, "2.5", 7, "5.00"),
        (Kind.COUNT, 3, "1", D("2"), "2.00"),
        (Kind.COUNT, 3, "1", D("2.00"), "2.00"),
        (Kind.COUNT, 10, "0.75", 3, "2.25"),
        # bonus / deduction without per item: points 0..max
        (Kind.BONUS, 10, None, 10, "10.00"),
        (Kind.BONUS, 10, None, D("7.5"), "7.50"),
        (Kind.DEDUCTION, 10, None, 0, "0.00"),
        (Kind.DEDUCTION, 10, None, 10, "10.00"),
        # bonus / deduction with per item: a count, capped
        (Kind.BONUS, 6, "2", 2, "4.00"),
        (Kind.BONUS, 6, "2", 4, "6.00"),
        (Kind.DEDUCTION, 6, "1", 3, "3.00"),
        (Kind.DEDUCTION, 4, "2", 9, "4.00"),
    ],
)
def test_line_points_per_kind(kind, maximum, per_item, value, expected):
    points = line_points(criterion(kind, maximum, per_item), LineInput(value))

    assert points == D(expected)
    assert str(points) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("2.345"), "2.35"),
        (D("2.344"), "2.34"),
        (D("2.355"), "2.36"),
        (D("0.005"), "0.01"),
        (D("0.004"), "0.00"),
        (D("4.999"), "5.00"),
    ],
)
def test_points_are_rounded_half_up_to_two_decimals(value, expected):
    assert str(line_points(criterion(Kind.POINTS, 5), LineInput(value))) == expected


@pytest.mark.parametrize(("value", "expected"), [(2, "2.00"), (D("2.345"), "2.35"), (0, "0.00")])
def test_round_points(value, expected):
    assert str(round_points(value)) == expected


# Invalid values ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "maximum", "per_item", "value", "message"),
    [
        (Kind.POINTS, 20, None, -1, "between 0 and 20"),
        (Kind.POINTS, 20, None, D("-0.01"), "between 0 and 20"),
        (Kind.POINTS, 20, None, D("20.01"), "between 0 and 20"),
        (Kind.POINTS, D("2.5"), None, 3, "between 0 and 2.5"),
        (Kind.POINTS, 20, None, D("NaN"), "between 0 and 20"),
        (Kind.POINTS, 20, None, D("Infinity"), "between 0 and 20"),
        (Kind.POINTS, 20, None, True, "enter a number of points"),
        (Kind.POINTS, 20, None, "12", "enter a number of points"),
        (Kind.POINTS, 20, None, 12.5, "enter a number of points"),
        (Kind.PASS_FAIL, 3, None, 1, "choose pass or fail"),
        (Kind.PASS_FAIL, 3, None, D(3), "choose pass or fail"),
        (Kind.PASS_FAIL, 3, None, "yes", "choose pass or fail"),
        (Kind.COUNT, 5, "2.5", -1, "cannot be negative"),
        (Kind.COUNT, 5, "2.5", D("1.5"), "whole number of items"),
        (Kind.COUNT, 5, "2.5", True, "whole number of items"),
        (Kind.COUNT, 5, "2.5", "2", "whole number of items"),
        (Kind.COUNT, 5, "2.5", 2.0, "whole number of items"),
        (Kind.COUNT, 5, "2.5", D("NaN"), "whole number of items"),
        (Kind.BONUS, 10, None, D("10.5"), "between 0 and 10"),
        (Kind.BONUS, 10, None, -2, "between 0 and 10"),
        (Kind.BONUS, 6, "2", D("0.5"), "whole number of items"),
        (Kind.DEDUCTION, 10, None, 11, "between 0 and 10"),
        (Kind.DEDUCTION, 10, None, False, "enter a number of points"),
        (Kind.DEDUCTION, 6, "1", -3, "cannot be negative"),
        (Kind.POINTS, 20, None, None, "no score entered"),
        (Kind.PASS_FAIL, 3, None, None, "no score entered"),
    ],
)
def test_invalid_values_raise_a_score_error(kind, maximum, per_item, value, message):
    with pytest.raises(ScoreError, match=message):
        line_points(criterion(kind, maximum, per_item), LineInput(value))


def test_a_score_error_names_the_line_by_key_and_title():
    line = criterion(Kind.POINTS, 6, code="2.1", title="Trình đúng tiến độ")

    with pytest.raises(ScoreError) as caught:
        line_points(line, LineInput(D(7)), key="I.2.1")

    assert caught.value.message == "I.2.1 – Trình đúng tiến độ: the points must be between 0 and 6."
    assert str(caught.value) == caught.value.message


def test_without_a_key_the_error_names_the_criterion_code():
    with pytest.raises(ScoreError, match=r"^2\.1 – Tiêu chí: choose pass or fail\.$"):
        line_points(criterion(Kind.PASS_FAIL, 2, code="2.1"), LineInput(1))


def test_an_invalid_value_is_reported_even_without_evidence():
    line = criterion(Kind.POINTS, 5, evidence=True)

    with pytest.raises(ScoreError):
        line_points(line, LineInput(D(9), has_evidence=False))


# Evidence (domain rule 11) -------------------------------------------------


@pytest.mark.parametrize(
    ("evidence_required", "has_evidence", "require_evidence", "expected"),
    [
        (True, False, True, "0.00"),
        (True, False, False, "4.00"),
        (True, True, True, "4.00"),
        (False, False, True, "4.00"),
        (False, False, False, "4.00"),
    ],
)
def test_a_line_needing_evidence_counts_0_without_it_when_the_rule_is_on(
    evidence_required, has_evidence, require_evidence, expected
):
    line = criterion(Kind.POINTS, 5, evidence=evidence_required)

    points = line_points(
        line, LineInput(D(4), has_evidence=has_evidence), require_evidence=require_evidence
    )

    assert str(points) == expected


@pytest.mark.parametrize(
    ("kind", "per_item", "value"),
    [(Kind.COUNT, "1", 3), (Kind.PASS_FAIL, None, True), (Kind.BONUS, "2", 1)],
)
def test_the_evidence_rule_applies_to_every_kind(kind, per_item, value):
    line = criterion(kind, 3, per_item, evidence=True)

    assert line_points(line, LineInput(value, has_evidence=False)) == 0
    assert line_points(line, LineInput(value, has_evidence=False), require_evidence=False) > 0


def test_line_input_defaults_to_having_evidence_and_is_frozen():
    line_input = LineInput(D(1))

    assert line_input.has_evidence is True
    with pytest.raises(AttributeError):
        line_input.value = D(2)
