"""Blocs, their years, the members of each year and the year's history.

The chair (khối trưởng) and vice-chair (khối phó) are *roles on a
membership*, not columns on the bloc-year: the database then guarantees
that both are members of that year, that they are different agencies, and
that each year has at most one of each.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.audit import history
from members.models import Agency, Province

from .stages import READ_ONLY_STAGES, STAGE_ORDER, TRANSITIONS_BY_NAME, Stage

MIN_YEAR, MAX_YEAR = 2000, 2100


class Bloc(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="blocs", verbose_name=_("province")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=250)
    field = models.CharField(
        _("field"), max_length=100, blank=True, help_text=_("E.g. Culture – Society.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = history()

    class Meta:
        verbose_name = _("emulation bloc")
        verbose_name_plural = _("emulation blocs")
        ordering = ["province", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number"],
                name="blocs_bloc_unique_number",
                violation_error_message=_("This province already has a bloc with this number."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="blocs_bloc_number_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blocs:bloc", kwargs={"pk": self.pk})


class BlocYear(models.Model):
    """One bloc in one calendar year: its chair, members, stage and dates."""

    bloc = models.ForeignKey(
        Bloc, on_delete=models.PROTECT, related_name="years", verbose_name=_("bloc")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    theme = models.CharField(
        _("theme"), max_length=300, blank=True, help_text=_("The year's emulation slogan.")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage, default=Stage.SETUP)
    signing_date = models.DateField(_("covenant signing date"), null=True, blank=True)
    mid_year_review_date = models.DateField(_("mid-year review date"), null=True, blank=True)
    conference_date = models.DateField(_("year-end conference date"), null=True, blank=True)
    dossier_deadline = models.DateField(
        _("deadline for the dossier to the province"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = history()

    class Meta:
        verbose_name = _("bloc year")
        verbose_name_plural = _("bloc years")
        ordering = ["bloc", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year"],
                name="blocs_blocyear_one_per_bloc_and_year",
                violation_error_message=_("This bloc already has this year."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="blocs_blocyear_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="blocs_blocyear_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(signing_date__isnull=True)
                | Q(mid_year_review_date__isnull=True)
                | Q(signing_date__lte=F("mid_year_review_date")),
                name="blocs_blocyear_signing_before_review",
                violation_error_message=_(
                    "The covenant is signed before the mid-year review, not after it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(mid_year_review_date__isnull=True)
                | Q(conference_date__isnull=True)
                | Q(mid_year_review_date__lte=F("conference_date")),
                name="blocs_blocyear_review_before_conference",
                violation_error_message=_(
                    "The mid-year review comes before the year-end conference."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.bloc} – {self.year}"

    def get_absolute_url(self):
        return reverse("blocs:year", kwargs={"pk": self.bloc_id, "year": self.year})

    @property
    def is_read_only(self) -> bool:
        """A closed year is history: nothing in it changes any more."""
        return self.stage in READ_ONLY_STAGES

    def refuse_if_closed(self) -> None:
        """Every service that writes to a year calls this first: one clear refusal."""
        if self.is_read_only:
            raise ValidationError(
                _("The year %(year)s is closed: its records can no longer change.")
                % {"year": self.year},
                code="read_only",
            )

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(Stage(self.stage))

    def _member_with_role(self, role):
        # Reads prefetched memberships when the selector loaded them.
        for membership in self.memberships.all():
            if membership.role == role:
                return membership.agency
        return None

    @property
    def chair(self) -> Agency | None:
        return self._member_with_role(MemberRole.CHAIR)

    @property
    def vice_chair(self) -> Agency | None:
        return self._member_with_role(MemberRole.VICE_CHAIR)


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    CHAIR = "chair", _("Chair (khối trưởng)")
    VICE_CHAIR = "vice_chair", _("Vice-chair (khối phó)")


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Members that have not left the bloc during the year."""
        return self.filter(left_on__isnull=True)


class Membership(models.Model):
    """An agency's membership of a bloc for one year, with join/leave dates."""

    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bloc year")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    history = history()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "agency"],
                name="blocs_membership_agency_once_per_year",
                violation_error_message=_("This agency is already a member for this year."),
            ),
            models.UniqueConstraint(
                fields=["bloc_year"],
                condition=Q(role="chair"),
                name="blocs_membership_one_chair_per_year",
                violation_error_message=_("This year already has a chair."),
            ),
            models.UniqueConstraint(
                fields=["bloc_year"],
                condition=Q(role="vice_chair"),
                name="blocs_membership_one_vice_chair_per_year",
                violation_error_message=_("This year already has a vice-chair."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="blocs_membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True)
                | Q(left_on__isnull=True)
                | Q(joined_on__lte=F("left_on")),
                name="blocs_membership_joined_before_left",
                violation_error_message=_("An agency cannot leave before it joined."),
            ),
            models.CheckConstraint(
                condition=Q(role="member") | Q(left_on__isnull=True),
                name="blocs_membership_officers_stay",
                violation_error_message=_(
                    "The chair or vice-chair cannot leave; hand the role to another member first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.bloc_year}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class SecretariatDelegation(models.Model):
    """Secretariat rights granted to a named person for one bloc-year.

    The secretariat is normally the chair agency's staff; a delegation adds
    someone else (an officer of another agency, a helper) for that year only.
    Revoking keeps the row, so the history shows who held the rights when.
    """

    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("bloc year")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="secretariat_delegations",
        verbose_name=_("person"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    history = history()

    class Meta:
        verbose_name = _("secretariat delegation")
        verbose_name_plural = _("secretariat delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "user"],
                condition=Q(revoked_at__isnull=True),
                name="blocs_delegation_one_active_per_person",
                violation_error_message=_("This person already has secretariat rights."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("granted_at")),
                name="blocs_delegation_revoked_after_granted",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.bloc_year}"


class StageChange(models.Model):
    """History of a bloc-year's stage: who moved it, from where to where, when."""

    bloc_year = models.ForeignKey(
        BlocYear,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("bloc year"),
    )
    transition = models.CharField(_("transition"), max_length=40)
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_stage__in=Stage.values) & Q(to_stage__in=Stage.values),
                name="blocs_stagechange_stages_valid",
            ),
            models.CheckConstraint(
                condition=~Q(from_stage=F("to_stage")), name="blocs_stagechange_moves"
            ),
        ]

    def __str__(self):
        return f"{self.bloc_year}: {self.from_stage} → {self.to_stage}"

    @property
    def transition_label(self):
        transition = TRANSITIONS_BY_NAME.get(self.transition)
        return transition.label if transition else self.transition


from .models_deadlines import *  # noqa: E402,F403
