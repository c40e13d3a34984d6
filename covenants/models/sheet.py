"""The scoring-sheet template (bảng chấm điểm) of a bloc-year.

A template is versioned per bloc-year: drafts are edited during set-up and
the version in force is *frozen* when covenant signing opens; from then on
it is read-only. Groups (I, II, …) hold criteria (1, 2, …), which may hold
one level of sub-criteria (1.1, 1.2, …) through ``parent``.

A group's kind (regular, bonus, deduction) is not stored: it follows from
its criteria, which :mod:`covenants.sheet_rules` keeps from mixing. The
rules that span rows (sums, caps, numbering) live there too, in pure code;
the constraints below guard each row on its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear
from members.audit import history

from ..sheet_rules import (
    DEFAULT_BASE_TOTAL,
    DEFAULT_BONUS_CAP,
    CriterionDraft,
    GroupDraft,
    GroupKind,
    Kind,
    TemplateDraft,
    family_of,
)

__all__ = [
    "CriterionKind",
    "ScoringCriterion",
    "ScoringGroup",
    "ScoringTemplate",
    "TemplateStatus",
]

_POINTS = {"max_digits": 7, "decimal_places": 2}


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FROZEN = "frozen", _("Frozen")


class CriterionKind(models.TextChoices):
    """How a criterion is scored; the values are :class:`sheet_rules.Kind`'s."""

    POINTS = Kind.POINTS.value, _("Points (0 to the maximum)")
    PASS_FAIL = Kind.PASS_FAIL.value, _("Pass/fail (the maximum or 0)")
    COUNT = Kind.COUNT.value, _("Count × points per item, capped")
    BONUS = Kind.BONUS.value, _("Bonus (adds)")
    DEDUCTION = Kind.DEDUCTION.value, _("Deduction (subtracts)")


class ScoringTemplateQuerySet(models.QuerySet):
    def with_content(self):
        """Groups and their criteria (both levels) in two more queries."""
        return self.prefetch_related(
            Prefetch("groups", queryset=ScoringGroup.objects.prefetch_related("criteria"))
        )

    def current_first(self):
        """The template in force first: the newest frozen one, else the newest draft."""
        return self.order_by(
            models.Case(
                models.When(status=TemplateStatus.FROZEN, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
            "-version",
        )


class ScoringTemplate(models.Model):
    bloc_year = models.ForeignKey(
        BlocYear,
        on_delete=models.CASCADE,
        related_name="scoring_templates",
        verbose_name=_("bloc year"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=TemplateStatus, default=TemplateStatus.DRAFT
    )
    base_total = models.DecimalField(
        _("base total"),
        **_POINTS,
        default=DEFAULT_BASE_TOTAL,
        help_text=_("What the regular groups add up to: usually 100, sometimes 1,000."),
    )
    bonus_cap = models.DecimalField(
        _("bonus cap"),
        **_POINTS,
        default=DEFAULT_BONUS_CAP,
        help_text=_("The most bonus points a unit can earn."),
    )
    deduction_cap = models.DecimalField(
        _("deduction cap"),
        **_POINTS,
        null=True,
        blank=True,
        help_text=_("The most points a unit can lose; blank for no cap (the total stops at 0)."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)

    objects = ScoringTemplateQuerySet.as_manager()

    history = history()

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        ordering = ["bloc_year", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "version"],
                name="covenants_scoringtemplate_one_per_version",
                violation_error_message=_("This year already has a scoring sheet of this version."),
            ),
            models.UniqueConstraint(
                fields=["bloc_year"],
                condition=Q(status="draft"),
                name="covenants_scoringtemplate_one_draft_per_year",
                violation_error_message=_("This year already has a draft scoring sheet."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=TemplateStatus.values),
                name="covenants_scoringtemplate_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="covenants_scoringtemplate_version_positive"
            ),
            models.CheckConstraint(
                condition=Q(base_total__gt=0),
                name="covenants_scoringtemplate_base_total_positive",
                violation_error_message=_("The base total must be more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(bonus_cap__gte=0)
                & (Q(deduction_cap__isnull=True) | Q(deduction_cap__gte=0)),
                name="covenants_scoringtemplate_caps_not_negative",
                violation_error_message=_("The bonus and deduction caps cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft", frozen_at__isnull=True)
                | Q(status="frozen", frozen_at__isnull=False),
                name="covenants_scoringtemplate_frozen_has_date",
                violation_error_message=_("A frozen sheet records when it was frozen."),
            ),
        ]

    def __str__(self):
        return str(
            _("Scoring sheet %(bloc_year)s, version %(version)s")
            % {"bloc_year": self.bloc_year, "version": self.version}
        )

    @property
    def is_draft(self) -> bool:
        return self.status == TemplateStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status == TemplateStatus.FROZEN

    def to_draft(self) -> TemplateDraft:
        """The template as a pure draft (uses prefetched groups and criteria when
        loaded with ``with_content()``; otherwise two queries)."""
        if "groups" in getattr(self, "_prefetched_objects_cache", {}):
            groups = list(self.groups.all())
        else:
            groups = list(self.groups.prefetch_related("criteria"))
        return TemplateDraft(
            groups=tuple(group.to_draft() for group in groups),
            base_total=self.base_total,
            bonus_cap=self.bonus_cap,
            deduction_cap=self.deduction_cap,
        )


class ScoringGroup(models.Model):
    """A group of the sheet (I, II, …); its kind follows from its criteria."""

    template = models.ForeignKey(
        ScoringTemplate,
        on_delete=models.CASCADE,
        related_name="groups",
        verbose_name=_("scoring sheet"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=10, help_text=_("A Roman numeral: I, II, …"))
    title = models.CharField(_("title"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), **_POINTS)

    history = history()

    class Meta:
        verbose_name = _("scoring group")
        verbose_name_plural = _("scoring groups")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "code"],
                name="covenants_scoringgroup_unique_code",
                violation_error_message=_("Another group of this sheet has this code."),
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0),
                name="covenants_scoringgroup_max_points_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def kind(self) -> GroupKind:
        """Regular, bonus or deduction, as its first criterion says."""
        for criterion in self.criteria.all():
            if criterion.parent_id is None and (family := family_of(criterion.kind)):
                return family
        return GroupKind.REGULAR

    def to_draft(self) -> GroupDraft:
        criteria = list(self.criteria.all())
        children: dict[int, list[ScoringCriterion]] = {}
        for criterion in criteria:
            if criterion.parent_id is not None:
                children.setdefault(criterion.parent_id, []).append(criterion)
        return GroupDraft(
            code=self.code,
            title=self.title,
            max_points=self.max_points,
            criteria=tuple(
                criterion.to_draft(children.get(criterion.pk, ()))
                for criterion in criteria
                if criterion.parent_id is None
            ),
        )


class ScoringCriterion(models.Model):
    """A criterion of a group, or a sub-criterion when ``parent`` is set."""

    group = models.ForeignKey(
        ScoringGroup, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("group")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent criterion"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(
        _("code"), max_length=20, help_text=_("1, 2, … for criteria; 1.1, 1.2, … under 1.")
    )
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CriterionKind, default=CriterionKind.POINTS
    )
    max_points = models.DecimalField(_("maximum points"), **_POINTS)
    points_per_item = models.DecimalField(_("points per item"), **_POINTS, null=True, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    guidance = models.TextField(_("guidance"), blank=True)

    history = history()

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["order", "pk"]
        constraints = [
            # Sub-criteria carry their parent's code ("2.1"), so one group-wide
            # rule keeps codes unique at both levels.
            models.UniqueConstraint(
                fields=["group", "code"],
                name="covenants_scoringcriterion_unique_code",
                violation_error_message=_("Another line of this group has this code."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CriterionKind.values),
                name="covenants_scoringcriterion_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0),
                name="covenants_scoringcriterion_max_points_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(points_per_item__isnull=True) | Q(points_per_item__gt=0),
                name="covenants_scoringcriterion_points_per_item_positive",
            ),
            models.CheckConstraint(
                # NULL > 0 is unknown, which a CHECK lets through: test NULL apart.
                condition=~Q(kind=CriterionKind.COUNT)
                | Q(points_per_item__isnull=False, points_per_item__gt=0),
                name="covenants_scoringcriterion_count_has_points_per_item",
                violation_error_message=_("A count criterion needs the points per item."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[CriterionKind.POINTS, CriterionKind.PASS_FAIL])
                | Q(points_per_item__isnull=True),
                name="covenants_scoringcriterion_points_per_item_only_counted",
                violation_error_message=_(
                    "Only count, bonus and deduction lines have points per item."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def to_draft(self, children=()) -> CriterionDraft:
        return CriterionDraft(
            code=self.code,
            title=self.title,
            kind=self.kind,
            max_points=self.max_points,
            points_per_item=self.points_per_item,
            evidence_required=self.evidence_required,
            guidance=self.guidance,
            children=tuple(child.to_draft() for child in children),
        )
