"""Who may do what with a score sheet.

- Staff of the scored agency enter its self-scores; its leader or deputy
  submits (the unit head signs the self-scoring table, domain.md §5).
- The reviewer is the assigned member agency (its staff), or the
  secretariat when no agency is assigned; an agency never reviews itself.
- The secretariat assigns reviewers, returns sheets, reconciles, makes
  sheets final and publishes the ranking.
- The board sees every sheet of its province, read-only.

Every change also needs the year to be open (a closed year is read-only)
and the stage to match the period: mid-year sheets while the year is in
progress, year-end sheets while scoring.
"""

from functools import cached_property

from blocs import permissions as bloc_permissions
from blocs.stages import Stage
from members.audit import ALL_FIELDS
from members.permissions import is_active_user, is_board_for, is_site_admin

from ..models import Evidence, Period, RankingPublication, ScoreLine, ScoreSheet
from .visibility import SheetSide, visible_values

#: The stage in which each period's sheets are worked on.
PERIOD_STAGE = {Period.MID_YEAR: Stage.IN_PROGRESS, Period.YEAR_END: Stage.SCORING}


def period_is_open(bloc_year, period) -> bool:
    return not bloc_year.is_read_only and bloc_year.stage == PERIOD_STAGE[Period(period)]


def is_secretariat(user, bloc_year) -> bool:
    return is_site_admin(user) or bloc_permissions.is_secretariat(user, bloc_year)


class Standing:
    """What :func:`side_of` asks about ``user`` in ``bloc_year``, each question
    answered on first need and then remembered: a list of sheets asks it for
    every sheet (the scores home, issue 9), a single sheet as lazily as before."""

    def __init__(self, user, bloc_year):
        self.user, self.bloc_year = user, bloc_year
        self.active = is_active_user(user)
        self.agency_id = user.agency_id if self.active else None

    @cached_property
    def secretariat(self) -> bool:
        return is_secretariat(self.user, self.bloc_year)

    @cached_property
    def board(self) -> bool:
        return is_site_admin(self.user) or is_board_for(self.user, self.bloc_year.bloc.province_id)

    @cached_property
    def member(self) -> bool:
        return bloc_permissions.is_member_user(self.user, self.bloc_year)

    def side(self, sheet: ScoreSheet) -> SheetSide:
        """:func:`side_of` for a sheet of this bloc-year."""
        if not self.active:
            return SheetSide.NONE
        agency_id = self.agency_id
        if agency_id is not None and agency_id == sheet.agency_id:
            return SheetSide.MEMBER
        if sheet.reviewer_agency_id is not None:
            if agency_id == sheet.reviewer_agency_id:
                return SheetSide.REVIEWER
            if self.secretariat:
                return SheetSide.SECRETARIAT
        elif self.secretariat:
            return SheetSide.REVIEWER
        if self.board:
            return SheetSide.BOARD
        if self.member:
            return SheetSide.PEER
        return SheetSide.NONE


def side_of(user, sheet: ScoreSheet, *, bloc_year=None) -> SheetSide:
    """How ``user`` stands towards ``sheet`` (see :mod:`.visibility`).

    ``bloc_year`` may be passed when the caller holds one loaded with its
    memberships and delegations (saves queries on list pages).
    """
    return Standing(user, bloc_year or sheet.bloc_year).side(sheet)


def sees_sheet(side: SheetSide, *, published: bool) -> bool:
    """:func:`can_view_sheet` for a side already known."""
    if side == SheetSide.PEER:
        return published
    return side != SheetSide.NONE


def can_view_sheet(user, sheet: ScoreSheet, *, published: bool = False, bloc_year=None) -> bool:
    return sees_sheet(side_of(user, sheet, bloc_year=bloc_year), published=published)


def can_edit_self(user, sheet: ScoreSheet) -> bool:
    """Draft self-scores and evidence: the agency's leader, deputy or officer."""
    return (
        sheet.is_draft
        and period_is_open(sheet.bloc_year, sheet.period)
        and is_active_user(user)
        and user.agency_id == sheet.agency_id
        and user.agency_role in ("leader", "deputy", "officer")
    )


def can_submit_self(user, sheet: ScoreSheet) -> bool:
    """The unit head (leader or deputy) submits, which locks the sheet."""
    return can_edit_self(user, sheet) and user.is_agency_leader


def can_review(user, sheet: ScoreSheet) -> bool:
    """Enter and submit the review: the reviewing side, until it submits."""
    if sheet.review_submitted or sheet.is_final:
        return False
    if not period_is_open(sheet.bloc_year, sheet.period):
        return False
    return side_of(user, sheet) == SheetSide.REVIEWER


def can_manage_scoring(user, bloc_year) -> bool:
    """Assign reviewers, return sheets, set deadlines: the secretariat, while open."""
    return not bloc_year.is_read_only and is_secretariat(user, bloc_year)


def can_reconcile(user, sheet: ScoreSheet) -> bool:
    """Set final values and make the sheet final: the secretariat, once both are in."""
    return (
        not sheet.is_final
        and sheet.self_submitted
        and sheet.review_submitted
        and period_is_open(sheet.bloc_year, sheet.period)
        and is_secretariat(user, sheet.bloc_year)
    )


#: The columns of each side of a sheet, as the history page names them.
_SELF_COLUMNS = {
    "covenants.scoresheet": {"female_percent"},
    "covenants.scoreline": {"self_value", "explanation", "evidence_note"},
}
_REVIEW_COLUMNS = {"review_value", "review_note"}
_FINAL_COLUMNS = {"final_value", "final_reason"}


def history_hidden_fields(user, obj) -> dict:
    """What the audit history of a sheet, a line or an evidence file leaves out
    for ``user``: the blind review's rule (:mod:`.visibility`), as on the sheet's
    own pages; ``ALL_FIELDS`` hides evidence with the self side."""
    sheet = obj.line.sheet if isinstance(obj, Evidence) else obj
    sheet = sheet.sheet if isinstance(sheet, ScoreLine) else sheet
    published = RankingPublication.objects.filter(
        bloc_year_id=sheet.bloc_year_id, period=sheet.period
    ).exists()
    visible = visible_values(
        side_of(user, sheet),
        self_submitted=sheet.self_submitted,
        review_submitted=sheet.review_submitted,
        published=published,
    )
    hidden = {"covenants.scoresheet": set(), "covenants.scoreline": set()}
    if not visible.self_values:
        for label, columns in _SELF_COLUMNS.items():
            hidden[label] |= columns
        hidden["covenants.evidence"] = ALL_FIELDS
    if not visible.review_values:
        hidden["covenants.scoreline"] |= _REVIEW_COLUMNS
    if not visible.final_values:
        hidden["covenants.scoreline"] |= _FINAL_COLUMNS
    return {label: columns for label, columns in hidden.items() if columns}
