"""Forms for confirming the conference results and recording the flag
handover. Their fields follow the closed polls (a reason per flag nominee
not ranked first, a decision where the last round left one to the chair and
vice-chair); :mod:`awards.outcomes` decides what is required."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs.forms import DATE_WIDGET

from .results import KindResults

__all__ = ["HandoverForm", "ResultsConfirmForm"]


class ResultsConfirmForm(forms.Form):
    def __init__(self, *args, kinds: list[KindResults], rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        self.decision_kinds = [summary for summary in kinds if summary.choices]
        for summary in self.decision_kinds:
            choices = [(str(entry.agency_id), entry.name) for entry in summary.choices]
            label = _("Chosen by the chair and vice-chair: %(poll)s") % {"poll": summary.label}
            if summary.seats_left > 1:
                self.fields[self.decision_name(summary.kind)] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("At most %(seats)s.") % {"seats": summary.seats_left},
                )
            else:
                empty = _("— choose —") if summary.is_officer else _("— no one —")
                self.fields[self.decision_name(summary.kind)] = forms.ChoiceField(
                    label=label,
                    choices=[("", empty), *choices],
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
        self.reason_entries = []
        flag = next((s for s in kinds if s.kind == "flag"), None)
        if flag is not None and rules.flag_needs_first_rank:
            for entry in [*flag.elected, *flag.choices]:
                if entry.rank == 1:
                    continue
                self.reason_entries.append(entry)
                rank = entry.rank or _("unranked")
                self.fields[self.reason_name(entry.agency_id)] = forms.CharField(
                    label=_("Why %(name)s (rank %(rank)s) is proposed for the flag")
                    % {"name": entry.name, "rank": rank},
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    @staticmethod
    def decision_name(kind) -> str:
        return f"decision_{kind}"

    @staticmethod
    def reason_name(agency_id) -> str:
        return f"reason_{agency_id}"

    def decision_fields(self):
        return [self[self.decision_name(s.kind)] for s in self.decision_kinds]

    def reason_fields(self):
        return [self[self.reason_name(e.agency_id)] for e in self.reason_entries]

    def reasons(self) -> dict:
        return {
            entry.agency_id: self.cleaned_data.get(self.reason_name(entry.agency_id), "")
            for entry in self.reason_entries
        }

    def decisions(self) -> dict:
        result = {}
        for summary in self.decision_kinds:
            value = self.cleaned_data.get(self.decision_name(summary.kind)) or []
            values = [value] if isinstance(value, str) else value
            result[summary.kind] = [int(v) for v in values if v]
        return result


class HandoverForm(forms.Form):
    handed_on = forms.DateField(label=_("Date of the handover"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: handed over at the year-end conference, in the presence of …"),
    )
