"""The board's decision form. Which fields a decision needs (a reason when
not approved, a number when approved) is decided by
:func:`awards.board.decision_record`, whose errors come back next to these
fields: one rule, in one place."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs.forms import DATE_WIDGET

from .models import DecisionOutcome

__all__ = ["DecisionForm"]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    number = forms.CharField(
        label=_("Decision number"),
        required=False,
        max_length=50,
        help_text=_("For example: 1234/QĐ-UBND."),
    )
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the proposal is not approved; the bloc and the unit read it."),
    )
