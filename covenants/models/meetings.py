"""What every meeting record of a bloc-year says about the meeting itself.

The mid-year review (:class:`~covenants.models.MidYearReview`) and the year-end
conference (``awards.models.Conference``) are both minuted meetings: the minutes
(Decree 30, Mẫu 1.9 "Biên bản") open with when and where the meeting was held,
who chaired it and who took the minutes. Those four fields live here once, so the
two records and their minutes cannot drift apart. ``covenants`` sits below
``awards``, which imports it.

Only fields identical in every attribute in both records are here, so moving them
changed no column (``makemigrations --check`` stays clean). What differs stays on
each record: the mid-year review's host agency and free-text attendees (the
conference keeps an attendance register instead), and each record's own report
sections.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["MeetingRecord"]


class MeetingRecord(models.Model):
    held_on = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    chaired_by = models.CharField(
        _("chaired by"), max_length=200, blank=True, help_text=_("Name and title.")
    )
    secretary = models.CharField(
        _("minutes taken by"), max_length=200, blank=True, help_text=_("Name and title.")
    )

    class Meta:
        abstract = True
