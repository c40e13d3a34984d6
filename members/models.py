"""Provinces, agencies and the people who work in them.

This is the bottom layer: it imports no other local app. Who is secretariat
of a bloc-year is *derived* in ``blocs`` from the year's chair agency, so no
role here names a bloc.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Collate, Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .audit import history
from .collation import COLLATION_NAME


class Province(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)

    history = history()

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
    code = models.SlugField(
        _("code"),
        max_length=30,
        help_text=_("A short stable code used in import files, e.g. SYT for Sở Y tế."),
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

    history = history()

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
            models.UniqueConstraint(
                fields=["province", "code"],
                condition=Q(is_active=True),
                name="members_agency_unique_active_code",
                violation_error_message=_("An active agency with this code already exists."),
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
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="vi",
        help_text=_("Used for the pages you see and the emails you receive."),
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

    history = history(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency_role__in=[*AgencyRole.values, ""]),
                name="members_user_agency_role_valid",
            ),
            # Import files match people on their email: it must identify one person.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="members_user_unique_email",
                violation_error_message=_("Another account already uses this email."),
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


class Invitation(models.Model):
    """One invitation email sent to a person; resending adds a row.

    The link itself carries a signed, expiring token (see ``members.tokens``)
    that stops working once the password is set, so nothing secret is stored.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("invited person"),
    )
    sent_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.user} – {self.sent_at:%d/%m/%Y}"


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("Agencies and officials")
    BLOC_MEMBERS = "bloc_members", _("Bloc members for a year")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class ImportBatch(models.Model):
    """An uploaded spreadsheet, kept so its preview and its result can be shown.

    The file is stored whole (they are small) so that confirming applies
    exactly what was previewed, and so the history keeps what was imported.
    """

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="imports", verbose_name=_("province")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus, default=ImportStatus.PREVIEWED
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    history = history(excluded_fields=["content"])

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ImportKind.values), name="members_importbatch_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="members_importbatch_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="applied", applied_at__isnull=False)
                | (~Q(status="applied") & Q(applied_at__isnull=True)),
                name="members_importbatch_applied_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"


from .models_caching import *  # noqa: E402,F403
from .models_documents import *  # noqa: E402,F403
