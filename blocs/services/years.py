"""Every change to a bloc-year goes through a function here.

Stage moves follow one recipe (:func:`_perform`): lock the row, check the
user's right, check the move is declared in ``stages.TRANSITIONS``, run the
guards, change the stage, record a :class:`StageChange`, and only after the
commit tell the members. Each transition has its own public function so a
later issue can give one of them extra work without touching the others.

Edits of the year's set-up (dates, members, chair and vice-chair) lock the
bloc-year as well and refuse once the year is closed: a closed year is read
only.
"""

import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from members import audit
from members.emails import send_to_person
from members.models import Agency, AgencyRole, User

from .. import permissions
from ..models import Bloc, BlocYear, MemberRole, Membership, StageChange
from ..selectors import transition_blockers
from ..stages import TRANSITIONS_BY_NAME, Stage, effects_for

logger = logging.getLogger(__name__)


# Stage transitions ---------------------------------------------------------


def _perform(name: str, *, bloc_year: BlocYear, actor, note: str = "") -> BlocYear:
    transition = TRANSITIONS_BY_NAME[name]
    with transaction.atomic():
        locked = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
        locked.refuse_if_closed()
        if not permissions.can_perform_transition(actor, locked, transition):
            raise PermissionDenied(_("You may not perform this step."))
        if locked.stage != transition.source:
            raise ValidationError(
                _("This step belongs to the stage “%(source)s”; the year is at “%(current)s”.")
                % {"source": transition.source.label, "current": Stage(locked.stage).label},
                code="wrong_stage",
            )
        if blockers := transition_blockers(locked, transition):
            raise ValidationError(blockers, code="blocked")
        locked.stage = transition.target
        locked.save(update_fields=["stage", "updated_at"])
        for effect in effects_for(transition):
            effect(bloc_year=locked, actor=actor)
        change = StageChange.objects.create(
            bloc_year=locked,
            transition=transition.name,
            from_stage=transition.source,
            to_stage=transition.target,
            actor=actor,
            note=note,
        )
        transaction.on_commit(partial(notify_stage_changed, stage_change_id=change.pk))
    return locked


@audit.service
def bloc_year_open_signing(*, bloc_year: BlocYear, actor, note: str = "") -> BlocYear:
    """Set-up is complete: members, chair and vice-chair are known."""
    return _perform("open_signing", bloc_year=bloc_year, actor=actor, note=note)


@audit.service
def bloc_year_start_year(*, bloc_year: BlocYear, actor, note: str = "") -> BlocYear:
    """The covenant is signed; the year's work and mid-year review follow."""
    return _perform("start_year", bloc_year=bloc_year, actor=actor, note=note)


@audit.service
def bloc_year_open_scoring(*, bloc_year: BlocYear, actor, note: str = "") -> BlocYear:
    """Members score themselves for the year with evidence."""
    return _perform("open_scoring", bloc_year=bloc_year, actor=actor, note=note)


@audit.service
def bloc_year_open_conference(*, bloc_year: BlocYear, actor, note: str = "") -> BlocYear:
    """Scores are settled; the year-end conference ranks, votes and elects."""
    return _perform("open_conference", bloc_year=bloc_year, actor=actor, note=note)


@audit.service
def bloc_year_submit_proposals(*, bloc_year: BlocYear, actor, note: str = "") -> BlocYear:
    """Minutes and proposals go to the provincial emulation board."""
    return _perform("submit_proposals", bloc_year=bloc_year, actor=actor, note=note)


@audit.service
def bloc_year_return_proposals(*, bloc_year: BlocYear, actor, note: str = "") -> BlocYear:
    """The board sends the proposals back for correction."""
    return _perform("return_proposals", bloc_year=bloc_year, actor=actor, note=note)


@audit.service
def bloc_year_close_year(*, bloc_year: BlocYear, actor, note: str = "") -> BlocYear:
    """The board has accepted the dossier; the year becomes read-only."""
    return _perform("close_year", bloc_year=bloc_year, actor=actor, note=note)


#: The view looks the service up by the transition's name.
TRANSITION_SERVICES = {
    "open_signing": bloc_year_open_signing,
    "start_year": bloc_year_start_year,
    "open_scoring": bloc_year_open_scoring,
    "open_conference": bloc_year_open_conference,
    "submit_proposals": bloc_year_submit_proposals,
    "return_proposals": bloc_year_return_proposals,
    "close_year": bloc_year_close_year,
}


def notify_stage_changed(*, stage_change_id: int) -> None:
    """Email the leaders and emulation officers of the year's current members,
    each in their own language."""
    change = StageChange.objects.select_related("bloc_year__bloc", "actor").get(pk=stage_change_id)
    recipients = (
        User.objects.filter(
            is_active=True,
            agency__memberships__bloc_year=change.bloc_year,
            agency__memberships__left_on__isnull=True,
            agency_role__in=[AgencyRole.LEADER, AgencyRole.DEPUTY, AgencyRole.OFFICER],
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    for user in recipients:
        try:
            send_to_person(
                user,
                subject_template="blocs/emails/stage_changed_subject.txt",
                body_template="blocs/emails/stage_changed_body.txt",
                context={"change": change, "bloc_year": change.bloc_year},
            )
        except OSError:
            # The change is committed; a mail server outage must not undo it.
            logger.exception("Could not send stage-change mail to %s", user.email)


# Set-up of a bloc-year -----------------------------------------------------


def _lock_editable(bloc_year: BlocYear, actor) -> BlocYear:
    locked = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
    if locked.is_read_only:
        raise ValidationError(
            _("The year %(year)s is closed: its records can no longer change.")
            % {"year": locked.year},
            code="read_only",
        )
    if not permissions.can_edit_bloc_year(actor, locked):
        raise PermissionDenied(_("You may not change this bloc-year."))
    return locked


@audit.service
@transaction.atomic
def bloc_year_create(
    *, bloc: Bloc, year: int, actor, theme: str = "", copy_members: bool = True
) -> BlocYear:
    """Open a new year for a bloc, carrying over last year's current members.

    Members change between years (merges, re-organisations), so the copy is a
    starting point the board or secretariat edits; officers are not copied
    because the conference elects them anew.
    """
    if not permissions.can_manage_blocs(actor, bloc.province_id):
        raise PermissionDenied(_("Only the provincial board opens bloc years."))
    bloc_year = BlocYear(bloc=bloc, year=year, theme=theme)
    bloc_year.full_clean()
    bloc_year.save()
    if copy_members:
        previous = BlocYear.objects.filter(bloc=bloc, year__lt=year).order_by("-year").first()
        if previous is not None:
            bulk_create_with_history(
                [
                    Membership(bloc_year=bloc_year, agency_id=m.agency_id)
                    for m in previous.memberships.current()
                    .select_related("agency")
                    .filter(agency__is_active=True)
                ],
                Membership,
            )
    return bloc_year


@audit.service
@transaction.atomic
def bloc_year_update(*, bloc_year: BlocYear, actor, data: dict) -> BlocYear:
    """Change the theme and key dates of a year that is not closed."""
    locked = _lock_editable(bloc_year, actor)
    editable = {
        "theme",
        "signing_date",
        "mid_year_review_date",
        "conference_date",
        "dossier_deadline",
    }
    for field, value in data.items():
        if field not in editable:
            raise ValueError(f"{field} is not editable here")
        setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    return locked


@audit.service
@transaction.atomic
def bloc_year_set_officers(
    *, bloc_year: BlocYear, actor, chair: Agency | None, vice_chair: Agency | None
) -> BlocYear:
    """Make one current member chair and another vice-chair.

    The old officers become ordinary members first, so swapping the two roles
    never trips the one-chair-per-year constraint halfway.
    """
    locked = _lock_editable(bloc_year, actor)
    if chair is not None and vice_chair is not None and chair.pk == vice_chair.pk:
        raise ValidationError(
            {"vice_chair": _("The vice-chair must be a different agency from the chair.")},
            code="same_agency",
        )
    current = {m.agency_id: m for m in locked.memberships.current()}
    for field, agency in (("chair", chair), ("vice_chair", vice_chair)):
        if agency is not None and agency.pk not in current:
            raise ValidationError(
                {field: _("%(agency)s is not a current member this year.") % {"agency": agency}},
                code="not_member",
            )
    roles = {
        agency.pk: role
        for agency, role in ((chair, MemberRole.CHAIR), (vice_chair, MemberRole.VICE_CHAIR))
        if agency is not None
    }
    changing = [
        m for m in locked.memberships.all() if m.role != roles.get(m.agency_id, MemberRole.MEMBER)
    ]
    # Saved one by one, so each change has its history: first whoever loses a role
    # becomes a member, then the new officers take theirs.
    for membership in changing:
        if membership.role != MemberRole.MEMBER:
            membership.role = MemberRole.MEMBER
            membership.save(update_fields=["role"])
    for membership in changing:
        if roles.get(membership.agency_id, MemberRole.MEMBER) != MemberRole.MEMBER:
            membership.role = roles[membership.agency_id]
            membership.save(update_fields=["role"])
    return locked


@audit.service
@transaction.atomic
def membership_add(*, bloc_year: BlocYear, actor, agency: Agency, joined_on=None) -> Membership:
    locked = _lock_editable(bloc_year, actor)
    if agency.province_id != locked.bloc.province_id:
        raise ValidationError(
            {"agency": _("The agency belongs to another province.")}, code="other_province"
        )
    # Past years are recorded too, so an agency merged away later may still
    # join them; it may not join a year that began after it ceased to exist.
    if not agency.is_active and (agency.ended_on is None or agency.ended_on.year < locked.year):
        raise ValidationError(
            {"agency": _("The agency no longer existed in %(year)s.") % {"year": locked.year}},
            code="inactive_agency",
        )
    membership = Membership(bloc_year=locked, agency=agency, joined_on=joined_on)
    membership.full_clean()
    membership.save()
    return membership


@audit.service
@transaction.atomic
def membership_update(*, membership: Membership, actor, joined_on, left_on) -> Membership:
    """Record when an agency joined or left the bloc during the year."""
    _lock_editable(membership.bloc_year, actor)
    membership = Membership.objects.get(pk=membership.pk)
    membership.joined_on, membership.left_on = joined_on, left_on
    membership.full_clean()
    membership.save(update_fields=["joined_on", "left_on"])
    return membership


@audit.service
@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """Delete a membership entered by mistake; only while the year is in set-up.

    After set-up the agency has signed and been scored, so it *leaves* (a
    left-on date) instead of disappearing.
    """
    locked = _lock_editable(membership.bloc_year, actor)
    if locked.stage != Stage.SETUP:
        raise ValidationError(
            _("After set-up a member is not removed; record the date it left instead."),
            code="not_setup",
        )
    if membership.role != MemberRole.MEMBER:
        raise ValidationError(
            _("Hand the chair or vice-chair role to another member first."), code="officer"
        )
    Membership.objects.filter(pk=membership.pk).delete()
