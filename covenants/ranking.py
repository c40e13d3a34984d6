"""Ranking a bloc's members by their agreed totals: pure, no database.

Domain.md §3.4 and §9 rule 14: the higher total ranks first. Equal totals
are separated by the tie-breaks, in the order given:

* ``"first_group"``: the higher score in the first regular group (group I);
* ``"fewer_deductions"``: fewer deduction points;
* ``"female_majority"``: a collective with at least 70 % women before one
  without (ND 152/2025 Art. 4(6)); an unknown share counts as "without".

Rows still equal after every tie-break share a rank (standard competition
ranking: 1, 2, 2, 4) and are flagged ``tie_unresolved``: the conference
re-votes between them (rule 14(d)). Among them, names follow Vietnamese
alphabetical order, only so that the list reads the same every time.

Amounts are :class:`~decimal.Decimal`; averages are rounded to two
decimals half up, like every score (see :mod:`covenants.scoring`).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from members.collation import sort_key

from .scoring import round_points

__all__ = [
    "DEFAULT_TIE_BREAKS",
    "FEMALE_MAJORITY",
    "FIRST_GROUP",
    "TIE_BREAKS",
    "MemberScore",
    "RankedRow",
    "group_averages",
    "rank_members",
]

#: ND 152/2025 Art. 4(6): a collective with at least 70 % women goes first.
FEMALE_MAJORITY = Decimal("0.7")
FIRST_GROUP = "I"
TIE_BREAKS = ("first_group", "fewer_deductions", "female_majority")
DEFAULT_TIE_BREAKS = TIE_BREAKS


@dataclass(frozen=True)
class MemberScore:
    agency_id: int
    name: str
    total: Decimal
    #: Points per group code (``"I"``, ``"II"``, …).
    group_totals: Mapping[str, Decimal]
    #: The deduction points taken away (positive).
    deduction_total: Decimal = Decimal(0)
    #: The share of women in the collective (0..1), None when unknown.
    female_share: Decimal | None = None


@dataclass(frozen=True)
class RankedRow:
    rank: int
    member: MemberScore
    #: The tie-break that separated this row from an equal total above it
    #: (or, for the first of equal totals, below it); None when the total
    #: alone decided.
    decided_by: str | None = None
    #: Equal after every tie-break with another row: re-vote.
    tie_unresolved: bool = False


def _tie_key(member: MemberScore, rule: str, first_group: str):
    """Smaller sorts first."""
    if rule == "first_group":
        return -member.group_totals.get(first_group, Decimal(0))
    if rule == "fewer_deductions":
        return member.deduction_total
    share = member.female_share
    return 0 if share is not None and share >= FEMALE_MAJORITY else 1


def rank_members(
    scores: Iterable[MemberScore],
    *,
    tie_breaks: Sequence[str] = DEFAULT_TIE_BREAKS,
    first_group: str = FIRST_GROUP,
) -> list[RankedRow]:
    """Rank ``scores`` from the highest total; see the module docstring."""
    unknown = [rule for rule in tie_breaks if rule not in TIE_BREAKS]
    if unknown:
        raise ValueError(f"unknown tie-break {unknown[0]!r}; use {', '.join(TIE_BREAKS)}")

    def key(member: MemberScore) -> tuple:
        return (-member.total, *(_tie_key(member, rule, first_group) for rule in tie_breaks))

    ordered = sorted(scores, key=lambda m: (key(m), sort_key(m.name), m.agency_id))
    # Blocks of rows equal on the whole key: one rank each.
    blocks: list[list[MemberScore]] = []
    for member in ordered:
        if blocks and key(blocks[-1][0]) == key(member):
            blocks[-1].append(member)
        else:
            blocks.append([member])

    def separating_rule(upper: MemberScore, lower: MemberScore) -> str | None:
        if upper.total != lower.total:
            return None
        for rule in tie_breaks:
            if _tie_key(upper, rule, first_group) != _tie_key(lower, rule, first_group):
                return rule
        return None  # pragma: no cover - blocks differ on some part of the key

    rows: list[RankedRow] = []
    rank = 1
    for index, block in enumerate(blocks):
        above = separating_rule(blocks[index - 1][0], block[0]) if index else None
        below = separating_rule(block[0], blocks[index + 1][0]) if index + 1 < len(blocks) else None
        rows.extend(
            RankedRow(
                rank=rank,
                member=member,
                decided_by=above or below,
                tie_unresolved=len(block) > 1,
            )
            for member in block
        )
        rank += len(block)
    return rows


def group_averages(scores: Iterable[MemberScore]) -> dict[str, Decimal]:
    """The members' average per group code, over the members that have it,
    in the order the groups first appear; two decimals, half up."""
    sums: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for member in scores:
        for code, points in member.group_totals.items():
            sums[code] = sums.get(code, Decimal(0)) + Decimal(points)
            counts[code] = counts.get(code, 0) + 1
    return {code: round_points(sums[code] / counts[code]) for code in sums}
