"""Forms for the voting rules (province defaults, a year's rules) and the
members' eligibility. They check the shape of the input; the services in
:mod:`awards.rules` enforce the rules and the views put their errors next to
the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Eligibility, ProvinceVotingDefaults, TaskCompletion, VotingRules
from .rules import ELIGIBILITY_FIELDS

__all__ = ["EligibilityForm", "ProvinceDefaultsForm", "VotingRulesForm"]

RULE_FIELDS = VotingRules.RULE_FIELDS

#: Fieldsets of the rules form, in the order of the conference (rule 23).
RULE_FIELDSETS = (
    (_("Quorum"), ("quorum_numerator", "quorum_denominator")),
    (_("Emulation flag"), ("flag_numerator", "flag_denominator", "flag_strict", "flag_base")),
    (
        _("Certificates of merit"),
        (
            "certificate_numerator",
            "certificate_denominator",
            "certificate_strict",
            "certificate_base",
        ),
    ),
    (
        _("Next chair and vice-chair"),
        ("election_numerator", "election_denominator", "election_strict", "election_base"),
    ),
    (
        _("Nominees and quotas"),
        (
            "flag_nominees",
            "flag_needs_first_rank",
            "certificate_quota_percent",
            "one_award_per_unit",
        ),
    ),
    (_("Eligibility gates"), ("block_under_discipline", "certificate_needs_excellent")),
    (_("Rounds"), ("max_rounds", "fallback")),
)


class _RuleFieldsForm(forms.ModelForm):
    """``read_only``: shown, not changed (no right, or frozen)."""

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fallback"].widget = forms.RadioSelect(choices=self.fields["fallback"].choices)
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def fieldsets(self):
        """(legend, bound fields) in the order of :data:`RULE_FIELDSETS`."""
        return [(legend, [self[name] for name in names]) for legend, names in RULE_FIELDSETS]

    def _post_clean(self):
        # The service checks the values together and saves a locked copy;
        # a rejected form must not alter the page's instance.
        pass


class VotingRulesForm(_RuleFieldsForm):
    class Meta:
        model = VotingRules
        fields = list(RULE_FIELDS)


class ProvinceDefaultsForm(_RuleFieldsForm):
    class Meta:
        model = ProvinceVotingDefaults
        fields = list(RULE_FIELDS)


class EligibilityForm(forms.Form):
    """One row of fields per current member: ``<field>_<agency id>``."""

    def __init__(self, *args, rows, read_only=False, **kwargs):
        """``rows``: (agency, eligibility) pairs, saved or not."""
        super().__init__(*args, **kwargs)
        self.agencies = [agency for agency, _row in rows]
        for agency, row in rows:
            name = agency.name
            self.fields[f"under_discipline_{agency.pk}"] = forms.BooleanField(
                label=_("%(agency)s: under discipline, investigation or a complaint")
                % {"agency": name},
                required=False,
                initial=row.under_discipline,
            )
            self.fields[f"task_completion_{agency.pk}"] = forms.ChoiceField(
                label=_("%(agency)s: task completion") % {"agency": name},
                choices=TaskCompletion.choices,
                initial=row.task_completion,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"excellent_previous_year_{agency.pk}"] = forms.BooleanField(
                label=_("%(agency)s: completed tasks excellently the year before")
                % {"agency": name},
                required=False,
                initial=row.excellent_previous_year,
            )
            self.fields[f"note_{agency.pk}"] = forms.CharField(
                label=_("%(agency)s: note") % {"agency": name},
                required=False,
                initial=row.note,
                max_length=1000,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def table_rows(self):
        """(agency, {field: bound field}) per member, for the table; a field
        with an error is marked invalid (errors may come from the service)."""
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and not isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        return [
            (agency, {name: self[f"{name}_{agency.pk}"] for name in ELIGIBILITY_FIELDS})
            for agency in self.agencies
        ]

    def cleaned_rows(self) -> dict:
        return {
            agency.pk: {
                name: self.cleaned_data[f"{name}_{agency.pk}"] for name in ELIGIBILITY_FIELDS
            }
            for agency in self.agencies
        }


# The model's verbose names head the eligibility table's columns.
ELIGIBILITY_HEADINGS = {
    name: Eligibility._meta.get_field(name).verbose_name for name in ELIGIBILITY_FIELDS
}
