"""The province's calendar of deadlines, a bloc-year's tighter dates, and the
log of reminders sent.

Domain §1.5 and rules 26–29: the board sets one calendar for the province
(covenant signing, mid-year review, self-scoring, the year-end dossier); each
bloc-year inherits it and may only *tighten* a date, never relax it, so the
province can still collect every bloc's dossier on time. ``ReminderLog`` is
what makes the daily reminder run idempotent: the database refuses a second
row for the same person, task, stage and day.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from members.audit import history
from members.models import Agency, Province

from .models import BlocYear

__all__ = [
    "DEFAULT_DEADLINES",
    "BlocYearDeadline",
    "DeadlineChange",
    "DeadlineKind",
    "ProvinceDeadline",
    "ReminderLog",
    "ReminderStage",
]


class DeadlineKind(models.TextChoices):
    SIGNING = "signing", _("Covenant signing")
    MID_YEAR = "mid_year", _("Mid-year review")
    SELF_SCORING = "self_scoring", _("Year-end self-scoring")
    DOSSIER = "dossier", _("Year-end dossier to the province")


#: (month, day) when the province has set nothing (domain §1.5, rule 26: 10/12).
DEFAULT_DEADLINES: dict[str, tuple[int, int]] = {
    DeadlineKind.SIGNING: (4, 30),
    DeadlineKind.MID_YEAR: (7, 31),
    DeadlineKind.SELF_SCORING: (11, 30),
    DeadlineKind.DOSSIER: (12, 10),
}


def day_in_year(year: int, month: int, day: int) -> datetime.date:
    """The calendar day in ``year``; 29/02 falls back to 28/02 in common years."""
    try:
        return datetime.date(year, month, day)
    except ValueError:
        if (month, day) == (2, 29):
            return datetime.date(year, 2, 28)
        raise


class ProvinceDeadline(models.Model):
    """A day of the year (no year: it applies to every year) set by the board."""

    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("province")
    )
    kind = models.CharField(_("task"), max_length=20, choices=DeadlineKind)
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = history()

    class Meta:
        verbose_name = _("province deadline")
        verbose_name_plural = _("province deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "kind"],
                name="blocs_provincedeadline_one_per_kind",
                violation_error_message=_("This province already has this deadline."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DeadlineKind.values), name="blocs_provincedeadline_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="blocs_provincedeadline_day_valid",
            ),
        ]

    def __str__(self):
        return f"{self.province} – {self.get_kind_display()}: {self.day:02d}/{self.month:02d}"

    def clean(self):
        try:
            datetime.date(2024, self.month, self.day)  # a leap year accepts 29/02
        except (TypeError, ValueError):
            raise ValidationError({"day": _("This day does not exist in that month.")}) from None

    def date_for(self, year: int) -> datetime.date:
        return day_in_year(year, self.month, self.day)


class BlocYearDeadline(models.Model):
    """A bloc-year's own, tighter date for one task."""

    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("bloc year")
    )
    kind = models.CharField(_("task"), max_length=20, choices=DeadlineKind)
    date = models.DateField(_("deadline"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = history()

    class Meta:
        verbose_name = _("bloc-year deadline")
        verbose_name_plural = _("bloc-year deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "kind"],
                name="blocs_blocyeardeadline_one_per_kind",
                violation_error_message=_("This year already has this deadline."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DeadlineKind.values), name="blocs_blocyeardeadline_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.bloc_year} – {self.get_kind_display()}: {self.date}"


class DeadlineChange(models.Model):
    """Trail of calendar changes: who moved which date, from what to what."""

    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="+", verbose_name=_("province")
    )
    bloc_year = models.ForeignKey(
        BlocYear,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_changes",
        verbose_name=_("bloc year"),
    )
    kind = models.CharField(_("task"), max_length=20, choices=DeadlineKind)
    before = models.CharField(_("before"), max_length=20, blank=True)
    after = models.CharField(_("after"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.before or '–'} → {self.after or '–'}"

    @staticmethod
    def _shown(value: str) -> str:
        """A bloc-year's dates are stored ISO ("2026-03-20"), the province's as "dd/mm":
        both read as the locale's short date on the pages."""
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value

    @property
    def before_shown(self) -> str:
        return self._shown(self.before)

    @property
    def after_shown(self) -> str:
        return self._shown(self.after)


class ReminderStage(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    OVERDUE = "overdue", _("After the deadline")


class ReminderLog(models.Model):
    """One reminder mailed to one person on one day; a second is refused."""

    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("bloc year")
    )
    kind = models.CharField(_("task"), max_length=20, choices=DeadlineKind)
    #: None: the bloc's own task (the secretariat's).
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ReminderStage)
    deadline = models.DateField(_("deadline"))
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-pk"]
        # NULLs are distinct in a plain unique constraint, so the bloc's own
        # tasks (agency is NULL) get their own partial constraint.
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "kind", "agency", "recipient", "stage", "sent_on"],
                condition=Q(agency__isnull=False),
                name="blocs_reminderlog_once_per_day",
            ),
            models.UniqueConstraint(
                fields=["bloc_year", "kind", "recipient", "stage", "sent_on"],
                condition=Q(agency__isnull=True),
                name="blocs_reminderlog_bloc_task_once_per_day",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DeadlineKind.values) & Q(stage__in=ReminderStage.values),
                name="blocs_reminderlog_kind_stage_valid",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} – {self.bloc_year} – {self.get_kind_display()} ({self.sent_on})"
