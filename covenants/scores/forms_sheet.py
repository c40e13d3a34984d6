"""Forms of the self side: all self-scores of a sheet on one form, an
evidence upload, the submit confirmation.

The self-scores form has three fields per line, named after the line key
(``value-I.1``, ``explanation-I.1``, ``evidence_note-I.1``) so that the
service's errors, keyed by line key, land next to their line. The value
widget follows the criterion's kind — a number with the line's range for
points, Đạt/Không đạt for pass/fail, a whole number for counts — but the
fields only *parse*: the range and kind rules are the service's (one set of
messages, each naming its line, for the form and the Excel import alike).
"""

from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..sheet_rules import Kind, format_points
from .evidence import ACCEPT, max_megabytes
from .values import counts_items

__all__ = ["EvidenceForm", "SelfScoresForm", "SubmitForm"]

_TEXTAREA = {"rows": 2, "class": "form-control"}


def _pass_fail(value: str):
    return {"1": True, "0": False}.get(value)


def _points(value) -> str:
    """Points as the active language writes them ("2,5" in Vietnamese)."""
    return number_format(Decimal(format_points(value)))


def _value_label(criterion) -> str:
    maximum = _points(criterion.max_points)
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        return _("Self-score: pass or fail (%(max)s points)") % {"max": maximum}
    if counts_items(criterion):
        return _("Self-score: number of items (%(each)s points each, at most %(max)s)") % {
            "each": _points(criterion.points_per_item),
            "max": maximum,
        }
    return _("Self-score (0 to %(max)s points)") % {"max": maximum}


def _value_field(criterion, initial) -> forms.Field:
    label = _value_label(criterion)
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        return forms.TypedChoiceField(
            label=label,
            choices=[("", "—"), ("1", _("Pass")), ("0", _("Fail"))],
            coerce=_pass_fail,
            empty_value=None,
            required=False,
            initial=None if initial is None else ("1" if initial else "0"),
        )
    whole = counts_items(criterion)
    attrs = {
        "min": 0,
        "step": 1 if whole else "0.01",
        "inputmode": "numeric" if whole else "decimal",
    }
    if not whole:
        attrs["max"] = format_points(criterion.max_points)
    if initial is not None:
        # 16.00 → 16, 2.50 → 2.5: what the user typed, not the column's scale.
        initial = initial.to_integral_value() if whole else Decimal(format_points(initial))
    return forms.DecimalField(
        label=label,
        required=False,
        initial=initial,
        widget=forms.NumberInput(attrs=attrs),
    )


class SelfScoresForm(forms.Form):
    """Every line of a sheet; ``lines`` are the page's line rows (with the
    self columns read)."""

    female_percent = forms.DecimalField(
        label=gettext_lazy("Women in the collective (%)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01"}),
        help_text=gettext_lazy(
            "Used to break ties: collectives with at least 70 percent women come first."
        ),
    )

    def __init__(self, *args, lines, female_percent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        self.fields["female_percent"].initial = female_percent
        for line in self.lines:
            criterion = line.criterion
            self.fields[f"value-{line.key}"] = _value_field(criterion, line.self_value)
            self.fields[f"explanation-{line.key}"] = forms.CharField(
                label=_("Explanation"),
                required=False,
                initial=line.explanation,
                widget=forms.Textarea(attrs=_TEXTAREA),
            )
            self.fields[f"evidence_note-{line.key}"] = forms.CharField(
                label=_("Evidence references"),
                required=False,
                initial=line.evidence_note,
                help_text=_("Links, decision or document numbers; one per line."),
                widget=forms.Textarea(attrs=_TEXTAREA),
            )

    def rows(self):
        """(line, value field, explanation field, evidence-note field) per line."""
        return [
            (
                line,
                self[f"value-{line.key}"],
                self[f"explanation-{line.key}"],
                self[f"evidence_note-{line.key}"],
            )
            for line in self.lines
        ]

    def entries(self) -> dict[str, dict]:
        """The cleaned data as ``self_scores_save`` takes it."""
        data = self.cleaned_data
        return {
            line.key: {
                "value": data.get(f"value-{line.key}"),
                "explanation": data.get(f"explanation-{line.key}", ""),
                "evidence_note": data.get(f"evidence_note-{line.key}", ""),
            }
            for line in self.lines
        }

    def add_service_error(self, exc) -> None:
        """The service's errors by line key, next to each line's value."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            name = key if key == "female_percent" else f"value-{key}"
            self.add_error(name if name in self.fields else None, errors)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Evidence file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, image, Word, Excel or OpenDocument file of at most %(limit)s MB."
        ) % {"limit": max_megabytes()}


class SubmitForm(forms.Form):
    """Nothing to fill in: the POST is the leader's confirmation."""
