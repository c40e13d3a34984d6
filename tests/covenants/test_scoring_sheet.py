"""Scoring a whole sheet: group caps, bonus and deduction caps, late penalty, the
floor at 0, missing and invalid lines, the example sheets, review gaps.

Pure: no database.
"""

from decimal import Decimal as D

import pytest

from covenants.scoring import LineInput, review_gaps, score_sheet, scored_lines
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_rules import CriterionDraft, GroupDraft, Kind, TemplateDraft


def line(code, kind, maximum, per_item=None, *, evidence=False):
    return CriterionDraft(
        code=code,
        title=f"Tiêu chí {code}",
        kind=kind,
        max_points=D(maximum),
        points_per_item=None if per_item is None else D(per_item),
        evidence_required=evidence,
    )


def small_draft(*, bonus_cap=D(10), deduction_cap=None):
    """Group I (10), bonus groups II and III (6 each), deduction groups IV (8) and V (5)."""
    return TemplateDraft(
        groups=(
            GroupDraft("I", "Chuyên môn", D(10), (line("1", Kind.POINTS, 10),)),
            GroupDraft("II", "Thưởng cờ", D(6), (line("1", Kind.BONUS, 6),)),
            GroupDraft("III", "Thưởng sáng kiến", D(6), (line("1", Kind.BONUS, 6, 2),)),
            GroupDraft("IV", "Trừ báo cáo chậm", D(8), (line("1", Kind.DEDUCTION, 8, 2),)),
            GroupDraft("V", "Trừ vi phạm", D(5), (line("1", Kind.DEDUCTION, 5),)),
        ),
        base_total=D(10),
        bonus_cap=bonus_cap,
        deduction_cap=deduction_cap,
    )


def inputs(**values):
    """``inputs(I_1=5)`` → ``{"I.1": LineInput(5)}``."""
    return {key.replace("_", "."): LineInput(value) for key, value in values.items()}


def full_inputs(factor=1):
    """A realistic self-score of the example sheet; points scale with the sheet."""

    def points(value):
        return D(value) * factor

    return {
        "I.1": LineInput(points(18)),
        "I.2.1": LineInput(points("5.5")),
        "I.2.2": LineInput(True),
        "I.3": LineInput(points(14)),
        "I.4": LineInput(3),  # 3 models × 2.5, capped at 5
        "II.1": LineInput(points("4.5")),
        "II.2": LineInput(points("3.75")),
        "II.3": LineInput(points(3)),
        "II.4": LineInput(False),
        "III.1": LineInput(True),
        "III.2": LineInput(points("3.5")),
        "III.3": LineInput(2),
        "III.4": LineInput(True),
        "III.5": LineInput(points(2)),
        "IV.1": LineInput(points(5)),
        "IV.2.1": LineInput(True),
        "IV.2.2": LineInput(False),
        "IV.3": LineInput(points("2.5")),
        "IV.4": LineInput(True),
        "V.1": LineInput(points(2)),
        "V.2": LineInput(True),
        "V.3": LineInput(points("1.5")),
        "VI.1": LineInput(points(0)),
        "VI.2": LineInput(points(5)),
        "VI.3": LineInput(2),  # 2 initiatives × 2
        "VII.1": LineInput(1),  # 1 late report × 1
        "VII.2": LineInput(0),
        "VII.3": LineInput(points(0)),
    }


# The example sheets --------------------------------------------------------


@pytest.mark.parametrize(
    ("base_total", "groups", "regular", "bonus", "deduction", "total"),
    [
        (
            100,
            {"I": "46.5", "II": "11.25", "III": "13.5", "IV": "12.5", "V": "4.5"},
            "88.25",
            "9",
            "1",
            "96.25",
        ),
        (
            1000,
            {"I": "465", "II": "112.5", "III": "135", "IV": "125", "V": "45"},
            "882.5",
            "90",
            "10",
            "962.5",
        ),
    ],
)
def test_the_example_sheet_with_a_full_realistic_input(
    base_total, groups, regular, bonus, deduction, total
):
    draft = culture_society_draft(base_total=base_total)

    score = score_sheet(draft, full_inputs(factor=D(base_total) / 100))

    assert score.complete is True
    assert score.missing == ()
    assert score.errors == {}
    assert score.without_evidence == ()
    assert {code: score.group_totals[code] for code in groups} == {
        code: D(value) for code, value in groups.items()
    }
    assert score.regular_total == D(regular)
    assert score.bonus_total == D(bonus)
    assert score.deduction_total == D(deduction)
    assert score.late_penalty == 0
    assert score.total == D(total)
    assert set(score.lines) == {line.key for line in scored_lines(draft)}


def test_a_perfect_1000_point_sheet():
    draft = culture_society_draft(base_total=1000)
    perfect = {}
    for sheet_line in scored_lines(draft):
        criterion = sheet_line.criterion
        if sheet_line.group.code in ("VI", "VII"):
            perfect[sheet_line.key] = LineInput(0)
        elif criterion.kind == Kind.PASS_FAIL:
            perfect[sheet_line.key] = LineInput(True)
        elif criterion.kind == Kind.COUNT:
            perfect[sheet_line.key] = LineInput(99)
        else:
            perfect[sheet_line.key] = LineInput(criterion.max_points)

    score = score_sheet(draft, perfect)

    assert score.total == D(1000)
    assert score.group_totals["I"] == D(500)


def test_bonus_pushes_the_total_above_the_base():
    score = score_sheet(culture_society_draft(), {"I.1": LineInput(D(20)), "VI.1": LineInput(10)})

    assert score.total == D(30)
    assert score.bonus_total == D(10)


# Caps ----------------------------------------------------------------------


def test_a_regular_group_is_capped_at_its_maximum():
    draft = TemplateDraft(
        groups=(
            GroupDraft("I", "Nhóm", D(5), (line("1", Kind.POINTS, 4), line("2", Kind.POINTS, 4))),
        ),
        base_total=D(5),
    )

    score = score_sheet(draft, inputs(I_1=4, I_2=3))

    assert score.group_totals["I"] == D(5)
    assert score.total == D(5)


@pytest.mark.parametrize(
    ("values", "bonus_cap", "group_ii", "group_iii", "bonus"),
    [
        ({"II_1": 4, "III_1": 2}, 10, "4", "4", "8"),
        ({"II_1": 6, "III_1": 3}, 10, "6", "6", "10"),  # 12 capped by the template
        ({"II_1": 6, "III_1": 9}, 20, "6", "6", "12"),  # count capped at the line's max
        ({"II_1": 5, "III_1": 0}, 3, "5", "0", "3"),
        ({"II_1": 0, "III_1": 0}, 10, "0", "0", "0"),
    ],
)
def test_bonus_is_capped_per_group_and_by_the_template(
    values, bonus_cap, group_ii, group_iii, bonus
):
    score = score_sheet(small_draft(bonus_cap=D(bonus_cap)), inputs(I_1=5, **values))

    assert score.group_totals["II"] == D(group_ii)
    assert score.group_totals["III"] == D(group_iii)
    assert score.bonus_total == D(bonus)
    assert score.total == D(5) + D(bonus)


def test_a_bonus_group_is_capped_at_its_maximum():
    draft = TemplateDraft(
        groups=(
            GroupDraft("I", "Nhóm", D(10), (line("1", Kind.POINTS, 10),)),
            GroupDraft(
                "II", "Thưởng", D(10), (line("1", Kind.BONUS, 10), line("2", Kind.BONUS, 5))
            ),
        ),
        base_total=D(10),
        bonus_cap=D(20),
    )

    score = score_sheet(draft, inputs(I_1=0, II_1=10, II_2=5))

    assert score.group_totals["II"] == D(10)
    assert score.bonus_total == D(10)


@pytest.mark.parametrize(
    ("values", "deduction_cap", "deduction", "total"),
    [
        ({"IV_1": 2, "V_1": 3}, None, "7", "3"),  # 2 × 2 + 3
        ({"IV_1": 9, "V_1": 5}, None, "13", "0"),  # IV capped at 8; total floored
        ({"IV_1": 2, "V_1": 3}, 6, "6", "4"),
        ({"IV_1": 1, "V_1": 1}, 6, "3", "7"),
        ({"IV_1": 0, "V_1": 0}, 6, "0", "10"),
    ],
)
def test_deductions_capped_or_not(values, deduction_cap, deduction, total):
    cap = None if deduction_cap is None else D(deduction_cap)
    score = score_sheet(small_draft(deduction_cap=cap), inputs(I_1=10, **values))

    assert score.deduction_total == D(deduction)
    assert score.total == D(total)


def test_the_total_never_goes_below_zero():
    score = score_sheet(small_draft(), inputs(I_1=2, IV_1=4, V_1=5), late=True)

    assert score.regular_total == D(2)
    assert score.deduction_total == D(13)
    assert score.total == D(0)


# Late submission (rule 13) -------------------------------------------------


@pytest.mark.parametrize(
    ("late", "late_deduction", "penalty", "total"),
    [
        (False, None, "0", "9"),
        (True, None, "2", "7"),
        (True, D(5), "5", "4"),
        (True, D("0.5"), "0.5", "8.5"),
        (True, D(20), "20", "0"),
        (False, D(5), "0", "9"),
    ],
)
def test_a_late_sheet_loses_the_late_deduction(late, late_deduction, penalty, total):
    options = {} if late_deduction is None else {"late_deduction": late_deduction}

    score = score_sheet(small_draft(), inputs(I_1=9), late=late, **options)

    assert score.late_penalty == D(penalty)
    assert score.total == D(total)


def test_a_negative_late_deduction_is_a_programming_error():
    with pytest.raises(ValueError, match="late_deduction"):
        score_sheet(small_draft(), {}, late=True, late_deduction=D(-1))


# Missing and invalid lines -------------------------------------------------


def test_missing_lines_count_0_and_are_listed_in_sheet_order():
    given = inputs(III_1=2)
    given["V.1"] = LineInput(None)

    score = score_sheet(small_draft(), given)

    assert score.missing == ("I.1", "II.1", "IV.1", "V.1")
    assert score.lines["I.1"] == 0
    assert score.total == D(4)
    assert score.complete is False


def test_invalid_lines_count_0_are_listed_and_do_not_stop_the_others():
    score = score_sheet(small_draft(), inputs(I_1=11, II_1=3, III_1=D("1.5"), IV_1=1, V_1="x"))

    assert set(score.errors) == {"I.1", "III.1", "V.1"}
    assert score.errors["I.1"] == "I.1 – Tiêu chí 1: the points must be between 0 and 10."
    assert "whole number" in score.errors["III.1"]
    assert score.lines["I.1"] == 0
    assert score.bonus_total == D(3)
    assert score.deduction_total == D(2)
    assert score.total == D(1)
    assert score.complete is False


def test_a_key_that_is_no_line_is_an_error():
    score = score_sheet(culture_society_draft(), {"I.2": LineInput(D(5)), "IX.1": LineInput(1)})

    assert score.errors == {
        "I.2": "I.2: there is no such line on this sheet.",
        "IX.1": "IX.1: there is no such line on this sheet.",
    }
    assert score.total == 0


# Evidence and rounding on a sheet ------------------------------------------


@pytest.mark.parametrize(("require_evidence", "total"), [(True, "4.00"), (False, "32.50")])
def test_lines_without_required_evidence_count_0_when_required(require_evidence, total):
    given = full_inputs()
    given["I.1"] = LineInput(D(18), has_evidence=False)  # evidence required
    given["I.2.2"] = LineInput(True, has_evidence=False)  # not required
    given["I.4"] = LineInput(3, has_evidence=False)  # evidence required
    given["I.3"] = LineInput(D(0), has_evidence=False)  # required, but claims nothing
    given["I.2.1"] = LineInput(D("5.5"), has_evidence=False)

    score = score_sheet(culture_society_draft(), given, require_evidence=require_evidence)

    assert str(score.group_totals["I"]) == total
    expected = ("I.1", "I.2.1", "I.4") if require_evidence else ()
    assert score.without_evidence == expected


def test_lines_are_rounded_before_they_are_added():
    draft = TemplateDraft(
        groups=(
            GroupDraft("I", "Nhóm", D(10), (line("1", Kind.POINTS, 5), line("2", Kind.POINTS, 5))),
        ),
        base_total=D(10),
    )

    score = score_sheet(draft, inputs(I_1=D("2.345"), I_2=D("2.344")))

    assert score.lines == {"I.1": D("2.35"), "I.2": D("2.34")}
    assert str(score.total) == "4.69"
    assert str(score.regular_total) == "4.69"


# Review gaps ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "gap", "flagged"),
    [
        ({}, D(1), []),
        ({"I.1": LineInput(D(17))}, D(1), []),  # exactly the gap: not flagged
        ({"I.1": LineInput(D("16.99"))}, D(1), ["I.1"]),
        ({"I.1": LineInput(D(19)), "II.4": LineInput(True)}, D(1), ["II.4"]),
        ({"I.4": LineInput(1), "VII.1": LineInput(4)}, D(2), ["I.4", "VII.1"]),
        ({"I.4": LineInput(1)}, D(3), []),
        ({"I.3": LineInput(None)}, D(1), ["I.3"]),  # review left it empty: 0
        ({"III.3": LineInput(D("0.5"))}, D(1), ["III.3"]),  # invalid: 0
        ({"I.1": LineInput(D(18), has_evidence=False)}, D(0), []),  # evidence aside
        ({"I.2.1": LineInput(D("5.49"))}, D(0), ["I.2.1"]),
    ],
)
def test_review_gaps_flag_lines_differing_by_more_than_the_gap(changes, gap, flagged):
    draft = culture_society_draft()
    review = {**full_inputs(), **changes}

    assert review_gaps(full_inputs(), review, draft, gap=gap) == flagged


def test_review_gaps_reject_a_negative_gap():
    with pytest.raises(ValueError, match="gap"):
        review_gaps({}, {}, culture_society_draft(), gap=D(-1))
