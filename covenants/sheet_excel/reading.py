"""Reading a file: cells to a draft, every problem by sheet, row and column."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from members import audit
from members.spreadsheets import (
    CellError,
    ImportPlan,
    ImportRejected,
    SpreadsheetError,
    open_workbook,
    parse_choice,
    read_sheet,
    unknown_value_message,
)

from .. import sheet_services
from ..models.sheet import ScoringTemplate
from ..sheet_rules import (
    DEFAULT_BASE_TOTAL,
    DEFAULT_BONUS_CAP,
    CriterionDraft,
    GroupDraft,
    Kind,
    TemplateDraft,
    family_of,
    is_group_code,
    template_issues,
)
from .layout import (
    _EVIDENCE_LABELS,
    _HEADERS,
    _SETTINGS_HEADERS,
    _SETTINGS_ROW,
    COLUMNS,
    KIND_LABELS,
    SETTINGS_COLUMNS,
    SETTINGS_SHEET,
    SHEET,
)

_CRITERION_CODE = re.compile(r"^\d+$")
_SUB_CODE = re.compile(r"^(\d+)\.(\d+)$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
# "1.000" or "2,500": a thousands separator, or a decimal? Refuse to guess.
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_SUM_KIND = {family_of(kind): kind for kind in (Kind.POINTS, Kind.BONUS, Kind.DEDUCTION)}


class _BadNumber(ValueError):
    pass


def _parse_amount(text: str) -> Decimal:
    """A number of points as written in a cell; raises :class:`_BadNumber`."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if text.startswith(("-", "+", "−")):
        raise _BadNumber(
            _("Write the points without a sign; the kind says whether they add or subtract.")
        )
    if _GROUPED.match(text):
        raise _BadNumber(
            _(
                "“%(value)s” is ambiguous: write whole numbers without a thousands separator "
                "(1000, not 1.000) and at most two decimals."
            )
            % {"value": text}
        )
    if not _NUMBER.match(text):
        raise _BadNumber(_("Write a number, e.g. 10 or 2.5."))
    return Decimal(text.replace(",", "."))


@dataclass
class _Line:
    """One row of the sheet as read, before it becomes part of the draft."""

    row: int
    level: int
    code: str
    title: str
    #: None when the cell is blank, "" when it holds an unknown value.
    kind: str | None = None
    max_points: Decimal | None = None
    points_per_item: Decimal | None = None
    evidence_required: bool = False
    guidance: str = ""
    children: list["_Line"] = field(default_factory=list)


@dataclass
class _Reading:
    errors: list[CellError] = field(default_factory=list)
    groups: list[_Line] = field(default_factory=list)
    #: Indexes of groups with a cell error (theirs, or of a row that may belong to them).
    bad_groups: set[int] = field(default_factory=set)
    #: Excel rows of the lines, by their place in the draft (see ``sheet_rules.Issue.line``).
    rows: dict[tuple[int, ...], int] = field(default_factory=dict)

    def error(self, row: int, key: str, message: str, *, sheet: str = SHEET) -> None:
        headers = _HEADERS if sheet == SHEET else _SETTINGS_HEADERS
        self.errors.append(CellError(sheet, row, headers.get(key, ""), message))


def _level(code: str) -> int | None:
    """0 for a group code, 1 for a criterion's, 2 for a sub-criterion's, None otherwise."""
    if is_group_code(code):
        return 0
    if _CRITERION_CODE.match(code):
        return 1
    if _SUB_CODE.match(code):
        return 2
    return None


def _read_line(reading: _Reading, row: int, cells: dict) -> _Line | None:
    code = cells["code"].rstrip(".").strip()
    if code.upper() != code and is_group_code(code.upper()):
        code = code.upper()
    level = _level(code) if code else None
    if not code:
        reading.error(row, "code", _("This cell is required."))
    elif level is None:
        reading.error(
            row,
            "code",
            _(
                "Unknown code “%(code)s”: a group is a Roman numeral (I, II, …), a criterion "
                "a number (1, 2, …), a sub-criterion its criterion's number, a dot and a "
                "number (1.1, 1.2, …)."
            )
            % {"code": code},
        )
    line = _Line(row=row, level=level or 0, code=code, title=cells["title"])
    if not line.title:
        reading.error(row, "title", _("This cell is required."))
    if cells["max_points"]:
        try:
            line.max_points = _parse_amount(cells["max_points"])
        except _BadNumber as exc:
            reading.error(row, "max_points", str(exc))
    else:
        reading.error(row, "max_points", _("This cell is required."))
    if level == 0:
        for key in ("kind", "points_per_item", "evidence_required", "guidance"):
            if cells[key]:
                reading.error(row, key, _("Leave this cell blank on a group row."))
        return line
    if cells["kind"]:
        # "" (not None) for an unknown kind: reported here, not again as missing.
        line.kind = parse_choice(cells["kind"], KIND_LABELS) or ""
        if not line.kind:
            reading.error(row, "kind", unknown_value_message(cells["kind"], KIND_LABELS.values()))
    if cells["points_per_item"]:
        try:
            line.points_per_item = _parse_amount(cells["points_per_item"])
        except _BadNumber as exc:
            reading.error(row, "points_per_item", str(exc))
    if cells["evidence_required"]:
        evidence = parse_choice(cells["evidence_required"], _EVIDENCE_LABELS)
        if evidence is None:
            reading.error(
                row,
                "evidence_required",
                unknown_value_message(cells["evidence_required"], _EVIDENCE_LABELS.values()),
            )
        line.evidence_required = bool(evidence)
    line.guidance = cells["guidance"]
    return line if level is not None else None


def _place(reading: _Reading, line: _Line) -> None:
    """Put a line under the group or criterion it belongs to."""
    if line.level == 0:
        reading.groups.append(line)
        reading.rows[(len(reading.groups) - 1,)] = line.row
        return
    if not reading.groups:
        reading.error(
            line.row, "code", _("A criterion must come after its group's row (I, II, …).")
        )
        return
    g_index = len(reading.groups) - 1
    group = reading.groups[g_index]
    if line.level == 1:
        group.children.append(line)
        reading.rows[(g_index, len(group.children) - 1)] = line.row
        return
    parent_code = _SUB_CODE.match(line.code).group(1)
    parent = group.children[-1] if group.children else None
    if parent is None or parent.code != parent_code:
        reading.error(
            line.row,
            "code",
            _("Sub-criterion %(code)s must come right after the rows of criterion %(parent)s.")
            % {"code": line.code, "parent": parent_code},
        )
        return
    parent.children.append(line)
    reading.rows[(g_index, len(group.children) - 1, len(parent.children) - 1)] = line.row


def _infer_kinds(reading: _Reading) -> None:
    """A blank kind is allowed only on a criterion with sub-criteria: their sum."""
    for g_index, group in enumerate(reading.groups):
        for criterion in group.children:
            if criterion.kind is not None:
                continue
            if not criterion.children:
                reading.errors.append(
                    CellError(SHEET, criterion.row, _HEADERS["kind"], _("This cell is required."))
                )
                reading.bad_groups.add(g_index)
                continue
            families = [family_of(child.kind) for child in criterion.children if child.kind]
            criterion.kind = _SUM_KIND[families[0]] if families else Kind.POINTS
        for criterion in group.children:
            for child in criterion.children:
                if child.kind is None:
                    reading.errors.append(
                        CellError(SHEET, child.row, _HEADERS["kind"], _("This cell is required."))
                    )
                    reading.bad_groups.add(g_index)


def _criterion_draft(line: _Line) -> CriterionDraft:
    return CriterionDraft(
        code=line.code,
        title=line.title,
        kind=line.kind or "",
        max_points=line.max_points if line.max_points is not None else Decimal(0),
        points_per_item=line.points_per_item,
        evidence_required=line.evidence_required,
        guidance=line.guidance,
        children=tuple(_criterion_draft(child) for child in line.children),
    )


def _read_settings(reading: _Reading, rows) -> dict:
    values = {
        "base_total": DEFAULT_BASE_TOTAL,
        "bonus_cap": DEFAULT_BONUS_CAP,
        "deduction_cap": None,
    }
    if not rows:
        reading.error(
            _SETTINGS_ROW,
            "",
            _("Write the base total and the caps in row %(row)s.") % {"row": _SETTINGS_ROW},
            sheet=SETTINGS_SHEET,
        )
        return values
    row, cells = rows[0]
    for extra_row, _cells in rows[1:]:
        reading.error(
            extra_row,
            "",
            _("Only row %(row)s is read; remove this one.") % {"row": _SETTINGS_ROW},
            sheet=SETTINGS_SHEET,
        )
    if row != _SETTINGS_ROW:
        reading.error(
            row,
            "",
            _("Write the settings in row %(row)s.") % {"row": _SETTINGS_ROW},
            sheet=SETTINGS_SHEET,
        )
    for key in ("base_total", "bonus_cap", "deduction_cap"):
        if not cells[key]:
            if key != "deduction_cap":
                reading.error(row, key, _("This cell is required."), sheet=SETTINGS_SHEET)
            continue
        try:
            values[key] = _parse_amount(cells[key])
        except _BadNumber as exc:
            reading.error(row, key, str(exc), sheet=SETTINGS_SHEET)
    return values


def plan_template_import(content: bytes) -> tuple[TemplateDraft | None, list[CellError]]:
    """The draft a file describes, or every problem with it (reads only).

    Cell problems come first (each by sheet, row and column); the sheet's
    rules (:func:`covenants.sheet_rules.template_issues`) are then checked
    for every group whose rows are clean, each problem placed on the row of
    the line it names. The draft is None whenever there is any problem.
    """
    try:
        workbook = open_workbook(content)
    except SpreadsheetError as exc:
        return None, [CellError(SHEET, 0, "", str(exc))]
    reading = _Reading()
    try:
        rows = read_sheet(workbook, SHEET, COLUMNS)
    except SpreadsheetError as exc:
        reading.errors.append(CellError(SHEET, 0, "", str(exc)))
        rows = None
    try:
        settings_rows = read_sheet(workbook, SETTINGS_SHEET, SETTINGS_COLUMNS)
    except SpreadsheetError as exc:
        reading.errors.append(CellError(SETTINGS_SHEET, 0, "", str(exc)))
        settings_rows = None
    if rows is None or settings_rows is None:
        return None, reading.errors
    settings = _read_settings(reading, settings_rows)
    settings_ok = not reading.errors
    for row, cells in rows:
        errors_before = len(reading.errors)
        line = _read_line(reading, row, cells)
        if line is not None:
            _place(reading, line)
        # A broken row spoils its group's sums (an unplaceable one, the group above).
        if len(reading.errors) > errors_before and reading.groups:
            reading.bad_groups.add(len(reading.groups) - 1)
    _infer_kinds(reading)
    draft = TemplateDraft(
        groups=tuple(
            GroupDraft(
                code=group.code,
                title=group.title,
                max_points=group.max_points if group.max_points is not None else Decimal(0),
                criteria=tuple(_criterion_draft(line) for line in group.children),
            )
            for group in reading.groups
        ),
        **settings,
    )
    if not settings_ok:
        return None, reading.errors
    cells_ok = not reading.errors
    for issue in template_issues(draft):
        if not issue.line:
            if not cells_ok:
                continue  # Totals of a file with broken rows say nothing.
            if issue.field in _SETTINGS_HEADERS:
                reading.errors.append(
                    CellError(
                        SETTINGS_SHEET, _SETTINGS_ROW, _SETTINGS_HEADERS[issue.field], issue.message
                    )
                )
            else:
                reading.errors.append(CellError(SHEET, 0, "", issue.message))
        elif issue.line[0] not in reading.bad_groups:
            reading.errors.append(
                CellError(
                    SHEET,
                    reading.rows[issue.line],
                    _HEADERS.get(issue.field, ""),
                    issue.message,
                )
            )
    if reading.errors:
        return None, sorted(reading.errors, key=lambda e: (e.sheet != SHEET, e.row))
    return draft, []


@audit.service
def template_import(*, template: ScoringTemplate, content: bytes, actor) -> ScoringTemplate:
    """Replace a draft's content with the file's, as ``actor``.

    Raises ``PermissionDenied`` or ``ValidationError`` as any edit of the
    sheet does, and :class:`~members.spreadsheets.ImportRejected` (a
    ``ValidationError`` whose ``plan.errors`` lists the cells) if the file
    has any problem; nothing is saved then.
    """
    with transaction.atomic():
        # The actor and the draft first: a refusal beats a list of cells.
        locked = sheet_services.template_lock_for_edit(template=template, actor=actor)
        draft, errors = plan_template_import(content)
        if errors:
            raise ImportRejected(ImportPlan(errors=errors))
        return sheet_services.template_replace_content(template=locked, actor=actor, draft=draft)
