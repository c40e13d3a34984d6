"""The yearly covenant (giao ước thi đua) and its signatures.

A covenant is drafted by the secretariat, opened for signing when the
bloc-year enters its signing stage, and becomes *signed* once every current
member agency has signed or is recorded as unable to. Signatures are never
edited: reopening a covenant voids them all, with the reason kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear
from members.audit import history
from members.models import Agency


class CovenantStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for signing")
    SIGNED = "signed", _("Signed")


#: The covenant's own moves, declared once: name -> (sources, target).
COVENANT_TRANSITIONS = {
    "open": ((CovenantStatus.DRAFT,), CovenantStatus.OPEN),
    "complete": ((CovenantStatus.OPEN,), CovenantStatus.SIGNED),
    "reopen": ((CovenantStatus.OPEN, CovenantStatus.SIGNED), CovenantStatus.DRAFT),
}


class Covenant(models.Model):
    bloc_year = models.OneToOneField(
        BlocYear, on_delete=models.CASCADE, related_name="covenant", verbose_name=_("bloc year")
    )
    theme = models.CharField(
        _("theme"),
        max_length=300,
        blank=True,
        help_text=_("The emulation slogan, e.g. “Đoàn kết, sáng tạo, …”."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CovenantStatus, default=CovenantStatus.DRAFT
    )
    number = models.CharField(
        _("number and symbol"), max_length=50, blank=True, help_text=_("E.g. 01/GƯ-KTĐ6.")
    )
    regulation = models.TextField(_("operating regulation"), blank=True)
    scoring_guide = models.TextField(_("scoring guide"), blank=True)
    conference_date = models.DateField(_("signing conference date"), null=True, blank=True)
    conference_place = models.CharField(_("place"), max_length=200, blank=True)
    host_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host agency"),
    )
    chaired_by = models.CharField(
        _("chaired by"), max_length=200, blank=True, help_text=_("Name and title.")
    )
    attendees = models.TextField(_("attendees"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = history()

    class Meta:
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CovenantStatus.values),
                name="covenants_covenant_status_valid",
            ),
        ]

    def __str__(self):
        return str(_("Covenant %(bloc_year)s") % {"bloc_year": self.bloc_year})

    def get_absolute_url(self):
        return reverse(
            "covenants:detail", kwargs={"pk": self.bloc_year.bloc_id, "year": self.bloc_year.year}
        )

    @property
    def is_draft(self) -> bool:
        return self.status == CovenantStatus.DRAFT


class Commitment(models.Model):
    """One commitment (nội dung giao ước), optionally under a group heading."""

    covenant = models.ForeignKey(
        Covenant, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("covenant")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    group = models.CharField(_("group"), max_length=200, blank=True)
    text = models.TextField(_("commitment"))

    history = history()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "order"], name="covenants_commitment_unique_order"
            ),
        ]

    def __str__(self):
        return self.text[:80]


def _attachment_path(instance, filename):
    return f"covenants/{instance.covenant.bloc_year_id}/{filename}"


class CovenantAttachment(models.Model):
    """A document adopted with the covenant (regulation, scoring guide, plan)."""

    covenant = models.ForeignKey(
        Covenant, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("covenant")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_attachment_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = history()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class SignatureStatus(models.TextChoices):
    SIGNED = "signed", _("Signed")
    UNABLE = "unable", _("Unable to sign")


class SignatureMethod(models.TextChoices):
    APP = "app", _("In the app")
    PAPER = "paper", _("On paper, recorded by the secretariat")


class Signature(models.Model):
    """One member agency's signature (or its recorded inability) on a covenant."""

    covenant = models.ForeignKey(
        Covenant, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("covenant")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    status = models.CharField(_("status"), max_length=10, choices=SignatureStatus)
    method = models.CharField(_("method"), max_length=10, choices=SignatureMethod)
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    signed_at = models.DateTimeField(_("at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("why it was voided"), blank=True)

    history = history()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "agency"],
                condition=Q(voided_at__isnull=True),
                name="covenants_signature_once_per_agency",
                violation_error_message=_("This agency has already signed."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=SignatureStatus.values)
                & Q(method__in=SignatureMethod.values),
                name="covenants_signature_choices_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="unable") | ~Q(signer_name=""),
                name="covenants_signature_signed_has_name",
                violation_error_message=_("A signature needs the signer's name."),
            ),
            models.CheckConstraint(
                condition=Q(status="signed") | ~Q(reason=""),
                name="covenants_signature_unable_has_reason",
                violation_error_message=_("Say why the agency cannot sign."),
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="covenants_signature_void_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.get_status_display()}"


class CovenantEvent(models.Model):
    """History of a covenant: opened, signatures, reopened (with reasons)."""

    covenant = models.ForeignKey(
        Covenant, on_delete=models.CASCADE, related_name="events", verbose_name=_("covenant")
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=10, choices=CovenantStatus)
    to_status = models.CharField(_("to"), max_length=10, choices=CovenantStatus)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("covenant event")
        verbose_name_plural = _("covenant events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.covenant}: {self.action}"
