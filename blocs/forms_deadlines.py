"""Forms for the calendar: one task per form, so an error stays on its row."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE_WIDGET


def _row_kind():
    """The row's task, carried for the page only: the view acts on the posted
    ``kind`` outside the prefix, so this copy never rejects a post with an
    error on a hidden field nobody would see."""
    return forms.CharField(required=False, widget=forms.HiddenInput)


class ProvinceDeadlineForm(forms.Form):
    """A day and month (no year): the province's date for one task every year."""

    kind = _row_kind()
    day = forms.IntegerField(label=_("Day"), min_value=1, max_value=31)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)

    def clean(self):
        data = super().clean()
        day, month = data.get("day"), data.get("month")
        if day and month:
            try:
                datetime.date(2024, month, day)
            except ValueError:
                self.add_error("day", _("This day does not exist in that month."))
        return data


class YearDeadlineForm(forms.Form):
    """A bloc-year's own date for one task; the service refuses a later one."""

    kind = _row_kind()
    date = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)
