"""Score sheets: each member's self-score, the bloc's blind review and the
agreed final score, per period (mid-year, year-end).

One :class:`ScoreSheet` per member agency per period, against the year's
frozen scoring template, with one :class:`ScoreLine` per scored line (a
criterion without sub-criteria, or a sub-criterion). A line keeps all three
values side by side — self, review, final — because domain.md §9 rule 12
asks for all three plus the trail; every change is also written to
:class:`ScoreEvent`, which is never edited.

The sheet's own moves are declared once in ``SHEET_TRANSITIONS``; the
review runs alongside (``review_submitted_at``) so that neither side waits
for the other and neither sees the other's numbers before both are in
(see :mod:`covenants.scores.visibility`).

A line's value is stored as a number whatever the criterion's kind: points,
a count of items, or 1/0 for pass/fail; :func:`covenants.scores.values`
turns it into the pure module's :class:`~covenants.scoring.LineInput`.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear
from members.audit import history
from members.models import Agency

from .scoring_year import Period
from .sheet import ScoringCriterion, ScoringTemplate

__all__ = [
    "SHEET_TRANSITIONS",
    "Evidence",
    "ScoreEvent",
    "ScoreLine",
    "ScoreSheet",
    "SheetStatus",
    "private_storage",
]

_POINTS = {"max_digits": 9, "decimal_places": 2}


def private_storage():
    """Evidence lives outside MEDIA_ROOT and is only ever served by a view
    that checks who is asking (settings ``STORAGES["private"]``)."""
    return storages["private"]


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FINAL = "final", _("Final")


#: The sheet's moves, declared once: name -> (sources, target).
SHEET_TRANSITIONS = {
    "submit": ((SheetStatus.DRAFT,), SheetStatus.SUBMITTED),
    "return": ((SheetStatus.SUBMITTED,), SheetStatus.DRAFT),
    "finalize": ((SheetStatus.SUBMITTED,), SheetStatus.FINAL),
}


class ScoreSheetQuerySet(models.QuerySet):
    def for_period(self, bloc_year, period):
        return self.filter(bloc_year=bloc_year, period=period)


class ScoreSheet(models.Model):
    """One member agency's sheet for one period."""

    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.CASCADE, related_name="score_sheets", verbose_name=_("bloc year")
    )
    period = models.CharField(_("period"), max_length=10, choices=Period)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="score_sheets", verbose_name=_("agency")
    )
    template = models.ForeignKey(
        ScoringTemplate,
        on_delete=models.PROTECT,
        related_name="score_sheets",
        verbose_name=_("scoring sheet"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SheetStatus, default=SheetStatus.DRAFT
    )
    #: Null: the secretariat reviews. Otherwise a member agency (chấm chéo).
    reviewer_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_sheets",
        verbose_name=_("reviewing agency"),
    )
    #: The collective's share of women in percent, for tie-break (c).
    female_percent = models.DecimalField(
        _("women in the collective (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    is_late = models.BooleanField(_("submitted late"), default=False)
    review_submitted_at = models.DateTimeField(_("review submitted at"), null=True, blank=True)
    review_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review submitted by"),
    )
    finalized_at = models.DateTimeField(_("final since"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made final by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScoreSheetQuerySet.as_manager()

    history = history()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["bloc_year", "period", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "period", "agency"],
                name="covenants_scoresheet_one_per_member_period",
                violation_error_message=_("This agency already has a sheet for this period."),
            ),
            models.CheckConstraint(
                condition=Q(period__in=Period.values) & Q(status__in=SheetStatus.values),
                name="covenants_scoresheet_choices_valid",
            ),
            models.CheckConstraint(
                condition=Q(reviewer_agency__isnull=True) | ~Q(reviewer_agency=F("agency")),
                name="covenants_scoresheet_never_reviews_itself",
                violation_error_message=_("An agency never reviews its own sheet."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="covenants_scoresheet_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="final") | Q(finalized_at__isnull=False),
                name="covenants_scoresheet_final_has_date",
            ),
            models.CheckConstraint(
                condition=Q(female_percent__isnull=True)
                | Q(female_percent__gte=0, female_percent__lte=100),
                name="covenants_scoresheet_female_percent_range",
                violation_error_message=_("The share of women is a percentage from 0 to 100."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.get_period_display()} {self.bloc_year.year}"

    @property
    def is_draft(self) -> bool:
        return self.status == SheetStatus.DRAFT

    @property
    def is_final(self) -> bool:
        return self.status == SheetStatus.FINAL

    @property
    def self_submitted(self) -> bool:
        return self.status != SheetStatus.DRAFT

    @property
    def review_submitted(self) -> bool:
        return self.review_submitted_at is not None


class ScoreLine(models.Model):
    """One scored line of a sheet: the three values and what backs them."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="lines", verbose_name=_("score sheet")
    )
    criterion = models.ForeignKey(
        ScoringCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    #: The line key of :func:`covenants.scoring.line_key` ("I.1", "I.1.2").
    key = models.CharField(_("line"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    self_value = models.DecimalField(_("self-score"), **_POINTS, null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    #: Links and decision numbers backing the line, one per line of text.
    evidence_note = models.TextField(_("evidence references"), blank=True)
    review_value = models.DecimalField(_("review score"), **_POINTS, null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    final_value = models.DecimalField(_("final score"), **_POINTS, null=True, blank=True)
    final_reason = models.TextField(_("reason for the final score"), blank=True)

    history = history()

    class Meta:
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "key"], name="covenants_scoreline_one_per_key"
            ),
            models.CheckConstraint(
                condition=(Q(self_value__isnull=True) | Q(self_value__gte=0))
                & (Q(review_value__isnull=True) | Q(review_value__gte=0))
                & (Q(final_value__isnull=True) | Q(final_value__gte=0)),
                name="covenants_scoreline_values_not_negative",
                violation_error_message=_("A score cannot be negative."),
            ),
            models.CheckConstraint(
                # A final score that departs from the self-score says why.
                condition=Q(final_value__isnull=True)
                | Q(self_value__isnull=False, final_value=F("self_value"))
                | ~Q(final_reason=""),
                name="covenants_scoreline_changed_final_has_reason",
                violation_error_message=_(
                    "A final score that differs from the self-score needs a reason."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.sheet} {self.key}"


def _evidence_path(instance, filename):
    sheet = instance.line.sheet
    return f"evidence/{sheet.bloc_year_id}/{sheet.pk}/{filename}"


class Evidence(models.Model):
    """An uploaded file backing a line (minh chứng). Links and decision
    numbers go in the line's ``evidence_note``."""

    line = models.ForeignKey(
        ScoreLine, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("score line")
    )
    file = models.FileField(
        _("file"), upload_to=_evidence_path, storage=private_storage, max_length=300
    )
    #: The name as uploaded, cleaned; shown and used for downloads.
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    history = history()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ScoreEvent(models.Model):
    """The trail of a sheet: every value changed and every move, never edited.

    ``field`` is ``self``, ``review`` or ``final`` for a value change (with
    the line, the old and the new value) and empty for a move of the sheet.
    """

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="events", verbose_name=_("score sheet")
    )
    line = models.ForeignKey(
        ScoreLine,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("line"),
    )
    action = models.CharField(_("action"), max_length=30)
    field = models.CharField(_("value"), max_length=10, blank=True)
    old_value = models.DecimalField(_("before"), **_POINTS, null=True, blank=True)
    new_value = models.DecimalField(_("after"), **_POINTS, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("score event")
        verbose_name_plural = _("score events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.sheet}: {self.action}"
