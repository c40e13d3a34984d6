"""The year-end conference (hội nghị tổng kết): who attends for which member,
the counting committee, and the record the minutes and report are built from.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear
from covenants.models import MeetingRecord
from members.audit import history
from members.models import Agency

__all__ = [
    "Attendance",
    "Conference",
    "ConferenceEvent",
    "ConferenceStatus",
    "CountingMember",
    "CountingRole",
]


class ConferenceStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    VOTING = "voting", _("Voting")
    CONFIRMED = "confirmed", _("Results confirmed")


class Conference(MeetingRecord):
    bloc_year = models.OneToOneField(
        BlocYear, on_delete=models.CASCADE, related_name="conference", verbose_name=_("bloc year")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ConferenceStatus, default=ConferenceStatus.PREPARING
    )
    # held_on, place, chaired_by, secretary: from MeetingRecord.
    board_representative = models.CharField(
        _("representative of the provincial board"), max_length=200, blank=True
    )
    # The year-end summary report (báo cáo tổng kết), drafted by the secretariat.
    achievements = models.TextField(_("results achieved"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    directions = models.TextField(_("directions for next year"), blank=True)
    # Numbers of the documents issued under the chair agency's register.
    minutes_number = models.CharField(_("minutes number"), max_length=50, blank=True)
    counting_number = models.CharField(_("counting minutes number"), max_length=50, blank=True)
    submission_number = models.CharField(_("submission number"), max_length=50, blank=True)
    report_number = models.CharField(_("report number"), max_length=50, blank=True)
    # Elected at the conference for next year (domain §1.2, §4.5).
    next_chair = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("next year's chair"),
    )
    next_vice_chair = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("next year's vice-chair"),
    )
    voting_opened_at = models.DateTimeField(_("voting opened at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("results confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("results confirmed by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = history()

    class Meta:
        verbose_name = _("year-end conference")
        verbose_name_plural = _("year-end conferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConferenceStatus.values),
                name="awards_conference_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(next_chair__isnull=True)
                | Q(next_vice_chair__isnull=True)
                | ~Q(next_chair=models.F("next_vice_chair")),
                name="awards_conference_next_officers_differ",
                violation_error_message=_("Next year's chair and vice-chair must differ."),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="awards_conference_confirmed_has_date",
            ),
        ]

    def __str__(self):
        return str(_("Year-end conference %(bloc_year)s") % {"bloc_year": self.bloc_year})


class Attendance(models.Model):
    """Which member agency is represented, by whom (a proxy is allowed)."""

    conference = models.ForeignKey(
        Conference,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("conference"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    present = models.BooleanField(_("present"), default=True)
    representative_name = models.CharField(_("represented by"), max_length=150, blank=True)
    representative_title = models.CharField(_("title"), max_length=150, blank=True)
    is_proxy = models.BooleanField(_("by proxy (authorised)"), default=False)
    #: Who may vote electronically for the agency besides its leader/deputy.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered voter"),
    )

    history = history()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "agency"],
                name="awards_attendance_once_per_agency",
                violation_error_message=_("This agency is already on the attendance register."),
            ),
            models.CheckConstraint(
                condition=Q(present=False) | ~Q(representative_name=""),
                name="awards_attendance_present_has_name",
                violation_error_message=_("Say who represents a present agency."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.representative_name}"


class CountingRole(models.TextChoices):
    HEAD = "head", _("Head")
    MEMBER = "member", _("Member")


class CountingMember(models.Model):
    """A member of the counting committee (ban kiểm phiếu)."""

    conference = models.ForeignKey(
        Conference,
        on_delete=models.CASCADE,
        related_name="counting_committee",
        verbose_name=_("conference"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=10, choices=CountingRole)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    history = history()

    class Meta:
        verbose_name = _("counting committee member")
        verbose_name_plural = _("counting committee")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference"],
                condition=Q(role="head"),
                name="awards_countingmember_one_head",
                violation_error_message=_("The counting committee has one head."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=CountingRole.values), name="awards_countingmember_role_valid"
            ),
        ]

    def __str__(self):
        return self.full_name


class ConferenceEvent(models.Model):
    """The conference's trail: rules frozen, polls opened and closed, paper
    counts entered, results confirmed, proposals submitted, the flag handed
    over. Casting a vote writes nothing here, by design (secrecy)."""

    bloc_year = models.ForeignKey(
        BlocYear,
        on_delete=models.CASCADE,
        related_name="conference_events",
        verbose_name=_("bloc year"),
    )
    action = models.CharField(_("action"), max_length=30)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("conference event")
        verbose_name_plural = _("conference events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.bloc_year}: {self.action}"
