"""What the covenant and the scoring sheet add to the bloc-year's stage machine.

- Set-up → signing needs a complete covenant and a valid scoring sheet; the
  move opens the covenant for signing and freezes the sheet.
- Signing → in progress needs every current member signed or recorded as
  unable, each missing agency named; the move opens the mid-year sheets.
- In progress → scoring needs the mid-year review held, with every
  mid-year sheet submitted; the move opens the year-end sheets.
- Scoring → conference needs every year-end sheet final and the ranking
  published, each missing agency named.
"""

from django.utils.translation import gettext as _

from blocs.stages import register_effect, register_guard
from members import audit

from .models import (
    Covenant,
    CovenantStatus,
    MidYearReview,
    Period,
    RankingPublication,
    ScoreSheet,
)
from .scores.core import settings_for
from .scores.sheets import sheets_open
from .services import covenant_blockers, covenant_open_in_transition, unsigned_agencies
from .sheet_services import template_freeze_current, template_signing_blockers


def _covenant(bloc_year):
    return Covenant.objects.filter(bloc_year=bloc_year).first()


@register_guard("open_signing")
def covenant_is_complete(bloc_year):
    yield from covenant_blockers(_covenant(bloc_year))


@register_guard("open_signing")
def scoring_sheet_is_valid(bloc_year):
    yield from template_signing_blockers(bloc_year)


@register_guard("start_year")
def every_member_has_signed(bloc_year):
    covenant = _covenant(bloc_year)
    if covenant is None or covenant.status == CovenantStatus.DRAFT:
        yield _("The covenant is not open for signing.")
        return
    for agency in unsigned_agencies(covenant):
        yield _("%(agency)s has not signed the covenant.") % {"agency": agency.name}


@register_effect("open_signing")
@audit.service
def open_covenant_for_signing(*, bloc_year, actor):
    covenant_open_in_transition(bloc_year=bloc_year, actor=actor)


@register_effect("open_signing")
@audit.service
def freeze_the_scoring_sheet(*, bloc_year, actor):
    # The transition has checked the actor; the sheet freezes with the stage.
    template_freeze_current(bloc_year=bloc_year)


@register_effect("start_year")
@audit.service
def open_mid_year_sheets(*, bloc_year, actor):
    sheets_open(bloc_year=bloc_year, period=Period.MID_YEAR)


@register_effect("open_scoring")
@audit.service
def open_year_end_sheets(*, bloc_year, actor):
    sheets_open(bloc_year=bloc_year, period=Period.YEAR_END)


def _sheet_blockers(bloc_year, period, *, need_final: bool, members=None):
    """Name each current member whose sheet of ``period`` is not far enough
    (``members``: the current memberships with their agencies, when the caller has them)."""
    sheets = {s.agency_id: s for s in ScoreSheet.objects.filter(bloc_year=bloc_year, period=period)}
    if members is None:
        members = bloc_year.memberships.current().select_related("agency")
    for membership in members:
        name = membership.agency.name
        sheet = sheets.get(membership.agency_id)
        if sheet is None:
            yield _("%(agency)s has no sheet for this period.") % {"agency": name}
        elif sheet.is_draft:
            yield _("%(agency)s has not submitted its self-scores.") % {"agency": name}
        elif need_final and not sheet.review_submitted:
            yield _("The review of %(agency)s's sheet is not submitted.") % {"agency": name}
        elif need_final and not sheet.is_final:
            yield _("%(agency)s's sheet is not final yet.") % {"agency": name}


def mid_year_sheet_blockers(bloc_year, *, members=None) -> list[str]:
    """What keeps the mid-year review from being held: every member's
    mid-year sheet submitted (and final, when mid-year sheets are reviewed).
    ``members``: the current memberships with their agencies, when the caller has
    them (a page's bloc-year), so they are not read again."""
    reviewed = settings_for(bloc_year).is_reviewed(Period.MID_YEAR)
    return list(_sheet_blockers(bloc_year, Period.MID_YEAR, need_final=reviewed, members=members))


@register_guard("open_scoring")
def mid_year_review_is_held(bloc_year):
    review = MidYearReview.objects.filter(bloc_year=bloc_year).first()
    if review is None or not review.is_held:
        yield _("The mid-year review has not been recorded as held.")
    yield from mid_year_sheet_blockers(bloc_year)


@register_guard("open_conference")
def year_end_scores_are_final_and_published(bloc_year):
    yield from _sheet_blockers(bloc_year, Period.YEAR_END, need_final=True)
    if not RankingPublication.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END).exists():
        yield _("The year-end ranking has not been published.")
