"""Forms of the conference pages: the record, the register, the committee,
a new poll, the ballot and the paper counts.

They check the shape of the input; the services in :mod:`awards.conference`,
:mod:`awards.voting` and :mod:`awards.paper` enforce the rules, and the
views put their errors next to the fields. Choices come in from the view,
built once per page, so a register of 9 members costs no more queries than
one of 5.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs.forms import DATE_WIDGET

from .conference import RECORD_FIELDS
from .models import Conference, CountingRole, PollMode

__all__ = [
    "AttendanceRowForm",
    "CommitteeRowForm",
    "ConferenceForm",
    "PaperCountForm",
    "PollCreateForm",
    "VoteForm",
    "attendance_formset",
    "committee_formset",
]


class ConferenceForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = list(RECORD_FIELDS)
        widgets = {"held_on": DATE_WIDGET}


class AttendanceRowForm(forms.Form):
    """One member on the register; ``voter_choices``: (user id, label) pairs."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.BooleanField(label=_("Present or represented"), required=False)
    representative_name = forms.CharField(label=_("Represented by"), max_length=150, required=False)
    representative_title = forms.CharField(label=_("Title"), max_length=150, required=False)
    is_proxy = forms.BooleanField(label=_("By proxy (authorised)"), required=False)
    voter = forms.TypedChoiceField(
        label=_("Registered voter"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Besides the agency's leader and deputies, who may vote for it online."),
    )

    def __init__(self, *args, voter_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter"].choices = [("", _("— only the leader and deputies —")), *voter_choices]

    def clean(self):
        # The agency is a hidden field: its error would show nowhere, so the
        # row says it at its top (only an altered page can get here).
        if "agency" in self.errors:
            self.add_error(None, _("This row was altered: reload the page and enter it again."))
        return super().clean()


class CommitteeRowForm(forms.Form):
    """One committee member; a row left without a name is ignored."""

    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, required=False, empty_value=None)
    role = forms.ChoiceField(label=_("Role"), choices=CountingRole.choices, required=False)

    def __init__(self, *args, agency_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—"), *agency_choices]

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("full_name") or "").strip()


attendance_formset = forms.formset_factory(AttendanceRowForm, extra=0)
committee_formset = forms.formset_factory(CommitteeRowForm, extra=0)


class PollCreateForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Ballot"),
        choices=PollMode.choices,
        initial=PollMode.ELECTRONIC,
        widget=forms.RadioSelect,
    )


class VoteForm(forms.Form):
    """The ballot: ``candidates`` are (agency id, label) pairs; at most
    ``seats`` may be ticked (none is a blank ballot, which counts)."""

    choices = forms.TypedMultipleChoiceField(
        label=_("Your agency's choice"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates=(), seats=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        self.fields["choices"].choices = list(candidates)

    def clean_choices(self):
        choices = self.cleaned_data["choices"]
        if len(choices) > self.seats:
            raise forms.ValidationError(
                _("Choose at most %(seats)s: there are %(seats)s places to fill."),
                params={"seats": self.seats},
                code="too_many",
            )
        return choices


class PaperCountForm(forms.Form):
    """The counting committee's counts; a ``votes_<agency id>`` field per candidate."""

    issued = forms.IntegerField(label=_("Ballots issued"), min_value=0)
    returned = forms.IntegerField(label=_("Ballots returned"), min_value=0)
    invalid = forms.IntegerField(label=_("Of which invalid"), min_value=0)
    spoiled = forms.IntegerField(
        label=_("Spoiled and replaced (not cast)"),
        min_value=0,
        initial=0,
        help_text=_("Ballots issued = ballots returned + spoiled ballots."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate_fields = []
        for candidate in candidates:
            name = f"votes_{candidate.agency_id}"
            self.fields[name] = forms.IntegerField(
                label=_("Votes for %(agency)s") % {"agency": candidate.agency.name},
                min_value=0,
                initial=0,
            )
            self.candidate_fields.append(name)

    def votes(self) -> dict:
        return {
            int(name.removeprefix("votes_")): self.cleaned_data[name]
            for name in self.candidate_fields
        }
