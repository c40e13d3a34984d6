"""The checks of a criterion or sub-criterion line (a mixin of the checker)."""

from django.utils.translation import gettext as _

from .drafts import CriterionDraft, GroupDraft
from .kinds import (
    _NUMBER,
    _SUM_KIND,
    KIND_NAMES,
    GroupKind,
    Kind,
    _amount_problem,
    _group_kind_name,
    family_of,
    format_points,
)


class _CriterionChecks:
    """Criterion checks; the checker (:mod:`.checks`) provides ``draft``, ``add``,
    ``amount``, ``title_length`` and ``check_sum``."""

    @staticmethod
    def criterion_label(group: GroupDraft, index: int, criterion: CriterionDraft) -> str:
        code = f"{group.code or '?'}.{criterion.code or f'#{index + 1}'}"
        return f"{code} – {criterion.title}" if criterion.title else code

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
