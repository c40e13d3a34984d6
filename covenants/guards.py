"""What the covenant and the scoring sheet add to the bloc-year's stage machine.

- Set-up → signing needs a complete covenant and a valid scoring sheet; the
  move opens the covenant for signing and freezes the sheet.
- Signing → in progress needs every current member signed or recorded as
  unable, each missing agency named; the move opens the mid-year sheets.
- In progress → scoring opens the year-end sheets.
"""

from django.utils.translation import gettext as _

from blocs.stages import register_effect, register_guard

from .models import Covenant, CovenantStatus, Period
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
def open_covenant_for_signing(*, bloc_year, actor):
    covenant_open_in_transition(bloc_year=bloc_year, actor=actor)


@register_effect("open_signing")
def freeze_the_scoring_sheet(*, bloc_year, actor):
    # The transition has checked the actor; the sheet freezes with the stage.
    template_freeze_current(bloc_year=bloc_year)


@register_effect("start_year")
def open_mid_year_sheets(*, bloc_year, actor):
    sheets_open(bloc_year=bloc_year, period=Period.MID_YEAR)


@register_effect("open_scoring")
def open_year_end_sheets(*, bloc_year, actor):
    sheets_open(bloc_year=bloc_year, period=Period.YEAR_END)
