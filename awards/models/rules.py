"""The year's voting rules, as data (domain.md §4, §9 rules 14–25).

The board sets province-wide defaults; each bloc-year copies them and may
adjust its own until voting opens, when they freeze: every poll then takes a
snapshot of the threshold it applies, so an outcome always names the rule it
was decided by, even if the defaults change later.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear
from members.audit import history
from members.models import Agency, Province

__all__ = [
    "Eligibility",
    "Fallback",
    "ProvinceVotingDefaults",
    "TaskCompletion",
    "ThresholdBase",
    "VotingRules",
]


class ThresholdBase(models.TextChoices):
    MEMBERS = "members", _("of all members")
    PRESENT = "present", _("of members present")
    VALID = "valid", _("of valid ballots")


class Fallback(models.TextChoices):
    """What happens when the last round leaves a place undecided (rule 24)."""

    SCORE_RANKING = "score_ranking", _("Take the best ranked by score")
    CHAIR_DECIDES = "chair_decides", _("The chair and vice-chair decide")
    UNASSIGNED = "unassigned", _("Leave it unassigned")


class RuleFields(models.Model):
    """Fields shared by the province's defaults and a year's rules.

    Each threshold is a fraction n/d, "more than" (strict) or "at least",
    counted on all members, the members present or the valid ballots.
    """

    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: denominator"), default=3)
    flag_numerator = models.PositiveSmallIntegerField(_("flag threshold: numerator"), default=1)
    flag_denominator = models.PositiveSmallIntegerField(_("flag threshold: denominator"), default=2)
    flag_strict = models.BooleanField(_("flag threshold: more than (not “at least”)"), default=True)
    flag_base = models.CharField(
        _("flag threshold: counted on"),
        max_length=10,
        choices=ThresholdBase,
        default=ThresholdBase.MEMBERS,
    )
    certificate_numerator = models.PositiveSmallIntegerField(
        _("certificate threshold: numerator"), default=1
    )
    certificate_denominator = models.PositiveSmallIntegerField(
        _("certificate threshold: denominator"), default=2
    )
    certificate_strict = models.BooleanField(
        _("certificate threshold: more than (not “at least”)"), default=True
    )
    certificate_base = models.CharField(
        _("certificate threshold: counted on"),
        max_length=10,
        choices=ThresholdBase,
        default=ThresholdBase.MEMBERS,
    )
    election_numerator = models.PositiveSmallIntegerField(
        _("chair election threshold: numerator"), default=1
    )
    election_denominator = models.PositiveSmallIntegerField(
        _("chair election threshold: denominator"), default=2
    )
    election_strict = models.BooleanField(
        _("chair election threshold: more than (not “at least”)"), default=True
    )
    election_base = models.CharField(
        _("chair election threshold: counted on"),
        max_length=10,
        choices=ThresholdBase,
        default=ThresholdBase.VALID,
    )
    flag_nominees = models.PositiveSmallIntegerField(_("flag nominees"), default=1)
    flag_needs_first_rank = models.BooleanField(
        _("flag nominee should rank first by score"),
        default=True,
        help_text=_("Otherwise the secretariat must give a reason (domain rule 18)."),
    )
    certificate_quota_percent = models.PositiveSmallIntegerField(
        _("certificates: at most this percentage of members"),
        default=50,
        help_text=_("Counted on the members other than the flag units (rule 21)."),
    )
    one_award_per_unit = models.BooleanField(_("one award per unit per year"), default=True)
    block_under_discipline = models.BooleanField(
        _("exclude units under discipline, investigation or complaint"), default=True
    )
    certificate_needs_excellent = models.BooleanField(
        _("certificates need “completed tasks excellently”"), default=True
    )
    max_rounds = models.PositiveSmallIntegerField(_("ballot rounds at most"), default=2)
    fallback = models.CharField(
        _("after the last round"),
        max_length=20,
        choices=Fallback,
        default=Fallback.SCORE_RANKING,
    )

    class Meta:
        abstract = True

    RULE_FIELDS = (
        "quorum_numerator",
        "quorum_denominator",
        *(
            f"{prefix}_{part}"
            for prefix in ("flag", "certificate", "election")
            for part in ("numerator", "denominator", "strict", "base")
        ),
        "flag_nominees",
        "flag_needs_first_rank",
        "certificate_quota_percent",
        "one_award_per_unit",
        "block_under_discipline",
        "certificate_needs_excellent",
        "max_rounds",
        "fallback",
    )

    def rule_values(self) -> dict:
        return {name: getattr(self, name) for name in self.RULE_FIELDS}


def _rule_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(quorum_denominator__gt=0)
            & Q(quorum_numerator__lte=models.F("quorum_denominator"))
            & Q(flag_denominator__gt=0)
            & Q(flag_numerator__lte=models.F("flag_denominator"))
            & Q(certificate_denominator__gt=0)
            & Q(certificate_numerator__lte=models.F("certificate_denominator"))
            & Q(election_denominator__gt=0)
            & Q(election_numerator__lte=models.F("election_denominator")),
            name=f"{prefix}_fractions_valid",
            violation_error_message=_("A share is a fraction n/d with 0 < d and n ≤ d."),
        ),
        models.CheckConstraint(
            condition=Q(certificate_quota_percent__lte=100) & Q(max_rounds__gte=1),
            name=f"{prefix}_quota_and_rounds_valid",
            violation_error_message=_(
                "The quota is at most 100 percent and there is at least 1 round."
            ),
        ),
        models.CheckConstraint(
            condition=Q(flag_base__in=ThresholdBase.values)
            & Q(certificate_base__in=ThresholdBase.values)
            & Q(election_base__in=ThresholdBase.values)
            & Q(fallback__in=Fallback.values),
            name=f"{prefix}_choices_valid",
        ),
    ]


class ProvinceVotingDefaults(RuleFields):
    """The board's defaults for every bloc of the province."""

    province = models.OneToOneField(
        Province,
        on_delete=models.CASCADE,
        related_name="voting_defaults",
        verbose_name=_("province"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = history()

    class Meta:
        verbose_name = _("province voting defaults")
        verbose_name_plural = _("province voting defaults")
        constraints = _rule_constraints("awards_provincevotingdefaults")

    def __str__(self):
        return str(_("Voting defaults of %(province)s") % {"province": self.province})


class VotingRules(RuleFields):
    """One bloc-year's rules: copied from the province's defaults, frozen
    when voting opens (``frozen_at``)."""

    bloc_year = models.OneToOneField(
        BlocYear, on_delete=models.CASCADE, related_name="voting_rules", verbose_name=_("bloc year")
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = history()

    class Meta:
        verbose_name = _("voting rules")
        verbose_name_plural = _("voting rules")
        constraints = _rule_constraints("awards_votingrules")

    def __str__(self):
        return str(_("Voting rules %(bloc_year)s") % {"bloc_year": self.bloc_year})

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class TaskCompletion(models.TextChoices):
    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


class Eligibility(models.Model):
    """What gates a member's nomination this year (ND 152 Art. 4; Law Art. 74)."""

    bloc_year = models.ForeignKey(
        BlocYear,
        on_delete=models.CASCADE,
        related_name="eligibilities",
        verbose_name=_("bloc year"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    under_discipline = models.BooleanField(
        _("under discipline, investigation or a complaint being verified"), default=False
    )
    task_completion = models.CharField(
        _("task completion"),
        max_length=15,
        choices=TaskCompletion,
        default=TaskCompletion.EXCELLENT,
    )
    excellent_previous_year = models.BooleanField(
        _("also “completed tasks excellently” the year before"), default=True
    )
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    history = history()

    class Meta:
        verbose_name = _("eligibility")
        verbose_name_plural = _("eligibility")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "agency"], name="awards_eligibility_once_per_agency"
            ),
            models.CheckConstraint(
                condition=Q(task_completion__in=TaskCompletion.values),
                name="awards_eligibility_completion_valid",
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.bloc_year}"
