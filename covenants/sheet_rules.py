"""The scoring-sheet template as plain values, and the rules it must follow.

Pure on purpose: no model, no database. A template *draft* is what an edit
form, an Excel import or a stored template (``ScoringTemplate.to_draft()``)
describes; :func:`template_issues` says everything wrong with it, each
problem naming its line (“II.3 – Ứng dụng CNTT: …”), and the services refuse
to store a draft that has any.

Structure (domain.md §3.2–3.3): groups I, II, … hold criteria 1, 2, …,
which may hold one level of sub-criteria 1.1, 1.2, …. Every line has a
maximum. A criterion's kind says how it is scored:

* ``points``: any score from 0 to the maximum;
* ``pass_fail``: the maximum or 0;
* ``count``: count × points per item, capped at the maximum;
* ``bonus``: adds to the total, up to the maximum (optionally per item);
* ``deduction``: subtracts from the total, up to the maximum (optionally per item).

A group's kind is not stored: it follows from its criteria. Regular
criteria (points, pass/fail, count), bonus criteria and deduction criteria
each live in groups of their own, so a group is *regular*, *bonus* or
*deduction*.

The rules:

* the regular groups' maxima add up to the template's base total (100 or
  1,000); inside a regular group the criteria's maxima add up to the group's;
* sub-criteria add up to their parent's maximum, in every kind of group; the
  parent is scored as their sum, so its kind is points (bonus, deduction in
  those groups) and it has no points per item;
* a bonus or deduction group's maximum is the most it can add or take away;
  its criteria are alternatives, so they need not add up to it, but none may
  exceed it. The bonus cap bounds every bonus line *and* the bonus groups
  together; the deduction cap, when set, does the same for deductions (no
  cap means a unit may lose any number of points, the total stopping at 0);
* a count criterion needs points per item > 0; bonus and deduction criteria
  may have them (“+2 per initiative, at most 6”); points and pass/fail
  criteria may not; points per item never exceed the line's maximum;
* codes follow the numbering (groups I, II, …; criteria 1, 2, …;
  sub-criteria ``<parent>.1``, ``<parent>.2``, …) and are unique in their
  level (so at most 39 groups); titles are required and fit 500
  characters; maxima are more than 0; amounts fit the database (at most two
  decimals, below 100,000).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = [
    "DEFAULT_BASE_TOTAL",
    "DEFAULT_BONUS_CAP",
    "KIND_NAMES",
    "CriterionDraft",
    "GroupDraft",
    "GroupKind",
    "Issue",
    "Kind",
    "TemplateDraft",
    "TemplateTotals",
    "family_of",
    "format_points",
    "is_group_code",
    "template_issues",
    "template_totals",
    "validate_template",
]

DEFAULT_BASE_TOTAL = Decimal(100)
DEFAULT_BONUS_CAP = Decimal(10)
#: ``DecimalField(max_digits=7, decimal_places=2)``: what the database stores.
MAX_AMOUNT = Decimal("99999.99")
#: The models' ``title`` length.
MAX_TITLE = 500
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})$")
_NUMBER = re.compile(r"^[1-9]\d{0,2}$")


class Kind(StrEnum):
    """How a criterion is scored (the model's ``CriterionKind`` uses these values)."""

    POINTS = "points"
    PASS_FAIL = "pass_fail"
    COUNT = "count"
    BONUS = "bonus"
    DEDUCTION = "deduction"


class GroupKind(StrEnum):
    REGULAR = "regular"
    BONUS = "bonus"
    DEDUCTION = "deduction"


#: Names used inside messages.
KIND_NAMES = {
    Kind.POINTS: gettext_lazy("points"),
    Kind.PASS_FAIL: gettext_lazy("pass/fail"),
    Kind.COUNT: gettext_lazy("count"),
    Kind.BONUS: gettext_lazy("bonus"),
    Kind.DEDUCTION: gettext_lazy("deduction"),
}
_FAMILY = {
    Kind.POINTS: GroupKind.REGULAR,
    Kind.PASS_FAIL: GroupKind.REGULAR,
    Kind.COUNT: GroupKind.REGULAR,
    Kind.BONUS: GroupKind.BONUS,
    Kind.DEDUCTION: GroupKind.DEDUCTION,
}
#: The kind of a criterion scored as the sum of its sub-criteria, per group kind.
_SUM_KIND = {
    GroupKind.REGULAR: Kind.POINTS,
    GroupKind.BONUS: Kind.BONUS,
    GroupKind.DEDUCTION: Kind.DEDUCTION,
}


def family_of(kind: str) -> GroupKind | None:
    """The kind of group a criterion of ``kind`` belongs in (None if unknown)."""
    try:
        return _FAMILY[Kind(kind)]
    except ValueError:
        return None


def is_group_code(code: str) -> bool:
    """A Roman numeral from I to XXXIX (no sheet has more groups)."""
    return bool(_ROMAN.match(code))


def format_points(value) -> str:
    """``Decimal("15.00")`` → ``"15"``, ``Decimal("2.50")`` → ``"2.5"``."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


# The draft -----------------------------------------------------------------


@dataclass(frozen=True)
class CriterionDraft:
    """A criterion, or a sub-criterion when it sits in another's ``children``."""

    code: str
    title: str
    kind: str
    max_points: Decimal
    points_per_item: Decimal | None = None
    evidence_required: bool = False
    guidance: str = ""
    children: tuple["CriterionDraft", ...] = ()


@dataclass(frozen=True)
class GroupDraft:
    code: str
    title: str
    max_points: Decimal
    criteria: tuple[CriterionDraft, ...] = ()

    @property
    def kind(self) -> GroupKind:
        """Regular, bonus or deduction, as its first criterion says."""
        for criterion in self.criteria:
            if family := family_of(criterion.kind):
                return family
        return GroupKind.REGULAR


@dataclass(frozen=True)
class TemplateDraft:
    groups: tuple[GroupDraft, ...] = ()
    base_total: Decimal = DEFAULT_BASE_TOTAL
    bonus_cap: Decimal = DEFAULT_BONUS_CAP
    #: None: deductions are not capped (the total never goes below 0).
    deduction_cap: Decimal | None = None


@dataclass(frozen=True)
class Issue:
    """One problem with a draft; ``str()`` gives the message."""

    message: str
    #: Indexes into the draft: ``()`` the settings, ``(g,)`` a group,
    #: ``(g, c)`` a criterion, ``(g, c, s)`` a sub-criterion.
    line: tuple[int, ...] = ()
    #: The field at fault (``"max_points"``, ``"code"``, ``"base_total"``, …),
    #: or ``""`` for the line as a whole.
    field: str = ""

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class TemplateTotals:
    #: The regular groups' maxima together (equals the base total when valid).
    regular: Decimal
    #: The most bonus a unit can earn: the bonus groups' maxima, capped.
    bonus: Decimal
    #: The most a unit can lose: the deduction groups' maxima, capped when a cap is set.
    deduction: Decimal
    #: The highest total a unit can reach: regular + bonus.
    highest: Decimal
    groups: int
    #: Lines that get a score (criteria without sub-criteria, and sub-criteria).
    scored_lines: int


# Checking ------------------------------------------------------------------


def _amount_problem(value, *, allow_zero: bool) -> str | None:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return _("is not a number")
    if not amount.is_finite():
        return _("is not a number")
    if amount < 0:
        return _("cannot be negative")
    if amount == 0 and not allow_zero:
        return _("must be more than 0")
    if amount > MAX_AMOUNT:
        return _("must be less than 100,000")
    if amount != amount.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
        return _("may have at most two decimals")
    return None


class _Checker:
    def __init__(self, draft: TemplateDraft):
        self.draft = draft
        self.issues: list[Issue] = []

    def add(self, where, field, message, /, **params):
        self.issues.append(Issue(message % params if params else message, tuple(where), field))

    # Labels ---------------------------------------------------------------

    @staticmethod
    def group_label(index: int, group: GroupDraft) -> str:
        code = group.code or f"#{index + 1}"
        return f"{code} – {group.title}" if group.title else code

    @staticmethod
    def criterion_label(group: GroupDraft, index: int, criterion: CriterionDraft) -> str:
        code = f"{group.code or '?'}.{criterion.code or f'#{index + 1}'}"
        return f"{code} – {criterion.title}" if criterion.title else code

    # Amounts --------------------------------------------------------------

    def amount(self, line, label, field, value, *, allow_zero=False) -> bool:
        problem = _amount_problem(value, allow_zero=allow_zero)
        if problem is None:
            return True
        names = {
            "max_points": _("the maximum points"),
            "points_per_item": _("the points per item"),
            "base_total": _("the base total"),
            "bonus_cap": _("the bonus cap"),
            "deduction_cap": _("the deduction cap"),
        }
        if label:
            self.add(
                line,
                field,
                _("%(line)s: %(field)s %(problem)s."),
                line=label,
                field=names[field],
                problem=problem,
            )
        else:
            self.add(
                line,
                field,
                _("Settings: %(field)s %(problem)s."),
                field=names[field],
                problem=problem,
            )
        return False

    def title_length(self, line, label, title):
        if len(title) > MAX_TITLE:
            self.add(
                line,
                "title",
                _("%(line)s: the title has %(length)s characters; at most %(max)s fit."),
                line=label[:60] + "…",
                length=len(title),
                max=MAX_TITLE,
            )

    # The whole template ---------------------------------------------------

    def run(self) -> list[Issue]:
        draft = self.draft
        settings_ok = self.amount((), "", "base_total", draft.base_total)
        settings_ok &= self.amount((), "", "bonus_cap", draft.bonus_cap, allow_zero=True)
        if draft.deduction_cap is not None:
            settings_ok &= self.amount(
                (), "", "deduction_cap", draft.deduction_cap, allow_zero=True
            )
        if not draft.groups:
            self.add((), "", _("The sheet has no groups."))
            return self.issues
        seen: dict[str, int] = {}
        for index, group in enumerate(draft.groups):
            self.check_group(index, group, seen, settings_ok=settings_ok)
        if settings_ok:
            self.check_totals()
        return self.issues

    def check_totals(self):
        draft = self.draft
        by_kind = {kind: [] for kind in GroupKind}
        for group in draft.groups:
            if _amount_problem(group.max_points, allow_zero=False) is None:
                by_kind[group.kind].append(group)
        regular = sum((g.max_points for g in by_kind[GroupKind.REGULAR]), Decimal(0))
        if regular != draft.base_total:
            self.add(
                (),
                "base_total",
                _("The regular groups add up to %(sum)s points, not the base total of %(total)s."),
                sum=format_points(regular),
                total=format_points(draft.base_total),
            )
        bonus = by_kind[GroupKind.BONUS]
        bonus_sum = sum((g.max_points for g in bonus), Decimal(0))
        if len(bonus) > 1 and bonus_sum > draft.bonus_cap:
            self.add(
                (),
                "bonus_cap",
                _(
                    "The bonus groups %(codes)s together allow %(sum)s points, more than the "
                    "bonus cap of %(cap)s."
                ),
                codes=", ".join(g.code for g in bonus),
                sum=format_points(bonus_sum),
                cap=format_points(draft.bonus_cap),
            )
        deductions = by_kind[GroupKind.DEDUCTION]
        deduction_sum = sum((g.max_points for g in deductions), Decimal(0))
        cap = draft.deduction_cap
        if len(deductions) > 1 and cap is not None and deduction_sum > cap:
            self.add(
                (),
                "deduction_cap",
                _(
                    "The deduction groups %(codes)s together take up to %(sum)s points, more "
                    "than the deduction cap of %(cap)s."
                ),
                codes=", ".join(g.code for g in deductions),
                sum=format_points(deduction_sum),
                cap=format_points(cap),
            )

    # Groups ---------------------------------------------------------------

    def check_group(self, index: int, group: GroupDraft, seen: dict, *, settings_ok: bool):
        line = (index,)
        label = self.group_label(index, group)
        if not group.code:
            self.add(line, "code", _("%(line)s: the group has no code."), line=label)
        elif not is_group_code(group.code):
            self.add(
                line,
                "code",
                _("%(line)s: a group's code is a Roman numeral (I, II, III, …)."),
                line=label,
            )
        elif group.code in seen:
            self.add(
                line,
                "code",
                _("%(line)s: the code %(code)s is used by another group."),
                line=label,
                code=group.code,
            )
        else:
            seen[group.code] = index
        if not group.title:
            self.add(line, "title", _("%(line)s: the group has no title."), line=label)
        self.title_length(line, label, group.title)
        max_ok = self.amount(line, label, "max_points", group.max_points)
        if not group.criteria:
            self.add(line, "", _("%(line)s: the group has no criteria."), line=label)
            return
        kind = group.kind
        codes: dict[str, int] = {}
        for c_index, criterion in enumerate(group.criteria):
            self.check_criterion(group, (index, c_index), criterion, kind, codes, settings_ok)
        if not max_ok:
            return
        if kind == GroupKind.REGULAR:
            self.check_sum(
                line,
                label,
                group.max_points,
                [c.max_points for c in group.criteria],
                _("%(line)s: its criteria add up to %(sum)s points, not the group's %(max)s."),
            )
            return
        if not settings_ok:
            return
        if kind == GroupKind.BONUS and group.max_points > self.draft.bonus_cap:
            self.add(
                line,
                "max_points",
                _("%(line)s: a bonus group may add at most the bonus cap of %(cap)s points."),
                line=label,
                cap=format_points(self.draft.bonus_cap),
            )
        cap = self.draft.deduction_cap
        if kind == GroupKind.DEDUCTION and cap is not None and group.max_points > cap:
            self.add(
                line,
                "max_points",
                _(
                    "%(line)s: a deduction group may take away at most the deduction cap of "
                    "%(cap)s points."
                ),
                line=label,
                cap=format_points(cap),
            )

    def check_sum(self, line, label, maximum, parts, message):
        if any(_amount_problem(p, allow_zero=False) for p in parts):
            return  # Already reported on the part; a sum of garbage says nothing.
        total = sum(parts, Decimal(0))
        if total != maximum:
            self.add(
                line,
                "max_points",
                message,
                line=label,
                sum=format_points(total),
                max=format_points(maximum),
            )

    # Criteria -------------------------------------------------------------

    def check_criterion(self, group, line, criterion, group_kind, codes, settings_ok, parent=None):
        label = self.criterion_label(group, line[-1], criterion)
        code_pattern_ok = (
            bool(_NUMBER.match(criterion.code))
            if parent is None
            else criterion.code.startswith(f"{parent.code}.")
            and bool(_NUMBER.match(criterion.code.removeprefix(f"{parent.code}.")))
        )
        if not criterion.code:
            self.add(line, "code", _("%(line)s: the line has no code."), line=label)
        elif not code_pattern_ok:
            if parent is None:
                message = _("%(line)s: a criterion's code is a number (1, 2, 3, …).")
            else:
                message = _(
                    "%(line)s: a sub-criterion's code is its criterion's code, a dot and a "
                    "number (%(example)s)."
                )
            self.add(line, "code", message, line=label, example=f"{parent.code if parent else 1}.1")
        elif criterion.code in codes:
            self.add(
                line,
                "code",
                _("%(line)s: the code %(code)s is used twice in this group."),
                line=label,
                code=criterion.code,
            )
        else:
            codes[criterion.code] = line
        if not criterion.title:
            self.add(line, "title", _("%(line)s: the line has no title."), line=label)
        self.title_length(line, label, criterion.title)
        max_ok = self.amount(line, label, "max_points", criterion.max_points)
        family = family_of(criterion.kind)
        if family is None:
            self.add(
                line,
                "kind",
                _("%(line)s: unknown kind “%(kind)s”."),
                line=label,
                kind=criterion.kind,
            )
            return
        kind = Kind(criterion.kind)
        if family != group_kind:
            self.add(
                line,
                "kind",
                _(
                    "%(line)s: a %(kind)s line cannot sit in a %(group)s group; regular, "
                    "bonus and deduction criteria each go in groups of their own."
                ),
                line=label,
                kind=KIND_NAMES[kind],
                group=_group_kind_name(group_kind),
            )
            return
        if criterion.children:
            self.check_parent(group, line, label, criterion, kind, group_kind, codes, settings_ok)
        else:
            self.check_points_per_item(line, label, criterion, kind, max_ok)
        if not (max_ok and settings_ok):
            return
        if kind == Kind.BONUS and criterion.max_points > self.draft.bonus_cap:
            self.add(
                line,
                "max_points",
                _("%(line)s: a bonus line may add at most the bonus cap of %(cap)s points."),
                line=label,
                cap=format_points(self.draft.bonus_cap),
            )
            return
        cap = self.draft.deduction_cap
        if kind == Kind.DEDUCTION and cap is not None and criterion.max_points > cap:
            self.add(
                line,
                "max_points",
                _(
                    "%(line)s: a deduction line may take away at most the deduction cap of "
                    "%(cap)s points."
                ),
                line=label,
                cap=format_points(cap),
            )
            return
        if (
            parent is None
            and group_kind != GroupKind.REGULAR
            and _amount_problem(group.max_points, allow_zero=False) is None
            and criterion.max_points > group.max_points
        ):
            self.add(
                line,
                "max_points",
                _("%(line)s: its %(max)s points exceed the group's maximum of %(group)s."),
                line=label,
                max=format_points(criterion.max_points),
                group=format_points(group.max_points),
            )

    def check_parent(self, group, line, label, criterion, kind, group_kind, codes, settings_ok):
        if len(line) > 2:
            self.add(
                line,
                "",
                _("%(line)s: sub-criteria cannot have sub-criteria of their own."),
                line=label,
            )
            return
        if kind != _SUM_KIND[group_kind]:
            self.add(
                line,
                "kind",
                _(
                    "%(line)s: a criterion with sub-criteria is scored as their sum, so its "
                    "kind is %(kind)s."
                ),
                line=label,
                kind=KIND_NAMES[_SUM_KIND[group_kind]],
            )
        if criterion.points_per_item is not None:
            self.add(
                line,
                "points_per_item",
                _(
                    "%(line)s: a criterion with sub-criteria is scored as their sum and has "
                    "no points per item."
                ),
                line=label,
            )
        for s_index, child in enumerate(criterion.children):
            self.check_criterion(
                group, (*line, s_index), child, group_kind, codes, settings_ok, parent=criterion
            )
        if _amount_problem(criterion.max_points, allow_zero=False) is None:
            self.check_sum(
                line,
                label,
                criterion.max_points,
                [c.max_points for c in criterion.children],
                _(
                    "%(line)s: its sub-criteria add up to %(sum)s points, not the "
                    "criterion's %(max)s."
                ),
            )

    def check_points_per_item(self, line, label, criterion, kind, max_ok):
        per_item = criterion.points_per_item
        if per_item is None:
            if kind == Kind.COUNT:
                self.add(
                    line,
                    "points_per_item",
                    _("%(line)s: a count criterion needs the points per item."),
                    line=label,
                )
            return
        if kind in (Kind.POINTS, Kind.PASS_FAIL):
            self.add(
                line,
                "points_per_item",
                _(
                    "%(line)s: only count, bonus and deduction lines have points per item; "
                    "leave it blank for a %(kind)s line."
                ),
                line=label,
                kind=KIND_NAMES[kind],
            )
            return
        valid = self.amount(line, label, "points_per_item", per_item)
        if valid and max_ok and per_item > criterion.max_points:
            self.add(
                line,
                "points_per_item",
                _("%(line)s: the points per item (%(per_item)s) exceed the maximum (%(max)s)."),
                line=label,
                per_item=format_points(per_item),
                max=format_points(criterion.max_points),
            )


def _group_kind_name(kind: GroupKind) -> str:
    return {
        GroupKind.REGULAR: _("regular"),
        GroupKind.BONUS: _("bonus"),
        GroupKind.DEDUCTION: _("deduction"),
    }[kind]


def template_issues(draft: TemplateDraft) -> list[Issue]:
    """Every problem with ``draft``, in sheet order, each with where it is."""
    return _Checker(draft).run()


def validate_template(draft: TemplateDraft) -> list[str]:
    """The messages of :func:`template_issues`; empty when the draft is valid."""
    return [issue.message for issue in template_issues(draft)]


def template_totals(draft: TemplateDraft) -> TemplateTotals:
    """What the sheet adds up to; meaningful once the draft is valid."""
    sums = {kind: Decimal(0) for kind in GroupKind}
    scored = 0
    for group in draft.groups:
        sums[group.kind] += group.max_points
        for criterion in group.criteria:
            scored += len(criterion.children) or 1
    bonus = min(sums[GroupKind.BONUS], draft.bonus_cap)
    deduction = sums[GroupKind.DEDUCTION]
    if draft.deduction_cap is not None:
        deduction = min(deduction, draft.deduction_cap)
    return TemplateTotals(
        regular=sums[GroupKind.REGULAR],
        bonus=bonus,
        deduction=deduction,
        highest=sums[GroupKind.REGULAR] + bonus,
        groups=len(draft.groups),
        scored_lines=scored,
    )
