"""The scoring-sheet template as plain, frozen values, and what it adds up to."""

from dataclasses import dataclass
from decimal import Decimal

from .kinds import DEFAULT_BASE_TOTAL, DEFAULT_BONUS_CAP, GroupKind, family_of


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
