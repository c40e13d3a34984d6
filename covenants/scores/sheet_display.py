"""A sheet laid out for its pages: groups, parent criteria and scored lines
in sheet order, one cell per column the viewer may see, totals and the
lines whose self-score and review differ by more than the year's gap.

Works only on what :func:`.selectors.sheet_lines` read for the viewer, so a
column the blind-review rule hides cannot appear: it was never loaded.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Q
from django.template.defaultfilters import linebreaksbr, urlize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from members.templatetags.documents import vn_decimal

from ..models import CriterionKind, ScoreLine
from ..scoring import SheetScore, review_gaps
from . import permissions
from .totals import sheet_total
from .values import counts_items, line_input
from .visibility import visible_values

__all__ = ["SheetDisplay", "edit_groups", "sheet_display"]


@dataclass(frozen=True)
class SheetDisplay:
    columns: list[str]  # "self", "review", "final": those shown
    rows: list[dict]
    totals: list[tuple[str, SheetScore]]
    gaps: set[str]


def _shown_columns(lines, visible) -> list[str]:
    """The visible columns; the review and final ones only once they hold a value."""
    columns = ["self"] if visible.self_values else []
    for column, shown in (("review", visible.review_values), ("final", visible.final_values)):
        if shown and any(getattr(line, f"{column}_value") is not None for line in lines):
            columns.append(column)
    return columns


def _evidence_keys(sheet) -> set[str]:
    """Keys of lines backed by a file or a reference, for viewers who may see
    final totals but not the self side: one boolean per line, no content."""
    return set(
        ScoreLine.objects.filter(sheet=sheet)
        .filter(Q(evidence__isnull=False) | ~Q(evidence_note=""))
        .values_list("key", flat=True)
    )


def _column_totals(sheet, draft, lines, visible, columns, settings) -> dict[str, SheetScore]:
    """Each shown column's score.

    The evidence rule (rule 11) zeroes unsupported *claims*: it applies to
    the self-scores and to the final values (as the ranking counts them),
    not to the review, which is already the reviewer's judgement of them.
    """
    rows = lines
    if "final" in columns and not visible.self_values:
        backed = _evidence_keys(sheet)
        rows = [
            SimpleNamespace(
                key=line.key,
                criterion=line.criterion,
                final_value=line.final_value,
                has_evidence=line.key in backed,
            )
            for line in lines
        ]
    return {
        column: sheet_total(
            draft,
            rows,
            column=column,
            late=sheet.is_late,
            late_deduction=settings.late_deduction,
            require_evidence=settings.require_evidence and column != "review",
        )
        for column in columns
    }


def _gap_keys(sheet, lines, draft, visible, settings) -> set[str]:
    """Flagged lines, once both sides are in and the viewer sees both."""
    if not (visible.self_values and visible.review_values):
        return set()
    if not (sheet.self_submitted and sheet.review_submitted):
        return set()
    own = {line.key: line_input(line.criterion, line.self_value) for line in lines}
    reviewed = {line.key: line_input(line.criterion, line.review_value) for line in lines}
    return set(review_gaps(own, reviewed, draft, gap=settings.review_gap))


def _cells(line, columns, totals, words, number) -> list[dict]:
    """The value and, where it differs from it (counts, pass/fail, a line
    zeroed for lack of evidence), the points it earns; ``text`` and
    ``points_text`` are both as the page prints them, written here rather than
    by filters and a translation in each of the sheet's 120 cells (issue 9)."""
    cells = []
    pass_fail = line.criterion.kind == CriterionKind.PASS_FAIL
    for column in columns:
        value = getattr(line, f"{column}_value")
        points = totals[column].lines.get(line.key)
        shows_points = value is not None and (counts_items(line.criterion) or points != value)
        if value is None:
            text = ""
        elif pass_fail:
            text = words["pass"] if value else words["fail"]
        else:
            text = number(value)
        cells.append(
            {
                "value": value,
                "points": points,
                "shows_points": shows_points,
                "text": text,
                # As {% blocktranslate %} writes it: the number escaped, the words not.
                "points_text": mark_safe(words["points"] % {"points": escape(number(points))})
                if shows_points
                else "",
            }
        )
    return cells


def _numbers():
    """``vn_decimal`` for one sheet, each value formatted once: a sheet repeats the
    same few scores and maxima (0, 5, 10…) in some two hundred places. Equal numbers
    are written alike (``vn_decimal`` drops trailing zeros), so they share an entry."""
    written = {}

    def number(value) -> str:
        text = written.get(value)
        if text is None:
            text = written[value] = vn_decimal(value)
        return text

    return number


def _text_html(text: str) -> str:
    """``text|linebreaksbr`` as the template wrote it: a text on one line, the
    usual case, is only escaped, without the filter's normalising of newlines."""
    if "\n" in text or "\r" in text:
        return linebreaksbr(text)
    return escape(text)


#: A character without which ``urlize`` finds no link (it looks only at words
#: holding one of ".@:") and ``linebreaksbr`` no line break.
_LINK_OR_BREAK = frozenset(".@:\n\r")


def _note_html(text: str) -> str:
    """``text|urlize|linebreaksbr`` as the template wrote it: a note with neither a
    link nor a line break (a decision's number, "Quyết định số 12/QĐ-UBND") is
    only escaped, which is what both filters then amount to."""
    if _LINK_OR_BREAK.isdisjoint(text):
        return escape(text)
    return linebreaksbr(urlize(text))


def _notes(line) -> dict:
    """The line's texts as the last column prints them, each ``""`` when hidden
    or blank (the template tests them, then prints them as they are)."""
    shows_self = line.shows_self
    return {
        "explanation": _text_html(line.explanation) if shows_self and line.explanation else "",
        "evidence_note": _note_html(line.evidence_note)
        if shows_self and line.evidence_note
        else "",
        "review_note": _text_html(line.review_note)
        if line.shows_review and line.review_note
        else "",
        "final_reason": _text_html(line.final_reason)
        if line.shows_final and line.final_reason
        else "",
    }


def _words() -> dict:
    """What every line may print, translated once for the sheet."""
    return {
        "pass": _("Pass"),
        "fail": _("Fail"),
        "points": _("= %(points)s pts"),
        "kinds": {value: str(label) for value, label in CriterionKind.choices},
    }


def sheet_display(sheet, lines, visible, settings) -> SheetDisplay:
    """``lines`` (from ``sheet_lines(sheet, visible)``) laid out in sheet order, each
    number and note already written as the page prints it (``*_text``, :func:`_notes`):
    filters run in the template's loop cost more than the rest of the row (issue 9)."""
    draft = sheet.template.to_draft()
    columns = _shown_columns(lines, visible)
    totals = _column_totals(sheet, draft, lines, visible, columns, settings)
    gaps = _gap_keys(sheet, lines, draft, visible, settings)
    by_key = {line.key: line for line in lines}
    rows = []
    words = _words()
    number = _numbers()

    def add_line(key):
        line = by_key.get(key)
        if line is not None:
            kind = line.criterion.kind
            rows.append(
                {
                    "type": "line",
                    "line": line,
                    "cells": _cells(line, columns, totals, words, number),
                    "gap": key in gaps,
                    "kind_label": words["kinds"].get(kind, kind),
                    "max_text": number(line.criterion.max_points),
                    **_notes(line),
                }
            )

    for group in draft.groups:
        rows.append(
            {
                "type": "group",
                "code": group.code,
                "title": group.title,
                "max_text": number(group.max_points),
                "totals_text": [
                    number(totals[column].group_totals.get(group.code)) for column in columns
                ],
            }
        )
        for criterion in group.criteria:
            key = f"{group.code}.{criterion.code}"
            if not criterion.children:
                add_line(key)
                continue
            rows.append(
                {
                    "type": "parent",
                    "key": key,
                    "title": criterion.title,
                    "max_text": number(criterion.max_points),
                }
            )
            for child in criterion.children:
                add_line(f"{group.code}.{child.code}")
    return SheetDisplay(
        columns=columns,
        rows=rows,
        totals=[(column, totals[column]) for column in columns],
        gaps=gaps,
    )


def edit_groups(draft, form_rows) -> list[dict]:
    """The edit form's rows (``SelfScoresForm.rows()``) under their groups,
    a sub-criterion with its parent's code and title."""
    by_key = {row[0].key: row for row in form_rows}
    groups = []
    for group in draft.groups:
        entries = []
        for criterion in group.criteria:
            parent = ""
            if criterion.children:
                parent = f"{group.code}.{criterion.code} – {criterion.title}"
            for child in criterion.children or (criterion,):
                row = by_key.get(f"{group.code}.{child.code}")
                if row is None:
                    continue
                line, value, explanation, note = row
                entries.append(
                    {
                        "line": line,
                        "value": value,
                        "explanation": explanation,
                        "evidence_note": note,
                        "parent": parent,
                    }
                )
        groups.append(
            {"code": group.code, "title": group.title, "max": group.max_points, "rows": entries}
        )
    return groups


def visible_rows(user, sheets, *, published: bool) -> list:
    """The sheets ``user`` may see; ``shows_evidence`` says whether the row may
    show how many evidence files back it (they are the self side: a blind
    reviewer must not learn even their number). The user's standing in the
    bloc-year is worked out once for all the sheets, not twice per sheet."""
    rows, standings = [], {}
    for sheet in sheets:
        standing = standings.get(id(sheet.bloc_year))
        if standing is None:
            standing = standings[id(sheet.bloc_year)] = permissions.Standing(user, sheet.bloc_year)
        side = standing.side(sheet)
        if not permissions.sees_sheet(side, published=published):
            continue
        sheet.shows_evidence = visible_values(
            side,
            self_submitted=sheet.self_submitted,
            review_submitted=sheet.review_submitted,
            published=published,
        ).self_values
        rows.append(sheet)
    return rows
