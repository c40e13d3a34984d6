"""What a bloc-year's scoring runs on, beside the sheets themselves: the
periods, the year's scoring settings (deadlines, late policy, review gap,
tie-breaks, the lines the initiatives register feeds) and the publication of
a period's ranking."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear
from members.audit import history

from .sheet import ScoringCriterion

__all__ = ["LatePolicy", "Period", "RankingPublication", "ScoringSettings"]

_POINTS = {"max_digits": 9, "decimal_places": 2}


class Period(models.TextChoices):
    MID_YEAR = "mid_year", _("Mid-year")
    YEAR_END = "year_end", _("Year-end")


class LatePolicy(models.TextChoices):
    """Domain.md §9 rule 13: after the deadline, lock or accept with a deduction."""

    DEDUCT = "deduct", _("Accept late sheets, flagged, with a deduction")
    LOCK = "lock", _("Refuse sheets after the deadline")


class ScoringSettings(models.Model):
    """How a bloc-year scores: deadlines, late policy, review gap, tie-breaks.

    Created with defaults the first time a year's scoring is touched; the
    secretariat may change it until the period's ranking is published.
    """

    bloc_year = models.OneToOneField(
        BlocYear,
        on_delete=models.CASCADE,
        related_name="scoring_settings",
        verbose_name=_("bloc year"),
    )
    mid_year_deadline = models.DateField(_("mid-year self-scoring deadline"), null=True, blank=True)
    year_end_deadline = models.DateField(_("year-end self-scoring deadline"), null=True, blank=True)
    late_policy = models.CharField(
        _("late sheets"), max_length=10, choices=LatePolicy, default=LatePolicy.DEDUCT
    )
    late_deduction = models.DecimalField(
        _("late deduction"),
        **_POINTS,
        default=2,
        help_text=_("Points taken from a sheet submitted after the deadline."),
    )
    mid_year_reviewed = models.BooleanField(
        _("mid-year sheets are reviewed"),
        default=False,
        help_text=_(
            "Off: mid-year scores are the members' own. On: reviewed and agreed as at year end."
        ),
    )
    review_gap = models.DecimalField(
        _("review gap"),
        **_POINTS,
        default=2,
        help_text=_("Lines where the self-score and the review differ by more are flagged."),
    )
    require_evidence = models.BooleanField(
        _("no evidence, no points"),
        default=True,
        help_text=_("A line that requires evidence counts 0 without it."),
    )
    #: Comma-separated codes from :data:`covenants.ranking.TIE_BREAKS`, in order.
    tie_breaks = models.CharField(
        _("tie-break order"),
        max_length=100,
        default="first_group,fewer_deductions,female_majority",
    )
    #: Count criteria fed by the initiatives register (domain: seed 003).
    grassroots_initiatives_criterion = models.ForeignKey(
        ScoringCriterion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("line counting grassroots initiatives"),
    )
    provincial_initiatives_criterion = models.ForeignKey(
        ScoringCriterion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("line counting provincial initiatives"),
    )

    history = history()

    class Meta:
        verbose_name = _("scoring settings")
        verbose_name_plural = _("scoring settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(late_policy__in=LatePolicy.values),
                name="covenants_scoringsettings_late_policy_valid",
            ),
            models.CheckConstraint(
                condition=Q(late_deduction__gte=0) & Q(review_gap__gte=0),
                name="covenants_scoringsettings_amounts_not_negative",
                violation_error_message=_(
                    "The late deduction and the review gap cannot be negative."
                ),
            ),
        ]

    def __str__(self):
        return str(_("Scoring settings %(bloc_year)s") % {"bloc_year": self.bloc_year})

    def deadline(self, period: str):
        return self.mid_year_deadline if period == Period.MID_YEAR else self.year_end_deadline

    def is_reviewed(self, period: str) -> bool:
        """Year-end sheets are always reviewed; mid-year ones when configured."""
        return period == Period.YEAR_END or self.mid_year_reviewed

    @property
    def tie_break_list(self) -> list[str]:
        return [code for code in self.tie_breaks.split(",") if code]


class RankingPublication(models.Model):
    """The secretariat published the period's ranking: members may see it."""

    bloc_year = models.ForeignKey(
        BlocYear,
        on_delete=models.CASCADE,
        related_name="ranking_publications",
        verbose_name=_("bloc year"),
    )
    period = models.CharField(_("period"), max_length=10, choices=Period)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )

    history = history()

    class Meta:
        verbose_name = _("ranking publication")
        verbose_name_plural = _("ranking publications")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "period"],
                name="covenants_rankingpublication_once_per_period",
                violation_error_message=_("This ranking is already published."),
            ),
            models.CheckConstraint(
                condition=Q(period__in=Period.values),
                name="covenants_rankingpublication_period_valid",
            ),
        ]

    def __str__(self):
        return f"{self.bloc_year} – {self.get_period_display()}"
