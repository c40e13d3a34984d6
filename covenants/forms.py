"""Forms validate the shape of input; ``covenants.services`` enforces the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs.forms import DATE_WIDGET
from members.models import Agency

from .models import Covenant


class CovenantForm(forms.ModelForm):
    class Meta:
        model = Covenant
        fields = [
            "theme",
            "number",
            "conference_date",
            "conference_place",
            "host_agency",
            "chaired_by",
            "attendees",
            "regulation",
            "scoring_guide",
        ]
        widgets = {
            "conference_date": DATE_WIDGET,
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "regulation": forms.Textarea(attrs={"rows": 6}),
            "scoring_guide": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bloc_year = self.instance.bloc_year
        self.fields["host_agency"].queryset = Agency.objects.filter(
            memberships__bloc_year=bloc_year
        ).alphabetical()
        self.fields["theme"].required = True


class CommitmentForm(forms.Form):
    group = forms.CharField(label=_("Group heading"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Commitment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=3, can_delete=True)


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the covenant and sign it on behalf of my agency."), required=True
    )


class RecordForm(forms.Form):
    """The secretariat records a paper signature or an agency unable to sign."""

    KIND_PAPER, KIND_UNABLE = "paper", "unable"
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    kind = forms.ChoiceField(
        label=_("What to record"),
        choices=[
            (KIND_PAPER, _("The leader signed on paper")),
            (KIND_UNABLE, _("The agency cannot sign")),
        ],
        widget=forms.RadioSelect,
    )
    signer_name = forms.CharField(label=_("Signer's name"), max_length=150, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            pk__in=[a.pk for a in agencies]
        ).alphabetical()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == self.KIND_PAPER and not cleaned.get("signer_name"):
            self.add_error("signer_name", _("Enter the name of the leader who signed."))
        if cleaned.get("kind") == self.KIND_UNABLE and not cleaned.get("reason"):
            self.add_error("reason", _("Say why the agency cannot sign."))
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the covenant must change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=200)
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return file
