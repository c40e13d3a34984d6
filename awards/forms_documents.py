"""Forms of the document pages: the summary report with the documents'
numbers, and each step of an achievement report. They check the shape of
the input; the services (:mod:`.documents_report`, :mod:`.achievements`)
enforce the rules, and the views put their errors next to the fields."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from covenants.scores.evidence import max_megabytes

from .documents import NUMBER_FIELDS, REPORT_FIELDS, TEXT_FIELDS
from .models import Conference

__all__ = [
    "AchievementActionForm",
    "AchievementReturnForm",
    "AchievementTextForm",
    "AchievementUploadForm",
    "SummaryReportForm",
]


class SummaryReportForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = REPORT_FIELDS
        widgets = {field: forms.Textarea(attrs={"rows": 6}) for field in TEXT_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in NUMBER_FIELDS:
            self.fields[field].help_text = gettext_lazy(
                "Number and symbol, e.g. 05/BB-KTĐ6; leave the number out (/BB-KTĐ6) until "
                "it is registered."
            )
        self.fields["achievements"].help_text = gettext_lazy(
            "The members, the covenant, the mid-year review, the ranking, the initiatives and "
            "the proposals are added from the year's records."
        )


class AchievementActionForm(forms.Form):
    """Nothing to fill in (draft, check): the POST is the confirmation."""


class AchievementTextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text of the report"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Lines starting with I., II., III. are headings; complete the dotted lines."
        ),
        strip=True,
    )


class AchievementUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Signed copy (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The report printed, signed and stamped, scanned as one PDF file of at most "
            "%(limit)s MB."
        ) % {"limit": max_megabytes()}


class AchievementReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What must the unit correct?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
