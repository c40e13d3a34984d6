"""Provinces, agencies and the people who work in them.

This is the bottom layer: it imports no other local app. Who is secretariat
of a bloc-year is *derived* in ``blocs`` from the year's chair agency, so no
role here names a bloc.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .collation import COLLATION_NAME


class Province(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blocs:province", kwargs={"code": self.code})


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("Department (Sở)")
    BOARD = "board", _("Board (Ban)")
    BROADCASTER = "broadcaster", _("Radio and television (Đài)")
    NEWSPAPER = "newspaper", _("Newspaper (Báo)")
    SCHOOL = "school", _("School (Trường)")
    OTHER = "other", _("Other")


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def alphabetical(self):
        """Order by name in Vietnamese alphabetical order (Đ after D)."""
        return self.order_by(Collate("name", COLLATION_NAME), "pk")


class Agency(models.Model):
    """A provincial agency (Sở, Ban, Đài, Báo, Trường…), a bloc member.

    A rename or a merge never edits history: the old agency row is ended and
    points to its ``successor``, so memberships and documents of past years
    keep the name the agency had then.
    """

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    name = models.CharField(_("official name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgencyKind, default=AgencyKind.DEPARTMENT
    )
    is_active = models.BooleanField(_("active"), default=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("The agency that took over after a merge or rename."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                condition=Q(is_active=True),
                name="members_agency_unique_active_name",
                violation_error_message=_("An active agency with this name already exists."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AgencyKind.values), name="members_agency_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("pk")),
                name="members_agency_not_own_successor",
                violation_error_message=_("An agency cannot be its own successor."),
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(ended_on__isnull=False, is_active=False),
                name="members_agency_successor_means_ended",
                violation_error_message=_(
                    "An agency with a successor must be inactive and have an end date."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blocs:agency", kwargs={"pk": self.pk})


class AgencyRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy leader")
    OFFICER = "officer", _("Emulation officer")
    STAFF = "staff", _("Staff")


#: Roles that may speak and vote for their agency (the leader or an authorised deputy).
LEADER_ROLES = frozenset({AgencyRole.LEADER, AgencyRole.DEPUTY})


class User(AbstractUser):
    """A person who signs in: agency staff, agency leaders, board staff, admins.

    Vietnamese names are written family name first, so one ``full_name`` field
    replaces Django's first/last name pair in everything shown.
    """

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(
        _("position"), max_length=150, blank=True, help_text=_("E.g. Director, Chief of Office.")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    agency_role = models.CharField(
        _("role in the agency"), max_length=20, choices=AgencyRole, blank=True
    )
    board_province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_staff",
        verbose_name=_("board staff of province"),
        help_text=_("Set for staff of the provincial emulation board (Ban Thi đua – Khen thưởng)."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency_role__in=[*AgencyRole.values, ""]),
                name="members_user_agency_role_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(agency__isnull=True, agency_role="")
                    | (Q(agency__isnull=False) & ~Q(agency_role=""))
                ),
                name="members_user_role_needs_agency",
                violation_error_message=_(
                    "A person with a role in an agency needs that agency, and vice versa."
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name()

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username

    @property
    def is_board(self) -> bool:
        return self.board_province_id is not None

    @property
    def is_agency_leader(self) -> bool:
        return self.agency_id is not None and self.agency_role in LEADER_ROLES
