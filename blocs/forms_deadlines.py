"""Forms for the calendar: one task per form, so an error stays on its row."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE_WIDGET
from .models import DeadlineKind


class ProvinceDeadlineForm(forms.Form):
    """A day and month (no year): the province's date for one task every year."""

    kind = forms.ChoiceField(choices=DeadlineKind.choices, widget=forms.HiddenInput)
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

    kind = forms.ChoiceField(choices=DeadlineKind.choices, widget=forms.HiddenInput)
    date = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)
