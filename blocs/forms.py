"""Forms validate the shape of input; the services enforce the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import ProvinceLockedFormMixin
from members.models import Agency, AgencyKind, User

from .models import MAX_YEAR, MIN_YEAR, Bloc, BlocYear, Membership

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BlocForm(ProvinceLockedFormMixin, forms.ModelForm):
    class Meta:
        model = Bloc
        fields = ["province", "number", "name", "field", "is_active"]


class BlocYearCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    theme = forms.CharField(label=_("Theme"), max_length=300, required=False)
    copy_members = forms.BooleanField(
        label=_("Carry over last year's members"), required=False, initial=True
    )


class BlocYearForm(forms.ModelForm):
    class Meta:
        model = BlocYear
        fields = [
            "theme",
            "signing_date",
            "mid_year_review_date",
            "conference_date",
            "dossier_deadline",
        ]
        widgets = {
            "signing_date": DATE_WIDGET,
            "mid_year_review_date": DATE_WIDGET,
            "conference_date": DATE_WIDGET,
            "dossier_deadline": DATE_WIDGET,
        }


class _MemberAgencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OfficersForm(forms.Form):
    chair = _MemberAgencyField(
        label=_("Chair agency (khối trưởng)"), queryset=Agency.objects.none(), required=False
    )
    vice_chair = _MemberAgencyField(
        label=_("Vice-chair agency (khối phó)"), queryset=Agency.objects.none(), required=False
    )

    def __init__(self, *args, bloc_year: BlocYear, **kwargs):
        super().__init__(*args, **kwargs)
        members = Agency.objects.filter(
            memberships__bloc_year=bloc_year, memberships__left_on__isnull=True
        ).alphabetical()
        self.fields["chair"].queryset = members
        self.fields["vice_chair"].queryset = members
        self.initial.setdefault("chair", bloc_year.chair)
        self.initial.setdefault("vice_chair", bloc_year.vice_chair)

    def clean(self):
        cleaned = super().clean()
        chair, vice = cleaned.get("chair"), cleaned.get("vice_chair")
        if chair and vice and chair == vice:
            self.add_error(
                "vice_chair", _("The vice-chair must be a different agency from the chair.")
            )
        return cleaned


class MembershipAddForm(forms.Form):
    agency = _MemberAgencyField(label=_("Agency"), queryset=Agency.objects.none())
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, bloc_year: BlocYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            Agency.objects.active()
            .filter(province_id=bloc_year.bloc.province_id)
            .exclude(memberships__bloc_year=bloc_year)
            .alphabetical()
        )


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["joined_on", "left_on"]
        widgets = {"joined_on": DATE_WIDGET, "left_on": DATE_WIDGET}


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the record"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class _PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        agency = obj.agency.short_name if obj.agency_id else ""
        return f"{obj.get_full_name()} – {obj.position or obj.get_agency_role_display()} ({agency})"


class DelegationForm(forms.Form):
    user = _PersonField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, *args, bloc_year: BlocYear, **kwargs):
        super().__init__(*args, **kwargs)
        chair = bloc_year.chair
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, agency__province_id=bloc_year.bloc.province_id)
            .exclude(agency=chair)
            .exclude(
                secretariat_delegations__bloc_year=bloc_year,
                secretariat_delegations__revoked_at__isnull=True,
            )
            .select_related("agency")
            .order_by("agency__name", "full_name")
        )


class AgencyRenameForm(forms.Form):
    name = forms.CharField(label=_("New official name"), max_length=200)
    short_name = forms.CharField(label=_("New short name"), max_length=50)
    effective_on = forms.DateField(label=_("From"), widget=DATE_WIDGET)


class AgencyMergeForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies that merge"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    into = forms.ModelChoiceField(
        label=_("Into an existing agency"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Leave empty to create a new agency below."),
    )
    code = forms.SlugField(label=_("New agency's code"), max_length=30, required=False)
    name = forms.CharField(label=_("New agency's official name"), max_length=200, required=False)
    short_name = forms.CharField(label=_("New agency's short name"), max_length=50, required=False)
    kind = forms.ChoiceField(
        label=_("New agency's kind"), choices=AgencyKind.choices, required=False
    )
    effective_on = forms.DateField(label=_("From"), widget=DATE_WIDGET)

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        active = Agency.objects.active().filter(province=province).alphabetical()
        self.fields["agencies"].queryset = active
        self.fields["into"].queryset = active

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("into"):
            for name in ("code", "name", "short_name", "kind"):
                if not cleaned.get(name):
                    self.add_error(name, _("Needed when the agencies merge into a new one."))
        return cleaned
