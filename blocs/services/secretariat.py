"""Secretariat delegation: the chair agency's leader lends the secretariat's
rights for one year to named people (an officer of another agency, a helper).
Granting and revoking are recorded with who and when; nothing is deleted."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import audit

from .. import permissions
from ..models import BlocYear, SecretariatDelegation


def _lock(bloc_year: BlocYear, actor) -> BlocYear:
    locked = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
    if locked.is_read_only:
        raise ValidationError(_("The year is closed: its records can no longer change."))
    if not permissions.can_delegate(actor, locked):
        raise PermissionDenied(_("Only the chair agency's leader grants secretariat rights."))
    return locked


@audit.service
@transaction.atomic
def delegation_grant(*, bloc_year: BlocYear, user, actor) -> SecretariatDelegation:
    locked = _lock(bloc_year, actor)
    if not user.is_active:
        raise ValidationError({"user": _("This account is deactivated.")}, code="inactive")
    if permissions.is_secretariat(user, locked):
        raise ValidationError(
            {"user": _("%(name)s already has the secretariat's rights.") % {"name": user}},
            code="already",
        )
    province_id = locked.bloc.province_id
    if user.agency_id is None or user.agency.province_id != province_id:
        raise ValidationError(
            {"user": _("Only officials of this province's agencies can be delegated.")},
            code="other_province",
        )
    delegation = SecretariatDelegation(bloc_year=locked, user=user, granted_by=actor)
    delegation.full_clean()
    delegation.save()
    return delegation


@audit.service
@transaction.atomic
def delegation_revoke(*, delegation: SecretariatDelegation, actor) -> SecretariatDelegation:
    _lock(delegation.bloc_year, actor)
    delegation = SecretariatDelegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.revoked_at is not None:
        return delegation
    delegation.revoked_at = timezone.now()
    delegation.revoked_by = actor
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    return delegation
