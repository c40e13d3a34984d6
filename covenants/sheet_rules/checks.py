"""The checker: the settings, the totals and the groups; the criteria's
checks are in :mod:`.criterion_checks`."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .criterion_checks import _CriterionChecks
from .drafts import GroupDraft, Issue, TemplateDraft
from .kinds import MAX_TITLE, GroupKind, _amount_problem, format_points, is_group_code


class _Checker(_CriterionChecks):
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


def template_issues(draft: TemplateDraft) -> list[Issue]:
    """Every problem with ``draft``, in sheet order, each with where it is."""
    return _Checker(draft).run()


def validate_template(draft: TemplateDraft) -> list[str]:
    """The messages of :func:`template_issues`; empty when the draft is valid."""
    return [issue.message for issue in template_issues(draft)]
