"""Writes about people: adding officials, inviting them, deactivating them,
their own profile. Each checks the actor's right and runs in a transaction;
emails leave only after the commit."""

import hashlib
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import audit, permissions
from .emails import send_to_person
from .importers import get_importer
from .models import Agency, ImportBatch, ImportStatus, Invitation, User
from .tokens import invitation_token_generator


def invitation_url(user: User, *, base_url: str) -> str:
    """The one-time link to set a password, absolute (it goes in an email)."""
    path = reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def _deliver_invitation(*, user_id: int, sent_by_id: int, base_url: str) -> None:
    user = User.objects.select_related("agency").get(pk=user_id)
    send_to_person(
        user,
        subject_template="members/emails/invitation_subject.txt",
        body_template="members/emails/invitation_body.txt",
        context={
            "url": invitation_url(user, base_url=base_url),
            "sent_by": User.objects.get(pk=sent_by_id),
        },
    )


@audit.service
@transaction.atomic
def invitation_send(
    *, user: User, actor: User, base_url: str, permitted=permissions.can_invite
) -> Invitation:
    """Email ``user`` a one-time link to set a password (again, if resent).

    ``permitted`` lets ``blocs`` pass its own rule (the secretariat may also
    resend to its members); the default is the board's and the agency
    leader's right.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not permitted(actor, user):
        raise PermissionDenied(_("You may not invite this person."))
    if not user.is_active:
        raise ValidationError(_("This account is deactivated; reactivate it first."))
    if not user.email:
        raise ValidationError(_("This person has no email address."), code="no_email")
    if user.has_usable_password():
        raise ValidationError(
            _("This person has already set a password; they can use “Forgot password”."),
            code="already_active",
        )
    invitation = Invitation.objects.create(user=user, sent_by=actor)
    transaction.on_commit(
        partial(_deliver_invitation, user_id=user.pk, sent_by_id=actor.pk, base_url=base_url)
    )
    return invitation


@audit.service
@transaction.atomic
def official_create(*, agency: Agency, actor: User, base_url: str, **fields) -> User:
    """Add one official to an agency and invite them; nobody shares passwords."""
    if not permissions.can_manage_agencies(actor, agency.province_id):
        raise PermissionDenied(_("Only the provincial board adds officials."))
    email = fields["email"].strip().lower()
    user = User(username=email, agency=agency, **{**fields, "email": email})
    user.set_unusable_password()
    user.full_clean()
    user.save()
    invitation_send(user=user, actor=actor, base_url=base_url)
    return user


@audit.service
@transaction.atomic
def user_set_active(*, user: User, actor: User, active: bool) -> User:
    """Deactivate an official who left (or bring them back); never delete.

    The row stays so every record keeps the person's name; an inactive
    account cannot log in and loses every derived role at once.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    if not permissions.can_manage_person(actor, user):
        raise PermissionDenied(_("You may not change this account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def profile_update(*, user: User, data: dict) -> User:
    """A person edits their own name, title, contact and language."""
    user = User.objects.select_for_update().get(pk=user.pk)
    for field in ("full_name", "position", "email", "phone", "preferred_language"):
        if field in data:
            setattr(user, field, data[field])
    user.full_clean()
    user.save()
    return user


# Spreadsheet imports -------------------------------------------------------


@audit.service
def import_upload(*, province, kind: str, uploaded_file, actor: User) -> ImportBatch:
    """Keep the uploaded file so the preview and the confirmation read the same bytes."""
    if not permissions.can_manage_agencies(actor, province.pk):
        raise PermissionDenied(_("Only the provincial board imports files."))
    content = uploaded_file.read()
    return ImportBatch.objects.create(
        province=province,
        kind=kind,
        file_name=uploaded_file.name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )


@audit.service
@transaction.atomic
def import_apply(*, batch: ImportBatch, actor: User, base_url: str) -> ImportBatch:
    """Apply a previewed file; the importer re-validates everything first.

    Nothing is written unless the whole file is clean; people created by the
    import receive their invitation after the commit.
    """
    batch = ImportBatch.objects.select_for_update().select_related("province").get(pk=batch.pk)
    if not permissions.can_manage_agencies(actor, batch.province_id):
        raise PermissionDenied(_("Only the provincial board imports files."))
    if batch.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("This file was already applied or discarded."), code="done")
    importer = get_importer(batch.kind)
    plan, created = importer.apply(bytes(batch.content), province=batch.province, actor=actor)
    batch.status = ImportStatus.APPLIED
    batch.applied_at = timezone.now()
    batch.summary = dict(plan.counts)
    batch.save(update_fields=["status", "applied_at", "summary"])
    for user in created:
        if user.email:
            invitation_send(user=user, actor=actor, base_url=base_url)
    return batch


@audit.service
@transaction.atomic
def import_discard(*, batch: ImportBatch, actor: User) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not permissions.can_manage_agencies(actor, batch.province_id):
        raise PermissionDenied(_("Only the provincial board imports files."))
    if batch.status == ImportStatus.PREVIEWED:
        batch.status = ImportStatus.DISCARDED
        batch.save(update_fields=["status"])
    return batch
