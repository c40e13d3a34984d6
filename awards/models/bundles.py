"""The province-wide dossier: every bloc's dossier of a year in one ZIP, built in the background.

Building it renders dozens of PDFs (a minute or more for a whole province), far too long for
a web request: the board asks for it, a :class:`ProvinceDossier` row is queued and a task of
Django's tasks framework (:mod:`awards.tasks`) builds it in a worker process, saving its
progress bloc by bloc. The row *is* the job as the board sees it: its status and progress,
then the stored ZIP with its size and SHA-256, or the error that stopped it. The task
framework's own record (``task_id``) only says whether the worker has picked it up.

The ZIP carries votes and scores: it lives in the private storage and is streamed by a view
after the board's right is checked, never served by URL.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["BundleStatus", "ProvinceDossier", "bundle_storage"]


class BundleStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


#: A job in these states holds the province-year: asking again returns it.
ACTIVE_STATUSES = (BundleStatus.QUEUED, BundleStatus.RUNNING)


def bundle_storage():
    """The private storage (settings ``STORAGES["private"]``): no URL serves it."""
    return storages["private"]


def _bundle_path(instance, filename):
    return f"bundles/{instance.province_id}/{instance.year}/{uuid.uuid4().hex}.zip"


class ProvinceDossier(models.Model):
    """One request of the board for the dossiers of every bloc of the province in a year."""

    province = models.ForeignKey(
        "members.Province",
        on_delete=models.PROTECT,
        related_name="dossier_bundles",
        verbose_name=_("province"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    #: The task framework's result id (``DBTaskResult``), set once the job is queued.
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BundleStatus, default=BundleStatus.QUEUED
    )
    blocs_total = models.PositiveSmallIntegerField(_("blocs to pack"), default=0)
    blocs_done = models.PositiveSmallIntegerField(_("blocs packed"), default=0)
    file = models.FileField(
        _("file"), upload_to=_bundle_path, storage=bundle_storage, max_length=300, blank=True
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: Saved with each step: a running job that stops moving was abandoned by its worker.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("province dossier")
        verbose_name_plural = _("province dossiers")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["province", "year", "-requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BundleStatus.values),
                name="awards_provincedossier_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(blocs_done__gte=0) & Q(blocs_done__lte=F("blocs_total")),
                name="awards_provincedossier_progress_within_total",
                violation_error_message=_("More blocs packed than there are to pack."),
            ),
            models.CheckConstraint(
                condition=~Q(status=BundleStatus.READY)
                | (~Q(file="") & Q(finished_at__isnull=False)),
                name="awards_provincedossier_ready_has_file",
                violation_error_message=_("A ready bundle has its file and its finishing time."),
            ),
            models.CheckConstraint(
                condition=~Q(status=BundleStatus.FAILED) | ~Q(error=""),
                name="awards_provincedossier_failure_has_error",
                violation_error_message=_("A failed bundle says what went wrong."),
            ),
            # One job at a time per province and year: asking twice returns the first.
            models.UniqueConstraint(
                fields=["province", "year"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="awards_provincedossier_one_active",
                violation_error_message=_(
                    "A bundle of this province and year is already being built."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.province} {self.year} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_ready(self) -> bool:
        return self.status == BundleStatus.READY

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 while the total is not known yet)."""
        if not self.blocs_total:
            return 0
        return self.blocs_done * 100 // self.blocs_total

    @property
    def download_name(self) -> str:
        return f"ho-so-{self.province.code}-{self.year}.zip"
