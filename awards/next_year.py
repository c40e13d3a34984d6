"""Opening the bloc's next year once this one closes (issue 6, domain §1.2).

The conference elected next year's chair and vice-chair; when the board
closes the year (the ``close_year`` effect in :mod:`awards.guards`) the next
bloc-year is opened with them, the current members, and drafts of the
covenant and of the scoring sheet copied from this year, so the new chair
starts from last year's texts instead of a blank page. The secretariat
role moves by itself: it is derived from the chair agency.

Everything goes through the services of ``blocs`` and ``covenants``, with
the actor's own rights, inside the caller's transaction: a failure rolls
the closing back rather than leaving half a year behind. A next year that
already exists is completed only while it is still being set up; one that
has moved on is left as it is.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from blocs.models import BlocYear
from blocs.permissions import is_board_for
from blocs.services import bloc_year_create, bloc_year_set_officers, membership_add
from blocs.stages import Stage
from covenants import permissions as covenant_permissions
from covenants.models import Commitment, Covenant
from covenants.services import covenant_create
from covenants.sheet_services import current_template, template_copy_from_previous
from members import audit

from . import core
from .models import Conference, ConferenceStatus

__all__ = ["next_year_open"]


@audit.service
@transaction.atomic
def next_year_open(*, bloc_year, actor) -> BlocYear:
    """The bloc's year after ``bloc_year``, opened or completed with the
    elected officers, the members and draft copies of covenant and sheet."""
    locked = core.lock_year(bloc_year)
    if not is_board_for(actor, locked.bloc.province_id):
        raise PermissionDenied(_("Only the provincial board opens the next year."))
    if locked.stage not in (Stage.SUBMITTED, Stage.CLOSED):
        raise ValidationError(
            _("The next year opens once the proposals are submitted; the year is at “%(stage)s”.")
            % {"stage": Stage(locked.stage).label},
            code="wrong_stage",
        )
    conference = (
        Conference.objects.filter(bloc_year=locked)
        .select_related("next_chair", "next_vice_chair")
        .first()
    )
    if (
        conference is None
        or conference.status != ConferenceStatus.CONFIRMED
        or conference.next_chair is None
        or conference.next_vice_chair is None
    ):
        raise ValidationError(
            _("Next year's chair and vice-chair have not been elected."), code="no_officers"
        )
    year = locked.year + 1
    following = BlocYear.objects.filter(bloc=locked.bloc, year=year).first()
    if following is None:
        following = bloc_year_create(bloc=locked.bloc, year=year, actor=actor, copy_members=True)
    elif following.stage != Stage.SETUP:
        core.record(
            locked,
            "next_year_opened",
            actor=actor,
            note=_("%(year)s is already under way; it was left as it is.") % {"year": year},
        )
        return following
    members = set(following.memberships.current().values_list("agency_id", flat=True))
    for agency in (conference.next_chair, conference.next_vice_chair):
        if agency.pk not in members:
            membership_add(bloc_year=following, actor=actor, agency=agency)
    bloc_year_set_officers(
        bloc_year=following,
        actor=actor,
        chair=conference.next_chair,
        vice_chair=conference.next_vice_chair,
    )
    following = BlocYear.objects.select_related("bloc").get(pk=following.pk)
    _copy_covenant(following, actor)
    if not following.scoring_templates.exists() and current_template(locked) is not None:
        template_copy_from_previous(bloc_year=following, actor=actor)
    core.record(
        locked,
        "next_year_opened",
        actor=actor,
        note=_("%(year)s: chair %(chair)s, vice-chair %(vice)s")
        % {
            "year": year,
            "chair": conference.next_chair.name,
            "vice": conference.next_vice_chair.name,
        },
    )
    return following


def _copy_covenant(following: BlocYear, actor) -> None:
    """A draft covenant from the bloc's latest one, when the year has none.

    ``covenant_create`` lets only the new year's secretariat draft, and the
    board closes the old year: for the board the same copy (texts and
    commitments, nothing signed) is written here.
    """
    if Covenant.objects.filter(bloc_year=following).exists():
        return
    previous = (
        Covenant.objects.filter(bloc_year__bloc=following.bloc, bloc_year__year__lt=following.year)
        .order_by("-bloc_year__year")
        .first()
    )
    if previous is None:
        return
    if covenant_permissions.can_draft_covenant(actor, following):
        covenant_create(bloc_year=following, actor=actor, copy_previous=True)
        return
    covenant = Covenant(
        bloc_year=following,
        theme=following.theme or previous.theme,
        regulation=previous.regulation,
        scoring_guide=previous.scoring_guide,
    )
    covenant.full_clean()
    covenant.save()
    bulk_create_with_history(
        [
            Commitment(covenant=covenant, order=c.order, group=c.group, text=c.text)
            for c in previous.commitments.all()
        ],
        Commitment,
    )
