"""Forms for the scoring settings, the mid-year review and the initiatives
register. They check the shape of the input; the services in
:mod:`covenants.scores.mid_year` and :mod:`covenants.scores.initiatives`
enforce the rules, and the views put their errors next to the fields."""

from decimal import Decimal

from django import forms
from django.db.models import Case, When
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from blocs.forms import DATE_WIDGET
from members.models import Agency

from ..models import MidYearReview, ScoringCriterion, ScoringSettings
from ..ranking import TIE_BREAKS
from ..sheet_rules import format_points
from .initiatives import MAX_INITIATIVES

__all__ = [
    "TIE_BREAK_LABELS",
    "HoldForm",
    "InitiativesForm",
    "MidYearReviewForm",
    "ReopenForm",
    "ScoringSettingsForm",
]

#: The tie-breaks of :mod:`covenants.ranking`, in words (domain.md §9 rule 14).
TIE_BREAK_LABELS = {
    "first_group": _("Higher score in group I"),
    "fewer_deductions": _("Fewer deduction points"),
    "female_majority": _("At least 70 % women in the collective (ND 152/2025)"),
}
TIE_BREAK_FIELDS = ("tie_break_1", "tie_break_2", "tie_break_3")


class _ListedChoices(forms.models.ModelChoiceIterator):
    """The choices from the criteria the view already read, not from a query per field
    and per rendering (the queryset still checks a posted value)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.listed) + (self.field.empty_label is not None)


class _LineChoiceField(forms.ModelChoiceField):
    """A sheet line named by its key: "III.3 – Sáng kiến … (1 point per item)"."""

    iterator = _ListedChoices

    def __init__(self, *args, keys: dict, listed: list, **kwargs):
        self.keys = keys
        self.listed = listed
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return _("%(key)s – %(title)s (%(points)s points per item)") % {
            "key": self.keys.get(obj.pk, obj.code),
            "title": obj.title,
            # "2,5" in Vietnamese: format_points drops the trailing zeros first.
            "points": number_format(Decimal(format_points(obj.points_per_item))),
        }


def _in_sheet_order(keys: dict):
    """The criteria of ``keys`` (pk → line key, in sheet order), in that order."""
    order = Case(*(When(pk=pk, then=index) for index, pk in enumerate(keys)), default=len(keys))
    return ScoringCriterion.objects.filter(pk__in=list(keys)).order_by(order)


class ScoringSettingsForm(forms.ModelForm):
    """``criteria``: the (key, criterion) lines an initiatives count may feed;
    ``reviewed_locked``: mid-year review can no longer be switched;
    ``read_only``: shown, not changed (no right, or frozen)."""

    tie_break_1 = forms.ChoiceField(label=_("First tie-break"))
    tie_break_2 = forms.ChoiceField(label=_("Second tie-break"), required=False)
    tie_break_3 = forms.ChoiceField(
        label=_("Third tie-break"),
        required=False,
        help_text=_("Members still equal after the tie-breaks are re-voted at the conference."),
    )

    class Meta:
        model = ScoringSettings
        fields = [
            "mid_year_deadline",
            "year_end_deadline",
            "late_policy",
            "late_deduction",
            "mid_year_reviewed",
            "review_gap",
            "require_evidence",
            "grassroots_initiatives_criterion",
            "provincial_initiatives_criterion",
        ]
        widgets = {
            "mid_year_deadline": DATE_WIDGET,
            "year_end_deadline": DATE_WIDGET,
            "late_policy": forms.RadioSelect,
        }

    def __init__(self, *args, criteria=(), reviewed_locked=False, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        keys = {criterion.pk: key for key, criterion in criteria}
        for name in ("grassroots_initiatives_criterion", "provincial_initiatives_criterion"):
            old = self.fields[name]
            self.fields[name] = _LineChoiceField(
                queryset=_in_sheet_order(keys),
                keys=keys,
                listed=[criterion for _key, criterion in criteria],
                required=False,
                label=old.label,
                empty_label=_("— none —"),
                help_text=_(
                    "A count line of the frozen scoring sheet; a draft year-end sheet takes the "
                    "agency's count from the initiatives register."
                )
                if keys
                else _("Available once the scoring sheet is frozen (when signing opens)."),
            )
        self.fields["late_deduction"].help_text = _(
            "Points taken from a sheet submitted after the deadline, when late sheets are "
            "accepted (default 2)."
        )
        self.fields["mid_year_reviewed"].help_text = _(
            "Off: mid-year scores are the members' own. On: reviewed and agreed as at year end. "
            "This can change only until the first mid-year sheet is submitted."
        )
        choices = [(code, TIE_BREAK_LABELS[code]) for code in TIE_BREAKS]
        self.fields["tie_break_1"].choices = choices
        for name in TIE_BREAK_FIELDS[1:]:
            self.fields[name].choices = [("", _("— not used —")), *choices]
        current = self.instance.tie_break_list
        for index, name in enumerate(TIE_BREAK_FIELDS):
            self.initial.setdefault(name, current[index] if index < len(current) else "")
        if reviewed_locked:
            self.fields["mid_year_reviewed"].disabled = True
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        cleaned = super().clean()
        codes = []
        for name in TIE_BREAK_FIELDS:
            code = cleaned.get(name)
            if not code:
                continue
            if code in codes:
                self.add_error(name, _("This tie-break is already used above."))
            elif len(codes) < TIE_BREAK_FIELDS.index(name):
                self.add_error(name, _("Choose the tie-break above first."))
            codes.append(code)
        cleaned["tie_breaks"] = ",".join(codes)
        return cleaned

    def _post_clean(self):
        # The service validates the whole record on a locked copy; here only
        # the fields themselves are checked (the instance stays untouched).
        pass


class MidYearReviewForm(forms.ModelForm):
    class Meta:
        model = MidYearReview
        fields = [
            "number",
            "held_on",
            "place",
            "host_agency",
            "chaired_by",
            "secretary",
            "attendees",
            "results_summary",
            "limitations",
            "second_half_tasks",
        ]
        widgets = {
            "held_on": DATE_WIDGET,
            "attendees": forms.Textarea(attrs={"rows": 4}),
            "results_summary": forms.Textarea(attrs={"rows": 6}),
            "limitations": forms.Textarea(attrs={"rows": 4}),
            "second_half_tasks": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"number": _("As in the register, e.g. 05/BB-KTĐ6.")}

    def __init__(self, *args, bloc_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_agency"].queryset = Agency.objects.filter(
            memberships__bloc_year=bloc_year, memberships__left_on__isnull=True
        ).alphabetical()
        # Django's own "- Select an option -" has no Vietnamese translation.
        self.fields["host_agency"].empty_label = _("— choose —")

    def _post_clean(self):
        # The service saves a locked copy; a rejected form must not alter the page's one.
        pass


class HoldForm(forms.Form):
    """Nothing to enter: the secretariat confirms the review took place."""


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the record must change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class InitiativesForm(forms.Form):
    grassroots = forms.IntegerField(
        label=_("Grassroots-level initiatives"), min_value=0, max_value=MAX_INITIATIVES
    )
    provincial = forms.IntegerField(
        label=_("Provincial-level initiatives"), min_value=0, max_value=MAX_INITIATIVES
    )
    decisions = forms.CharField(
        label=_("Recognition decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Decision numbers and dates, one per line."),
    )
