"""Forms of the review pages: they check the *shape* of what is typed (a
number, a whole number, pass or fail); whether it fits the line (maximum,
evidence, reason) is the services' job in :mod:`covenants.scores.review`,
whose errors, keyed by line key or agency id, come back next to the field.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..sheet_rules import Kind, format_points
from .review import MODES
from .values import counts_items

__all__ = ["ReconcileForm", "ReturnForm", "ReviewForm", "ReviewersForm"]

_PASS, _FAIL = "1", "0"


def _add_class(field, css: str) -> None:
    classes = field.widget.attrs.get("class", "")
    if css not in classes.split():
        field.widget.attrs["class"] = f"{classes} {css}".strip()


def mark_invalid(form) -> None:
    """Bootstrap's red border and ``aria-invalid`` on every field with an error."""
    for name in form.errors:
        if name in form.fields:
            _add_class(form.fields[name], "is-invalid")
            form.fields[name].widget.attrs["aria-invalid"] = "true"


# Reviewers ------------------------------------------------------------------------


class ReviewersForm(forms.Form):
    """The mode, and one reviewer select per sheet for the manual mode."""

    mode = forms.ChoiceField(
        label=_("How reviewers are assigned"),
        choices=[
            (
                MODES[0],
                _("The secretariat reviews every sheet (the vice-chair reviews the chair's)"),
            ),
            (MODES[1], _("Cross review: each member reviews another, rotating every year")),
            (MODES[2], _("Choose the reviewer of each sheet below")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, sheets, members, locked=(), **kwargs):
        """``locked``: ids of the sheets whose review has started (their select
        is shown, disabled)."""
        super().__init__(*args, **kwargs)
        self.sheets = list(sheets)
        for sheet in self.sheets:
            self.fields[self.field_name(sheet.agency_id)] = forms.ChoiceField(
                label=_("Reviewer of %(agency)s") % {"agency": sheet.agency.name},
                choices=[("", _("The bloc secretariat"))]
                + [(str(a.pk), a.name) for a in members if a.pk != sheet.agency_id],
                required=False,
                initial=str(sheet.reviewer_agency_id or ""),
                disabled=sheet.pk in locked,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    @staticmethod
    def field_name(agency_id) -> str:
        return f"reviewer_{agency_id}"

    def reviewer_fields(self):
        return [self[self.field_name(sheet.agency_id)] for sheet in self.sheets]

    def assignments(self) -> dict:
        """agency id → reviewer agency id, or None for the secretariat."""
        return {
            sheet.agency_id: int(value) if (value := self.cleaned_data.get(name)) else None
            for sheet in self.sheets
            if (name := self.field_name(sheet.agency_id)) in self.cleaned_data
        }

    def add_service_error(self, exc) -> None:
        """The service keys its errors by the scored agency's id."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            name = self.field_name(key)
            self.add_error(name if name in self.fields else None, errors)


# Lines ------------------------------------------------------------------------------


def value_field(criterion, label: str) -> forms.Field:
    """The input for a line's value, shaped by the criterion's kind."""
    maximum = format_points(criterion.max_points)
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "—"), (_PASS, _("Pass")), (_FAIL, _("Fail"))],
            widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        )
    if counts_items(criterion):
        return forms.IntegerField(
            label=label,
            required=False,
            widget=forms.NumberInput(
                attrs={"class": "form-control form-control-sm", "min": 0, "step": 1}
            ),
        )
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={
                "class": "form-control form-control-sm",
                "min": 0,
                "max": maximum,
                "step": "0.01",
                "inputmode": "decimal",
            }
        ),
    )


def initial_value(criterion, value: Decimal | None):
    """A stored value as its input shows it."""
    if value is None:
        return None
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        return _PASS if value else _FAIL
    if counts_items(criterion) and value == value.to_integral_value():
        return int(value)
    return Decimal(format_points(value))  # 16.00 → 16, 2.50 → 2.5


def _entered(criterion, value):
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        return {_PASS: True, _FAIL: False}.get(value)
    return value


class _LinesForm(forms.Form):
    """A value and a text per line, named by the line's id; ``entries()``
    gives them by line key, the way the services take them."""

    #: Set by each form: the text's field name and the labels.
    text_name = value_label = text_label = confirm_label = ""

    def __init__(self, *args, lines, values: dict, texts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            value = f"value_{line.pk}"
            text = f"{self.text_name}_{line.pk}"
            self.fields[value] = value_field(line.criterion, self.value_label % {"line": line.key})
            self.fields[value].initial = initial_value(line.criterion, values.get(line.key))
            self.fields[text] = forms.CharField(
                label=self.text_label % {"line": line.key},
                required=False,
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
                initial=texts.get(line.key, ""),
            )
        self.fields["confirm"] = forms.BooleanField(label=self.confirm_label, required=False)

    def fields_of(self, line) -> tuple:
        return self[f"value_{line.pk}"], self[f"{self.text_name}_{line.pk}"]

    def entries(self) -> dict:
        data = self.cleaned_data
        return {
            line.key: {
                "value": _entered(line.criterion, data.get(f"value_{line.pk}")),
                self.text_name: data.get(f"{self.text_name}_{line.pk}", ""),
            }
            for line in self.lines
        }

    def add_service_error(self, exc) -> None:
        """The service keys its errors by line key: each goes next to its value."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        names = {line.key: f"value_{line.pk}" for line in self.lines}
        for key, errors in exc.error_dict.items():
            self.add_error(names.get(key), errors)


class ReviewForm(_LinesForm):
    text_name = "note"
    value_label = _("Review score for line %(line)s")
    text_label = _("Reviewer's note for line %(line)s")
    confirm_label = _(
        "I have checked every line: submit the review. It can no longer be changed afterwards."
    )


class ReconcileForm(_LinesForm):
    text_name = "reason"
    value_label = _("Final score for line %(line)s")
    text_label = _("Reason for the final score of line %(line)s")
    confirm_label = _(
        "Every final score is agreed: make the sheet final. Nothing on it can change afterwards."
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the sheet goes back to the agency"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The agency's leaders receive this by mail; the review already entered stays."),
    )
