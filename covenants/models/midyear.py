"""The mid-year review (sơ kết 6 tháng) and the initiatives register.

The mid-year review is a conference with a record: when and where it was
held, who hosted and attended, the summary of results, the limitations and
the tasks for the second half (domain.md §5 "Báo cáo sơ kết"). It is drafted,
then marked *held* — which needs every member's mid-year sheet submitted —
and from then on its minutes are a document (PDF) and it is read-only.

The initiatives register counts each member's recognised initiatives
(sáng kiến) per level for the year — seed 003 counts 130 grassroots and 6
provincial ones — and feeds a count × points line of the sheet.
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

from .meetings import MeetingRecord

__all__ = [
    "Initiative",
    "InitiativeLevel",
    "MidYearReview",
    "MidYearStatus",
    "ScoringYearEvent",
]


class MidYearStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    HELD = "held", _("Held")


class MidYearReview(MeetingRecord):
    bloc_year = models.OneToOneField(
        BlocYear,
        on_delete=models.CASCADE,
        related_name="mid_year_review",
        verbose_name=_("bloc year"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MidYearStatus, default=MidYearStatus.DRAFT
    )
    number = models.CharField(_("number and symbol"), max_length=50, blank=True)
    # held_on, place, chaired_by, secretary: from MeetingRecord.
    host_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host agency"),
    )
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One per line."))
    results_summary = models.TextField(_("summary of results"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)
    second_half_tasks = models.TextField(_("tasks for the second half"), blank=True)
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked held by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = history()

    class Meta:
        verbose_name = _("mid-year review")
        verbose_name_plural = _("mid-year reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MidYearStatus.values),
                name="covenants_midyearreview_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(held_on__isnull=False, held_at__isnull=False),
                name="covenants_midyearreview_held_has_date",
                violation_error_message=_("A held review needs its date."),
            ),
        ]

    def __str__(self):
        return str(_("Mid-year review %(bloc_year)s") % {"bloc_year": self.bloc_year})

    def get_absolute_url(self):
        return reverse(
            "covenants:mid_year",
            kwargs={"pk": self.bloc_year.bloc_id, "year": self.bloc_year.year},
        )

    @property
    def is_held(self) -> bool:
        return self.status == MidYearStatus.HELD


class InitiativeLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots level")
    PROVINCIAL = "provincial", _("Provincial level")


class Initiative(models.Model):
    """How many initiatives of one level a member had recognised this year."""

    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("bloc year")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("agency")
    )
    level = models.CharField(_("level"), max_length=12, choices=InitiativeLevel)
    count = models.PositiveIntegerField(_("number recognised"))
    decisions = models.TextField(
        _("recognition decisions"),
        blank=True,
        help_text=_("Decision numbers and dates, one per line."),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("updated by"),
    )

    history = history()

    class Meta:
        verbose_name = _("initiatives")
        verbose_name_plural = _("initiatives")
        ordering = ["agency__name", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "agency", "level"],
                name="covenants_initiative_one_per_level",
                violation_error_message=_("This agency already has a count for this level."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=InitiativeLevel.values),
                name="covenants_initiative_level_valid",
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.get_level_display()}: {self.count}"


class ScoringYearEvent(models.Model):
    """The part of a year's scoring trail that belongs to no single sheet:
    settings changed (before → after), the mid-year review saved, held or
    reopened (with the reason), initiatives recorded. Never edited; sheet
    changes have their own trail (:class:`~covenants.models.ScoreEvent`)."""

    bloc_year = models.ForeignKey(
        BlocYear,
        on_delete=models.CASCADE,
        related_name="scoring_events",
        verbose_name=_("bloc year"),
    )
    #: ``settings``, ``mid_year`` or ``initiatives``: which page shows the entry.
    subject = models.CharField(_("subject"), max_length=20)
    action = models.CharField(_("action"), max_length=30)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("scoring history entry")
        verbose_name_plural = _("scoring history")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.bloc_year}: {self.subject} {self.action}"

    def get_action_label(self) -> str:
        return str(YEAR_EVENT_LABELS.get((self.subject, self.action), self.action))


YEAR_EVENT_LABELS = {
    ("settings", "changed"): _("Scoring settings changed"),
    ("mid_year", "saved"): _("Record saved"),
    ("mid_year", "held"): _("Recorded as held"),
    ("mid_year", "reopened"): _("Reopened"),
    ("initiatives", "recorded"): _("Initiatives recorded"),
}
