"""Who sees which numbers of a sheet: the blind-review rule, pure.

Domain: the reviewer scores without seeing the self-scores, and the member
does not see the review, until both are submitted (issue 5). A member's
draft is its own business until it submits. Once both sides are in, the
lines that differ by more than the gap are flagged and the secretariat
reconciles, so from then on everyone entitled to the sheet sees all three
values. The board oversees but does not score: it sees what is submitted.
Other members see nothing of a sheet until the ranking is published, and
then only the final values.

The selectors apply this rule in the query (the hidden columns are never
selected), and the views only render what the selectors return, so a
template mistake cannot leak a number.
"""

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["SheetSide", "Visible", "visible_values"]


class SheetSide(StrEnum):
    """How a user stands towards one sheet."""

    MEMBER = "member"  # staff of the scored agency
    REVIEWER = "reviewer"  # the reviewing agency's staff, or the secretariat when it reviews
    SECRETARIAT = "secretariat"  # the secretariat, when someone else reviews
    BOARD = "board"  # the provincial board (and site admins)
    PEER = "peer"  # another member's staff: final values, once the ranking is published
    NONE = "none"


@dataclass(frozen=True)
class Visible:
    self_values: bool
    review_values: bool
    final_values: bool


def visible_values(
    side: SheetSide, *, self_submitted: bool, review_submitted: bool, published: bool = False
) -> Visible:
    """Which values ``side`` may see on a sheet in this state; ``published``:
    the period's ranking is published."""
    both = self_submitted and review_submitted
    if side == SheetSide.PEER:
        return Visible(self_values=False, review_values=False, final_values=both and published)
    if side == SheetSide.MEMBER:
        return Visible(self_values=True, review_values=both, final_values=both)
    if side == SheetSide.REVIEWER:
        return Visible(self_values=both, review_values=True, final_values=both)
    if side in (SheetSide.SECRETARIAT, SheetSide.BOARD):
        return Visible(
            self_values=self_submitted, review_values=review_submitted, final_values=both
        )
    return Visible(self_values=False, review_values=False, final_values=False)
