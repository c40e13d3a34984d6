"""What the conference decides: award proposals (with the votes and the
scores behind them), each nominee's achievement report, and the rotating
flag's handover to the next chair."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear
from members.audit import history
from members.models import Agency

from .polls import Poll

__all__ = [
    "AchievementReport",
    "AwardKind",
    "AwardProposal",
    "FlagHandover",
    "ReportStatus",
]


def _private_storage():
    return storages["private"]


class AwardKind(models.TextChoices):
    FLAG = "flag", _("Emulation flag of the provincial People's Committee")
    CERTIFICATE = "certificate", _("Certificate of merit of the provincial chairman")


class AwardProposal(models.Model):
    """The bloc proposes ``agency`` for ``award``: what the province decides on."""

    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("bloc year")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="award_proposals", verbose_name=_("agency")
    )
    award = models.CharField(_("award"), max_length=12, choices=AwardKind)
    #: The poll that decided it (None: decided by the fallback after the last round).
    poll = models.ForeignKey(
        Poll,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("poll"),
    )
    votes = models.PositiveSmallIntegerField(_("votes"), null=True, blank=True)
    base_count = models.PositiveSmallIntegerField(_("out of"), null=True, blank=True)
    percent = models.DecimalField(
        _("share of votes (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    #: The rule applied, as the minutes quote it ("7/9 phiếu = 77,78 % ≥ …").
    rule_text = models.TextField(_("rule applied"), blank=True)
    #: Why a flag nominee not ranked first, or a fallback choice (rule 18, 24).
    reason = models.TextField(_("reason"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = history()

    class Meta:
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        ordering = ["bloc_year", "award", "order", "pk"]
        constraints = [
            # One achievement, one award (Law Art. 5; rule 22).
            models.UniqueConstraint(
                fields=["bloc_year", "agency"],
                name="awards_awardproposal_one_award_per_unit",
                violation_error_message=_("This unit is already proposed for an award this year."),
            ),
            models.CheckConstraint(
                condition=Q(award__in=AwardKind.values), name="awards_awardproposal_award_valid"
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.get_award_display()} {self.bloc_year.year}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPLOADED = "uploaded", _("Signed copy uploaded")
    CHECKED = "checked", _("Checked by the secretariat")


def _report_path(instance, filename):
    return f"achievements/{instance.proposal.bloc_year_id}/{filename}"


class AchievementReport(models.Model):
    """The nominee's achievement report (báo cáo thành tích, ND 152 template):
    drafted by the app from the unit's year, edited, uploaded as signed by
    the unit, checked by the secretariat before submission."""

    proposal = models.OneToOneField(
        AwardProposal,
        on_delete=models.CASCADE,
        related_name="achievement_report",
        verbose_name=_("proposal"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    text = models.TextField(_("report"), blank=True)
    signed_file = models.FileField(
        _("signed copy"), upload_to=_report_path, storage=_private_storage, blank=True
    )
    signed_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = history()

    class Meta:
        verbose_name = _("achievement report")
        verbose_name_plural = _("achievement reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="awards_achievementreport_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(signed_file=""),
                name="awards_achievementreport_uploaded_has_file",
                violation_error_message=_("Upload the signed copy first."),
            ),
            models.CheckConstraint(
                condition=~Q(status="checked") | Q(checked_at__isnull=False),
                name="awards_achievementreport_checked_has_date",
            ),
        ]

    def __str__(self):
        return str(_("Achievement report of %(agency)s") % {"agency": self.proposal.agency})


class FlagHandover(models.Model):
    """The rotating flag (cờ luân lưu) passes from the outgoing to the incoming
    chair at the year-end conference (domain §1.4): not an award."""

    bloc_year = models.OneToOneField(
        BlocYear,
        on_delete=models.CASCADE,
        related_name="flag_handover",
        verbose_name=_("bloc year"),
    )
    handed_on = models.DateField(_("date"))
    outgoing = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("outgoing chair")
    )
    incoming = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("incoming chair")
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = history()

    class Meta:
        verbose_name = _("flag handover")
        verbose_name_plural = _("flag handovers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outgoing=models.F("incoming")),
                name="awards_flaghandover_to_another_agency",
                violation_error_message=_("The flag passes to another agency."),
            ),
        ]

    def __str__(self):
        return f"{self.outgoing} → {self.incoming} ({self.bloc_year.year})"
