"""Every change to a covenant goes through a function here.

Covenant moves follow the blocs recipe: lock, check the right, check the move
is declared in ``COVENANT_TRANSITIONS``, check guards, change, record a
``CovenantEvent``. Signing is the members' act: each signature is a row that
is never edited; reopening voids them all with the reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from blocs.models import BlocYear
from blocs.stages import Stage
from members import audit

from . import permissions
from .models import (
    COVENANT_TRANSITIONS,
    Commitment,
    Covenant,
    CovenantAttachment,
    CovenantEvent,
    Signature,
    SignatureMethod,
    SignatureStatus,
)


def covenant_blockers(covenant: Covenant | None) -> list[str]:
    """What a covenant lacks before it can be opened for signing."""
    if covenant is None:
        return [_("The covenant has not been drafted yet.")]
    blockers = []
    if not covenant.theme.strip():
        blockers.append(_("The covenant has no theme."))
    if not covenant.commitments.exists():
        blockers.append(_("The covenant has no commitments."))
    return blockers


def unsigned_agencies(covenant: Covenant) -> list:
    """Current members with neither a signature nor a recorded inability."""
    handled = set(
        covenant.signatures.filter(voided_at__isnull=True).values_list("agency_id", flat=True)
    )
    return [
        m.agency
        for m in covenant.bloc_year.memberships.select_related("agency").current()
        if m.agency_id not in handled
    ]


def _lock(covenant: Covenant) -> Covenant:
    """The covenant, locked, refused at once if its year is closed."""
    locked = (
        Covenant.objects.select_for_update().select_related("bloc_year__bloc").get(pk=covenant.pk)
    )
    locked.bloc_year.refuse_if_closed()
    return locked


def _move(covenant: Covenant, name: str, *, actor, note: str = "") -> Covenant:
    sources, target = COVENANT_TRANSITIONS[name]
    if covenant.status not in sources:
        raise ValidationError(
            _("The covenant is “%(status)s”; this step is not possible now.")
            % {"status": covenant.get_status_display()},
            code="wrong_status",
        )
    previous = covenant.status
    covenant.status = target
    covenant.save(update_fields=["status", "updated_at"])
    CovenantEvent.objects.create(
        covenant=covenant,
        action=name,
        from_status=previous,
        to_status=target,
        actor=actor,
        note=note,
    )
    return covenant


# Drafting ----------------------------------------------------------------------


@audit.service
@transaction.atomic
def covenant_create(*, bloc_year: BlocYear, actor, copy_previous: bool = False) -> Covenant:
    """Start the year's covenant, empty or from last year's text and commitments."""
    bloc_year = BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
    bloc_year.refuse_if_closed()
    if not permissions.can_draft_covenant(actor, bloc_year):
        raise PermissionDenied(_("Only the secretariat drafts the covenant."))
    if Covenant.objects.filter(bloc_year=bloc_year).exists():
        raise ValidationError(_("This year already has a covenant."), code="exists")
    covenant = Covenant(bloc_year=bloc_year, theme=bloc_year.theme)
    previous = (
        Covenant.objects.filter(bloc_year__bloc=bloc_year.bloc, bloc_year__year__lt=bloc_year.year)
        .order_by("-bloc_year__year")
        .first()
        if copy_previous
        else None
    )
    if copy_previous and previous is None:
        raise ValidationError(_("There is no earlier covenant to start from."), code="none")
    if previous is not None:
        covenant.theme = bloc_year.theme or previous.theme
        covenant.regulation = previous.regulation
        covenant.scoring_guide = previous.scoring_guide
    covenant.full_clean()
    covenant.save()
    if previous is not None:
        bulk_create_with_history(
            [
                Commitment(covenant=covenant, order=c.order, group=c.group, text=c.text)
                for c in previous.commitments.all()
            ],
            Commitment,
        )
    return covenant


@audit.service
@transaction.atomic
def covenant_update(*, covenant: Covenant, actor, data: dict) -> Covenant:
    covenant = _lock(covenant)
    if not covenant.is_draft or not permissions.can_draft_covenant(actor, covenant.bloc_year):
        raise PermissionDenied(_("Only a draft covenant can be edited, by the secretariat."))
    for field, value in data.items():
        setattr(covenant, field, value)
    covenant.full_clean()
    covenant.save()
    return covenant


@audit.service
@transaction.atomic
def commitments_replace(*, covenant: Covenant, actor, commitments: list[dict]) -> Covenant:
    """Replace the ordered commitments of a draft (group heading + text each)."""
    covenant = _lock(covenant)
    if not covenant.is_draft or not permissions.can_draft_covenant(actor, covenant.bloc_year):
        raise PermissionDenied(_("Only a draft covenant can be edited, by the secretariat."))
    covenant.commitments.all().delete()
    bulk_create_with_history(
        [
            Commitment(covenant=covenant, order=index, group=row.get("group", ""), text=row["text"])
            for index, row in enumerate(commitments, start=1)
            if row.get("text", "").strip()
        ],
        Commitment,
    )
    return covenant


# Opening, completing, reopening ---------------------------------------------


@audit.service
def covenant_open_in_transition(*, bloc_year: BlocYear, actor) -> None:
    """Effect of the bloc-year's ``open_signing``: the draft opens for signing."""
    covenant = _lock(bloc_year.covenant)
    _move(covenant, "open", actor=actor)


@audit.service
@transaction.atomic
def covenant_open(*, covenant: Covenant, actor) -> Covenant:
    """Open a reopened draft again while the year is at the signing stage."""
    covenant = _lock(covenant)
    if covenant.bloc_year.stage != Stage.SIGNING:
        raise ValidationError(
            _("A covenant opens for signing with the year's signing stage."), code="stage"
        )
    if not permissions.can_draft_covenant(actor, covenant.bloc_year):
        raise PermissionDenied(_("Only the secretariat opens the covenant."))
    if blockers := covenant_blockers(covenant):
        raise ValidationError(blockers, code="blocked")
    return _move(covenant, "open", actor=actor)


def _complete_if_done(covenant: Covenant, actor) -> None:
    if not unsigned_agencies(covenant):
        _move(covenant, "complete", actor=actor)


@audit.service
@transaction.atomic
def covenant_reopen(*, covenant: Covenant, actor, reason: str) -> Covenant:
    """Back to draft to change the text; every signature is voided, with why."""
    covenant = _lock(covenant)
    if not permissions.can_reopen(actor, covenant):
        raise PermissionDenied(_("The covenant can only be reopened during the signing stage."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the covenant is reopened.")}, code="reason")
    voided_at = timezone.now()
    for signature in covenant.signatures.filter(voided_at__isnull=True):
        signature.voided_at, signature.void_reason = voided_at, reason
        signature.save(update_fields=["voided_at", "void_reason"])
    return _move(covenant, "reopen", actor=actor, note=reason)


# Signing -----------------------------------------------------------------------


def _new_signature(covenant: Covenant, agency, **fields) -> Signature:
    if agency.pk not in {
        m.agency_id for m in covenant.bloc_year.memberships.all() if m.left_on is None
    }:
        raise ValidationError(_("%(agency)s is not a current member.") % {"agency": agency})
    if covenant.signatures.filter(agency=agency, voided_at__isnull=True).exists():
        raise ValidationError(
            _("%(agency)s has already signed or been recorded.") % {"agency": agency},
            code="already",
        )
    signature = Signature(covenant=covenant, agency=agency, **fields)
    signature.full_clean()
    signature.save()
    return signature


@audit.service
@transaction.atomic
def covenant_sign(*, covenant: Covenant, agency, actor) -> Signature:
    """The agency's leader signs in the app; name and title come from the account."""
    covenant = _lock(covenant)
    if not permissions.can_sign_for(actor, covenant, agency):
        raise PermissionDenied(_("Only the agency's leader signs, while signing is open."))
    signature = _new_signature(
        covenant,
        agency,
        status=SignatureStatus.SIGNED,
        method=SignatureMethod.APP,
        signer_name=actor.get_full_name(),
        signer_title=actor.position,
        recorded_by=actor,
    )
    _complete_if_done(covenant, actor)
    return signature


def _record(covenant: Covenant, agency, *, actor, **fields) -> Signature:
    """What the secretariat records on a member's behalf, after the same checks."""
    covenant = _lock(covenant)
    if not permissions.can_record_signatures(actor, covenant):
        raise PermissionDenied(_("Only the secretariat records signatures."))
    signature = _new_signature(
        covenant, agency, method=SignatureMethod.PAPER, recorded_by=actor, **fields
    )
    _complete_if_done(covenant, actor)
    return signature


@audit.service
@transaction.atomic
def signature_record_paper(
    *, covenant: Covenant, agency, actor, signer_name: str, signer_title: str
) -> Signature:
    """The secretariat records a leader's signature made on paper."""
    return _record(
        covenant,
        agency,
        actor=actor,
        status=SignatureStatus.SIGNED,
        signer_name=signer_name,
        signer_title=signer_title,
    )


@audit.service
@transaction.atomic
def signature_record_unable(*, covenant: Covenant, agency, actor, reason: str) -> Signature:
    """An agency that cannot sign (merger under way, no leader…) with the reason."""
    return _record(covenant, agency, actor=actor, status=SignatureStatus.UNABLE, reason=reason)


@audit.service
@transaction.atomic
def attachment_add(*, covenant: Covenant, actor, title: str, file) -> CovenantAttachment:
    """Attach an adopted document (regulation, plan, scoring guide) to a draft."""
    covenant = _lock(covenant)
    if not covenant.is_draft or not permissions.can_draft_covenant(actor, covenant.bloc_year):
        raise PermissionDenied(_("Only a draft covenant can be edited, by the secretariat."))
    attachment = CovenantAttachment(covenant=covenant, title=title, file=file)
    attachment.full_clean()
    attachment.save()
    return attachment
